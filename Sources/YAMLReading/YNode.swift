/// A YAML node detached from the parser: plain values with their positions, safe to pass between threads.
public struct YNode: Sendable {
  /// One key and its value in a mapping.
  public struct Pair: Sendable {
    public var key: YNode
    public var value: YNode

    public init(key: YNode, value: YNode) {
      self.key = key
      self.value = value
    }
  }

  public enum Kind: Sendable {
    /// A scalar and whether it was written without quotes (only plain scalars can be numbers, booleans or null).
    case scalar(String, plain: Bool)
    case mapping([Pair])
    case sequence([YNode])
  }

  public var kind: Kind
  public var position: Position

  public init(kind: Kind, position: Position) {
    self.kind = kind
    self.position = position
  }

  /// The scalar text, if this is a scalar.
  public var scalar: String? {
    if case .scalar(let text, _) = kind { return text }
    return nil
  }

  /// True for `~`, `null` and an empty plain scalar.
  public var isNull: Bool {
    if case .scalar(let text, let plain) = kind, plain { return text.isEmpty || text == "~" || text == "null" }
    return false
  }

  /// What a reader calls this node in messages: "a mapping", "a list", "the text \"x\"".
  public var describedKind: String {
    switch kind {
    case .scalar(let text, _): return text.isEmpty ? "an empty value" : "\"\(text.prefix(40))\""
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    }
  }
}
