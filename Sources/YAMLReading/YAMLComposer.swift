import CYAML

/// Builds a ``YNode`` tree straight from libyaml's events.
///
/// A general composer builds typed nodes, resolves every scalar's tag with regular expressions and hashes whole
/// subtrees to find duplicate keys; profiling showed that was over 80% of loading the bundled library. Here
/// scalars stay text (readers interpret them), duplicate keys are found by their text, and aliases are expanded
/// by sharing the anchored value, charged to the node budget by its size.
struct YAMLComposer {
  struct Failure: Error {
    var message: String
    var position: Position
  }

  /// A collection being built. One struct for both kinds, mutated in place on the stack, so adding a value
  /// never copies the values gathered so far.
  private struct Frame {
    var isMapping: Bool
    var position: Position
    var anchor: String?
    var items: [YNode] = []
    var pairs: [YNode.Pair] = []
    var key: YNode?
    /// Scalar keys seen so far, with their lines, to report duplicates.
    var seen: [String: Int] = [:]
    /// Nodes in this collection, itself included.
    var size = 1
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
      try open(Frame(isMapping: false, position: position, anchor: Self.string(event.data.sequence_start.anchor)))
    case YAML_MAPPING_START_EVENT:
      try open(Frame(isMapping: true, position: position, anchor: Self.string(event.data.mapping_start.anchor)))
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      let (node, anchor, size) = close()
      if let anchor { anchors[anchor] = (node, size) }
      try add(node, size: size)
    default:
      break  // stream start, document end
    }
  }

  private mutating func open(_ frame: Frame) throws {
    try charge(1, at: frame.position)
    if stack.count >= limits.maxDepth {
      throw Failure(message: "nesting deeper than \(limits.maxDepth) levels", position: frame.position)
    }
    stack.append(frame)
  }

  private mutating func close() -> (YNode, String?, Int) {
    let frame = stack.removeLast()
    let kind: YNode.Kind = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
    return (YNode(kind: kind, position: frame.position), frame.anchor, frame.size)
  }

  /// Adds a finished node to the collection being built, or makes it the root.
  private mutating func add(_ node: YNode, size: Int) throws {
    let top = stack.count - 1
    guard top >= 0 else {
      root = node
      return
    }
    stack[top].size += size
    guard stack[top].isMapping else {
      stack[top].items.append(node)
      return
    }
    if let key = stack[top].key {
      stack[top].pairs.append(YNode.Pair(key: key, value: node))
      stack[top].key = nil
      return
    }
    if let text = node.scalar {
      if let line = stack[top].seen.updateValue(node.position.line, forKey: text) {
        throw Failure(message: "duplicate key \"\(text.prefix(40))\" (first at line \(line))", position: node.position)
      }
    }
    stack[top].key = node
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

  /// libyaml's own message, at its position, worded as needlesim has always worded it.
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
