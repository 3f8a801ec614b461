import Foundation
import ScenarioKit

extension Evaluator {
  /// Scores `plan` for `scenario`. Pass a precomputed `expected` when grading many plans for one case.
  public func grade(_ plan: Plan, for scenario: Case, expected precomputed: Expected? = nil, hintsUsed: Int = 0)
    -> Report
  {
    grade(plan, for: scenario, expected: precomputed ?? expected(for: scenario), siteRules: nil, hintsUsed: hintsUsed)
  }

  /// Scores `plan` for a case prepared for grading many plans.
  public func grade(_ plan: Plan, for prepared: PreparedCase) -> Report {
    grade(plan, for: prepared.scenario, expected: prepared.expected, siteRules: prepared.siteRules, hintsUsed: 0)
  }

  private func grade(
    _ plan: Plan, for scenario: Case, expected: Expected, siteRules: SiteRuleTable?, hintsUsed: Int
  ) -> Report {
    var found = ReportParts()
    judge(plan, facts: scenario.facts, expected: expected, siteRules: siteRules, into: &found)
    let items = found.items
    let earned = items.reduce(0) { $0 + $1.points }
    let possible = items.reduce(0) { $0 + $1.maxPoints }
    // Indices, not `filter`: filtering copies every item to test it.
    let critical = items.indices.filter { items[$0].isCriticalFailure }.map { CriticalFailure(items[$0]) }
    let (score, passed) = result(earned: earned, possible: possible, hintsUsed: hintsUsed, failed: !critical.isEmpty)
    let outcome = expected.decision
    return Report(
      scenario: scenario.id, scenarioRevision: scenario.revision, guidanceVersion: guidance.version, policy: policy,
      passed: passed, scorePercent: score, earned: earned, possible: possible,
      hintsUsed: hintsUsed, criticalFailures: critical,
      expected: ExpectedDecision(preferred: outcome.preferred, allowed: outcome.allowed, referTo: outcome.referTo),
      items: items,
      advice: found.advice)
  }

  /// The score and whether the attempt passes, from the points of its items.
  func result(earned: Int, possible: Int, hintsUsed: Int, failed: Bool) -> (score: Double, passed: Bool) {
    let raw = possible == 0 ? 100 : Double(earned) * 100 / Double(possible)
    let score = max(0, (raw - Double(hintsUsed) * guidance.config.hintPenalty) * 10).rounded() / 10
    return (score, !failed && score >= guidance.config.passMark)
  }

