import Foundation

/// The session's sources of time, identity and chance, injected so that tests and transcripts are deterministic.
public struct SessionEnvironment: Sendable {
  public var now: @Sendable () -> Date
  public var makeID: @Sendable () -> UUID
  /// A random index in `0..<n`.
  public var random: @Sendable (Int) -> Int

  public init(now: @escaping @Sendable () -> Date, makeID: @escaping @Sendable () -> UUID,
              random: @escaping @Sendable (Int) -> Int) {
    self.now = now
    self.makeID = makeID
    self.random = random
  }

  public static let live = SessionEnvironment(now: { Date() }, makeID: { UUID() }, random: { Int.random(in: 0..<$0) })
}

/// What the session says back to one input.
public struct Reply: Sendable, Equatable {
  public var text: String
  /// The session is over.
  public var quit: Bool

  public init(_ text: String, quit: Bool = false) {
    self.text = text
    self.quit = quit
  }
}
