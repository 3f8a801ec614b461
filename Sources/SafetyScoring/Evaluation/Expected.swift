import ScenarioKit

/// Why an item is expected: the rule behind it and, for a site's technique precautions, the site that needs them.
public struct Attribution: Sendable {
  public var rule: Rule
  public var severity: Severity
  /// For a site's technique precautions, the site that needs them and its side.
  public var site: Site?
  public var side: Side?

  /// Extra context, such as "needed at upper trapezius (left)".
  public var note: String? { site.map { "needed at \($0.name)" + (side.map { " (\($0.rawValue))" } ?? "") } }
}

/// The screening topics and precautions expected, each with its most severe reason, by id.
struct ExpectedItems: Sendable {
  var screening: [String: Attribution] = [:]
  var required: [String: Attribution] = [:]
  var recommended: [String: Attribution] = [:]

  /// Adds what `rule` expects, keeping the earlier reason for an item unless this one is more severe.
  mutating func add(_ rule: Rule) {
    let why = Attribution(rule: rule, severity: rule.severity)
    for id in rule.expect.screening { Self.keepMostSevere(&screening, id, why) }
    for id in rule.expect.required { Self.keepMostSevere(&required, id, why) }
    for id in rule.expect.recommended { Self.keepMostSevere(&recommended, id, Attribution(rule: rule, severity: .minor)) }
  }

  /// Drops the recommendations that are also required.
  mutating func settle() {
    for id in required.keys { recommended[id] = nil }
  }

  static func keepMostSevere(_ table: inout [String: Attribution], _ id: String, _ why: Attribution) {
    if let existing = table[id], existing.severity >= why.severity { return }
    table[id] = why
  }
}

/// The decision the guidance expects, and why.
public struct DecisionOutcome: Sendable {
  public var allowed: [Decision]
  public var preferred: Decision
  /// The rule that sets the preferred decision (nil when nothing in the facts restricts needling).
  public var governing: Rule?
  /// Rules whose allowed decisions exclude needling.
  public var blocking: [Rule]
  public var referTo: [String]
  /// Fired rules that set a decision.
  public var rules: [Rule]
  /// True when blocking rules disagree and no single decision satisfies them all.
  public var conflicting: Bool
}

/// Everything the guidance expects for one case under one policy, before looking at a plan.
public struct Expected: Sendable {
  public let policy: String
  /// Scored rules whose condition holds on the patient's facts alone.
  public let factRules: [Rule]
  /// Scored rules that look at the chosen sites; evaluated per plan.
  public let planRules: [Rule]
  /// Advisory rules that apply (shown, never scored).
  public let advice: [Rule]
  /// Advisory rules that look at the chosen sites; shown when a plan's sites make them apply.
  public let planAdvice: [Rule]
  public let decision: DecisionOutcome
  /// Fact rules with site expectations (forbid, caution, one side of the thorax, site technique).
  public let siteRules: [Rule]
  /// The most severe site rule limiting thoracic needling to one side, if any applies.
  public let thoraxRule: Rule?
  /// The most severe site rule making each chosen site's technique precautions required, if any applies.
  public let techniqueRule: Rule?
  /// What the fact rules expect, before any site is chosen.
  let items: ExpectedItems
  let topicOrder: ItemOrder
  let precautionOrder: ItemOrder

  /// Screening topics and precautions the facts call for, with why, in report order.
  public var screening: [(topic: String, why: Attribution)] {
    topicOrder.entries(items.screening).map { (topic: $0.id, why: $0.entry) }
  }
  public var required: [(id: String, why: Attribution)] {
    precautionOrder.entries(items.required).map { (id: $0.id, why: $0.entry) }
  }
  public var recommended: [(id: String, why: Attribution)] {
    precautionOrder.entries(items.recommended).map { (id: $0.id, why: $0.entry) }
  }

  /// The rule that forbids needling `site` on `side` for this patient, if any (the most severe).
  public func forbiddingRule(_ site: Site, side: Side?, facts: PatientFacts) -> Rule? {
    mostSevere(siteRules) { $0.expect.forbid.contains { $0.matches(site, side: side, facts: facts) } }
  }