  /// Judges `plan` against what is `expected` for a patient with `facts`, handing each report item and piece of
  /// advice to `sink` in report order. Every one comes with a key that determines it for this case (see
  /// ``GradingSink``), so that batch grading can reuse what it wrote for an earlier plan.
  /// `siteRules`, when given, holds the case's site rules worked out in advance (see ``PreparedCase``).
  func judge<Sink: GradingSink>(
    _ plan: Plan, facts: PatientFacts, expected: Expected, siteRules: SiteRuleTable? = nil, into sink: inout Sink
  ) {
    let sites = plan.decision == .needle ? resolve(plan.sites) : []
    // The rule forbidding each site, if any, looked up once for the precautions and once more for the sites' items
    // would cost as much again. A forbidden site is judged as unsafe; it does not also create technique precautions.
    let forbidding = sites.map { expected.forbidding($0, facts: facts, table: siteRules) }
    let permitted = sites.indices.filter { forbidding[$0] == nil }.map { sites[$0] }
    let needs = planPrecautions(expected, facts: facts, sites: permitted)

    func item(
      _ kind: ItemKind, _ subject: String, _ verdict: Verdict, _ severity: Severity, maxPoints: Int,
      rule shared: SharedRule?, explanation: String, sources: [String]? = nil
    ) -> ReportItem {
      // Fields are read from the shared rule one by one: binding `shared?.rule` would copy the whole rule.
      ReportItem(
        kind: kind, subject: subject, verdict: verdict, severity: severity,
        points: verdict == .correct ? maxPoints : 0, maxPoints: maxPoints, rule: shared?.rule.id,
        explanation: explanation, sources: sources ?? shared?.rule.sources ?? [], disputed: shared?.rule.disputed)
    }

    // The decision.
    let outcome = expected.decision
    let decisionWeight = weight(.critical)
    // When needling itself is a critical error, that is the whole lesson, and itemising needling precautions
    // would bury it.
    var needlingIsCritical = false
    if let decision = plan.decision {
      let against = outcome.allowed.contains(decision)
        ? nil : mostSevere(outcome.decisionRules) { !($0.rule.expect.decision?.allowed.contains(decision) ?? true) }
      if decision == .needle, !outcome.allowed.contains(decision) {
        needlingIsCritical = (against?.rule.severity ?? .critical) == .critical
      }
      sink.item(.decision(decision)) {
        if outcome.allowed.contains(decision) {
          let why = outcome.governingRule
          return item(
            .decision, decision.rawValue, .correct, why?.rule.severity ?? .major, maxPoints: decisionWeight, rule: why,
            explanation: why?.rule.explanation
              ?? "Nothing in this patient's facts rules out needling today; needle with the precautions the patient needs.")
        } else if decision == .needle {
          return item(
            .decision, decision.rawValue, .unsafe, against?.rule.severity ?? .critical, maxPoints: decisionWeight,
            rule: against, explanation: against?.rule.explanation ?? "Needling is not safe for this patient today.")
        } else if outcome.preferred == .refer {
          return item(
            .decision, decision.rawValue, .missed, against?.rule.severity ?? .major, maxPoints: decisionWeight,
            rule: against,
            explanation: (against?.rule.explanation ?? "")
              + " This patient needs medical assessment: the right decision is to refer.")
        } else if outcome.allowed.contains(.needle) {
          return item(
            .decision, decision.rawValue, .unnecessary, .minor, maxPoints: decisionWeight, rule: outcome.governingRule,
            explanation: "Over-cautious: nothing in the facts stops you needling today with the right precautions, "
              + "so \(decision.rawValue) withholds a treatment this patient could safely have.")
        } else {
          return item(
            .decision, decision.rawValue, .unnecessary, .minor, maxPoints: decisionWeight, rule: outcome.governingRule,
            explanation: "Not the best choice: \(outcome.preferred.rawValue) fits better. "
              + (outcome.governing?.explanation ?? ""))
        }
      }
      if decision == .refer, outcome.allowed.contains(.refer), !outcome.referTo.isEmpty {
        sink.item(.referral(plan.referTo)) {
          let targets = outcome.referTo.map { guidance.catalog.vocabulary.referralTargets.label($0) }
            .joined(separator: " or ")
          let referRule = outcome.decisionRules.first { $0.rule.expect.decision?.allowed.contains(.refer) == true }
          if let to = plan.referTo, outcome.referTo.contains(to) {
            return item(.decision, "refer to \(to)", .correct, .minor, maxPoints: weight(.minor), rule: referRule,
                        explanation: "Referral to the right service: \(targets).")
          }
          return item(.decision, "refer to \(plan.referTo ?? "(nobody named)")", .missed, .minor,
                      maxPoints: weight(.minor), rule: referRule,
                      explanation: "Say to whom you refer and why; here: \(targets).")
        }
      }
    }

    // Screening.
    let asked = topicSlots.flags(plan.screening)
    for slot in needs.screening.indices {
      guard let why = needs.screening[slot] else { continue }
      let done = asked[slot]
      sink.item(.screening(slot: slot, rule: why.rule, severity: why.severity, asked: done)) {
        let topic = topicSlots.ids[slot]
        let label = screeningLabels[topic] ?? topic.lowercased()
        let shared = sharedRules[why.rule]
        let explanation = shared.rule.explanation
        return item(.screening, topic, done ? .correct : .missed, why.severity,
                    maxPoints: weight(why.severity), rule: shared,
                    explanation: done ? "You asked about \(label). \(explanation)" : "Not asked: \(label). \(explanation)")
      }
    }

    // Precautions and sites, only when the plan needles.
    if plan.decision == .needle, !needlingIsCritical {
      let chosen = precautionSlots.flags(plan.precautions)
      for slot in needs.required.indices {
        guard let why = needs.required[slot] else { continue }
        let done = chosen[slot]
        let key = ItemKey.required(
          slot: slot, rule: why.rule, severity: why.severity, site: why.site, side: why.side, chosen: done)
        sink.item(key) {
          let shared = sharedRules[why.rule]
          let explanation = shared.rule.explanation
          let note = why.site.map { Attribution.note(at: sharedSites[$0], side: why.side) }
          return item(.precaution, precautionSlots.ids[slot], done ? .correct : .missed, why.severity,
                      maxPoints: weight(why.severity), rule: shared,
                      explanation: note.map { "(\($0)) " + explanation } ?? explanation)
        }
      }
      for slot in needs.recommended.indices {
        guard let why = needs.recommended[slot] else { continue }
        let done = chosen[slot]
        sink.item(.recommended(slot: slot, rule: why.rule, chosen: done)) {
          let shared = sharedRules[why.rule]
          let explanation = shared.rule.explanation
          return item(.precaution, precautionSlots.ids[slot], done ? .correct : .missed, .minor,
                      maxPoints: weight(.minor), rule: shared,
                      explanation: done ? explanation : "Recommended: " + explanation)
        }
      }
      for slot in catalogPrecautionSlots where chosen[slot] && needs.required[slot] == nil && needs.recommended[slot] == nil {
        guard let needless = needlessItems[slot] else { continue }
        sink.item(.needless(slot: slot)) {
          item(.precaution, precautionSlots.ids[slot], .unnecessary, .minor, maxPoints: weight(.minor), rule: nil,
               explanation: needless.explanation, sources: needless.sources)
        }
      }
      judgeSites(
        sites, forbidding: forbidding, expected: expected, siteRules: siteRules, facts: facts, into: &sink, item: item)
    }

    for index in expected.advice.indices { sink.advice(index) { Advice(expected.advice[index]) } }
    for index in expected.planAdvice.indices where expected.planAdvice[index].when.holds(for: facts, sites: permitted) {
      sink.advice(expected.advice.count + index) { Advice(expected.planAdvice[index]) }
    }
  }

