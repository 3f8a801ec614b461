import YAMLReading
import Foundation
import ScenarioKit

/// Reads rules from YAML, checking the condition language and every code with located diagnostics.
struct RuleReader {
  let bag: DiagnosticBag
  let catalog: Catalog
  let policies: [String]
  /// Reading an event's conditions: they may look at the chosen precautions and at how each site is needled.
  var forEvents = false

  static let ruleKeys = [
    "id", "title", "refs", "sources", "severity", "advisory", "when", "expect", "explanation", "disputed",
    "policies",
  ]
  static let conditionKeys = [
    "all", "any", "not", "always", "condition", "medication", "allergy", "skin", "reaction", "redFlag", "anxiety",
    "needleFear", "sex", "age", "pregnancyWeeks", "hoursSinceMeal", "pregnant", "previousNeedling", "consent",
    "practitioner", "chosenSite", "thoraxBothSides", "minor", "build", "siteCount", "precautionChosen",
  ]
  static let selectorKeys = [
    "site", "region", "area", "hazard", "thorax", "compressible", "deep", "advanced", "pregnancyCaution", "outsideTraining", "near",
    "any", "position", "approach", "needle", "needleBeyondLimit",
  ]

  /// Reads a `rules:` file.
  func readFile(_ node: YNode, path: String) -> [Rule] {
    guard let map = MappingReader(node, bag: bag, context: "rules file", allowedKeys: ["rules"]) else { return [] }
    return map.list("rules", required: true).compactMap { readRule($0, path: path) }
  }

  func readRule(_ node: YNode, path: String) -> Rule? {
    guard let m = MappingReader(node, bag: bag, context: "rule", allowedKeys: Self.ruleKeys),
      let id = m.string("id", required: true)
    else { return nil }
    if !CatalogLoader.isCode(id.value) { bag.error("rule id \"\(id.value)\" must be kebab-case", at: id.position) }
    let title = m.string("title", required: true)
    let refs = m.strings("refs", required: true)
    for ref in refs { catalog.checkReference(ref, bag: bag) }
    let advisory = m.bool("advisory")?.value ?? false
    let sources = m.strings("sources", required: !advisory)
    for source in sources { catalog.checkSource(source, bag: bag) }
    if !advisory, m.value("sources") != nil, sources.isEmpty {
      bag.error("rule \"\(id.value)\" must cite at least one source", at: m.keyPosition("sources") ?? node.position)
    }
    let severity = readSeverity(m.string("severity", required: true))
    let whenNode = m.value("when", required: true)
    let when = whenNode.flatMap { readCondition($0) }
    let expectNode = m.value("expect", required: true)
    let expect = expectNode.flatMap { readExpectation($0, ruleID: id.value) }
    let explanation = m.string("explanation", required: true)
    if let explanation, explanation.value.allSatisfy(\.isWhitespace) {
      bag.error("rule \"\(id.value)\" needs an explanation a student can learn from", at: explanation.position)
    }
    var disputed: Disputed?
    if let d = m.mapping("disputed", context: "disputed", allowedKeys: ["id", "alternative"]),
      let did = d.string("id", required: true), let alternative = d.string("alternative", required: true)
    {
      catalog.checkReference(did, bag: bag)
      disputed = Disputed(id: did.value, alternative: alternative.value)
    }
    var overrides: [String: PolicyOverride] = [:]
    if let p = m.mapping("policies", context: "policies", allowedKeys: policies) {
      for policy in p.keys where policies.contains(policy) {
        guard let o = p.mapping(
          policy, context: "policy \"\(policy)\"", allowedKeys: ["severity", "expect", "enabled"])
        else { continue }
        overrides[policy] = PolicyOverride(
          severity: o.string("severity").flatMap { readSeverity($0) },
          expect: o.value("expect").flatMap { readExpectation($0, ruleID: id.value) },
          enabled: o.bool("enabled")?.value)
      }
    }
    guard let title, let severity, let when, let expect, let explanation else { return nil }
    if when.dependsOnPlan, expect.decision != nil || !expect.forbid.isEmpty || !expect.caution.isEmpty
      || expect.maxThoraxSides != nil
    {
      bag.error(
        "rule \"\(id.value)\" looks at the chosen sites, so it may only expect screening and precautions",
        at: expectNode?.position ?? node.position)
    }
    for (policy, override) in overrides {
      if let e = override.expect, when.dependsOnPlan, e.decision != nil || !e.forbid.isEmpty {
        bag.error("policy \"\(policy)\" of rule \"\(id.value)\" expects a decision or sites from a plan-dependent rule",
                  at: node.position)
      }
    }
    if disputed == nil, !overrides.isEmpty {
      bag.warning("rule \"\(id.value)\" varies by policy but is not marked disputed", at: id.position)
    }
    if advisory, expect.decision != nil || !expect.required.isEmpty || !expect.forbid.isEmpty {
      bag.error("advisory rule \"\(id.value)\" may only recommend", at: id.position)
    }
    return Rule(
      id: id.value, title: title.value, refs: refs.map(\.value), sources: sources.map(\.value), severity: severity,
      advisory: advisory, when: when, expect: expect, explanation: explanation.value, disputed: disputed,
      policies: overrides, path: path, position: node.position)
  }

