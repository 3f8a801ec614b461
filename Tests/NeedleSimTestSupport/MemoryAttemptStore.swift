import Foundation
import TraineeRecords

/// An attempt store in memory, for tests of code that records attempts.
public final class MemoryAttemptStore: AttemptStore, @unchecked Sendable {
  private let lock = NSLock()
  private var saved: [Attempt] = []
  /// When set, every save fails with this error (to test that nothing is lost).
  public var failure: Error?

  public init() {}

  public func save(_ attempt: Attempt, sealingWith key: ExamKey?) throws {
    lock.lock()
    defer { lock.unlock() }
    if let failure { throw failure }
    var kept = attempt
    if let key { kept.seal = try ExamSeal.seal(attempt, key: key) }
    saved.append(kept)
  }

  public func attempts(trainee: String?) throws -> [Attempt] {
    lock.lock()
    defer { lock.unlock() }
    return saved.filter { trainee == nil || $0.trainee == trainee }
  }
}

/// A clock that advances one minute per reading, and ids that count up: deterministic sessions.
public enum FixedEnvironment {
  public static func make() -> (now: @Sendable () -> Date, makeID: @Sendable () -> UUID) {
    let counter = Counter()
    let ids = Counter()
    return (
      { Date(timeIntervalSince1970: 1_790_000_000 + Double(counter.next()) * 60) },
      { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", ids.next())) ?? UUID() }
    )
  }
}

final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}
