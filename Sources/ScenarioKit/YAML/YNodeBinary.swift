/// A compact binary form of a ``YNode`` tree, for the parse cache: a node is a kind byte, its line and column,
/// then its text (scalars) or its count of children followed by the children, every number a LEB128 varint.
enum YNodeBinary {
  private enum Tag: UInt8 {
    case plainScalar, quotedScalar, mapping, sequence
  }

  /// Appends the encoding of `node` to `out`.
  static func append(_ node: YNode, to out: inout [UInt8]) {
    switch node.kind {
    case .scalar(let text, let plain):
      out.append((plain ? Tag.plainScalar : Tag.quotedScalar).rawValue)
      appendPosition(node.position, to: &out)
      appendVarint(text.utf8.count, to: &out)
      out.append(contentsOf: text.utf8)
    case .mapping(let pairs):
      out.append(Tag.mapping.rawValue)
      appendPosition(node.position, to: &out)
      appendVarint(pairs.count, to: &out)
      for pair in pairs {
        append(pair.key, to: &out)
        append(pair.value, to: &out)
      }
    case .sequence(let items):
      out.append(Tag.sequence.rawValue)
      appendPosition(node.position, to: &out)
      appendVarint(items.count, to: &out)
      for item in items { append(item, to: &out) }
    }
  }

  private static func appendPosition(_ position: Position, to out: inout [UInt8]) {
    appendVarint(position.line, to: &out)
    appendVarint(position.column, to: &out)
  }

  static func appendVarint(_ value: Int, to out: inout [UInt8]) {
    var rest = UInt64(max(0, value))
    while rest >= 0x80 {
      out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    out.append(UInt8(rest))
  }

  /// Reads a tree back from `bytes`; nil if they do not hold exactly one well-formed tree (a damaged cache is a
  /// miss, never a crash). `maxDepth` bounds the recursion as the parser's limit bounded the original.
  static func decode(_ bytes: UnsafeRawBufferPointer, maxDepth: Int) -> YNode? {
    var reader = Reader(bytes: bytes)
    guard let node = reader.node(depth: 0, maxDepth: maxDepth), reader.offset == bytes.count else { return nil }
    return node
  }

  /// A bounds-checked cursor over the encoded bytes.
  struct Reader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    mutating func varint() -> Int? {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while offset < bytes.count, shift < 63 {
        let byte = bytes[offset]
        offset += 1
        value |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return value <= UInt64(Int32.max) ? Int(value) : nil }
        shift += 7
      }
      return nil
    }

    mutating func node(depth: Int, maxDepth: Int) -> YNode? {
      guard depth <= maxDepth, offset < bytes.count, let tag = Tag(rawValue: bytes[offset]) else { return nil }
      offset += 1
      guard let line = varint(), let column = varint(), let count = varint() else { return nil }
      let position = Position(line: line, column: column)
      switch tag {
      case .plainScalar, .quotedScalar:
        guard count <= bytes.count - offset else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
        offset += count
        return YNode(kind: .scalar(text, plain: tag == .plainScalar), position: position)
      case .mapping:
        // Each pair takes at least eight bytes, so a count beyond that is damage, not a huge allocation.
        guard count <= (bytes.count - offset) / 8 else { return nil }
        var pairs: [YNode.Pair] = []
        pairs.reserveCapacity(count)
        for _ in 0..<count {
          guard let key = node(depth: depth + 1, maxDepth: maxDepth),
            let value = node(depth: depth + 1, maxDepth: maxDepth)
          else { return nil }
          pairs.append(YNode.Pair(key: key, value: value))
        }
        return YNode(kind: .mapping(pairs), position: position)
      case .sequence:
        guard count <= (bytes.count - offset) / 4 else { return nil }
        var items: [YNode] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
          guard let item = node(depth: depth + 1, maxDepth: maxDepth) else { return nil }
          items.append(item)
        }
        return YNode(kind: .sequence(items), position: position)
      }
    }
  }
}
