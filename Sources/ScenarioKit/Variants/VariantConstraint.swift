import YAMLReading

/// A rule between parameters: when every `if` test holds, every `then` test must hold too.
public struct VariantConstraint: Sendable {
  /// A test on one parameter's drawn value.
  public struct Test: Sendable {
    public enum Match: Sendable {
      /// The value is one of these.
      case oneOf([String])
      /// The value is a whole number within these bounds.
      case bounds(min: Int?, max: Int?)
    }
    public var parameter: String
    public var match: Match

    func holds(_ values: [String: String]) -> Bool {
      guard let value = values[parameter] else { return false }
      switch match {
      case .oneOf(let allowed): return allowed.contains(value)
      case .bounds(let low, let high):
        guard let number = Int(value) else { return false }
        return (low.map { number >= $0 } ?? true) && (high.map { number <= $0 } ?? true)
      }
    }
  }

  public var conditions: [Test]
  public var requirements: [Test]
  public var position: Position

  /// Whether drawn `values` (parameter → the text of its value) satisfy this constraint.
  func holds(_ values: [String: String]) -> Bool {
    !conditions.allSatisfy { $0.holds(values) } || requirements.allSatisfy { $0.holds(values) }
  }

  /// Reads `constraints:` against the declared `parameters`.
  static func readAll(_ node: YNode, parameters: [CaseParameter], bag: DiagnosticBag) -> [VariantConstraint] {
    guard case .sequence(let items) = node.kind else {
      bag.error("\"constraints\" must be a list of {if, then}, found \(node.describedKind)", at: node.position)
      return []
    }
    return items.compactMap { item in
      guard let map = MappingReader(item, bag: bag, context: "constraint", allowedKeys: ["if", "then"]),
        let conditions = map.value("if", required: true).map({ tests($0, parameters: parameters, bag: bag) }),
        let requirements = map.value("then", required: true).map({ tests($0, parameters: parameters, bag: bag) })
      else { return nil }
      return VariantConstraint(conditions: conditions, requirements: requirements, position: item.position)
    }
  }

  private static func tests(_ node: YNode, parameters: [CaseParameter], bag: DiagnosticBag) -> [Test] {
    guard case .mapping(let pairs) = node.kind else {
      bag.error("a constraint's tests are a mapping of parameter to value, found \(node.describedKind)", at: node.position)
      return []
    }
    return pairs.compactMap { pair in
      guard let name = pair.key.scalar, let parameter = parameters.first(where: { $0.name == name }) else {
        let name = pair.key.scalar ?? ""
        bag.error("unknown parameter \"\(name)\"\(Suggestions.hint(for: name, in: parameters.map(\.name)))",
                  at: pair.key.position)
        return nil
      }
      let known = (0..<parameter.values.count).map(parameter.text(at:))
      switch pair.value.kind {
      case .scalar(let text, _):
        return check(Test(parameter: name, match: .oneOf([text])), [pair.value], known: known, bag: bag)
      case .sequence(let items):
        return check(Test(parameter: name, match: .oneOf(items.map { $0.scalar ?? "" })), items, known: known, bag: bag)
      case .mapping:
        guard case .range = parameter.values,
          let bounds = MappingReader(pair.value, bag: bag, context: "bounds of \"\(name)\"", allowedKeys: ["min", "max"])
        else {
          bag.error("only a range parameter takes {min, max}; give a value or a list for \"\(name)\"", at: pair.value.position)
          return nil
        }
        return Test(parameter: name, match: .bounds(min: bounds.int("min")?.value, max: bounds.int("max")?.value))
      }
    }
  }

  /// The test, unless it names a value the parameter cannot take (reported).
  private static func check(_ test: Test, _ nodes: [YNode], known: [String], bag: DiagnosticBag) -> Test? {
    guard case .oneOf(let values) = test.match else { return test }
    var ok = true
    for (value, node) in zip(values, nodes) where !known.contains(value) {
      bag.error("\"\(test.parameter)\" never takes the value \"\(value)\"\(Suggestions.hint(for: value, in: known))",
                at: node.position)
      ok = false
    }
    return ok ? test : nil
  }
}
