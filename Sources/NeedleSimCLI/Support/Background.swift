import Dispatch

/// Work started on another core straight away, whose result is waited for when it is needed: the practice REPL
/// opens the records database while the guidance and cases load.
final class Background<Value: Sendable>: @unchecked Sendable {
  // Written once by the worker before `done` is signalled, read only after waiting for it.
  private var result: Result<Value, Error>?
  private let done = DispatchSemaphore(value: 0)

  init(_ work: @escaping @Sendable () throws -> Value) {
    DispatchQueue.global(qos: .userInitiated).async {
      self.result = Result { try work() }
      self.done.signal()
    }
  }

  /// Waits for the work to finish; returns its value or throws its error.
  func value() throws -> Value {
    done.wait()
    done.signal()  // let later calls through too
    return try result!.get()
  }
}
