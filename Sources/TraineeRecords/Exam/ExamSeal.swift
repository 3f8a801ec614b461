import Crypto
import Foundation

/// The instructor's key that seals exam attempts: from `--key-file` or `NEEDLESIM_EXAM_KEY`, never stored in the
/// database.
public struct ExamKey: Sendable {
  let key: SymmetricKey

  /// Fewer bytes than this cannot resist guessing.
  public static let minimumBytes = 16

  public init(bytes: Data) throws {
    guard bytes.count >= Self.minimumBytes else { throw ExamKeyError.tooShort(bytes.count) }
    key = SymmetricKey(data: bytes)
  }

  /// The key from `keyFile` (its bytes, without a final newline), else `$NEEDLESIM_EXAM_KEY`; nil when neither is set.
  public static func resolve(keyFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws -> ExamKey?
  {
    if let keyFile {
      guard var bytes = FileManager.default.contents(atPath: keyFile) else { throw ExamKeyError.unreadable(keyFile) }
      while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
      return try ExamKey(bytes: bytes)
    }
    guard let text = environment["NEEDLESIM_EXAM_KEY"], !text.isEmpty else { return nil }
    return try ExamKey(bytes: Data(text.utf8))
  }
}

public enum ExamKeyError: LocalizedError, Equatable {
  case tooShort(Int)
  case unreadable(String)

  public var errorDescription: String? {
    switch self {
    case .tooShort(let count):
      "the exam key has \(count) byte(s); use at least \(ExamKey.minimumBytes) (for example `openssl rand -hex 32`)"
    case .unreadable(let path): "cannot read the exam key file \(path)"
    }
  }
}

/// The seal of an exam attempt: HMAC-SHA256, under the instructor's key, over the attempt's canonical content (every
/// field but the seal, as sorted-key JSON with times in whole milliseconds), written `hmac-sha256:` and the hex.
public enum ExamSeal {
  static let prefix = "hmac-sha256:"

  /// The bytes the seal covers.
  static func canonical(_ attempt: Attempt) throws -> Data {
    var unsealed = attempt
    unsealed.seal = nil
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
    return try encoder.encode(unsealed)
  }

  public static func seal(_ attempt: Attempt, key: ExamKey) throws -> String {
    let code = HMAC<SHA256>.authenticationCode(for: try canonical(attempt), using: key.key)
    return prefix + code.map { String(format: "%02x", $0) }.joined()
  }

  /// Whether `attempt` carries a seal that its content and `key` reproduce (compared in constant time).
  public static func isIntact(_ attempt: Attempt, key: ExamKey) -> Bool {
    guard let seal = attempt.seal, seal.hasPrefix(prefix), let code = Data(hex: seal.dropFirst(prefix.count)),
      let content = try? canonical(attempt)
    else { return false }
    return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: content, using: key.key)
  }
}

extension Data {
  /// Bytes from lower- or upper-case hex; nil when `hex` is not hex.
  init?(hex: Substring) {
    guard hex.count.isMultiple(of: 2) else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(hex.count / 2)
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
      bytes.append(byte)
      index = next
    }
    self.init(bytes)
  }
}
