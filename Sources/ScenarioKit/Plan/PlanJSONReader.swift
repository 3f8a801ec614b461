/// Reads the JSON that plan lines are made of (objects, arrays, strings, true, false and null) straight into
/// nodes, several times faster than JSONSerialization followed by casts from `Any`.
///
/// It returns nil for anything else: numbers, invalid JSON, lone surrogate escapes, duplicate keys, deep nesting.
/// `JSONLine.parse` hands those lines to JSONSerialization, so every line reads, and fails, exactly as before;
/// what this reader accepts it reads into the very nodes the JSONSerialization path builds (keys sorted, every node
/// at column 1 of the line).
enum PlanJSONReader {
  /// Nesting deeper than this is left to JSONSerialization, which enforces its own limit.
  static let maxDepth = 64

  /// Reads one line's UTF-8 bytes.
  static func node(_ bytes: UnsafeBufferPointer<UInt8>, at position: Position) -> YNode? {
    var reader = Reader(bytes: bytes, position: position)
    reader.skipSpace()
    guard let node = reader.value(depth: 0) else { return nil }
    reader.skipSpace()
    return reader.index == bytes.count ? node : nil
  }

  private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let position: Position
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>, position: Position) {
      self.bytes = bytes
      self.position = position
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Skips JSON whitespace: space, tab, line feed and carriage return.
    mutating func skipSpace() {
      while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    mutating func value(depth: Int) -> YNode? {
      guard depth < PlanJSONReader.maxDepth, let byte = current else { return nil }
      switch byte {
      case UInt8(ascii: "{"): return object(depth: depth)
      case UInt8(ascii: "["): return array(depth: depth)
      case UInt8(ascii: "\""): return string().map(scalar)
      case UInt8(ascii: "t"): return literal("true")
      case UInt8(ascii: "f"): return literal("false")
      case UInt8(ascii: "n"): return literal("null")
      default: return nil
      }
    }

    func scalar(_ text: String) -> YNode { YNode(kind: .scalar(text, plain: false), position: position) }

    /// `true`, `false` or `null`, as JSONSerialization's values come out of `JSONLine.node`: plain scalars.
    mutating func literal(_ word: String) -> YNode? {
      var end = index
      for byte in word.utf8 {
        guard end < bytes.count, bytes[end] == byte else { return nil }
        end += 1
      }
      index = end
      return YNode(kind: .scalar(word, plain: true), position: position)
    }

    mutating func object(depth: Int) -> YNode? {
      index += 1
      var pairs: [(key: String, value: YNode)] = []
      skipSpace()
      if current == UInt8(ascii: "}") {
        index += 1
        return YNode(kind: .mapping([]), position: position)
      }
      while true {
        skipSpace()
        guard current == UInt8(ascii: "\""), let key = string() else { return nil }
        skipSpace()
        guard current == UInt8(ascii: ":") else { return nil }
        index += 1
        skipSpace()
        guard let value = value(depth: depth + 1) else { return nil }
        pairs.append((key, value))
        skipSpace()
        if current == UInt8(ascii: ",") {
          index += 1
        } else if current == UInt8(ascii: "}") {
          index += 1
          break
        } else {
          return nil
        }
      }
      // Sorted as `JSONLine.node` sorts a dictionary's keys; equal keys end up side by side.
      pairs.sort { $0.key < $1.key }
      for i in pairs.indices.dropFirst() where pairs[i - 1].key == pairs[i].key { return nil }
      return YNode(kind: .mapping(pairs.map { YNode.Pair(key: scalar($0.key), value: $0.value) }), position: position)
    }

    mutating func array(depth: Int) -> YNode? {
      index += 1
      var items: [YNode] = []
      skipSpace()
      if current == UInt8(ascii: "]") {
        index += 1
        return YNode(kind: .sequence(items), position: position)
      }
      while true {
        skipSpace()
        guard let item = value(depth: depth + 1) else { return nil }
        items.append(item)
        skipSpace()
        if current == UInt8(ascii: ",") {
          index += 1
        } else if current == UInt8(ascii: "]") {
          index += 1
          return YNode(kind: .sequence(items), position: position)
        } else {
          return nil
        }
      }
    }

    /// A string literal (at its opening quote).
    mutating func string() -> String? {
      index += 1
      let start = index
      // Fast path: no escapes, so the text is the bytes between the quotes.
      while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
        if byte < 0x20 { return nil }
        index += 1
      }
      guard let stop = current else { return nil }
      if stop == UInt8(ascii: "\"") {
        index += 1
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
      }
      var text = Array(bytes[start..<index])
      while let byte = current {
        index += 1
        switch byte {
        case UInt8(ascii: "\""):
          return String(decoding: text, as: UTF8.self)
        case UInt8(ascii: "\\"):
          guard let escaped = current else { return nil }
          index += 1
          switch escaped {
          case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
          case UInt8(ascii: "b"): text.append(0x08)
          case UInt8(ascii: "f"): text.append(0x0C)
          case UInt8(ascii: "n"): text.append(0x0A)
          case UInt8(ascii: "r"): text.append(0x0D)
          case UInt8(ascii: "t"): text.append(0x09)
          case UInt8(ascii: "u"):
            guard let scalar = unicodeEscape() else { return nil }
            text.append(contentsOf: String(Character(scalar)).utf8)
          default: return nil
          }
        case 0..<0x20:
          return nil
        default:
          text.append(byte)
        }
      }
      return nil
    }

    /// The scalar of a `\u` escape (after the `u`), joining a surrogate pair; nil for a lone surrogate.
    mutating func unicodeEscape() -> Unicode.Scalar? {
      guard let unit = hex4() else { return nil }
      switch unit {
      case 0xD800..<0xDC00:
        guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
          return nil
        }
        index += 2
        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
        return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
      case 0xDC00..<0xE000:
        return nil
      default:
        return Unicode.Scalar(unit)
      }
    }

    mutating func hex4() -> UInt32? {
      guard bytes.count - index >= 4 else { return nil }
      var value: UInt32 = 0
      for _ in 0..<4 {
        let byte = bytes[index]
        let digit: UInt8
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
        default: return nil
        }
        value = value << 4 | UInt32(digit)
        index += 1
      }
      return value
    }
  }
}
