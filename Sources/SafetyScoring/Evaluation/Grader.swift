import ScenarioKit

extension Evaluator {
  /// Scores `plan` for `scenario`. Pass a precomputed `expected` when grading many plans for one case. A template
  /// case is graded as the variant the plan's seed draws: callers read it first with ``Case/variant(seed:)`` to
  /// report a variant that cannot be read; grading one they did not read falls back to the case given.
  public func grade(_ plan: Plan, for given: Case, expected precomputed: Expected? = nil, hintsUsed: Int = 0)
    -> Report
  {
    let scenario = given.variant(seed: plan.seed).0 ?? given
    let expected = scenario.variant == given.variant ? precomputed ?? expected(for: scenario) : expected(for: scenario)
    let facts = facts(of: scenario)
    let occurred = events(for: scenario, plan: plan)
    let (judged, advice) = judge(plan, facts: facts, expected: expected)
    let (eventItems, timeline) = judgeEvents(occurred, plan: plan)
    let items = judged + eventItems
    let earned = items.reduce(0) { $0 + $1.points }
    let possible = items.reduce(0) { $0 + $1.maxPoints }
    let critical = items.filter(\.isCriticalFailure).map(CriticalFailure.init)
    let (score, passed) = result(earned: earned, possible: possible, hintsUsed: hintsUsed, failed: !critical.isEmpty)
    let outcome = expected.decision
    return Report(
      scenario: scenario.id, scenarioRevision: scenario.revision, guidanceVersion: guidance.version, policy: policy,
      jurisdiction: jurisdiction.id, practitionerLevel: facts.practitioner.level ?? practitionerLevel, passed: passed, scorePercent: score, earned: earned, possible: possible,
      hintsUsed: hintsUsed, criticalFailures: critical,
      expected: ExpectedDecision(preferred: outcome.preferred, allowed: outcome.allowed, referTo: outcome.referTo),
      items: items, advice: advice, events: timeline, variant: scenario.variant)
  }

  /// The score and whether the attempt passes, from the points of its items.
  func result(earned: Int, possible: Int, hintsUsed: Int, failed: Bool) -> (score: Double, passed: Bool) {
    let raw = possible == 0 ? 100 : Double(earned) * 100 / Double(possible)
    let score = max(0, (raw - Double(hintsUsed) * guidance.config.hintPenalty) * 10).rounded() / 10
    return (score, !failed && score >= guidance.config.passMark)
  }

  /// An item judged under `rule` (or under no rule), worth `maxPoints` when correct.
  private func item(
    _ kind: ItemKind, _ subject: String, _ verdict: Verdict, _ severity: Severity, maxPoints: Int, rule: Rule?,
    explanation: String, sources: [String]? = nil
  ) -> ReportItem {
    ReportItem(
      kind: kind, subject: subject, verdict: verdict, severity: severity,
      points: verdict == .correct ? maxPoints : 0, maxPoints: maxPoints, rule: rule?.id,
      explanation: explanation, sources: sources ?? rule?.sources ?? [], disputed: rule?.disputed)
  }

