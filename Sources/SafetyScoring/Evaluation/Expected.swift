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
  var technique: [TechniqueCheck: Attribution] = [:]

  /// Adds what `rule` expects, keeping the earlier reason for an item unless this one is more severe.
  mutating func add(_ rule: Rule) {
    let why = Attribution(rule: rule, severity: rule.severity)
    for id in rule.expect.screening { Self.keepMostSevere(&screening, id, why) }
    for id in rule.expect.required { Self.keepMostSevere(&required, id, why) }
    for id in rule.expect.recommended { Self.keepMostSevere(&recommended, id, Attribution(rule: rule, severity: .minor)) }
    for check in rule.expect.technique {
      if let existing = technique[check], existing.severity >= why.severity { continue }
      technique[check] = why
    }
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
  /// When the referral follows the patient's red flags: how soon, and which flags set it.
  public var triage: Triage?
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
    Self.forbidding(site, side: side, facts: facts, among: siteRules)
  }

  /// The most severe of `rules` that forbids `site` on `side` for a patient with `facts`.
  static func forbidding(_ site: Site, side: Side?, facts: PatientFacts, among rules: [Rule]) -> Rule? {
    mostSevere(rules) { $0.expect.forbid.contains { $0.matches(site, side: side, facts: facts) } }
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
    let facts = facts(of: scenario)
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
    // The rule (if any) that forbids each site the case's problem calls for.
    let resolvedCandidates = resolve(scenario.candidateSites)
    let candidates = resolvedCandidates.map {
      Expected.forbidding($0.site, side: $0.choice.side, facts: facts, among: siteRules)
    }
    // A rule that puts every candidate site under caution (needle it with care, or avoid it) limits the plan too.
    let cautioning = siteRules.filter { rule in
      !resolvedCandidates.isEmpty && resolvedCandidates.allSatisfy { candidate in
        rule.expect.caution.contains { $0.matches(candidate.site, side: candidate.choice.side, facts: facts) }
      }
    }
    let limiting = siteRules.filter { rule in candidates.contains { $0 === rule } } + cautioning
    var decision = Self.decide(factRules, limiting: limiting, triage: guidance.catalog.vocabulary.triage(facts.redFlags))
    if decision.allowed.contains(.needle), !candidates.isEmpty, candidates.allSatisfy({ $0 != nil }),
      let rule = mostSevere(limiting, where: { _ in true })
    {
      decision = Self.withoutSites(decision, forbiddenBy: rule)
    }
    return Expected(
      policy: policy, factRules: factRules, planRules: planRules, advice: advice, planAdvice: planAdvice,
      decision: decision, siteRules: siteRules,
      thoraxRule: mostSevere(siteRules) { $0.expect.maxThoraxSides == 1 },
      techniqueRule: mostSevere(siteRules) { $0.expect.siteTechnique },
      items: items, topicOrder: topicOrder, precautionOrder: precautionOrder)
  }

  /// Combines the decisions of the rules that apply: rules that exclude needling win, and among them a referral
  /// (a red flag) wins over any other; among the rest the most severe sets the preferred decision; otherwise every
  /// rule's allowed list must agree. A rule in `limiting` forbids (or cautions) a site the case's problem calls for:
  /// it leaves deferring and declining open, since not needling the tempting site today, and coming back another day
  /// or offering another treatment, is a fair, cautious choice. A rule
  /// that refers by `triage` sends the patient where the most urgent of their red flags says.
  static func decide(_ fired: [Rule], limiting: [Rule] = [], triage: Triage? = nil) -> DecisionOutcome {
    let limits = Set(limiting.map(\.id))
    func expectation(_ rule: Rule) -> DecisionExpectation? {
      if var decision = rule.expect.decision {
        if decision.referByTriage { decision.referTo = triage?.referTo ?? [] }
        return decision
      }
      return limits.contains(rule.id)
        ? DecisionExpectation(allowed: [.needle, .defer, .decline], preferred: .needle, referTo: []) : nil
    }
    let rules = fired.filter { expectation($0) != nil }
    let blocking = rules.filter { !(expectation($0)?.allowed.contains(.needle) ?? true) }
    var considered = blocking.isEmpty ? rules : blocking
    var allowed = Set(Decision.allCases)
    for rule in considered { allowed.formIntersection(expectation(rule)?.allowed ?? []) }
    if rules.isEmpty { allowed = [.needle] }
    var conflicting = false
    if allowed.isEmpty {
      conflicting = true
      // A patient with a red flag needs medical assessment whatever else stops needling today.
      let referring = considered.filter { expectation($0)?.preferred == .refer }
      if !referring.isEmpty {
        considered = referring
        allowed = [.refer]
      }
    }
    // A rule that only limits sites never governs the decision: the rules that set decisions do.
    let governors = considered.filter { $0.expect.decision != nil }
    let topSeverity = governors.map(\.severity).max()
    let top = governors.filter { $0.severity == topSeverity }
    if allowed.isEmpty { allowed = Set(top.compactMap { expectation($0)?.preferred }) }
    let governing = top.min { a, b in
      (expectation(a)?.preferred.caution ?? 9) < (expectation(b)?.preferred.caution ?? 9)
    }
    var preferred = Decision.needle
    if let wanted = governing.flatMap(expectation)?.preferred, allowed.contains(wanted) {
      preferred = wanted
    } else if let first = allowed.min(by: { $0.caution < $1.caution }) {
      preferred = blocking.isEmpty && allowed.contains(.needle) ? .needle : first
    }
    var referTo: [String] = []
    var triaged = false
    for rule in considered where expectation(rule)?.allowed.contains(.refer) == true {
      triaged = triaged || rule.expect.decision?.referByTriage == true
      for target in expectation(rule)?.referTo ?? [] where !referTo.contains(target) { referTo.append(target) }
    }
    // An emergency leaves no room for a slower route: only the targets the red flags name.
    if triaged, let triage, triage.urgency == .emergency { referTo = triage.referTo }
    return DecisionOutcome(
      allowed: Decision.allCases.filter(allowed.contains), preferred: preferred,
      governing: governing,
      blocking: blocking, referTo: referTo, triage: triaged ? triage : nil, rules: rules, conflicting: conflicting)
  }

  /// The decision when site rules forbid every candidate site: needling has nothing left to needle, so the guidance
  /// expects what the rules allow instead (deferring, when they allow it), and the most severe forbidding rule says why.
  static func withoutSites(_ outcome: DecisionOutcome, forbiddenBy rule: Rule) -> DecisionOutcome {
    var outcome = outcome
    let others = outcome.allowed.filter { $0 != .needle }
    outcome.allowed = others.isEmpty ? [.defer] : others
    if outcome.preferred == .needle {
      outcome.preferred = outcome.allowed.contains(.defer) ? .defer : outcome.allowed.min { $0.caution < $1.caution } ?? .defer
      outcome.governing = rule
    }
    outcome.blocking.append(rule)
    return outcome
  }
}

