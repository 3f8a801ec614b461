/// Output bytes of which some are not copied: `bytes` holds what was written, and each splice inserts bytes kept
/// elsewhere at an offset of `bytes`. Batch grading writes its reports this way: most of a report (≈ 10 KB) is
/// explanation text shared by many reports, and copying it into every report cost more than any part of grading.
///
/// Spliced bytes belong to whoever made them (a ``ReportFragmentWriter``), which must outlive these bytes.
public struct SplicedBytes {
  /// Bytes at `at` in `bytes` go before `bytes[at]`.
  public struct Splice {
    public let at: Int
    public let bytes: UnsafeRawBufferPointer
  }

  /// The bytes written.
  public var bytes: [UInt8] = []
  /// The bytes inserted, in order of `at`.
  public private(set) var splices: [Splice] = []

  public init() {}

  init(bytes: [UInt8], splices: [Splice]) {
    self.bytes = bytes
    self.splices = splices
  }

  /// Inserts `piece` after the bytes written so far, without copying it: it must stay where it is until this
  /// output is written.
  public mutating func splice(_ piece: UnsafeRawBufferPointer) { splices.append(Splice(at: bytes.count, bytes: piece)) }

  /// Moves the contents out, leaving this empty.
  mutating func take() -> ([UInt8], [Splice]) {
    defer { self = SplicedBytes() }
    return (bytes, splices)
  }

  /// Empties the output, keeping its storage.
  public mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    splices.removeAll(keepingCapacity: true)
  }

  /// Calls `body` with every piece in order, all valid until it returns: runs of `bytes` and spliced bytes, none of
  /// them empty.
  public func withPieces<Result>(_ body: ([UnsafeRawBufferPointer]) throws -> Result) rethrows -> Result {
    try bytes.withUnsafeBytes { own in
      var pieces: [UnsafeRawBufferPointer] = []
      pieces.reserveCapacity(2 * splices.count + 1)
      var from = 0
      for splice in splices {
        if splice.at > from { pieces.append(UnsafeRawBufferPointer(rebasing: own[from..<splice.at])) }
        if !splice.bytes.isEmpty { pieces.append(splice.bytes) }
        from = splice.at
      }
      if own.count > from { pieces.append(UnsafeRawBufferPointer(rebasing: own[from...])) }
      return try body(pieces)
    }
  }

  /// Every byte, in order, in one array.
  public var joined: [UInt8] {
    withPieces { $0.reduce(into: []) { all, piece in all.append(contentsOf: piece) } }
  }
}

/// Bytes that never move once stored, so that output can point at them until it is written.
final class StableBytes {
  private var chunks: [UnsafeMutableRawBufferPointer] = []
  /// How much of the last chunk is used.
  private var used = 0
  private static let chunkSize = 64 * 1024

  /// Stores a copy of `bytes` and returns where it is.
  func store(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    if chunks.isEmpty || chunks[chunks.count - 1].count - used < bytes.count {
      // An oversized piece gets a chunk of its own.
      chunks.append(.allocate(byteCount: max(Self.chunkSize, bytes.count), alignment: 16))
      used = 0
    }
    let target = UnsafeMutableRawBufferPointer(rebasing: chunks[chunks.count - 1][used..<used + bytes.count])
    target.copyMemory(from: bytes)
    used += bytes.count
    return UnsafeRawBufferPointer(target)
  }

  deinit {
    for chunk in chunks { chunk.deallocate() }
  }
}
