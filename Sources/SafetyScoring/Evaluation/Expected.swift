import ScenarioKit

/// A rule held by reference: grading passes rules around for every plan, and copying a reference costs one retain
/// where copying a `Rule` value costs one for each of its many strings and arrays.
final class SharedRule: Sendable {
  let rule: Rule
  /// Where the rule is among the evaluator's rules (see `Need`).
  let index: Int
  /// The slots of the screening topics and of the required and recommended precautions the rule expects.
  let screening: [Int]
  let required: [Int]
  let recommended: [Int]

  init(_ rule: Rule, index: Int, topics: Slots, precautions: Slots) {
    self.rule = rule
    self.index = index
    // Every id has a slot: the slots are made from the catalogue and every id the rules name.
    screening = rule.expect.screening.compactMap { topics.index[$0] }
    required = rule.expect.required.compactMap { precautions.index[$0] }
    recommended = rule.expect.recommended.compactMap { precautions.index[$0] }
  }
}

/// Why an item is expected: the rule behind it and, for site technique, the site that needs it.
public struct Attribution: Sendable {
  let shared: SharedRule
  public var rule: Rule { shared.rule }
  public var severity: Severity
  /// For a site's technique precautions, the site that needs them and its side.
  let site: SharedSite?
  let side: Side?
  /// Extra context, such as "needed at upper trapezius (left)".
  public var note: String? { site.map { Self.note(at: $0, side: side) } }

  init(_ need: Need, rules: [SharedRule], sites: [SharedSite]) {
    shared = rules[need.rule]
    severity = need.severity
    site = need.site.map { sites[$0] }
    side = need.side
  }

  /// The note of a site's technique precautions.
  static func note(at site: SharedSite, side: Side?) -> String {
    "needed at \(site.site.name)" + (side.map { " (\($0.rawValue))" } ?? "")
  }
}

/// The decision the guidance expects, and why.
public struct DecisionOutcome: Sendable {
  public var allowed: [Decision]
  public var preferred: Decision
  /// The rule that sets the preferred decision (nil when nothing in the facts restricts needling).
  public var governing: Rule? { governingRule?.rule }
  let governingRule: SharedRule?
  /// Rules whose allowed decisions exclude needling.
  public var blocking: [Rule]
  public var referTo: [String]
  /// Fired rules that set a decision.
  public var rules: [Rule] { decisionRules.map(\.rule) }
  let decisionRules: [SharedRule]
  /// True when blocking rules disagree and no single decision satisfies them all.
  public var conflicting: Bool
}

/// Everything the guidance expects for one case under one policy, before looking at a plan. A class, so that
/// grading a plan (which passes it around many times) copies one reference rather than each of its many arrays.
public final class Expected: Sendable {
  public let policy: String
  /// Scored rules whose condition holds on the patient's facts alone.
  public let factRules: [Rule]
  /// Scored rules that look at the chosen sites; evaluated per plan.
  public var planRules: [Rule] { scoredPlanRules.map(\.rule) }
  let scoredPlanRules: [SharedRule]
  /// Advisory rules that apply (shown, never scored).
  public let advice: [Rule]
  /// Advisory rules that look at the chosen sites; shown when a plan's sites make them apply.
  public let planAdvice: [Rule]
  public let decision: DecisionOutcome
  /// Screening topics and precautions the facts call for, with why, in catalogue order.
  public var screening: [(topic: String, why: Attribution)] {
    topicSlots.entries(items.screening).map { (topic: $0.0, why: attribution($0.1)) }
  }
  public var required: [(id: String, why: Attribution)] {
    precautionSlots.entries(items.required).map { (id: $0.0, why: attribution($0.1)) }
  }
  public var recommended: [(id: String, why: Attribution)] {
    precautionSlots.entries(items.recommended).map { (id: $0.0, why: attribution($0.1)) }
  }
  let items: ItemTables
  let topicSlots: Slots
  let precautionSlots: Slots
  /// The evaluator's rules and the catalogue's sites, which `Need`s count.
  let rules: [SharedRule]
  let sites: [SharedSite]
  /// Rules with site expectations (forbid, caution, one side of the thorax, site technique).
  public var siteRules: [Rule] { sharedSiteRules.map(\.rule) }
  let sharedSiteRules: [SharedRule]
  /// The most severe of `sharedSiteRules` limiting thoracic needling to one side, and making each site's
  /// technique precautions required: worked out once per case, as every plan asks.
  let thorax: SharedRule?
  let technique: SharedRule?

  init(
    policy: String, factRules: [Rule], planRules: [SharedRule], advice: [Rule], planAdvice: [Rule],
    decision: DecisionOutcome, items: ItemTables, topicSlots: Slots, precautionSlots: Slots, siteRules: [SharedRule],
    rules: [SharedRule], sites: [SharedSite]
  ) {
    self.policy = policy
    self.factRules = factRules
    self.scoredPlanRules = planRules
    self.advice = advice
    self.planAdvice = planAdvice
    self.decision = decision
    self.items = items
    self.topicSlots = topicSlots
    self.precautionSlots = precautionSlots
    self.sharedSiteRules = siteRules
    self.rules = rules
    self.sites = sites
    thorax = mostSevere(siteRules) { $0.rule.expect.maxThoraxSides == 1 }
    technique = mostSevere(siteRules) { $0.rule.expect.siteTechnique }
  }

