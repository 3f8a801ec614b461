import ScenarioKit

/// The guidance-derived model answer for a case, with the reason for every line.
public struct ModelPlan: Sendable {
  public var plan: Plan
  /// A reason for each line: keyed "decision", "referTo", "screening:<topic>", "precaution:<id>", "site:<choice>",
  /// "event:<id>".
  public var reasons: [String: String]
  /// Candidate sites left out, with the rule that excluded each.
  public var excludedSites: [(choice: SiteChoice, rule: Rule)]
}

extension Evaluator {
  /// Derives the model plan: the preferred decision; for needling, every candidate site no rule forbids (one side
  /// of the thorax at most), every precaution the facts and those sites call for, and the expected responses to the
  /// events that `seed` (under `eventMode`) brings to that plan. The plan of a template's variant carries its seed.
  public func modelPlan(
    for given: Case, expected precomputed: Expected? = nil, seed: Int? = nil, eventMode: EventMode? = nil
  ) -> ModelPlan {
    // With a seed, a template is answered as the variant the seed draws, as ``grade(_:for:expected:hintsUsed:)``
    // grades it.
    let scenario = seed.flatMap { given.variant(seed: $0).0 } ?? given
    let expected = scenario.variant == given.variant ? precomputed ?? self.expected(for: scenario) : self.expected(for: scenario)
    let facts = facts(of: scenario)
    let outcome = expected.decision
    var reasons: [String: String] = [:]
    var plan = Plan(scenario: scenario.id, decision: outcome.preferred)
    reasons["decision"] = outcome.governing.map { "\($0.title) (\($0.id))" } ?? "No contraindication in the facts"
    if outcome.preferred == .refer, let target = outcome.referTo.first {
      plan.referTo = target
      let vocabulary = guidance.catalog.vocabulary
      reasons["referTo"] = vocabulary.referralTargets.label(target)
        + (outcome.triage.map { " — \($0.urgency.phrase)" } ?? "")
    }
    var excluded: [(choice: SiteChoice, rule: Rule)] = []
    var sites: [ResolvedSite] = []
    if outcome.preferred == .needle {
      var thorax = ThoraxSide()
      for resolved in resolve(scenario.candidateSites) {
        let side = resolved.choice.side
        if let rule = expected.forbiddingRule(resolved.site, side: side, facts: facts) {
          excluded.append((resolved.choice, rule))
          continue
        }
        if let rule = expected.thoraxRule, !thorax.admits(resolved) {
          excluded.append((resolved.choice, rule))
          continue
        }
        sites.append(resolved)
        reasons["site:\(resolved.choice)"] = expected.cautionRule(resolved.site, side: side, facts: facts)
          .map { "with care: \($0.title) (\($0.id))" } ?? "no rule forbids it"
      }
    }
    var needs = planItems(expected, facts: facts, sites: sites)
    // A minimal dose: the fewest, lowest-hazard sites that treat the complaint (candidates are listed with the
    // primary targets first), never every permitted candidate.
    if let why = minimalDose(needs), sites.count > guidance.config.minimalDoseSites {
      let ranked = sites.indices.sorted { a, b in
        (sites[a].site.thorax ? 1 : 0, sites[a].site.hazards.count, a) < (sites[b].site.thorax ? 1 : 0, sites[b].site.hazards.count, b)
      }
      let kept = Set(ranked.prefix(guidance.config.minimalDoseSites))
      for index in sites.indices where !kept.contains(index) {
        excluded.append((sites[index].choice, why.rule))
        reasons["site:\(sites[index].choice)"] = nil
      }
      sites = sites.indices.filter(kept.contains).map { sites[$0] }
      needs = planItems(expected, facts: facts, sites: sites)
    }
    if outcome.preferred == .needle {
      // Side-lying, the patient lies on the side away from the sites.
      let leftSites = sites.filter { $0.choice.side == .left }.count
      let sideLying = leftSites > sites.count - leftSites
        ? ["side-lying-right", "side-lying-left"] : ["side-lying-left", "side-lying-right"]
      let order = needs.technique[.sideLying] != nil ? sideLying : ["prone", "supine"] + sideLying
      plan.position = modelPosition(sites, order: order)
      reasons["position"] = needs.technique[.sideLying].map { "\($0.rule.title) (\($0.rule.id))" }
        ?? needs.technique[.lyingDown].map { "\($0.rule.title) (\($0.rule.id))" }
        ?? "lying down: a faint cannot become a fall (PR-10)"
      plan.sites = sites.map { resolved in
        var choice = resolved.choice
        let technique = resolved.site.technique
        // A site whose margin needs another position than the session's gets its own.
        if let session = plan.position, !technique.positions.isEmpty, !technique.positions.contains(session) {
          choice.position = order.first(where: technique.positions.contains)
        }
        if let side = choice.side, plan.position(of: choice) == "side-lying-\(side.rawValue)" {
          choice.position = side == .left ? "side-lying-right" : "side-lying-left"
        }
        choice.needle = technique.longestNeedle(build: facts.build, forearmCircumference: facts.forearmCircumferenceCm)
        choice.approach = technique.approaches.first
        if let needle = choice.needle {
          reasons["site:\(choice)", default: ""] += "; \(needle) mm, the longest that stays clear for this build"
            + (choice.approach.map { ", \($0)" } ?? "")
        }
        return choice
      }
    }
    let topics = topicOrder.entries(needs.screening)
    plan.screening = topics.map(\.id)
    for (topic, why) in topics { reasons["screening:\(topic)"] = "\(why.rule.title) (\(why.rule.id))" }
    if outcome.preferred == .needle {
      // Report order: the catalogue's, a stable order students know from `precautions`.
      let required = needs.required.mapValues { (why: $0, kind: "") }
      let all = precautionOrder.entries(required.merging(needs.recommended.mapValues { (why: $0, kind: "recommended: ") }) { a, _ in a })
      plan.precautions = all.map(\.id)
      for (id, (why, kind)) in all {
        reasons["precaution:\(id)"] = kind + (why.note.map { "\($0) — " } ?? "") + "\(why.rule.title) (\(why.rule.id))"
      }
    }
    // The plan names the variant it answers; a variant's seed does not bring random events unless asked for.
    plan.seed = seed ?? scenario.variant?.seed
    plan.eventMode = eventMode ?? (seed == nil && plan.seed != nil ? .scripted : nil)
    for happened in events(for: scenario, plan: plan) {
      guard let event = guidance.events.event(happened.event) else { continue }
      plan.events.append(EventResponse(event: event.id, responses: event.modelResponses))
      reasons["event:\(event.id)"] = "\(event.name) (\(event.refs.joined(separator: ", ")))"
    }
    return ModelPlan(plan: plan, reasons: reasons, excludedSites: excluded)
  }

  /// The lying position (in `order` of preference) that the most sites' technique data allows; sites it does not
  /// suit get their own.
  private func modelPosition(_ sites: [ResolvedSite], order: [String]) -> String {
    let suited = order.map { position in
      sites.filter { $0.site.technique.positions.isEmpty || $0.site.technique.positions.contains(position) }.count
    }
    let best = suited.max() ?? 0
    return order[suited.firstIndex(of: best) ?? 0]
  }
}
