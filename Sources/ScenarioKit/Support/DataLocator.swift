import Foundation

/// Finds the bundled `Scenarios/` and `Scoring/` folders from any working directory.
///
/// Order: an explicit path, then an environment variable, then beside an installed binary
/// (`PREFIX/bin/needlesim` → `PREFIX/share/needlesim/NAME`), then the source checkout a build
/// in `.build/` came from, then the working directory.
public enum DataLocator {
  public static func locate(_ name: String, explicit: String?, environment variable: String) -> URL {
    if let explicit { return URL(fileURLWithPath: explicit) }
    // getenv, not ProcessInfo's environment, which copies the whole environment into a dictionary.
    if let value = getenv(variable).map({ String(cString: $0) }), !value.isEmpty {
      return URL(fileURLWithPath: value)
    }
    for root in bundledRoots where access(root + name, F_OK) == 0 {
      return URL(fileURLWithPath: root + name, isDirectory: true)
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name)
  }

  /// Folders (ending in "/") that may hold the bundled data, nearest first: `PREFIX/share/needlesim/` beside an
  /// installed binary, then every folder above the binary that holds a `Package.swift`. Worked out once, with
  /// plain path strings: this runs at every start-up.
  static let bundledRoots: [String] = {
    guard let executable = executablePath() else { return [] }
    var bin = Substring(executable)
    bin = bin[..<(bin.lastIndex(of: "/") ?? bin.startIndex)]
    let prefix = bin[..<(bin.lastIndex(of: "/") ?? bin.startIndex)]
    var roots = ["\(prefix)/share/needlesim/"]
    var directory = bin
    while !directory.isEmpty {
      if access("\(directory)/Package.swift", F_OK) == 0 { roots.append("\(directory)/") }
      directory = directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)]
    }
    return roots
  }()

  static func executablePath() -> String? {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    return Bundle.main.executableURL?.resolvingSymlinksInPath().path
  }
}
