import Crypto
import Foundation

/// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same namespace and name always give the same UUID,
/// which makes xAPI statement ids stable across exports and resends.
public enum UUIDv5 {
  /// needlesim's fixed namespace for statement ids. Never change it: every exported statement id depends on it.
  public static let statements = UUID(uuidString: "6f1d1c2a-5b5e-5f6e-9d2c-2f6a1e3b7c41") ?? UUID()

  public static func make(namespace: UUID, name: String) -> UUID {
    let ns = namespace.uuid
    var bytes = [ns.0, ns.1, ns.2, ns.3, ns.4, ns.5, ns.6, ns.7, ns.8, ns.9, ns.10, ns.11, ns.12, ns.13, ns.14, ns.15]
    bytes += Array(name.utf8)
    var hash = Array(Insecure.SHA1.hash(data: bytes))
    hash[6] = (hash[6] & 0x0F) | 0x50
    hash[8] = (hash[8] & 0x3F) | 0x80
    return UUID(uuid: (hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7], hash[8], hash[9],
                       hash[10], hash[11], hash[12], hash[13], hash[14], hash[15]))
  }
}
