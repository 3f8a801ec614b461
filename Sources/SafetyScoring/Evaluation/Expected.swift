import ScenarioKit

/// Why an item is expected: the rule behind it and, for site technique, the site that needs it.
public struct Attribution: Sendable {
  public var rule: Rule
  public var severity: Severity
  /// Extra context, such as "needed at upper trapezius (left)".
  public var note: String?
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
  public var policy: String
  /// Scored rules whose condition holds on the patient's facts alone.
  public var factRules: [Rule]
  /// Scored rules that look at the chosen sites; evaluated per plan.
  public var planRules: [Rule]
  /// Advisory rules that apply (shown, never scored).
  public var advice: [Rule]
  /// Advisory rules that look at the chosen sites; shown when a plan's sites make them apply.
  public var planAdvice: [Rule]
  public var decision: DecisionOutcome
  public var screening: [(topic: String, why: Attribution)]
  public var required: [(id: String, why: Attribution)]
  public var recommended: [(id: String, why: Attribution)]
  /// Rules with site expectations (forbid, caution, one side of the thorax, site technique).
  public var siteRules: [Rule]

  /// The rule that forbids needling `site` on `side` for this patient, if any (the most severe).
  public func forbiddingRule(_ site: Site, side: Side?, facts: PatientFacts) -> Rule? {
    mostSevere(siteRules.filter { rule in
      rule.expect.forbid.contains { $0.matches(site, side: side, facts: facts) }
    })
  }

  /// The rule that asks for caution at `site`, if any.
  public func cautionRule(_ site: Site, side: Side?, facts: PatientFacts) -> Rule? {
    mostSevere(siteRules.filter { rule in
      rule.expect.caution.contains { $0.matches(site, side: side, facts: facts) }
    })
  }

  /// The rule that limits thoracic needling to one side, if any applies.
  public var thoraxRule: Rule? { mostSevere(siteRules.filter { $0.expect.maxThoraxSides == 1 }) }

  /// The rule that makes each site's technique precautions required, if any applies.
  public var techniqueRule: Rule? { mostSevere(siteRules.filter(\.expect.siteTechnique)) }
}

/// The most severe of `rules`, the first on ties.
func mostSevere(_ rules: [Rule]) -> Rule? {
  var best: Rule?
  for rule in rules {
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
    let decision = Self.decide(factRules)
    var screening: [String: Attribution] = [:]
    var required: [String: Attribution] = [:]
    var recommended: [String: Attribution] = [:]
    for rule in factRules {
      for topic in rule.expect.screening { Self.keepMostSevere(&screening, topic, Attribution(rule: rule, severity: rule.severity)) }
      for id in rule.expect.required { Self.keepMostSevere(&required, id, Attribution(rule: rule, severity: rule.severity)) }
      for id in rule.expect.recommended { Self.keepMostSevere(&recommended, id, Attribution(rule: rule, severity: .minor)) }
    }
    return Expected(
      policy: policy, factRules: factRules, planRules: planRules, advice: advice, planAdvice: planAdvice,
      decision: decision,
      screening: Self.ordered(screening, by: topicRank).map { (topic: $0.0, why: $0.1) },
      required: Self.ordered(required, by: precautionRank).map { (id: $0.0, why: $0.1) },
      recommended: Self.ordered(recommended, by: precautionRank).filter { required[$0.0] == nil }
        .map { (id: $0.0, why: $0.1) },
      siteRules: factRules.filter {
        !$0.expect.forbid.isEmpty || !$0.expect.caution.isEmpty || $0.expect.maxThoraxSides != nil
          || $0.expect.siteTechnique
      })
  }

  static func keepMostSevere(_ table: inout [String: Attribution], _ key: String, _ why: Attribution) {
    if let existing = table[key], existing.severity >= why.severity { return }
    table[key] = why
  }

  /// The entries of `table` in catalogue order (`rank`: id → position, precomputed once per evaluator).
  static func ordered(_ table: [String: Attribution], by rank: [String: Int]) -> [(String, Attribution)] {
    table.sorted { (rank[$0.key] ?? .max, $0.key) < (rank[$1.key] ?? .max, $1.key) }
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
