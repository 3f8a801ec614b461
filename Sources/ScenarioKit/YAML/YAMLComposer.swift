import CYaml

/// Builds a ``YNode`` tree straight from libyaml's events.
///
/// Yams' own composer builds `Node` values, resolves every scalar's tag with regular expressions and hashes whole
/// subtrees to find duplicate keys; profiling showed that was over 80% of loading the bundled library. Here
/// scalars stay text (readers interpret them), duplicate keys are found by their text, and aliases are expanded
/// by sharing the anchored value, charged to the node budget by its size.
struct YAMLComposer {
  struct Failure: Error {
    var message: String
    var position: Position
  }

  private enum Frame {
    case sequence(items: [YNode], position: Position, anchor: String?, size: Int)
    case mapping(pairs: [YNode.Pair], key: YNode?, seen: [String: Int], position: Position, anchor: String?, size: Int)
  }

  private let limits: YAMLParser.Limits
  private var budget: Int
  private var stack: [Frame] = []
  /// Anchored values and how many nodes each holds, so an alias costs what it expands to.
  private var anchors: [String: (node: YNode, size: Int)] = [:]
  private var root: YNode?
  private var documents = 0

  init(limits: YAMLParser.Limits) {
    self.limits = limits
    budget = limits.maxNodes
  }

  /// Parses `text` (UTF-8) into its single document's root; nil for an empty document.
  static func compose(_ text: String, limits: YAMLParser.Limits) throws -> YNode? {
    var composer = YAMLComposer(limits: limits)
    var buffer = text
    return try buffer.withUTF8 { bytes in
      var parser = yaml_parser_t()
      guard yaml_parser_initialize(&parser) == 1 else {
        throw Failure(message: "cannot parse YAML: out of memory", position: .start)
      }
      defer { yaml_parser_delete(&parser) }
      yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
      yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
      var event = yaml_event_t()
      while true {
        guard yaml_parser_parse(&parser, &event) == 1 else { throw failure(from: parser, text: text) }
        defer { yaml_event_delete(&event) }
        if event.type == YAML_STREAM_END_EVENT { return composer.root }
        try composer.handle(event)
      }
    }
  }

  private mutating func handle(_ event: yaml_event_t) throws {
    let position = Position(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
      documents += 1
      if documents > 1 {
        throw Failure(message: "YAML syntax: a second document (---) in one file; a file holds one document",
                      position: position)
      }
    case YAML_SCALAR_EVENT:
      let scalar = event.data.scalar
      let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
      let node = YNode(kind: .scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), position: position)
      try charge(1, at: position)
      if let anchor = Self.string(scalar.anchor) { anchors[anchor] = (node, 1) }
      try add(node, size: 1)
    case YAML_ALIAS_EVENT:
      let name = Self.string(event.data.alias.anchor) ?? ""
      guard let (node, size) = anchors[name] else {
        throw Failure(message: "YAML syntax: found undefined alias \"\(name)\"", position: position)
      }
      try charge(size, at: position)
      try add(node, size: size)
    case YAML_SEQUENCE_START_EVENT:
      try open(.sequence(items: [], position: position, anchor: Self.string(event.data.sequence_start.anchor),
                         size: 1), at: position)
    case YAML_MAPPING_START_EVENT:
      try open(.mapping(pairs: [], key: nil, seen: [:], position: position,
                        anchor: Self.string(event.data.mapping_start.anchor), size: 1), at: position)
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      let (node, anchor, size) = close()
      if let anchor { anchors[anchor] = (node, size) }
      try add(node, size: size)
    default:
      break  // stream start, document end
    }
  }

  private mutating func open(_ frame: Frame, at position: Position) throws {
    try charge(1, at: position)
    if stack.count >= limits.maxDepth {
      throw Failure(message: "nesting deeper than \(limits.maxDepth) levels", position: position)
    }
    stack.append(frame)
  }

  private mutating func close() -> (YNode, String?, Int) {
    switch stack.removeLast() {
    case .sequence(let items, let position, let anchor, let size):
      return (YNode(kind: .sequence(items), position: position), anchor, size)
    case .mapping(let pairs, _, _, let position, let anchor, let size):
      return (YNode(kind: .mapping(pairs), position: position), anchor, size)
    }
  }

  /// Adds a finished node to the collection being built, or makes it the root.
  private mutating func add(_ node: YNode, size: Int) throws {
    guard let top = stack.popLast() else {
      root = node
      return
    }
    switch top {
    case .sequence(var items, let position, let anchor, let total):
      items.append(node)
      stack.append(.sequence(items: items, position: position, anchor: anchor, size: total + size))
    case .mapping(var pairs, let key, var seen, let position, let anchor, let total):
      if let key {
        pairs.append(YNode.Pair(key: key, value: node))
        stack.append(.mapping(pairs: pairs, key: nil, seen: seen, position: position, anchor: anchor,
                              size: total + size))
        return
      }
      if let text = node.scalar {
        if let line = seen[text] {
          throw Failure(message: "duplicate key \"\(text.prefix(40))\" (first at line \(line))",
                        position: node.position)
        }
        seen[text] = node.position.line
      }
      stack.append(.mapping(pairs: pairs, key: node, seen: seen, position: position, anchor: anchor,
                            size: total + size))
    }
  }

  private mutating func charge(_ nodes: Int, at position: Position) throws {
    budget -= nodes
    if budget < 0 {
      throw Failure(
        message: "document expands to more than \(limits.maxNodes) nodes (too many aliases or values)",
        position: position)
    }
  }

  private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  /// libyaml's own message, at its position, worded as Yams worded it so existing messages stay the same.
  private static func failure(from parser: yaml_parser_t, text: String) -> Failure {
    let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
    switch parser.error {
    case YAML_READER_ERROR:
      let (line, column) = YAMLParser.lineAndColumn(ofByte: parser.problem_offset, in: text)
      return Failure(message: "cannot read text: \(problem)", position: Position(line: line, column: column))
    case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
      var message = "YAML syntax: \(problem)"
      if let context = parser.context { message += " \(String(cString: context))" }
      let mark = parser.problem_mark
      return Failure(message: message, position: Position(line: Int(mark.line) + 1, column: Int(mark.column) + 1))
    default:
      return Failure(message: "cannot parse YAML: out of memory", position: .start)
    }
  }
}
