/// Reads a YAML mapping field by field, reporting unknown keys, missing fields and wrong types as
/// located diagnostics, and never stopping at the first problem.
public struct MappingReader {
  public let node: YNode
  public let bag: DiagnosticBag
  /// What the mapping is, for messages ("case", "site \"psoas\"").
  public let context: String
  private let pairs: [YNode.Pair]
  /// Keys that look like misspellings of allowed keys: the allowed key they suggest.
  private let misspelt: Set<String>

  /// Starts reading `node` as a mapping whose keys must be among `allowedKeys`; nil (with a diagnostic) if it isn't one.
  public init?(_ node: YNode, bag: DiagnosticBag, context: String, allowedKeys: [String]) {
    guard case .mapping(let pairs) = node.kind else {
      bag.error("expected a mapping for \(context), found \(node.describedKind)", at: node.position)
      return nil
    }
    self.node = node
    self.bag = bag
    self.context = context
    self.pairs = pairs
    var misspelt: Set<String> = []
    // Most mappings have a handful of keys, for which comparing with the earlier ones costs less than hashing.
    var seen = pairs.count > 16 ? Set<String>(minimumCapacity: pairs.count) : nil
    for (index, pair) in pairs.enumerated() {
      guard let key = pair.key.scalar else {
        bag.error("keys of \(context) must be plain words", at: pair.key.position)
        continue
      }
      let repeated = seen.map { $0.contains(key) } ?? pairs[..<index].contains { $0.key.scalar == key }
      seen?.insert(key)
      if repeated {
        bag.error("duplicate key \"\(key)\" in \(context)", at: pair.key.position)
      }
      if !allowedKeys.contains(key) {
        bag.error(
          "unknown key \"\(key)\" in \(context)\(Suggestions.hint(for: key, in: allowedKeys))",
          at: pair.key.position)
        if let guess = Suggestions.closest(to: key, in: allowedKeys) { misspelt.insert(guess) }
      }
    }
    self.misspelt = misspelt
  }

  /// The keys present, in file order.
  public var keys: [String] { pairs.compactMap(\.key.scalar) }

  /// The value node for `key`, or nil when absent or null. Reports a missing required key at the mapping.
  public func value(_ key: String, required: Bool = false) -> YNode? {
    if let pair = pairs.first(where: { $0.key.scalar == key }), !pair.value.isNull { return pair.value }
    // A misspelt key has already been reported with the right spelling; do not report it missing too.
    if required, !misspelt.contains(key) {
      bag.error("missing required field \"\(key)\" in \(context)", at: node.position)
    }
    return nil
  }

  /// The position of `key` itself, for messages about the field as a whole.
  public func keyPosition(_ key: String) -> Position? {
    pairs.first(where: { $0.key.scalar == key })?.key.position
  }

  public func string(_ key: String, required: Bool = false) -> Located<String>? {
    guard let node = value(key, required: required) else { return nil }
    return Self.string(node, field: key, in: context, bag: bag)
  }

  public func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Located<Int>? {
    guard let node = value(key, required: required) else { return nil }
    guard let number = Self.int(node, field: key, in: context, bag: bag)?.value else { return nil }
    if let range, !range.contains(number) {
      bag.error(
        "\"\(key)\" in \(context) must be between \(range.lowerBound) and \(range.upperBound), found \(number)",
        at: node.position)
      return nil
    }
    return Located(number, at: node.position)
  }

  public func double(_ key: String, required: Bool = false, range: ClosedRange<Double>? = nil) -> Located<Double>? {
    guard let node = value(key, required: required) else { return nil }
    guard case .scalar(let text, let plain) = node.kind, plain, let number = Double(text), number.isFinite else {
      bag.error("\"\(key)\" in \(context) must be a number, found \(node.describedKind)", at: node.position)
      return nil
    }
    if let range, !range.contains(number) {
      bag.error(
        "\"\(key)\" in \(context) must be between \(range.lowerBound) and \(range.upperBound)", at: node.position)
      return nil
    }
    return Located(number, at: node.position)
  }

  public func bool(_ key: String) -> Located<Bool>? {
    guard let node = value(key) else { return nil }
    return Self.bool(node, field: key, in: context, bag: bag)
  }

  /// A list of strings; a single scalar is accepted as a one-element list.
  public func strings(_ key: String, required: Bool = false) -> [Located<String>] {
    guard let node = value(key, required: required) else { return [] }
    return Self.strings(node, field: key, in: context, bag: bag)
  }

  /// The items of a list (a single non-list value is reported).
  public func list(_ key: String, required: Bool = false) -> [YNode] {
    guard let node = value(key, required: required) else { return [] }
    guard case .sequence(let items) = node.kind else {
      bag.error("\"\(key)\" in \(context) must be a list, found \(node.describedKind)", at: node.position)
      return []
    }
    return items
  }

  public func mapping(_ key: String, required: Bool = false, context nested: String, allowedKeys: [String])
    -> MappingReader?
  {
    guard let node = value(key, required: required) else { return nil }
    return MappingReader(node, bag: bag, context: nested, allowedKeys: allowedKeys)
  }

  // MARK: Scalars outside a mapping

  public static func string(_ node: YNode, field: String, in context: String, bag: DiagnosticBag) -> Located<String>? {
    guard case .scalar(let text, _) = node.kind else {
      bag.error("\"\(field)\" in \(context) must be text, found \(node.describedKind)", at: node.position)
      return nil
    }
    return Located(text, at: node.position)
  }

  public static func int(_ node: YNode, field: String, in context: String, bag: DiagnosticBag) -> Located<Int>? {
    guard case .scalar(let text, let plain) = node.kind, plain, let number = Int(text) else {
      bag.error("\"\(field)\" in \(context) must be a whole number, found \(node.describedKind)", at: node.position)
      return nil
    }
    return Located(number, at: node.position)
  }

  public static func bool(_ node: YNode, field: String, in context: String, bag: DiagnosticBag) -> Located<Bool>? {
    if case .scalar(let text, true) = node.kind {
      switch text {
      case "true", "True", "TRUE": return Located(true, at: node.position)
      case "false", "False", "FALSE": return Located(false, at: node.position)
      default: break
      }
    }
    bag.error("\"\(field)\" in \(context) must be true or false, found \(node.describedKind)", at: node.position)
    return nil
  }

  public static func strings(_ node: YNode, field: String, in context: String, bag: DiagnosticBag)
    -> [Located<String>]
  {
    switch node.kind {
    case .scalar(let text, _): return [Located(text, at: node.position)]
    case .sequence(let items):
      return items.compactMap { string($0, field: field, in: context, bag: bag) }
    case .mapping:
      bag.error("\"\(field)\" in \(context) must be a list of words, found a mapping", at: node.position)
      return []
    }
  }
}
