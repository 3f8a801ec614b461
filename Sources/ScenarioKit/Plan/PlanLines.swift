import Foundation

/// Reads a file handle line by line in large chunks.
public struct ChunkedLines: Sequence, IteratorProtocol {
  let handle: FileHandle
  private var buffer: [UInt8] = []
  /// Where the next line starts in `buffer` (consumed bytes are dropped only when a new chunk arrives).
  private var start = 0
  private var finished = false

  public init(handle: FileHandle) { self.handle = handle }

  public mutating func next() -> String? {
    while true {
      if let line = bufferedLine() { return line }
      if finished {
        guard start < buffer.count else { return nil }
        defer { start = buffer.count }
        return String(decoding: buffer[start...], as: UTF8.self)
      }
      readChunk()
    }
  }

  /// The next line and every further complete line already read, reading only while no line is complete, so
  /// that a caller can work on a chunk's lines together without waiting for more input than `next()` would.
  /// Returns nil at the end of the input.
  public mutating func nextLines() -> [String]? {
    guard let first = next() else { return nil }
    var lines = [first]
    while let line = bufferedLine() { lines.append(line) }
    return lines
  }

  /// The next complete (newline-terminated) line in the buffer, if there is one.
  private mutating func bufferedLine() -> String? {
    guard let newline = buffer[start...].firstIndex(of: 0x0A) else { return nil }
    let line = String(decoding: buffer[start..<newline], as: UTF8.self)
    start = newline + 1
    return line
  }

  /// Reads what is available, up to 256 KB, straight into the buffer: `read(2)` returns as soon as a pipe has
  /// something, and from a file a chunk large enough (some 500 plans) that batch grading's cores spend their time
  /// grading rather than meeting between chunks.
  private mutating func readChunk() {
    buffer.removeSubrange(0..<start)
    start = 0
    let size = 1 << 18
    let kept = buffer.count
    buffer.reserveCapacity(kept + size)
    var received = 0
    let fd = handle.fileDescriptor
    buffer.append(contentsOf: repeatElement(0, count: size))
    repeat {
      received = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + kept, size) }
    } while received < 0 && errno == EINTR
    buffer.removeSubrange((kept + Swift.max(received, 0))...)
    if received <= 0 { finished = true }
  }
}

/// Turns one JSON line into a ``YNode`` so that batch plans go through the same checks as plan files.
public enum JSONLine {
  /// Parses one line of JSON into a node located at that line.
  public static func parse(_ line: String, lineNumber: Int, bag: DiagnosticBag) -> YNode? {
    PlanJSONReader.node(line, at: Position(line: lineNumber, column: 1))
      ?? foundationParse(line, lineNumber: lineNumber, bag: bag)
  }

  /// Parses with JSONSerialization: the reference for what a line means, used for every line that
  /// ``PlanJSONReader`` leaves alone (numbers, invalid JSON and other rarities).
  static func foundationParse(_ line: String, lineNumber: Int, bag: DiagnosticBag) -> YNode? {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
    } catch {
      bag.error("not valid JSON", line: lineNumber, column: 1)
      return nil
    }
    return node(object, at: Position(line: lineNumber, column: 1))
  }

  static func node(_ value: Any, at position: Position) -> YNode {
    switch value {
    case let dictionary as [String: Any]:
      let pairs = dictionary.keys.sorted().map { key in
        YNode.Pair(key: YNode(kind: .scalar(key, plain: false), position: position),
                   value: node(dictionary[key] as Any, at: position))
      }
      return YNode(kind: .mapping(pairs), position: position)
    case let array as [Any]:
      return YNode(kind: .sequence(array.map { node($0, at: position) }), position: position)
    case let string as String:
      return YNode(kind: .scalar(string, plain: false), position: position)
    case is NSNull:
      return YNode(kind: .scalar("null", plain: true), position: position)
    case let flag as Bool:
      return YNode(kind: .scalar(flag ? "true" : "false", plain: true), position: position)
    case let number as NSNumber:
      return YNode(kind: .scalar(number.stringValue, plain: true), position: position)
    default:
      return YNode(kind: .scalar(String(describing: value), plain: false), position: position)
    }
  }
}