  /// The rule that forbids needling `site` on `side` for this patient, if any (the most severe).
  public func forbiddingRule(_ site: Site, side: Side?, facts: PatientFacts) -> Rule? {
    siteRule(\.forbid) { $0.matches(site, side: side, facts: facts) }?.rule
  }

  /// The rule that asks for care at `site` on `side`, if any.
  public func cautionRule(_ site: Site, side: Side?, facts: PatientFacts) -> Rule? {
    siteRule(\.caution) { $0.matches(site, side: side, facts: facts) }?.rule
  }

  /// ``forbiddingRule(_:side:facts:)`` for a site held by reference, read in place rather than copied.
  func forbidding(_ site: SharedSite, side: Side?, facts: PatientFacts) -> SharedRule? {
    siteRule(\.forbid) { $0.matches(site, side: side, facts: facts) }
  }

  /// ``cautionRule(_:side:facts:)`` for a site held by reference.
  func caution(_ site: SharedSite, side: Side?, facts: PatientFacts) -> SharedRule? {
    siteRule(\.caution) { $0.matches(site, side: side, facts: facts) }
  }

  /// The most severe site rule with a selector in `list` that `matches`.
  private func siteRule(_ list: KeyPath<Expectation, [SiteSelector]>, matches: (SiteSelector) -> Bool) -> SharedRule? {
    mostSevere(sharedSiteRules) { $0.rule.expect[keyPath: list].contains(where: matches) }
  }

  /// `need` with its rule and site.
  func attribution(_ need: Need) -> Attribution { Attribution(need, rules: rules, sites: sites) }

  /// The rule that limits thoracic needling to one side, if any applies.
  public var thoraxRule: Rule? { thorax?.rule }

  /// The rule that makes each site's technique precautions required, if any applies.
  public var techniqueRule: Rule? { technique?.rule }
}

/// The most severe of the `rules` that satisfy `included`, the first on ties. The predicate is given the shared
/// rule, not a `Rule` value, so that testing each candidate reads its fields instead of copying it.
func mostSevere(_ rules: [SharedRule], where included: (SharedRule) -> Bool) -> SharedRule? {
  var best: SharedRule?
  for shared in rules where included(shared) {
    if let current = best, current.rule.severity >= shared.rule.severity { continue }
    best = shared
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
    var factRules: [SharedRule] = []
    var planRules: [SharedRule] = []
    var advice: [Rule] = []
    var planAdvice: [Rule] = []
    for shared in sharedRules {
      let rule = shared.rule
      if rule.dependsOnPlan {
        if rule.advisory { planAdvice.append(rule) } else { planRules.append(shared) }
      } else if rule.when.holds(for: facts, sites: []) {
        if rule.advisory { advice.append(rule) } else { factRules.append(shared) }
      }
    }
    var items = ItemTables(topics: topicSlots, precautions: precautionSlots)
    for shared in factRules { items.add(shared) }
    items.settle()
    return Expected(
      policy: policy, factRules: factRules.map(\.rule), planRules: planRules, advice: advice, planAdvice: planAdvice,
      decision: Self.decide(factRules), items: items, topicSlots: topicSlots, precautionSlots: precautionSlots,
      siteRules: factRules.filter {
        let expect = $0.rule.expect
        return !expect.forbid.isEmpty || !expect.caution.isEmpty || expect.maxThoraxSides != nil || expect.siteTechnique
      },
      rules: sharedRules, sites: sharedSites)
  }

  /// Combines the decisions of the rules that apply: rules that exclude needling win; among them the most
  /// severe sets the preferred decision; otherwise every rule's allowed list must agree.
  static func decide(_ fired: [SharedRule]) -> DecisionOutcome {
    let rules = fired.filter { $0.rule.expect.decision != nil }
    let blocking = rules.filter { !($0.rule.expect.decision?.allowed.contains(.needle) ?? true) }
    let considered = blocking.isEmpty ? rules : blocking
    var allowed = Set(Decision.allCases)
    for shared in considered { allowed.formIntersection(shared.rule.expect.decision?.allowed ?? []) }
    if rules.isEmpty { allowed = [.needle] }
    var conflicting = false
    let topSeverity = considered.map(\.rule.severity).max()
    let top = considered.filter { $0.rule.severity == topSeverity }
    if allowed.isEmpty {
      conflicting = true
      allowed = Set(top.compactMap { $0.rule.expect.decision?.preferred })
    }
    let governing = top.min { a, b in
      (a.rule.expect.decision?.preferred.caution ?? 9) < (b.rule.expect.decision?.preferred.caution ?? 9)
    }
    var preferred = Decision.needle
    if let wanted = governing?.rule.expect.decision?.preferred, allowed.contains(wanted) {
      preferred = wanted
    } else if let first = allowed.min(by: { $0.caution < $1.caution }) {
      preferred = blocking.isEmpty && allowed.contains(.needle) ? .needle : first
    }
    var referTo: [String] = []
    for shared in considered where shared.rule.expect.decision?.allowed.contains(.refer) == true {
      for target in shared.rule.expect.decision?.referTo ?? [] where !referTo.contains(target) { referTo.append(target) }
    }
    return DecisionOutcome(
      allowed: Decision.allCases.filter(allowed.contains), preferred: preferred, governingRule: governing,
      blocking: blocking.map(\.rule), referTo: referTo, decisionRules: rules, conflicting: conflicting)
  }
}
