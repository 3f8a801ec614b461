import Foundation
import ScenarioKit

/// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same namespace and name always give the same UUID,
/// which makes xAPI statement ids stable across exports and resends.
public enum UUIDv5 {
  /// needlesim's fixed namespace for statement ids. Never change it: every exported statement id depends on it.
  public static let statements = UUID(uuidString: "6f1d1c2a-5b5e-5f6e-9d2c-2f6a1e3b7c41") ?? UUID()

  public static func make(namespace: UUID, name: String) -> UUID {
    let ns = namespace.uuid
    var bytes = [ns.0, ns.1, ns.2, ns.3, ns.4, ns.5, ns.6, ns.7, ns.8, ns.9, ns.10, ns.11, ns.12, ns.13, ns.14, ns.15]
    bytes += Array(name.utf8)
    var hash = SHA1.digest(bytes)
    hash[6] = (hash[6] & 0x0F) | 0x50
    hash[8] = (hash[8] & 0x3F) | 0x80
    return UUID(uuid: (hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7], hash[8], hash[9],
                       hash[10], hash[11], hash[12], hash[13], hash[14], hash[15]))
  }
}

/// SHA-1, only for name-based UUIDs (not for security).
enum SHA1 {
  static func digest(_ data: [UInt8]) -> [UInt8] {
    var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
    var w = [UInt32](repeating: 0, count: 80)
    MerkleDamgard.forEachBlock(of: data) { block in
      for i in 0..<16 { w[i] = block[i] }
      for i in 16..<80 {
        let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
        w[i] = (x << 1) | (x >> 31)
      }
      var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
      for i in 0..<80 {
        let (f, k): (UInt32, UInt32)
        switch i {
        case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
        case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
        case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
        default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
        }
        let temp = ((a << 5) | (a >> 27)) &+ f &+ e &+ k &+ w[i]
        e = d
        d = c
        c = (b << 30) | (b >> 2)
        b = a
        a = temp
      }
      h[0] = h[0] &+ a
      h[1] = h[1] &+ b
      h[2] = h[2] &+ c
      h[3] = h[3] &+ d
      h[4] = h[4] &+ e
    }
    return MerkleDamgard.bytes(h)
  }
}
