import YAMLReading

/// A case that declares `parameters`: its tree as written, from which each variant is read with drawn values.
public struct CaseTemplate: Sendable {
  public var parameters: [CaseParameter]
  public var constraints: [VariantConstraint]
  let root: YNode
  let catalog: Catalog
  let path: String
  let revision: String
  let caseID: String

  /// How many times a draw that breaks a constraint is drawn again before the template is reported.
  static let maxRedraws = 1000

  /// How many variants there are before constraints (a product of the parameters' sizes, capped).
  public var size: Int {
    parameters.reduce(1) { product, parameter in product.multipliedReportingOverflow(by: parameter.values.count).overflow
      ? .max : product * parameter.values.count }
  }

  /// The indexes of each parameter's value for `seed`, or the defaults without one; nil when no draw satisfies the
  /// constraints.
  func draw(seed: Int?) -> [Int]? {
    guard let seed else {
      let defaults = parameters.map(\.defaultIndex)
      return satisfies(defaults) ? defaults : nil
    }
    var random = SeededRandom(seed: UInt64(truncatingIfNeeded: seed), streams: [caseID, "variant"])
    for _ in 0..<Self.maxRedraws {
      let indexes = parameters.map { random.index(below: $0.values.count) }
      if satisfies(indexes) { return indexes }
    }
    return nil
  }

  private func satisfies(_ indexes: [Int]) -> Bool {
    let texts = Dictionary(uniqueKeysWithValues: zip(parameters, indexes).map { ($0.name, $0.text(at: $1)) })
    return constraints.allSatisfy { $0.holds(texts) }
  }

  /// The values drawn for `seed`, in the order the parameters are declared.
  public func values(seed: Int?) -> [VariantValue]? {
    draw(seed: seed).map { indexes in zip(parameters, indexes).map { VariantValue(name: $0.name, value: $0.text(at: $1)) } }
  }

  /// The variant for `seed` (the case as written when nil), read like any case; nil with diagnostics when it fails.
  public func variant(seed: Int?) -> (Case?, [Diagnostic]) {
    let bag = DiagnosticBag(path: path)
    let scenario = read(seed: seed, bag: bag)
    return (bag.hasErrors ? nil : scenario, bag.diagnostics)
  }

  func read(seed: Int?, bag: DiagnosticBag) -> Case? {
    guard let indexes = draw(seed: seed) else {
      bag.error(
        seed == nil
          ? "the parameters' defaults break a constraint"
          : "no values satisfy the constraints (seed \(seed!), \(Self.maxRedraws) draws)",
        at: parameters.first?.position ?? root.position)
      return nil
    }
    var values: [String: TemplateExpansion.Value] = [:]
    for (parameter, index) in zip(parameters, indexes) {
      let text = parameter.text(at: index)
      switch parameter.values {
      case .range:
        values[parameter.name] = .init(node: YNode(kind: .scalar(text, plain: true), position: parameter.position),
                                       text: text, fields: [:])
      case .oneOf(let options):
        let option = options[index]
        values[parameter.name] = .init(
          node: option.node ?? YNode(kind: .scalar(text, plain: true), position: parameter.position), text: text,
          fields: option.fields)
      }
    }
    let expanded = TemplateExpansion(values: values, bag: bag).expandDocument(root)
    guard var scenario = CaseReader.readCase(expanded, bag: bag, catalog: catalog, path: path, revision: revision) else {
      return nil
    }
    // The case's own unsafe plans are plans for this variant: they carry its seed (with the events they had).
    for index in scenario.unsafePlans.indices where seed != nil {
      scenario.unsafePlans[index].plan.eventMode = scenario.unsafePlans[index].plan.effectiveEventMode
      scenario.unsafePlans[index].plan.seed = seed
    }
    scenario.template = self
    scenario.variant = Variant(
      seed: seed, values: zip(parameters, indexes).map { VariantValue(name: $0.name, value: $0.text(at: $1)) })
    return scenario
  }
}

extension Case {
  /// The variant a plan with `seed` is graded on: for a template, the one the seed draws (as written without one);
  /// any other case is the same whatever the seed. Nil, with diagnostics, when the variant cannot be read.
  public func variant(seed: Int?) -> (Case?, [Diagnostic]) {
    guard let template, variant?.seed != seed else { return (self, []) }
    return template.variant(seed: seed)
  }
}
