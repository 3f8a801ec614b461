/// A seeded stream of random numbers (SplitMix64), the same on every platform and run. Each stream mixes the seed with
/// names (a case and a moment, or a case and its variant), so adding to one stream never changes another's draw.
/// The treatment's events and a case's variant are drawn from the same seed on separate streams.
public struct SeededRandom {
  private var state: UInt64

  public init(seed: UInt64, streams: [String]) {
    var state = seed
    for name in streams { state = state &* 0x100_0000_01B3 ^ Self.fnv1a(name) }
    self.state = state
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in [0, 1).
  public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

  /// An index in 0..<count.
  public mutating func index(below count: Int) -> Int { Int(next() % UInt64(count)) }

  /// FNV-1a over the UTF-8 bytes: a stable hash (Swift's `Hasher` is seeded per process).
  public static func fnv1a(_ text: String) -> UInt64 {
    text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
  }
}
