import CSHA256

/// SHA-256, for case revisions and the guidance version (Foundation on Linux has no CryptoKit). The compression
/// runs in C with the CPU's SHA instructions where there are some: every start-up hashes all the data files.
public enum SHA256 {
  /// The digest of `data`.
  public static func digest(_ data: some Collection<UInt8>) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    let hashed: Void? = data.withContiguousStorageIfAvailable { bytes in
      digest.withUnsafeMutableBufferPointer { csha256_digest(bytes.baseAddress, bytes.count, $0.baseAddress) }
    }
    if hashed == nil {
      let bytes = [UInt8](data)
      digest.withUnsafeMutableBufferPointer { csha256_digest(bytes, bytes.count, $0.baseAddress) }
    }
    return digest
  }

  /// The digest of `data` as lower-case hexadecimal.
  public static func hex(of data: some Collection<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in digest(data) {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