  /// The rule that asks for care at `site` on `side`, if any.
  public func cautionRule(_ site: Site, side: Side?, facts: PatientFacts) -> Rule? {
    mostSevere(siteRules) { $0.expect.caution.contains { $0.matches(site, side: side, facts: facts) } }
  }
}

/// The most severe of the `rules` that satisfy `included`, the first on ties.
func mostSevere(_ rules: [Rule], where included: (Rule) -> Bool) -> Rule? {
  var best: Rule?
  for rule in rules where included(rule) {
    if let current = best, current.severity >= rule.severity { continue }
    best = rule
  }
  return best
}

extension Decision {
  /// Order used to break ties between non-needling decisions: medical assessment first.
  var caution: Int {
    switch self {
    case .refer: return 0
    case .decline: return 1
    case .defer: return 2
    case .needle: return 3
    }
  }
}

extension Evaluator {
  /// Derives what the guidance expects for `scenario` from its facts alone.
  public func expected(for scenario: Case) -> Expected {
    let facts = scenario.facts
    var factRules: [Rule] = []
    var planRules: [Rule] = []
    var advice: [Rule] = []
    var planAdvice: [Rule] = []
    for rule in rules {
      if rule.dependsOnPlan {
        if rule.advisory { planAdvice.append(rule) } else { planRules.append(rule) }
      } else if rule.when.holds(for: facts, sites: []) {
        if rule.advisory { advice.append(rule) } else { factRules.append(rule) }
      }
    }
    var items = ExpectedItems()
    for rule in factRules { items.add(rule) }
    items.settle()
    let siteRules = factRules.filter {
      !$0.expect.forbid.isEmpty || !$0.expect.caution.isEmpty || $0.expect.maxThoraxSides != nil
        || $0.expect.siteTechnique
    }
    return Expected(
      policy: policy, factRules: factRules, planRules: planRules, advice: advice, planAdvice: planAdvice,
      decision: Self.decide(factRules), siteRules: siteRules,
      thoraxRule: mostSevere(siteRules) { $0.expect.maxThoraxSides == 1 },
      techniqueRule: mostSevere(siteRules) { $0.expect.siteTechnique },
      items: items, topicOrder: topicOrder, precautionOrder: precautionOrder)
  }

  /// Combines the decisions of the rules that apply: rules that exclude needling win; among them the most
  /// severe sets the preferred decision; otherwise every rule's allowed list must agree.
  static func decide(_ fired: [Rule]) -> DecisionOutcome {
    let rules = fired.filter { $0.expect.decision != nil }
    let blocking = rules.filter { !($0.expect.decision?.allowed.contains(.needle) ?? true) }
    let considered = blocking.isEmpty ? rules : blocking
    var allowed = Set(Decision.allCases)
    for rule in considered { allowed.formIntersection(rule.expect.decision?.allowed ?? []) }
    if rules.isEmpty { allowed = [.needle] }
    var conflicting = false
    let topSeverity = considered.map(\.severity).max()
    let top = considered.filter { $0.severity == topSeverity }
    if allowed.isEmpty {
      conflicting = true
      allowed = Set(top.compactMap { $0.expect.decision?.preferred })
    }
    let governing = top.min { a, b in
      (a.expect.decision?.preferred.caution ?? 9) < (b.expect.decision?.preferred.caution ?? 9)
    }
    var preferred = Decision.needle
    if let wanted = governing?.expect.decision?.preferred, allowed.contains(wanted) {
      preferred = wanted
    } else if let first = allowed.min(by: { $0.caution < $1.caution }) {
      preferred = blocking.isEmpty && allowed.contains(.needle) ? .needle : first
    }
    var referTo: [String] = []
    for rule in considered where rule.expect.decision?.allowed.contains(.refer) == true {
      for target in rule.expect.decision?.referTo ?? [] where !referTo.contains(target) { referTo.append(target) }
    }
    return DecisionOutcome(
      allowed: Decision.allCases.filter(allowed.contains), preferred: preferred, governing: governing,
      blocking: blocking, referTo: referTo, rules: rules, conflicting: conflicting)
  }
}
