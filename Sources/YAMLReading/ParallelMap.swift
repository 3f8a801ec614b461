import Foundation

/// Maps over an array on all cores, keeping the order: loading a library parses its files in parallel.
public enum ParallelMap {
  public static func map<T: Sendable, U: Sendable>(_ items: [T], _ transform: @Sendable (T) -> U) -> [U] {
    if items.count < 2 { return items.map(transform) }
    let results = ResultBox<U>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
      results.set(index, transform(items[index]))
    }
    return results.values()
  }
}

/// Fixed-size storage written from many threads at distinct indices.
private final class ResultBox<U>: @unchecked Sendable {
  private var storage: [U?]
  private let lock = NSLock()
  init(count: Int) { storage = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: U) {
    lock.lock()
    storage[index] = value
    lock.unlock()
  }
  func values() -> [U] { storage.compactMap { $0 } }
}
