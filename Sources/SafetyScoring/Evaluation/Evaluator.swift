import ScenarioKit

/// Scores plans against the guidance under one policy. Pure: no I/O, no clock. A class, so that passing it around
/// (every graded plan does, many times) costs one retain, not one for each of its many arrays and strings.
public final class Evaluator: Sendable {
  public let guidance: Guidance
  public let policy: String
  /// The rules as they apply under `policy`, in file order.
  public var rules: [Rule] { sharedRules.map(\.rule) }
  let sharedRules: [SharedRule]
  /// The report order of screening topics and of precautions.
  let topicSlots: Slots
  let precautionSlots: Slots
  /// The slot of each catalogue precaution, in catalogue order.
  let catalogPrecautionSlots: [Int]
  /// Screening topics' labels in lower case, as every graded plan uses them.
  let screeningLabels: [String: String]
  /// For each precaution slot, the explanation and sources of the item that marks choosing it as unnecessary
  /// (nil for an unverified precaution, never marked, and for an id the catalogue lacks).
  let needlessItems: [(explanation: String, sources: [String])?]
  /// The catalogue's sites by reference, in catalogue order.
  let sharedSites: [SharedSite]
  /// The scoring weight of each severity (the configuration's, read once rather than for every item).
  private let weights: (minor: Int, major: Int, critical: Int)

  /// Creates an evaluator; `policy` nil means the guidance's default policy.
  public init(guidance: Guidance, policy: String? = nil) {
    self.guidance = guidance
    let chosen = policy ?? guidance.config.defaultPolicy
    self.policy = chosen
    let catalog = guidance.catalog
    let rules = guidance.rules.compactMap { $0.resolved(for: chosen) }
    let topics = catalog.vocabulary.screeningTopics
    topicSlots = Slots(catalogue: topics.ids, referenced: rules.flatMap(\.expect.screening))
    precautionSlots = Slots(
      catalogue: catalog.precautionIDs,
      referenced: rules.flatMap { $0.expect.required + $0.expect.recommended } + catalog.sites.flatMap(\.precautions))
    sharedRules = rules.enumerated().map { [topicSlots, precautionSlots] in
      SharedRule($0.element, index: $0.offset, topics: topicSlots, precautions: precautionSlots)
    }
    catalogPrecautionSlots = catalog.precautionIDs.compactMap { [precautionSlots] in precautionSlots.index[$0] }
    screeningLabels = Dictionary(
      topics.ids.map { ($0, topics.label($0).lowercased()) }, uniquingKeysWith: { a, _ in a })

    needlessItems = precautionSlots.ids.map { id in
      catalog.precaution(id).flatMap { precaution in
        precaution.unverified
          ? nil
          : ("Nothing in this patient's facts or your chosen sites calls for \"\(precaution.label)\".", precaution.sources)
      }
    }
    sharedSites = catalog.sites.enumerated().map { [precautionSlots] in
      SharedSite(index: $0.offset, site: $0.element, precautions: precautionSlots)
    }
    weights = (guidance.config.weight(.minor), guidance.config.weight(.major), guidance.config.weight(.critical))
  }

  /// How many points an item of `severity` is worth.
  func weight(_ severity: Severity) -> Int {
    switch severity {
    case .minor: return weights.minor
    case .major: return weights.major
    case .critical: return weights.critical
    }
  }

  /// Resolves plan site choices against the catalogue (unknown ids are skipped; plan readers reject them).
  func resolve(_ choices: [SiteChoice]) -> [ResolvedSite] {
    choices.compactMap { choice in
      guidance.catalog.siteIndex(of: choice.site).map { ResolvedSite(choice: choice, shared: sharedSites[$0]) }
    }
  }

  /// What a plan must do: the fact rules' expectations plus those the chosen sites add (plan rules and site
  /// technique).
  func planPrecautions(_ expected: Expected, facts: PatientFacts, sites: [ResolvedSite]) -> ItemTables {
    var needs = expected.items
    for shared in expected.scoredPlanRules where shared.rule.when.holds(for: facts, sites: sites) {
      needs.add(shared)
    }
    if let technique = expected.technique {
      for resolved in sites {
        let why = Need(
          technique, severity: technique.rule.severity, site: resolved.shared.index, side: resolved.choice.side)
        for slot in resolved.shared.precautionSlots { ItemTables.keepMostSevere(&needs.required, slot, why) }
      }
    }
    needs.settle()
    return needs
  }
}