  func readSeverity(_ text: Located<String>?) -> Severity? {
    guard let text else { return nil }
    if let severity = Severity(rawValue: text.value) { return severity }
    bag.error(
      "severity must be critical, major or minor\(Suggestions.hint(for: text.value, in: Severity.allCases.map(\.rawValue)))",
      at: text.position)
    return nil
  }

  // MARK: Conditions

  func readCondition(_ node: YNode) -> Condition? {
    guard case .mapping(let pairs) = node.kind else {
      bag.error("a condition is a mapping with one key, such as {condition: diabetes}", at: node.position)
      return nil
    }
    guard pairs.count == 1, let pair = pairs.first, let key = pair.key.scalar else {
      bag.error(
        "a condition has exactly one key; combine several with all: [...] or any: [...]", at: node.position)
      return nil
    }
    let value = pair.value
    let at = pair.key.position
    let vocabulary = catalog.vocabulary
    switch key {
    case "always":
      if let flag = MappingReader.bool(value, field: key, in: "condition", bag: bag), !flag.value {
        bag.error("use always: true (a rule that never applies is dead)", at: value.position)
      }
      return .always
    case "all", "any":
      guard case .sequence(let items) = value.kind, !items.isEmpty else {
        bag.error("\(key) takes a non-empty list of conditions", at: value.position)
        return nil
      }
      let conditions = items.compactMap { readCondition($0) }
      guard conditions.count == items.count else { return nil }
      return key == "all" ? .all(conditions) : .any(conditions)
    case "not":
      return readCondition(value).map { .not($0) }
    case "condition": return codes(value, key, vocabulary.conditions).map { .condition($0) }
    case "medication": return codes(value, key, vocabulary.medicationClasses).map { .medication($0) }
    case "allergy": return codes(value, key, vocabulary.allergyKinds).map { .allergy($0) }
    case "skin": return codes(value, key, vocabulary.skinFindings).map { .skin($0) }
    case "reaction": return codes(value, key, vocabulary.reactionKinds).map { .reaction($0) }
    case "redFlag":
      if value.scalar == "any" { return .redFlag(nil) }
      return codes(value, key, vocabulary.redFlags).map { .redFlag($0) }
    case "anxiety": return codes(value, key, vocabulary.anxietyLevels).map { .anxiety($0) }
    case "needleFear": return codes(value, key, vocabulary.needleFearLevels).map { .needleFear($0) }
    case "sex": return codes(value, key, vocabulary.sexes).map { .sex($0) }
    case "age": return numberTest(value, key).map { .age($0) }
    case "pregnancyWeeks": return numberTest(value, key).map { .pregnancyWeeks($0) }
    case "hoursSinceMeal": return numberTest(value, key).map { .hoursSinceMeal($0) }
    case "pregnant":
      return MappingReader.bool(value, field: key, in: "condition", bag: bag).map { .pregnant($0.value) }
    case "previousNeedling":
      return MappingReader.bool(value, field: key, in: "condition", bag: bag).map { .previousNeedling($0.value) }
    case "thoraxBothSides":
      return MappingReader.bool(value, field: key, in: "condition", bag: bag).map { .thoraxBothSides($0.value) }
    case "consent":
      guard
        let m = MappingReader(
          value, bag: bag, context: "consent test",
          allowedKeys: ["willing", "capacity", "interpreterNeeded", "interpreterAvailable", "guardianConsent", "assent"])
      else { return nil }
      var test = ConsentTest()
      test.willing = m.bool("willing")?.value
      if let v = m.value("capacity") { test.capacity = codes(v, "capacity", vocabulary.capacityLevels) }
      test.interpreterNeeded = m.bool("interpreterNeeded")?.value
      test.interpreterAvailable = m.bool("interpreterAvailable")?.value
      test.guardianConsent = m.bool("guardianConsent")?.value
      test.assent = m.bool("assent")?.value
      return .consent(test)
    case "practitioner":
      guard
        let m = MappingReader(
          value, bag: bag, context: "practitioner test",
          allowedKeys: ["authorised", "paediatric", "restricted", "level"])
      else { return nil }
      var levels: Set<String>?
      if let node = m.value("level") {
        guard let set = codes(node, "level", catalog.vocabulary.practitionerLevels) else { return nil }
        levels = set
      }
      return .practitioner(
        PractitionerTest(
          authorised: m.bool("authorised")?.value, paediatric: m.bool("paediatric")?.value,
          restricted: m.bool("restricted")?.value, level: levels))
    case "minor":
      return MappingReader.bool(value, field: key, in: "condition", bag: bag).map { .minor($0.value) }
    case "chosenSite":
      return readSelector(value).map { .chosenSite($0) }
    case "build":
      return codes(value, key, CodeList(kind: "build", entries: Build.allCases.map { CodeEntry(id: $0.rawValue, label: $0.rawValue) }))
        .map { .build($0) }
    case "siteCount": return numberTest(value, key).map { .siteCount($0) }
    case "precautionChosen":
      guard forEvents else {
        bag.error("precautionChosen is for event likelihoods; a rule expects precautions instead", at: at)
        return nil
      }
      let ids = MappingReader.strings(value, field: key, in: "condition", bag: bag)
      guard !ids.isEmpty, ids.allSatisfy({ catalog.checkPrecaution($0, bag: bag) }) else { return nil }
      return .precautionChosen(Set(ids.map(\.value)))
    default:
      bag.error("unknown condition \"\(key)\"\(Suggestions.hint(for: key, in: Self.conditionKeys))", at: at)
      return nil
    }
  }

