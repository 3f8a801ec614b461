import Foundation

/// Buffered output for exports: writes in large blocks, reports progress, and fails cleanly (disk full, closed pipe).
public final class OutputSink {
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private let flushSize = 1 << 16
  /// Called with the number of records written so far, at most a few times a second.
  public var onProgress: ((Int) -> Void)?
  public private(set) var records = 0
  private var lastProgress = Date()

  public init(handle: FileHandle) { self.handle = handle }

  public func write(_ text: String) throws {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= flushSize { try flush() }
  }

  /// Writes one CSV record straight into the buffer.
  public func writeCSVRow(_ fields: [String]) throws {
    CSV.append(row: fields, to: &buffer)
    if buffer.count >= flushSize { try flush() }
  }

  /// Counts one exported record (row, attempt or statement) for progress.
  public func recordDone() {
    records += 1
    if let onProgress, records % 1000 == 0, Date().timeIntervalSince(lastProgress) > 0.25 {
      lastProgress = Date()
      onProgress(records)
    }
  }

  public func flush() throws {
    guard !buffer.isEmpty else { return }
    do {
      try handle.write(contentsOf: buffer)
    } catch {
      throw RecordsError.exportFailed(reason: error.localizedDescription)
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