  /// Judges `plan` against what is `expected` for a patient with `facts`: the report's items and advice, in order.
  func judge(_ plan: Plan, facts: PatientFacts, expected: Expected) -> (items: [ReportItem], advice: [Advice]) {
    let sites = plan.decision == .needle ? resolve(plan.sites) : []
    // A forbidden site is judged as unsafe; it does not also create technique precautions.
    let forbidding = sites.map { expected.forbiddingRule($0.site, side: $0.choice.side, facts: facts) }
    let permitted = zip(sites, forbidding).filter { $0.1 == nil }.map(\.0)
    let needs = planItems(expected, facts: facts, sites: permitted)
    var items: [ReportItem] = []
    items.reserveCapacity(needs.screening.count + needs.required.count + needs.recommended.count + sites.count + 4)

    // The decision. When needling itself is a critical error, that is the whole lesson, and itemising needling
    // precautions would bury it.
    var needlingIsCritical = false
    if let decision = plan.decision {
      let outcome = expected.decision
      if decision == .needle, !outcome.allowed.contains(.needle) {
        needlingIsCritical = judgeDecision(decision, outcome).severity == .critical
      }
      items.append(judgeDecision(decision, outcome))
      if decision == .refer, outcome.allowed.contains(.refer), !outcome.referTo.isEmpty {
        items.append(judgeReferral(plan.referTo, outcome))
      }
    }

    // Screening.
    for (topic, why) in topicOrder.entries(needs.screening) {
      let label = topicLabels[topic] ?? topic
      let asked = plan.screening.contains(topic)
      let explanation = why.rule.explanation
      items.append(
        item(.screening, topic, asked ? .correct : .missed, why.severity, maxPoints: weight(why.severity), rule: why.rule,
             explanation: asked ? "You asked about \(label). \(explanation)" : "Not asked: \(label). \(explanation)"))
    }

    // Precautions and sites, only when the plan needles.
    if plan.decision == .needle, !needlingIsCritical {
      let chosen = Set(plan.precautions)
      for (id, why) in precautionOrder.entries(needs.required) {
        let explanation = why.note.map { "(\($0)) " + why.rule.explanation } ?? why.rule.explanation
        items.append(
          item(.precaution, id, chosen.contains(id) ? .correct : .missed, why.severity,
               maxPoints: weight(why.severity), rule: why.rule, explanation: explanation))
      }
      for (id, why) in precautionOrder.entries(needs.recommended) {
        let done = chosen.contains(id)
        items.append(
          item(.precaution, id, done ? .correct : .missed, .minor, maxPoints: weight(.minor), rule: why.rule,
               explanation: done ? why.rule.explanation : "Recommended: " + why.rule.explanation))
      }
      // Good practice never costs, and neither does what an advisory rule recommends.
      let advised = Set((expected.advice + expected.planAdvice).flatMap(\.expect.recommended))
      for id in optionalPrecautions
      where chosen.contains(id) && needs.required[id] == nil && needs.recommended[id] == nil && !advised.contains(id)
      {
        guard let precaution = guidance.catalog.precaution(id) else { continue }
        items.append(
          item(.precaution, precaution.id, .unnecessary, .minor, maxPoints: weight(.minor), rule: nil,
               explanation: "Not needed: nothing in this patient's facts or your chosen sites calls for \"\(precaution.label)\".",
               sources: precaution.sources))
      }
      items += judgeSites(sites, forbidding: forbidding, expected: expected, facts: facts)
      items += judgeTechnique(plan, sites: permitted, needs: needs, facts: facts)
      if let why = minimalDose(needs), sites.count > guidance.config.minimalDoseSites {
        let most = guidance.config.minimalDoseSites
        items.append(
          item(.site, "dose: \(sites.count) sites", .unsafe, .major, maxPoints: weight(.major), rule: why.rule,
               explanation: "Too many sites for a minimal dose: at most \(most) muscles at a session like this one, "
                 + "and you chose \(sites.count). Over-needling a first or anxious session makes fainting and "
                 + "soreness likelier; add sites at later sessions if this one is tolerated. " + why.rule.explanation))
      }
    }

    let advice = expected.advice + expected.planAdvice.filter { $0.when.holds(for: facts, sites: permitted) }
    return (items, advice.map(Advice.init))
  }

  /// The decision item. The decision is worth the critical weight; a decision the guidance does not allow loses
  /// the weight of the item's severity, so what an item says it costs is what it costs.
  private func judgeDecision(_ decision: Decision, _ outcome: DecisionOutcome) -> ReportItem {
    let worth = weight(.critical)
    func judged(_ verdict: Verdict, _ severity: Severity, _ rule: Rule?, _ explanation: String) -> ReportItem {
      ReportItem(
        kind: .decision, subject: decision.rawValue, verdict: verdict, severity: severity,
        points: verdict == .correct ? worth : max(0, worth - weight(severity)), maxPoints: worth, rule: rule?.id,
        explanation: explanation, sources: rule?.sources ?? [], disputed: rule?.disputed)
    }
    if outcome.allowed.contains(decision) {
      let why = outcome.governing
      let reason = why?.explanation
        ?? "Nothing in this patient's facts rules out needling today; needle with the precautions the patient needs."
      let note = decision == outcome.preferred
        ? "" : "A fair, cautious choice: \(decision.rawValue) is among the decisions the guidance allows here. "
      return judged(.correct, why?.severity ?? .major, why, note + reason)
    }
    let against = mostSevere(outcome.rules) { !($0.expect.decision?.allowed.contains(decision) ?? true) }
    if decision == .needle {
      if let against { return judged(.unsafe, against.severity, against, against.explanation) }
      // Only site rules stand in the way: every site this patient's problem calls for is ruled out today.
      let why = outcome.governing
      return judged(
        .unsafe, .major, why,
        "Every site that would treat this problem is ruled out today, so there is nothing safe to needle: "
          + (why?.explanation ?? "needle another day."))
    }
    if outcome.preferred == .refer {
      return judged(
        .missed, against?.severity ?? .major, against,
        (against?.explanation ?? "") + " This patient needs medical assessment: the right decision is to refer.")
    }
    if outcome.allowed.contains(.needle) {
      // Withholding indicated care from a patient who could safely have it is not unsafe, but it is not passed over.
      return judged(
        .unnecessary, .major, outcome.governing,
        "Over-cautious: nothing in the facts stops you needling today with the right precautions, "
          + "so \(decision.rawValue) withholds a treatment this patient could safely have.")
    }
    return judged(
      .unnecessary, .minor, outcome.governing,
      "Not the best choice: \(outcome.preferred.rawValue) fits better. " + (outcome.governing?.explanation ?? ""))
  }

