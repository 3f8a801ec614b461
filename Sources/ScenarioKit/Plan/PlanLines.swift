import Foundation

/// Reads a file handle in large chunks, handing out the complete lines of each chunk together.
public struct ChunkedLines {
  let handle: FileHandle
  private var buffer: [UInt8] = []
  /// Where the next line starts in `buffer` (consumed bytes are dropped only when a new chunk arrives).
  private var start = 0
  private var finished = false

  public init(handle: FileHandle) { self.handle = handle }

  /// The next line and every further complete line already read, reading only while no line is complete, so
  /// that a caller can work on a chunk's lines together without waiting for more input than one line needs.
  /// The last line may lack its newline. Returns nil at the end of the input.
  public mutating func nextBlock() -> LineBlock? {
    var lines: [Range<Int>] = []
    while true {
      buffer.withUnsafeBufferPointer { bytes in
        while start < bytes.count,
          let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start)
        {
          let newline = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
          lines.append(start..<newline)
          start = newline + 1
        }
      }
      if !lines.isEmpty { break }
      if finished {
        guard start < buffer.count else { return nil }
        lines.append(start..<buffer.count)
        start = buffer.count
        break
      }
      readChunk()
    }
    // The block shares the buffer's storage; the next read copies it only if the block is still kept.
    return LineBlock(bytes: buffer, lines: lines)
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

/// Lines read together: a chunk's bytes and where each line is in them (without its newline). Lines are handed
/// out as bytes, so that the threads grading them, not the one reading, turn them into text.
public struct LineBlock: Sendable {
  private let bytes: [UInt8]
  private let lines: [Range<Int>]

  init(bytes: [UInt8], lines: [Range<Int>]) {
    self.bytes = bytes
    self.lines = lines
  }

  /// How many lines there are.
  public var count: Int { lines.count }

  /// Calls `body` with the UTF-8 bytes of line `index`.
  public func withLine<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
    bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[lines[index]])) }
  }

  /// Whether `line` is empty or only whitespace, as `String.allSatisfy(\.isWhitespace)` says, without making a
  /// string of ASCII lines.
  public static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    for byte in line {
      switch byte {
      case 0x09...0x0D, 0x20: continue
      case 0x80...: return String(decoding: line, as: UTF8.self).allSatisfy(\.isWhitespace)
      default: return false
      }
    }
    return true
  }
}

/// Turns one JSON line into a ``YNode`` so that batch plans go through the same checks as plan files.
public enum JSONLine {
  /// Parses one line of JSON into a node located at that line.
  public static func parse(_ line: String, lineNumber: Int, bag: DiagnosticBag) -> YNode? {
    var line = line
    return line.withUTF8 { parse($0, lineNumber: lineNumber, bag: bag) }
  }

  /// The same from the line's UTF-8 bytes: a string is made only for lines the fast reader leaves alone.
  public static func parse(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int, bag: DiagnosticBag) -> YNode? {
    PlanJSONReader.node(line, at: Position(line: lineNumber, column: 1))
      ?? foundationParse(String(decoding: line, as: UTF8.self), lineNumber: lineNumber, bag: bag)
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
