import YAMLReading

/// A value a template case draws for each attempt: a whole number in a range, or one of a list of options.
public struct CaseParameter: Sendable {
  /// One of the values a `oneOf` parameter can take, with the fields a case can place with `{name.field}`.
  public struct Option: Sendable {
    /// What `{name}` shows and constraints test.
    public var value: String
    /// The option as written when it is a plain value (so `{name}` alone keeps its type); nil for a mapping.
    var node: YNode?
    public var fields: [String: YNode]
  }

  public enum Values: Sendable {
    case range(ClosedRange<Int>)
    case oneOf([Option])

    /// How many values there are.
    var count: Int {
      switch self {
      case .range(let range): range.count
      case .oneOf(let options): options.count
      }
    }
  }

  public var name: String
  public var values: Values
  /// The index of the value the case as written uses (without a seed).
  public var defaultIndex: Int
  public var position: Position

  /// The value at `index` as the text `{name}` shows.
  func text(at index: Int) -> String {
    switch values {
    case .range(let range): String(range.lowerBound + index)
    case .oneOf(let options): options[index].value
    }
  }

  /// Reads `parameters:`; diagnostics go to `bag`.
  static func readAll(_ node: YNode, bag: DiagnosticBag) -> [CaseParameter] {
    guard case .mapping(let pairs) = node.kind else {
      bag.error("expected a mapping of parameters, found \(node.describedKind)", at: node.position)
      return []
    }
    if pairs.isEmpty { bag.error("a template needs at least one parameter", at: node.position) }
    var parameters: [CaseParameter] = []
    for pair in pairs {
      guard let name = pair.key.scalar, Placeholder.isName(name) else {
        bag.error("a parameter name is lower-case letters, digits and hyphens, starting with a letter",
                  at: pair.key.position)
        continue
      }
      if name == "site" {
        bag.error("\"site\" is kept for a scripted event's {site}; name the parameter otherwise", at: pair.key.position)
        continue
      }
      if parameters.contains(where: { $0.name == name }) {
        bag.error("duplicate parameter \"\(name)\"", at: pair.key.position)
        continue
      }
      if let parameter = read(name, pair.value, bag: bag) { parameters.append(parameter) }
    }
    return parameters
  }

  private static func read(_ name: String, _ node: YNode, bag: DiagnosticBag) -> CaseParameter? {
    let context = "parameter \"\(name)\""
    guard let map = MappingReader(node, bag: bag, context: context, allowedKeys: ["range", "oneOf", "default"]) else {
      return nil
    }
    let values: Values
    switch (map.value("range"), map.value("oneOf")) {
    case (let range?, nil):
      let bounds = rangeBounds(range, context: context, bag: bag)
      guard let bounds else { return nil }
      values = .range(bounds)
    case (nil, let list?):
      guard case .sequence(let items) = list.kind, !items.isEmpty else {
        bag.error("\"oneOf\" in \(context) must be a list of at least one value", at: list.position)
        return nil
      }
      let options = items.compactMap { option($0, context: context, bag: bag) }
      guard options.count == items.count else { return nil }
      for (index, option) in options.enumerated() where options[..<index].contains(where: { $0.value == option.value }) {
        bag.error("\(context) lists \"\(option.value)\" twice", at: items[index].position)
      }
      // Every option has the same fields, so a `{name.field}` that works for one variant works for all.
      let fieldNames = Set(options.flatMap(\.fields.keys))
      for (index, option) in options.enumerated() {
        for missing in fieldNames.subtracting(option.fields.keys).sorted() {
          bag.error("option \"\(option.value)\" of \(context) lacks the field \"\(missing)\" other options have",
                    at: items[index].position)
        }
      }
      values = .oneOf(options)
    case (nil, nil):
      bag.error("\(context) needs \"range\" or \"oneOf\"", at: node.position)
      return nil
    case (_?, _?):
      bag.error("\(context) has both \"range\" and \"oneOf\"; give one", at: node.position)
      return nil
    }
    var parameter = CaseParameter(name: name, values: values, defaultIndex: 0, position: node.position)
    if let written = map.value("default") {
      let text = written.scalar ?? ""
      guard let index = (0..<values.count).first(where: { parameter.text(at: $0) == text }) else {
        bag.error("the default of \(context) must be one of its values, found \(written.describedKind)", at: written.position)
        return nil
      }
      parameter.defaultIndex = index
    }
    return parameter
  }

  private static func rangeBounds(_ node: YNode, context: String, bag: DiagnosticBag) -> ClosedRange<Int>? {
    guard case .sequence(let ends) = node.kind, ends.count == 2,
      let low = MappingReader.int(ends[0], field: "range", in: context, bag: bag)?.value,
      let high = MappingReader.int(ends[1], field: "range", in: context, bag: bag)?.value
    else {
      bag.error("\"range\" in \(context) must be two whole numbers, [lowest, highest]", at: node.position)
      return nil
    }
    guard low <= high else {
      bag.error("\"range\" in \(context) must start at its lowest value: [\(high), \(low)]?", at: node.position)
      return nil
    }
    return low...high
  }

  private static func option(_ node: YNode, context: String, bag: DiagnosticBag) -> Option? {
    switch node.kind {
    case .scalar(let text, _):
      return Option(value: text, node: node, fields: [:])
    case .sequence:
      bag.error("an option of \(context) must be a value or a mapping with \"value\", found a list", at: node.position)
      return nil
    case .mapping(let pairs):
      var value: String?
      var fields: [String: YNode] = [:]
      for pair in pairs {
        guard let key = pair.key.scalar else { continue }
        if key == "value" {
          value = pair.value.scalar
          if value == nil { bag.error("\"value\" in an option of \(context) must be text", at: pair.value.position) }
        } else if fields[key] != nil {
          bag.error("duplicate field \"\(key)\" in an option of \(context)", at: pair.key.position)
        } else {
          fields[key] = pair.value
        }
      }
      guard let value else {
        bag.error("an option of \(context) written as a mapping needs \"value\"", at: node.position)
        return nil
      }
      return Option(value: value, node: nil, fields: fields)
    }
  }
}
