import YAMLReading
import ScenarioKit

/// Checks a loaded case against the guidance: the model plan replays to 100%, every unsafe plan fails on the
/// rule it names, and the patient can answer every screening question the guidance requires.
public struct CaseChecker: Sendable {
  public let evaluator: Evaluator

  public init(evaluator: Evaluator) { self.evaluator = evaluator }


  public func check(_ scenario: Case) -> [Diagnostic] {
    let bag = DiagnosticBag(path: scenario.path)
    let at = scenario.idPosition
    let expected = evaluator.expected(for: scenario)
    let model = evaluator.modelPlan(for: scenario, expected: expected)

    if expected.decision.conflicting {
      let names = expected.decision.blocking.map(\.id).joined(separator: ", ")
      bag.warning("rules disagree on the decision (\(names)); the model answer takes the most cautious", at: at)
    }
    if model.plan.decision == .needle, model.plan.sites.isEmpty {
      bag.error("the model decision is needle but no candidate site is safe to needle; add a safe candidate site", at: at)
    }
    let report = evaluator.grade(model.plan, for: scenario, expected: expected)
    if !report.passed || report.scorePercent < 100 {
      let wrong = report.items.filter { $0.verdict != .correct }.map { "\($0.kind.rawValue) \($0.subject)" }
      bag.error(
        "the model plan does not replay cleanly (\(report.scorePercent)%): \(wrong.joined(separator: ", "))", at: at)
    }
    // A scripted event teaches only if a sound plan meets it: the model plan's treatment must bring it.
    if !scenario.events.isEmpty {
      var scripted = model.plan
      scripted.eventMode = .scripted
      let happening = Set(evaluator.events(for: scenario, plan: scripted).map(\.event))
      for script in scenario.events where !happening.contains(script.event) {
        bag.warning("scripted event \"\(script.event)\" never happens in the model plan's treatment "
                    + (model.plan.decision == .needle ? "(no chosen site fits it, or its condition fails)" : "(it does not needle)"),
                    at: at)
      }
    }
    // Examination is answered by the case's examination block, not by the patient; any candidate site whose rules
    // ask for it needs one.
    let candidates = evaluator.resolve(scenario.candidateSites)
    let candidateNeeds = evaluator.planItems(expected, facts: evaluator.facts(of: scenario), sites: candidates)
    if scenario.examination == nil, candidateNeeds.screening[Examination.topic] != nil {
      bag.error("a candidate site needs the patient examined (build and alignment, PR-05); add examination: "
        + "{heightCm, weightKg, alignment, findings}", at: at)
    }
    if let exam = scenario.examination {
      let build = evaluator.guidance.config.build(of: exam)
      let codes = Set(scenario.facts.conditions.map(\.code))
      if build == .thin, !codes.contains("thin-build") {
        bag.warning(String(format: "the examination gives BMI %.1f (thin) but the facts do not code thin-build", exam.bmi), at: at)
      }
      if build == .obese, !codes.contains("obesity") {
        bag.warning(String(format: "the examination gives BMI %.1f (obese) but the facts do not code obesity", exam.bmi), at: at)
      }
      if build != .thin, codes.contains("thin-build") {
        bag.warning(String(format: "the facts code thin-build but the examination gives BMI %.1f", exam.bmi), at: at)
      }
      if build != .obese, codes.contains("obesity") {
        bag.warning(String(format: "the facts code obesity but the examination gives BMI %.1f", exam.bmi), at: at)
      }
      if codes.contains("scoliosis"), !exam.alignment.contains("scoliosis") {
        bag.warning("the facts code scoliosis but the examination's alignment does not show it", at: at)
      }
    }
    for topic in model.plan.screening where topic != Examination.topic && scenario.interview[topic] == nil {
      bag.warning(
        "the guidance requires asking about \(topic), but the patient has no answer for it; add interview.\(topic)",
        at: at)
    }
    if scenario.unsafePlans.isEmpty {
      bag.warning("no unsafePlans: add at least one plan that must fail, so lint can check the case teaches it", at: at)
    }
    for unsafe in scenario.unsafePlans {
      guard let rule = evaluator.guidance.rule(unsafe.violates.value) else {
        bag.error(
          "unknown rule \"\(unsafe.violates.value)\"\(Suggestions.hint(for: unsafe.violates.value, in: evaluator.guidance.rules.map(\.id)))",
          at: unsafe.violates.position)
        continue
      }
      // A disputed rule may be switched off or softened under the chosen policy; the plan is then not checkable.
      guard let applied = evaluator.rules.first(where: { $0.id == rule.id }), applied.severity == .critical else {
        continue
      }
      let result = evaluator.grade(unsafe.plan, for: scenario, expected: expected)
      if !result.criticalFailures.contains(where: { $0.rule == rule.id }) {
        let got = result.criticalFailures.map(\.rule)
        bag.error(
          "unsafe plan \"\(unsafe.name)\" does not fail critically on \(rule.id)"
            + (got.isEmpty ? " (it has no critical failure" + (result.passed ? "; it passes)" : ")")
              : " (critical failures: \(got.joined(separator: ", ")))"),
          at: unsafe.position)
      }
    }
    return bag.diagnostics
  }
}
