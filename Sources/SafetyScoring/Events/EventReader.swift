import YAMLReading
import ScenarioKit

/// Reads `Scoring/events.yaml`: the response actions, then each event with its likelihood and response rules.
struct EventReader {
  let bag: DiagnosticBag
  let catalog: Catalog
  let policies: [String]

  static let eventKeys = [
    "id", "name", "moment", "tier", "at", "when", "signs", "likelihood", "refs", "sources", "expect", "unsafe",
  ]

  func read(_ node: YNode) -> EventCatalogue? {
    guard let m = MappingReader(node, bag: bag, context: "events file", allowedKeys: ["actions", "events"]) else {
      return nil
    }
    var entries: [CodeEntry] = []
    var descriptions: [String: String] = [:]
    for item in m.list("actions", required: true) {
      guard let a = MappingReader(item, bag: bag, context: "action", allowedKeys: ["id", "label", "description"]),
        let id = a.string("id", required: true)
      else { continue }
      if !CatalogLoader.isCode(id.value) { bag.error("action id \"\(id.value)\" must be kebab-case", at: id.position) }
      if entries.contains(where: { $0.id == id.value }) { bag.error("duplicate action \"\(id.value)\"", at: id.position) }
      entries.append(CodeEntry(id: id.value, label: a.string("label", required: true)?.value ?? id.value))
      descriptions[id.value] = a.string("description", required: true)?.value
    }
    let actions = CodeList(kind: "response action", entries: entries)
    var events: [ClinicalEvent] = []
    for item in m.list("events", required: true) {
      guard let event = readEvent(item, actions: actions) else { continue }
      if events.contains(where: { $0.id == event.id }) {
        bag.error("duplicate event \"\(event.id)\"", at: item.position)
        continue
      }
      events.append(event)
    }
    return EventCatalogue(actions: actions, actionDescriptions: descriptions, events: events)
  }

  private func readEvent(_ node: YNode, actions: CodeList) -> ClinicalEvent? {
    guard let m = MappingReader(node, bag: bag, context: "event", allowedKeys: Self.eventKeys),
      let id = m.string("id", required: true)
    else { return nil }
    if !CatalogLoader.isCode(id.value) { bag.error("event id \"\(id.value)\" must be kebab-case", at: id.position) }
    var rules = RuleReader(bag: bag, catalog: catalog, policies: policies)
    rules.forEvents = true
    let name = m.string("name", required: true)
    let momentText = m.string("moment", required: true)
    let moment = momentText.flatMap { EventMoment(rawValue: $0.value) }
    if let momentText, moment == nil {
      let moments = EventMoment.allCases.map(\.rawValue)
      bag.error("moment must be \(moments.joined(separator: ", "))\(Suggestions.hint(for: momentText.value, in: moments))",
                at: momentText.position)
    }
    let tier = m.int("tier", required: true, range: 0...3)
    let at = m.value("at").flatMap { rules.readSelector($0) }
    let when = m.value("when").map { rules.readCondition($0) } ?? .always
    let signs = m.string("signs", required: true)
    let refs = m.strings("refs", required: true)
    for ref in refs { catalog.checkReference(ref, bag: bag) }
    let sources = m.strings("sources", required: true)
    for source in sources { catalog.checkSource(source, bag: bag) }
    let likelihood = m.mapping(
      "likelihood", required: true, context: "likelihood", allowedKeys: ["teaching", "real", "sources", "factors"]
    ).flatMap { readLikelihood($0, rules: rules) }
    let eventSources = sources.map(\.value)
    let expect = m.list("expect", required: true).compactMap {
      readResponse($0, event: id.value, actions: actions, defaultSources: eventSources, rules: rules)
    }
    let unsafeRules = m.list("unsafe").compactMap {
      readResponse($0, event: id.value, actions: actions, defaultSources: eventSources, rules: rules)
    }
    if m.value("expect") != nil, expect.isEmpty {
      bag.error("event \"\(id.value)\" needs at least one expected response", at: m.keyPosition("expect") ?? node.position)
    }
    for rule in unsafeRules where expect.contains(where: { $0.action == rule.action }) {
      bag.error("action \"\(rule.action)\" is both expected and unsafe in event \"\(id.value)\"", at: node.position)
    }
    guard let name, let moment, let tier, let when, let signs, let likelihood else { return nil }
    return ClinicalEvent(
      id: id.value, name: name.value, moment: moment, tier: tier.value, at: at, when: when, signs: signs.value,
      likelihood: likelihood, refs: refs.map(\.value), sources: eventSources, expect: expect, unsafeResponses: unsafeRules)
  }

  private func readLikelihood(_ m: MappingReader, rules: RuleReader) -> Likelihood? {
    let teaching = m.double("teaching", required: true, range: 0...1)
    if let teaching, teaching.value == 0 {
      bag.error("a teaching likelihood of 0 means the event never happens; remove it or give a chance", at: teaching.position)
    }
    let real = m.string("real", required: true)
    let sources = m.strings("sources")
    for source in sources { catalog.checkSource(source, bag: bag) }
    var factors: [LikelihoodFactor] = []
    for item in m.list("factors") {
      guard let f = MappingReader(item, bag: bag, context: "likelihood factor", allowedKeys: ["when", "times", "basis"]),
        let whenNode = f.value("when", required: true), let when = rules.readCondition(whenNode),
        let times = f.double("times", required: true, range: 0.01...100), let basis = f.string("basis", required: true)
      else { continue }
      factors.append(LikelihoodFactor(when: when, times: times.value, basis: basis.value))
    }
    guard let teaching, let real else { return nil }
    return Likelihood(teaching: teaching.value, real: real.value, sources: sources.map(\.value), factors: factors)
  }

  private func readResponse(
    _ node: YNode, event: String, actions: CodeList, defaultSources: [String], rules: RuleReader
  ) -> ResponseRule? {
    guard
      let m = MappingReader(
        node, bag: bag, context: "response", allowedKeys: ["action", "severity", "explanation", "sources"]),
      let action = m.string("action", required: true)
    else { return nil }
    let known = actions.check(action, bag: bag)
    let severityText = m.string("severity", required: true)
    var severity = rules.readSeverity(severityText)
    let explanation = m.string("explanation", required: true)
    let sources = m.value("sources") == nil ? defaultSources : m.strings("sources").map(\.value)
    for source in m.strings("sources") { catalog.checkSource(source, bag: bag) }
    // Expert consensus alone never costs more than the minor weight, as for rules.
    if let given = severity, given > .minor, sources.allSatisfy({ catalog.source($0)?.evidence == "L" }) {
      bag.warning("response \"\(event)/\(action.value)\" rests only on low-authority [L] sources (expert consensus): "
                  + "it is scored as minor", at: severityText?.position ?? action.position)
      severity = .minor
    }
    guard known, let severity, let explanation else { return nil }
    return ResponseRule(
      id: "\(event)/\(action.value)", action: action.value, severity: severity, explanation: explanation.value,
      sources: sources)
  }
}
