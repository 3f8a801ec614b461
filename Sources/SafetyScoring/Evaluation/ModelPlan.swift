import ScenarioKit

/// The guidance-derived model answer for a case, with the reason for every line.
public struct ModelPlan: Sendable {
  public var plan: Plan
  /// A reason for each line: keyed "decision", "referTo", "screening:<topic>", "precaution:<id>", "site:<choice>".
  public var reasons: [String: String]
  /// Candidate sites left out, with the rule that excluded each.
  public var excludedSites: [(choice: SiteChoice, rule: Rule)]
}

extension Evaluator {
  /// Derives the model plan: the preferred decision; for needling, every candidate site no rule forbids (one side
  /// of the thorax at most) and every precaution the facts and those sites call for.
  public func modelPlan(for scenario: Case, expected precomputed: Expected? = nil) -> ModelPlan {
    let expected = precomputed ?? self.expected(for: scenario)
    let facts = scenario.facts
    let outcome = expected.decision
    var reasons: [String: String] = [:]
    var plan = Plan(scenario: scenario.id, decision: outcome.preferred)
    reasons["decision"] = outcome.governing.map { "\($0.title) (\($0.id))" } ?? "No contraindication in the facts"
    if outcome.preferred == .refer, let target = outcome.referTo.first {
      plan.referTo = target
      reasons["referTo"] = guidance.catalog.vocabulary.referralTargets.label(target)
    }
    var excluded: [(choice: SiteChoice, rule: Rule)] = []
    var sites: [ResolvedSite] = []
    if outcome.preferred == .needle {
      var thoraxSide: Side?
      for resolved in resolve(scenario.candidateSites) {
        let side = resolved.choice.side
        if let rule = expected.forbidding(resolved.shared, side: side, facts: facts)?.rule {
          excluded.append((resolved.choice, rule))
          continue
        }
        if resolved.site.thorax, let rule = expected.thoraxRule, let side {
          if let first = thoraxSide, first != side {
            excluded.append((resolved.choice, rule))
            continue
          }
          thoraxSide = side
        }
        sites.append(resolved)
        reasons["site:\(resolved.choice)"] = expected.caution(resolved.shared, side: side, facts: facts)
          .map(\.rule).map { "with care: \($0.title) (\($0.id))" } ?? "no rule forbids it"
      }
      plan.sites = sites.map(\.choice)
    }
    let needs = planPrecautions(expected, facts: facts, sites: sites)
    let topics = topicSlots.entries(needs.screening)
    plan.screening = topics.map(\.0)
    for (topic, need) in topics {
      let rule = sharedRules[need.rule].rule
      reasons["screening:\(topic)"] = "\(rule.title) (\(rule.id))"
    }
    if outcome.preferred == .needle {
      let required = precautionSlots.entries(needs.required)
      let all = required.map { ($0.0, $0.1, "") } + precautionSlots.entries(needs.recommended).map { ($0.0, $0.1, "recommended: ") }
      // Report order: the catalogue's, a stable order students know from `precautions`.
      let slot = precautionSlots.index
      plan.precautions = all.map(\.0).sorted { (slot[$0] ?? .max) < (slot[$1] ?? .max) }
      for (id, need, kind) in all {
        let why = expected.attribution(need)
        reasons["precaution:\(id)"] = kind + (why.note.map { "\($0) — " } ?? "") + "\(why.rule.title) (\(why.rule.id))"
      }
    }
    return ModelPlan(plan: plan, reasons: reasons, excludedSites: excluded)
  }
}
