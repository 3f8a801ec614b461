import Foundation
import TraineeRecords
import ScenarioKit

/// Where and how to reach a Learning Record Store, and how statements name the programme.
///
/// Resolved from, in order: command-line flags, `NEEDLESIM_LRS_URL` / `NEEDLESIM_LRS_USER` /
/// `NEEDLESIM_LRS_PASSWORD`, and the config file `$XDG_CONFIG_HOME/needlesim/lrs.yaml`
/// (default `~/.config/needlesim/lrs.yaml`) with keys `url`, `user`, `password` or `passwordFile`,
/// `homePage`, `iriBase`.
public struct LRSConfig: Sendable {
  /// The xAPI endpoint base, e.g. `http://127.0.0.1:8100/xAPI/` (statements are at `<base>statements`).
  public var endpoint: URL?
  public var user: String?
  /// Never printed or logged.
  public var password: String?
  public var xapi: XAPIOptions
  /// Problems found while reading the configuration (for example a config file readable by others).
  public var warnings: [String]

  public var isConfigured: Bool { endpoint != nil }

  /// The config file path.
  public static func configPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    UserDirectory.base(.config, environment: environment) + "/needlesim/lrs.yaml"
  }

  /// Resolves the configuration. Throws `RecordsError.lrsConfig` for a malformed URL or unreadable password file.
  public static func resolve(
    url: String? = nil, user: String? = nil, passwordFile: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> LRSConfig {
    var warnings: [String] = []
    let path = configPath(environment: environment)
    let file = try ConfigFile.read(path, warnings: &warnings)
    let urlText = url ?? environment["NEEDLESIM_LRS_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? file["url"]
    var endpoint: URL?
    if let urlText {
      let normalised = urlText.hasSuffix("/") ? urlText : urlText + "/"
      guard let parsed = URL(string: normalised), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
        parsed.host != nil
      else { throw RecordsError.lrsConfig("\"\(urlText)\" is not an http(s) URL of an xAPI endpoint") }
      endpoint = parsed
    }
    var password = environment["NEEDLESIM_LRS_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
    if let passwordFile = passwordFile ?? (password == nil ? file["passwordFile"] : nil) {
      guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
        throw RecordsError.lrsConfig("cannot read the password file \(passwordFile)")
      }
      password = text.trimmingCharacters(in: .whitespacesAndNewlines)
      if let warning = ConfigFile.permissionWarning(passwordFile) { warnings.append(warning) }
    } else if password == nil, let inline = file["password"] {
      password = inline
    }
    let defaults = XAPIOptions.standard
    return LRSConfig(
      endpoint: endpoint,
      user: user ?? environment["NEEDLESIM_LRS_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? file["user"],
      password: password,
      xapi: XAPIOptions(
        homePage: file["homePage"] ?? defaults.homePage, iriBase: file["iriBase"] ?? defaults.iriBase,
        platform: defaults.platform),
      warnings: warnings)
  }
}

/// The small `key: value` config file. Read by hand: it is flat, and a secret-bearing file should not need a
/// full YAML parser's features (anchors, tags) to be understood.
enum ConfigFile {
  static let keys = ["url", "user", "password", "passwordFile", "homePage", "iriBase"]

  static func read(_ path: String, warnings: inout [String]) throws -> [String: String] {
    guard FileManager.default.fileExists(atPath: path) else { return [:] }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw RecordsError.lrsConfig("cannot read \(path)")
    }
    var values: [String: String] = [:]
    for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      guard let colon = line.firstIndex(of: ":") else {
        throw RecordsError.lrsConfig("\(path):\(number + 1):1: expected `key: value`")
      }
      let key = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
      var value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
      if value.count >= 2, (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'")) {
        value = String(value.dropFirst().dropLast())
      }
      guard keys.contains(key) else {
        throw RecordsError.lrsConfig("\(path):\(number + 1):1: unknown key \"\(key)\"; use one of \(keys.joined(separator: ", "))")
      }
      values[key] = value
    }
    if values["password"] != nil, let warning = permissionWarning(path) { warnings.append(warning) }
    return values
  }

  /// A warning when a file holding a secret can be read by other users.
  static func permissionWarning(_ path: String) -> String? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0
    else { return nil }
    return "\(path) holds the LRS password but other users can read it; run: chmod 600 \(path)"
  }
}
