/// A fixed map from ids to their positions in a list, for looking up the ids every plan names (a repeated id maps
/// to its first position).
///
/// `Dictionary` hashes strings with per-process seeded SipHash, which made these look-ups one of the larger costs
/// of reading and grading batch plans. This table hashes UTF-8 bytes FNV-style, eight at a time, and probes
/// linearly. SipHash guards a dictionary that grows from its input against crafted collisions; this one holds only
/// the ids of the guidance and never grows, so a crafted id can at most make its own look-up pass over those few
/// entries.
public struct IDTable: Sendable {
  private let ids: [String]
  /// For each bucket, the position of the id there, or -1.
  private let buckets: [Int32]

  public init(_ ids: [String]) {
    self.ids = ids
    var size = 8
    while size < 2 * ids.count { size *= 2 }
    var buckets = [Int32](repeating: -1, count: size)
    for (position, id) in ids.enumerated() {
      var bucket = Self.hash(id) & (size - 1)
      while buckets[bucket] >= 0 { bucket = (bucket + 1) & (size - 1) }
      buckets[bucket] = Int32(position)
    }
    self.buckets = buckets
  }

  /// The position of `id`, if it is one of the ids.
  public subscript(_ id: String) -> Int? {
    let mask = buckets.count - 1
    var bucket = Self.hash(id) & mask
    while true {
      let position = Int(buckets[bucket])
      if position < 0 { return nil }
      if ids[position] == id { return position }
      bucket = (bucket + 1) & mask
    }
  }

  private static func hash(_ id: String) -> Int {
    // Native strings hand out their bytes; any other is copied first, so that equal ids always hash alike.
    id.utf8.withContiguousStorageIfAvailable { hash(UnsafeRawBufferPointer($0)) }
      ?? Array(id.utf8).withUnsafeBytes { hash($0) }
  }

  /// FNV-1a over eight bytes at a time, then byte by byte.
  private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    var offset = 0
    while offset + 8 <= bytes.count {
      hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01b3
      hash ^= hash >> 29
      offset += 8
    }
    for byte in bytes[offset...] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: hash ^ (hash >> 32))
  }
}
