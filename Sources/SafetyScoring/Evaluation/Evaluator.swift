import ScenarioKit

/// Scores plans against the guidance under one policy and profile. Pure: no I/O, no clock.
public struct Evaluator: Sendable {
  public let guidance: Guidance
  public let policy: String
  /// The jurisdiction (age of consent) graded under.
  public let jurisdiction: Jurisdiction
  /// The practitioner level graded under, where a case does not set its own.
  public let practitionerLevel: String
  /// The rules as they apply under `policy`, in file order.
  public let rules: [Rule]
  /// The report order of screening topics and of precautions.
  let topicOrder: ItemOrder
  let precautionOrder: ItemOrder
  /// Each screening topic's label in lower case, as report items quote it.
  let topicLabels: [String: String]
  /// Precautions (catalogue order) that can be marked unnecessary: neither unverified nor good practice.
  let optionalPrecautions: [String]

  /// Creates an evaluator; nil `policy`, `jurisdiction` or `practitionerLevel` means the guidance's default. Callers
  /// check the ids first (an unknown jurisdiction falls back to the default).
  public init(guidance: Guidance, policy: String? = nil, jurisdiction: String? = nil, practitionerLevel: String? = nil) {
    self.guidance = guidance
    let chosen = policy ?? guidance.config.defaultPolicy
    self.policy = chosen
    let config = guidance.config
    self.jurisdiction = jurisdiction.flatMap(config.jurisdiction) ?? config.jurisdiction(config.defaultJurisdiction)
      ?? config.jurisdictions[0]
    self.practitionerLevel = practitionerLevel ?? config.defaultPractitionerLevel
    let catalog = guidance.catalog
    // Expert consensus alone never costs more than the minor weight.
    rules = guidance.rules.compactMap { $0.resolved(for: chosen) }
      .map { guidance.isExpertConsensus($0) && !$0.advisory ? $0.capped(at: .minor) : $0 }
    topicOrder = ItemOrder(catalogue: catalog.vocabulary.screeningTopics.ids, referenced: rules.flatMap(\.expect.screening))
    topicLabels = Dictionary(
      catalog.vocabulary.screeningTopics.entries.map { ($0.id, $0.label.lowercased()) }, uniquingKeysWith: { a, _ in a })
    optionalPrecautions = catalog.precautions.filter { !$0.unverified && !$0.goodPractice }.map(\.id)
    precautionOrder = ItemOrder(
      catalogue: catalog.precautionIDs,
      referenced: rules.flatMap { $0.expect.required + $0.expect.recommended } + catalog.sites.flatMap(\.precautions))
  }

  /// The case's facts as graded under this profile: the jurisdiction's age of consent, and the profile's practitioner
  /// level unless the case sets one.
  public func facts(of scenario: Case) -> PatientFacts {
    var facts = scenario.facts
    facts.ageOfConsent = jurisdiction.ageOfConsent
    facts.build = scenario.examination.map(guidance.config.build(of:))
    facts.forearmCircumferenceCm = scenario.examination?.forearmCircumferenceCm
    if facts.practitioner.level == nil { facts.practitioner.level = practitionerLevel }
    return facts
  }

  /// How many points an item of `severity` is worth.
  func weight(_ severity: Severity) -> Int { guidance.config.weight(severity) }

  /// Resolves plan site choices against the catalogue (unknown ids are skipped; plan readers reject them).
  func resolve(_ choices: [SiteChoice]) -> [ResolvedSite] {
    choices.compactMap { choice in guidance.catalog.site(choice.site).map { ResolvedSite(choice: choice, site: $0) } }
  }

  /// What a plan must do: the fact rules' expectations plus those the chosen sites add (plan rules and site
  /// technique).
  func planItems(_ expected: Expected, facts: PatientFacts, sites: [ResolvedSite]) -> ExpectedItems {
    var needs = expected.items
    var added = false
    for rule in expected.planRules where rule.when.holds(for: facts, sites: sites) {
      needs.add(rule)
      added = true
    }
    if let technique = expected.techniqueRule {
      for resolved in sites where !resolved.site.precautions.isEmpty {
        let why = Attribution(rule: technique, severity: technique.severity, site: resolved.site, side: resolved.choice.side)
        for id in resolved.site.precautions { ExpectedItems.keepMostSevere(&needs.required, id, why) }
        added = true
      }
    }
    // The fact rules' items are settled already.
    if added { needs.settle() }
    return needs
  }
}

/// The order in which a report lists screening topics or precautions: the catalogue's order, then any id the
/// rules name that the catalogue lacks, by id.
struct ItemOrder: Sendable {
  private let rank: [String: Int]

  init(catalogue: [String], referenced: [String]) {
    var rank: [String: Int] = [:]
    for id in catalogue + Set(referenced).subtracting(catalogue).sorted() where rank[id] == nil { rank[id] = rank.count }
    self.rank = rank
  }

  /// The entries of `table` in report order.
  func entries<Entry>(_ table: [String: Entry]) -> [(id: String, entry: Entry)] {
    table.map { (rank: rank[$0.key] ?? .max, id: $0.key, entry: $0.value) }
      .sorted { $0.rank != $1.rank ? $0.rank < $1.rank : $0.id < $1.id }
      .map { (id: $0.id, entry: $0.entry) }
  }
}