  /// Judges to whom the plan refers. When the red flags set an emergency, the wrong service delays emergency care, so
  /// the item is critical; otherwise naming the right service is a minor point.
  private func judgeReferral(_ target: String?, _ outcome: DecisionOutcome) -> ReportItem {
    let vocabulary = guidance.catalog.vocabulary
    let targets = outcome.referTo.map { vocabulary.referralTargets.label($0) }.joined(separator: " or ")
    let rule = outcome.rules.first { outcome.triage != nil && $0.expect.decision?.referByTriage == true }
      ?? outcome.rules.first { $0.expect.decision?.allowed.contains(.refer) == true }
    let severity: Severity = outcome.triage?.urgency == .emergency ? .critical : .minor
    var why = ""
    var sources: [String]?
    if let triage = outcome.triage {
      let flags = triage.flags.map { vocabulary.redFlags.label($0) }.joined(separator: "; ")
      why = " Red flags: \(flags) — \(triage.urgency.phrase)."
      sources = (rule?.sources ?? []) + triage.sources.filter { !(rule?.sources ?? []).contains($0) }
    }
    if let target, outcome.referTo.contains(target) {
      return item(.decision, "refer to \(target)", .correct, severity, maxPoints: weight(severity), rule: rule,
                  explanation: "Referral to the right service: \(targets).\(why)", sources: sources)
    }
    let named = target.map { "\(vocabulary.referralTargets.label($0)) is not the right service. " }
      ?? "Say to whom you refer and why. "
    return item(.decision, "refer to \(target ?? "(nobody named)")", .missed, severity, maxPoints: weight(severity),
                rule: rule, explanation: named + "Refer to \(targets).\(why)", sources: sources)
  }

  /// Technique items: the positions the plan uses against the position checks that apply, and each permitted site's
  /// needle and approach against the site's technique data.
  private func judgeTechnique(_ plan: Plan, sites: [ResolvedSite], needs: ExpectedItems, facts: PatientFacts)
    -> [ReportItem]
  {
    var items: [ReportItem] = []
    let vocabulary = guidance.catalog.vocabulary
    let used = sites.isEmpty ? [plan.position] : sites.map { plan.position(of: $0.choice) }
    for check in TechniqueCheck.allCases where !check.perSite {
      guard let why = needs.technique[check] else { continue }
      let acceptable: Set<String> = switch check {
      case .lyingDown: ["prone", "supine", "side-lying-left", "side-lying-right"]
      case .sideLying: ["side-lying-left", "side-lying-right"]
      default: Set(vocabulary.positions.ids.filter { $0 != "standing" })
      }
      let wrong = used.compactMap { $0 }.first { !acceptable.contains($0) }
      let unstated = used.contains(nil) && check != .notStanding
      let verdict: Verdict = wrong != nil ? .unsafe : unstated ? .missed : .correct
      // One item per check, named by it, so reports and rescoring tell them apart.
      let subject = "position \(check.rawValue): " + (wrong ?? used.compactMap { $0 }.first ?? "not stated")
      let expected = acceptable.sorted().map { vocabulary.positions.label($0).lowercased() }.joined(separator: " or ")
      let lead = verdict == .correct ? "" : verdict == .missed ? "State the patient's position (\(expected)). "
        : "Not \(vocabulary.positions.label(wrong ?? "").lowercased()): \(expected). "
      items.append(item(.technique, subject, verdict, why.severity, maxPoints: weight(why.severity), rule: why.rule,
                        explanation: lead + why.rule.explanation))
    }
    for resolved in sites {
      let technique = resolved.site.technique
      let choice = resolved.choice
      let subject = choice.description
      let sources = technique.sources
      if let why = needs.technique[.stated],
        ((!technique.maxNeedleMm.isEmpty || technique.forearm != nil) && choice.needle == nil)
          || (!technique.approaches.isEmpty && choice.approach == nil)
      {
        items.append(item(.technique, "\(subject): needle and approach", .missed, why.severity,
                          maxPoints: weight(why.severity), rule: why.rule,
                          explanation: "Not stated: the needle length and approach at \(resolved.site.name). "
                            + why.rule.explanation, sources: why.rule.sources + sources))
      }
      if let why = needs.technique[.needleLength], let needle = choice.needle, let longest = technique.maxNeedle(for: facts.build) {
        let build = facts.build?.rawValue ?? "unknown (not examined, so the thin build's)"
        let safe = needle <= longest
        items.append(item(.technique, "\(subject): \(needle)mm needle", safe ? .correct : .unsafe, why.severity,
                          maxPoints: weight(why.severity), rule: why.rule,
                          explanation: (safe ? "" : "Too long: ")
                            + "for this build (\(build)) the longest needle that stays clear here is \(longest) mm "
                            + "(`needlesim catalog` gives each site's figure and its basis). " + why.rule.explanation,
                          sources: why.rule.sources + sources))
      }
      if let why = needs.technique[.forearmNeedle], let needle = choice.needle,
        let fitting = technique.forearmNeedle(circumference: facts.forearmCircumferenceCm)
      {
        let good = needle <= fitting
        let measured = facts.forearmCircumferenceCm.map { String(format: "%.1f", $0) } ?? "?"
        items.append(item(.technique, "\(subject): \(needle)mm needle", good ? .correct : .unsafe, why.severity,
                          maxPoints: weight(why.severity), rule: why.rule,
                          explanation: (good ? "" : "Too long: ") + "for a forearm of \(measured) cm the needle that fits is "
                            + "\(fitting) mm. " + why.rule.explanation, sources: why.rule.sources + sources))
      }
      if let why = needs.technique[.regionPosition], let position = plan.position(of: choice),
        !technique.positions.isEmpty
      {
        let good = technique.positions.contains(position)
        let labels = technique.positions.map { vocabulary.positions.label($0).lowercased() }.joined(separator: " or ")
        items.append(item(.technique, "\(subject): \(position)", good ? .correct : .missed, why.severity,
                          maxPoints: weight(why.severity), rule: why.rule,
                          explanation: (good ? "" : "Recommended here: \(labels). ") + why.rule.explanation,
                          sources: why.rule.sources + sources))
      }
      if let why = needs.technique[.approach], let approach = choice.approach, !technique.approaches.isEmpty {
        let safe = technique.approaches.contains(approach)
        let allowed = technique.approaches.joined(separator: ", ")
        items.append(item(.technique, "\(subject): \(approach)", safe ? .correct : .unsafe, why.severity,
                          maxPoints: weight(why.severity), rule: why.rule,
                          explanation: (safe ? "" : "Not \(approach) here: ") + "over the hazard use \(allowed). "
                            + why.rule.explanation, sources: why.rule.sources + sources))
      }
    }
    return items
  }

