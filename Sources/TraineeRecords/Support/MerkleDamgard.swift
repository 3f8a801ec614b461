/// The message schedule of SHA-1 (for UUIDv5): pad to 64-byte blocks with the bit length, and read each
/// block as sixteen big-endian words.
enum MerkleDamgard {
  /// Calls `compress` with the sixteen words of each padded 64-byte block of `data`.
  static func forEachBlock(of data: some Collection<UInt8>, _ compress: ([UInt32]) -> Void) {
    var message = [UInt8](data)
    let bitLength = UInt64(message.count) * 8
    message.append(0x80)
    while message.count % 64 != 56 { message.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
    var words = [UInt32](repeating: 0, count: 16)
    for chunk in stride(from: 0, to: message.count, by: 64) {
      for i in 0..<16 {
        let b = chunk + i * 4
        words[i] = UInt32(message[b]) << 24 | UInt32(message[b + 1]) << 16 | UInt32(message[b + 2]) << 8 | UInt32(message[b + 3])
      }
      compress(words)
    }
  }

  /// The big-endian bytes of the final state words.
  static func bytes(_ state: [UInt32]) -> [UInt8] {
    state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - $0 * 8)) } }
  }
}
