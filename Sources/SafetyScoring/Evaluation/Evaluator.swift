import ScenarioKit

/// Scores plans against the guidance under one policy. Pure: no I/O, no clock.
public struct Evaluator: Sendable {
  public let guidance: Guidance
  public let policy: String
  /// The rules as they apply under `policy`, in file order.
  public var rules: [Rule] { sharedRules.map(\.rule) }
  let sharedRules: [SharedRule]
  /// Catalogue positions, so reports list items in a stable, familiar order.
  let precautionRank: [String: Int]
  let topicRank: [String: Int]
  /// The catalogue's precaution ids in order, and its screening topics' labels in lower case, as every graded
  /// plan uses them.
  let precautionIDs: [String]
  let screeningLabels: [String: String]

  /// Creates an evaluator; `policy` nil means the guidance's default policy.
  public init(guidance: Guidance, policy: String? = nil) {
    self.guidance = guidance
    let chosen = policy ?? guidance.config.defaultPolicy
    self.policy = chosen
    sharedRules = guidance.rules.compactMap { $0.resolved(for: chosen).map(SharedRule.init) }
    func rank(_ ids: [String]) -> [String: Int] {
      Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }
    precautionIDs = guidance.catalog.precautionIDs
    precautionRank = rank(precautionIDs)
    let topics = guidance.catalog.vocabulary.screeningTopics
    topicRank = rank(topics.ids)
    screeningLabels = Dictionary(
      topics.ids.map { ($0, topics.label($0).lowercased()) }, uniquingKeysWith: { a, _ in a })
  }

  /// Resolves plan site choices against the catalogue (unknown ids are skipped; plan readers reject them).
  func resolve(_ choices: [SiteChoice]) -> [ResolvedSite] {
    choices.compactMap { choice in guidance.catalog.site(choice.site).map { ResolvedSite(choice: choice, site: $0) } }
  }

  /// Precautions that the chosen sites make necessary, beyond the fact rules: plan rules and site technique.
  func planPrecautions(_ expected: Expected, facts: PatientFacts, sites: [ResolvedSite])
    -> (required: [String: Attribution], recommended: [String: Attribution], screening: [String: Attribution])
  {
    var required: [String: Attribution] = [:]
    var recommended: [String: Attribution] = [:]
    var screening: [String: Attribution] = [:]
    for (id, why) in expected.required { required[id] = why }
    for (id, why) in expected.recommended { recommended[id] = why }
    for (topic, why) in expected.screening { screening[topic] = why }
    for shared in expected.scoredPlanRules where shared.rule.when.holds(for: facts, sites: sites) {
      let rule = shared.rule
      let why = Attribution(shared, severity: rule.severity)
      for id in rule.expect.required { Self.keepMostSevere(&required, id, why) }
      for id in rule.expect.recommended { Self.keepMostSevere(&recommended, id, Attribution(shared, severity: .minor)) }
      for topic in rule.expect.screening { Self.keepMostSevere(&screening, topic, why) }
    }
    if let technique = expected.technique {
      for resolved in sites {
        for id in resolved.site.precautions {
          Self.keepMostSevere(
            &required, id,
            Attribution(technique, severity: technique.rule.severity,
                        note: "needed at \(resolved.site.name)"
                          + (resolved.choice.side.map { " (\($0.rawValue))" } ?? "")))
        }
      }
    }
    for id in required.keys { recommended[id] = nil }
    return (required, recommended, screening)
  }
}