  private func judgeSites(_ sites: [ResolvedSite], forbidding: [Rule?], expected: Expected, facts: PatientFacts)
    -> [ReportItem]
  {
    if sites.isEmpty {
      return [item(.site, "(none)", .missed, .minor, maxPoints: weight(.minor), rule: nil,
                   explanation: "You decided to needle but chose no site.")]
    }
    var items: [ReportItem] = []
    var thorax = ThoraxSide()
    for (resolved, forbidden) in zip(sites, forbidding) {
      let subject = resolved.choice.description
      if let rule = forbidden {
        items.append(item(.site, subject, .unsafe, rule.severity, maxPoints: weight(rule.severity), rule: rule,
                          explanation: rule.explanation))
        continue
      }
      if let rule = expected.thoraxRule, !thorax.admits(resolved) {
        items.append(item(.site, subject, .unsafe, rule.severity, maxPoints: weight(rule.severity), rule: rule,
                          explanation: rule.explanation))
        continue
      }
      if let rule = expected.cautionRule(resolved.site, side: resolved.choice.side, facts: facts) {
        items.append(item(.site, subject, .correct, rule.severity, maxPoints: 0, rule: rule,
                          explanation: "Acceptable with care: \(rule.explanation)"))
      } else {
        let site = resolved.site
        let anatomy = site.anatomy.beneath.isEmpty ? "" : " Beneath it (standard anatomy): \(site.anatomy.beneath)"
        items.append(item(.site, subject, .correct, .minor, maxPoints: 0, rule: nil,
                          explanation: "No rule forbids this site for this patient. \(site.note)\(anatomy)",
                          sources: site.sources + site.anatomy.sources.filter { !site.sources.contains($0) }))
      }
    }
    return items
  }
}

extension Evaluator {
  /// Why a minimal dose applies to a plan with these items, if it does.
  func minimalDose(_ needs: ExpectedItems) -> Attribution? {
    needs.required["minimal-dose"] ?? needs.recommended["minimal-dose"]
  }
}

extension ReportItem {
  /// A critical error: it fails the attempt whatever the score.
  var isCriticalFailure: Bool { severity == .critical && (verdict == .missed || verdict == .unsafe) }
}

extension CriticalFailure {
  init(_ item: ReportItem) {
    self.init(rule: item.rule ?? "", kind: item.kind, subject: item.subject, explanation: item.explanation)
  }
}

extension Advice {
  init(_ rule: Rule) { self.init(rule: rule.id, title: rule.title, explanation: rule.explanation) }
}