  private func judgeSites<Sink: GradingSink>(
    _ sites: [ResolvedSite], forbidding: [SharedRule?], expected: Expected, siteRules: SiteRuleTable?,
    facts: PatientFacts, into sink: inout Sink,
    item: (ItemKind, String, Verdict, Severity, Int, SharedRule?, String, [String]?) -> ReportItem
  ) {
    if sites.isEmpty {
      sink.item(.noSite) {
        item(.site, "(none)", .missed, .minor, weight(.minor), nil, "You decided to needle but chose no site.", nil)
      }
      return
    }
    var thoraxSide: Side?
    for (resolved, forbidden) in zip(sites, forbidding) {
      // The site is read through its shared reference field by field (binding it would copy every field), and the
      // subject is written only when an item is built.
      if let shared = forbidden {
        sink.item(.site(resolved.choice, otherThoraxSide: false)) {
          let severity = shared.rule.severity
          return item(.site, resolved.choice.description, .unsafe, severity, weight(severity), shared, shared.rule.explanation, nil)
        }
        continue
      }
      if resolved.shared.site.thorax, let shared = expected.thorax, let side = resolved.choice.side {
        if let first = thoraxSide, first != side {
          sink.item(.site(resolved.choice, otherThoraxSide: true)) {
            let severity = shared.rule.severity
            return item(.site, resolved.choice.description, .unsafe, severity, weight(severity), shared, shared.rule.explanation, nil)
          }
          continue
        }
        thoraxSide = side
      }
      sink.item(.site(resolved.choice, otherThoraxSide: false)) {
        if let shared = expected.caution(resolved, facts: facts, table: siteRules) {
          return item(.site, resolved.choice.description, .correct, shared.rule.severity, 0, shared,
                      "Acceptable with care: \(shared.rule.explanation)", nil)
        }
        return item(.site, resolved.choice.description, .correct, .minor, 0, nil,
                    "No rule forbids this site for this patient. \(resolved.shared.site.note)",
                    resolved.shared.site.sources)
      }
    }
  }
}

extension Advice {
  init(_ rule: Rule) { self.init(rule: rule.id, title: rule.title, explanation: rule.explanation) }
}
