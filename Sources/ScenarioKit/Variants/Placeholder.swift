import YAMLReading

/// `{name}` or `{name.field}` in a template case's text.
struct Placeholder: Equatable {
  var name: String
  var field: String?

  /// A parameter name: lower-case letters, digits and hyphens, starting with a letter.
  static func isName(_ text: Substring) -> Bool {
    guard let first = text.first, first.isASCII, first.isLowercase else { return false }
    return text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
  }

  static func isName(_ text: String) -> Bool { isName(Substring(text)) }

  /// Reads `name` or `name.field` (the text between the braces).
  init?(_ inner: Substring) {
    let parts = inner.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    guard Self.isName(parts[0]) else { return nil }
    if parts.count == 2 {
      guard let first = parts[1].first, first.isLetter,
        parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
      else { return nil }
      field = String(parts[1])
    }
    name = String(parts[0])
  }

  /// The placeholder a whole scalar is, if it is one and nothing else: `{side}` (quoted in the file).
  static func whole(_ text: String) -> Placeholder? {
    guard text.hasPrefix("{"), text.hasSuffix("}"), !text.hasPrefix("{{"), text.count > 2 else { return nil }
    let inner = text.dropFirst().dropLast()
    guard !inner.contains("{"), !inner.contains("}") else { return nil }
    return Placeholder(inner)
  }

  /// The placeholder a bare `{side}` in YAML is: a flow mapping of one key with no value.
  static func bare(_ node: YNode) -> Placeholder? {
    guard case .mapping(let pairs) = node.kind, pairs.count == 1, pairs[0].value.isNull,
      let key = pairs[0].key.scalar
    else { return nil }
    return Placeholder(Substring(key))
  }
}