  private func codes(_ node: YNode, _ field: String, _ list: CodeList) -> Set<String>? {
    let values = MappingReader.strings(node, field: field, in: "condition", bag: bag)
    guard !values.isEmpty else {
      bag.error("\(field) needs at least one \(list.kind)", at: node.position)
      return nil
    }
    let valid = values.filter { list.check($0, bag: bag) }
    return valid.count == values.count ? Set(values.map(\.value)) : nil
  }

  private func numberTest(_ node: YNode, _ field: String) -> NumberTest? {
    guard
      let m = MappingReader(
        node, bag: bag, context: "\(field) comparison", allowedKeys: ["lt", "lte", "gt", "gte", "eq"])
    else { return nil }
    let test = NumberTest(
      lt: m.double("lt")?.value, lte: m.double("lte")?.value, gt: m.double("gt")?.value,
      gte: m.double("gte")?.value, eq: m.double("eq")?.value)
    if test == NumberTest() {
      bag.error("\(field) needs a comparison such as {lt: 18}", at: node.position)
      return nil
    }
    return test
  }

  // MARK: Site selectors

  func readSelector(_ node: YNode) -> SiteSelector? {
    guard let m = MappingReader(node, bag: bag, context: "site selector", allowedKeys: Self.selectorKeys) else {
      return nil
    }
    let vocabulary = catalog.vocabulary
    var selector = SiteSelector()
    var ok = true
    if m.value("site") != nil {
      let ids = m.strings("site")
      for id in ids where catalog.checkSite(id, bag: bag) == nil { ok = false }
      selector.sites = Set(ids.map(\.value))
    }
    func codeSet(_ key: String, _ list: CodeList) -> Set<String>? {
      guard m.value(key) != nil else { return nil }
      let values = m.strings(key)
      for value in values where !list.check(value, bag: bag) { ok = false }
      return Set(values.map(\.value))
    }
    selector.regions = codeSet("region", vocabulary.regions)
    selector.areas = codeSet("area", vocabulary.areas)
    selector.hazards = codeSet("hazard", vocabulary.hazards)
    selector.thorax = m.bool("thorax")?.value
    selector.compressible = m.bool("compressible")?.value
    selector.deep = m.bool("deep")?.value
    selector.advanced = m.bool("advanced")?.value
    selector.pregnancyCaution = m.bool("pregnancyCaution")?.value
    selector.outsideTraining = m.bool("outsideTraining")?.value
    selector.any = m.bool("any")?.value ?? false
    selector.positions = codeSet("position", vocabulary.positions)
    selector.approaches = codeSet("approach", vocabulary.approaches)
    if let node = m.value("needle") { selector.needle = numberTest(node, "needle") }
    selector.needleBeyondLimit = m.bool("needleBeyondLimit")?.value
    if selector.looksAtChoice, !forEvents {
      bag.error("position, approach, needle and needleBeyondLimit select how a site is needled, which only an event's "
                + "likelihood looks at; rules judge technique with `technique:`", at: node.position)
      ok = false
    }
    if let near = m.mapping("near", context: "near", allowedKeys: ["condition", "skin", "quadrant"]) {
      if near.bool("quadrant")?.value == true {
        selector.quadrants = Dictionary(
          vocabulary.regions.entries.filter { !$0.quadrant.isEmpty }.map { ($0.id, $0.quadrant) },
          uniquingKeysWith: { first, _ in first })
      }
      if let v = near.value("condition") {
        if let set = codes(v, "condition", vocabulary.conditions) { selector.near = (.condition, set) } else { ok = false }
      } else if let v = near.value("skin") {
        if let set = codes(v, "skin", vocabulary.skinFindings) { selector.near = (.skin, set) } else { ok = false }
      } else {
        bag.error("near needs condition: or skin:", at: near.node.position)
        ok = false
      }
    }
    if m.keys.isEmpty {
      bag.error("an empty site selector matches every site; write {any: true} if that is meant", at: node.position)
      ok = false
    }
    return ok ? selector : nil
  }

