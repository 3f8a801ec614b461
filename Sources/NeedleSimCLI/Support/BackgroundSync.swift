import Foundation
import LRSSync
import TraineeRecords

/// Syncs the outbox on a background thread after each submitted attempt, so the student never waits for the
/// network. One sync at a time; a failure just leaves statements queued for the next one.
final class BackgroundSync: @unchecked Sendable {
  private let path: String
  private let config: LRSConfig
  private let lock = NSLock()
  private var running = false
  private var again = false
  private let idle = DispatchSemaphore(value: 1)

  init(path: String, config: LRSConfig) {
    self.path = path
    self.config = config
  }

  func trigger() {
    lock.lock()
    if running {
      again = true
      lock.unlock()
      return
    }
    running = true
    lock.unlock()
    idle.wait()
    Thread.detachNewThread { [self] in
      repeat {
        lock.lock()
        again = false
        lock.unlock()
        syncOnce()
        lock.lock()
        let more = again
        if !more { running = false }
        lock.unlock()
        if !more { break }
      } while true
      idle.signal()
    }
  }

  /// Waits up to `seconds` for a sync in progress, so leaving right after a submit still delivers.
  func finish(within seconds: TimeInterval) {
    if idle.wait(timeout: .now() + seconds) == .success { idle.signal() }
  }

  private func syncOnce() {
    guard let endpoint = config.endpoint, let store = try? SQLiteAttemptStore(path: path, xapi: config.xapi) else { return }
    var syncer = Syncer(
      store: store, endpoint: endpoint, user: config.user, password: config.password,
      transport: CurlTransport(timeout: 5))
    syncer.retries = 0
    _ = try? syncer.run()
  }
}
