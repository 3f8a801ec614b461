import Foundation
import Crypto

/// SHA-256 of file contents, for case revisions and the guidance version: they name exactly what was graded.
public enum ContentHash {
  /// The SHA-256 digest of `data` in lower-case hexadecimal.
  public static func sha256(_ data: some DataProtocol) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in SHA256.hash(data: data) {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