  // MARK: Expectations

  func readExpectation(_ node: YNode, ruleID: String) -> Expectation? {
    guard
      let m = MappingReader(
        node, bag: bag, context: "expect",
        allowedKeys: ["decision", "screening", "precautions", "sites", "siteTechnique", "technique"])
    else { return nil }
    var expect = Expectation()
    let vocabulary = catalog.vocabulary
    if let d = m.mapping("decision", context: "decision expectation", allowedKeys: ["allowed", "preferred", "referTo"]) {
      let allowed = d.strings("allowed", required: true).compactMap { text -> Decision? in
        if let decision = Decision(rawValue: text.value) { return decision }
        bag.error("unknown decision \"\(text.value)\"", at: text.position)
        return nil
      }
      let preferredText = d.string("preferred", required: true)
      let preferred = preferredText.flatMap { Decision(rawValue: $0.value) }
      if let preferredText, preferred == nil {
        bag.error("unknown decision \"\(preferredText.value)\"", at: preferredText.position)
      }
      // `referTo: triage` leaves the targets to the red flags present (their urgency and targets in the vocabulary).
      let byTriage = d.value("referTo")?.scalar == "triage"
      let referTo = byTriage ? [] : d.strings("referTo")
      for target in referTo { vocabulary.referralTargets.check(target, bag: bag) }
      if let preferred, let preferredText, !allowed.contains(preferred) {
        bag.error("preferred decision \"\(preferred.rawValue)\" is not among the allowed ones", at: preferredText.position)
      }
      if allowed.contains(.refer), referTo.isEmpty, !byTriage {
        bag.warning("rule \"\(ruleID)\" allows refer: say to whom with referTo", at: d.node.position)
      }
      if let preferred, !allowed.isEmpty {
        expect.decision = DecisionExpectation(
          allowed: allowed, preferred: preferred, referTo: referTo.map(\.value), referByTriage: byTriage)
      }
    }
    let screening = m.strings("screening")
    for topic in screening { vocabulary.screeningTopics.check(topic, bag: bag) }
    expect.screening = screening.map(\.value)
    if let p = m.mapping("precautions", context: "precaution expectation", allowedKeys: ["required", "recommended"]) {
      let required = p.strings("required")
      let recommended = p.strings("recommended")
      for id in required + recommended { catalog.checkPrecaution(id, bag: bag) }
      for id in required where catalog.precaution(id.value)?.unverified == true {
        bag.error("precaution \"\(id.value)\" is unverified in the reference and cannot be required", at: id.position)
      }
      expect.required = required.map(\.value)
      expect.recommended = recommended.map(\.value)
    }
    if let s = m.mapping("sites", context: "site expectation", allowedKeys: ["forbid", "caution", "maxThoraxSides"]) {
      expect.forbid = s.list("forbid").compactMap { readSelector($0) }
      expect.caution = s.list("caution").compactMap { readSelector($0) }
      expect.maxThoraxSides = s.int("maxThoraxSides", range: 1...2)?.value
    }
    expect.siteTechnique = m.bool("siteTechnique")?.value ?? false
    expect.technique = m.strings("technique").compactMap { text in
      if let check = TechniqueCheck(rawValue: text.value) { return check }
      let known = TechniqueCheck.allCases.map(\.rawValue)
      bag.error("unknown technique check \"\(text.value)\"\(Suggestions.hint(for: text.value, in: known))", at: text.position)
      return nil
    }
    return expect
  }
}
