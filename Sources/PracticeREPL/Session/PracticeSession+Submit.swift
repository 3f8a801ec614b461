import Foundation
import Presentation
import SafetyScoring
import ScenarioKit
import TraineeRecords

/// Hints, submission, the debrief and progress.
extension PracticeSession {
  func hint() -> Reply {
    guard var state = current else { return Reply("No case is open.") }
    if state.submitted != nil { return Reply("This attempt is already submitted; `restart` to try again.") }
    let penalty = ReportRenderer.format(guidance.config.hintPenalty)
    let asked = Set(state.asked)
    let text: String
    if let topic = state.expected.screening.map(\.topic).first(where: { !asked.contains($0) }) {
      text = "Have you asked about \(vocabulary.screeningTopics.label(topic).lowercased())? (`ask \(topic)`)"
    } else if state.plan.decision != state.expected.decision.preferred {
      let rule = state.expected.decision.governing
      text = rule.map { "Think again about the decision, in the light of: \($0.title.lowercased())." }
        ?? "Think again about the decision: is anything really stopping you needling today?"
    } else if state.plan.decision == .needle,
      let missing = evaluator.modelPlan(for: state.scenario, expected: state.expected).plan.precautions
        .first(where: { !state.plan.precautions.contains($0) })
    {
      text = "Consider the precaution: \(guidance.catalog.precaution(missing)?.label ?? missing)."
    } else {
      text = "Your plan looks complete. `submit` when ready."
      return Reply(text)
    }
    state.hints += 1
    current = state
    return Reply("Hint (costs \(penalty) percentage points): \(text)")
  }

  /// `submit`: a needling plan goes to treatment first (`begin`); any other decision, or a needling plan with no site
  /// (nothing to treat), is graded at once.
  func submit() -> Reply {
    guard let state = current else { return Reply("No case is open.") }
    if state.submitted != nil { return Reply("Already submitted. `restart` to try this case again, or `next`.") }
    guard state.plan.decision != nil else {
      return Reply("Decide first: `decide needle`, `decide defer`, `decide refer TARGET` or `decide decline`.")
    }
    guard state.plan.decision == .needle, !state.plan.sites.isEmpty else { return grade() }
    guard let treatment = state.treatment else { return begin() }
    if treatment.active != nil || eventDue {
      return Reply("The treatment is not over: respond to what is happening (`respond ACTION…`), then `continue`.")
    }
    return Reply(finish())
  }

  /// Grades the plan, saves the attempt and shows the debrief.
  func grade() -> Reply {
    guard var state = current else { return Reply("No case is open.") }
    let report = evaluator.grade(state.plan, for: state.scenario, expected: state.expected, hintsUsed: state.hints)
    state.submitted = report
    current = state
    var attempt = Attempt(
      id: environment.makeID(), trainee: trainee, source: exam == nil ? "practice" : "exam", startedAt: state.startedAt,
      submittedAt: environment.now(), plan: state.plan, hintsUsed: state.hints, report: report)
    attempt.exam = exam?.id
    attempt.examSitting = exam?.sitting
    sessionAttempts.append(attempt)
    let saveNote = save(attempt)
    if exam != nil {
      let recorded = examRecorded(report)
      return Reply((saveNote.map { $0 + "\n" } ?? "") + recorded.text, quit: recorded.quit)
    }
    var parts = [ReportRenderer.render(report, guidance: guidance, style: style)]
    parts.append(DebriefRenderer.comparison(
      model: evaluator.modelPlan(
        for: state.scenario, expected: state.expected, seed: state.plan.seed, eventMode: state.plan.eventMode).plan,
      yours: state.plan,
      guidance: guidance, style: style))
    parts.append(style.paint("Learning objectives", .bold) + "\n"
                 + state.scenario.objectives.map { style.wrap($0, indent: "    ", first: "  - ") }.joined(separator: "\n"))
    if let saveNote { parts.append(saveNote) }
    parts.append("Next: `next` for another case, `restart` to try this one again, `progress` for your scores.")
    return Reply(parts.joined(separator: "\n\n"))
  }

  /// Saves `attempt`, retrying earlier failures first. Returns a note for the student when saving failed.
  func save(_ attempt: Attempt) -> String? {
    guard store != nil else { return nil }
    unsaved.append(attempt)
    retryUnsaved()
    guard !unsaved.isEmpty else { return nil }
    return style.paint("Warning: this attempt could not be saved yet; it will be retried. ", .yellow)
      + (lastSaveError.map { "(\($0))" } ?? "")
  }

  func retryUnsaved() {
    guard let store else { return }
    var still: [Attempt] = []
    for attempt in unsaved {
      do {
        try store.save(attempt, sealingWith: exam?.key)
      } catch {
        lastSaveError = error.localizedDescription
        still.append(attempt)
      }
    }
    let savedAny = still.count < unsaved.count
    unsaved = still
    if savedAny { onAttemptsSaved?() }
  }

  func progressView() -> String {
    let attempts = allAttempts()
    guard !attempts.isEmpty else { return "No attempts yet. `next` opens a case." }
    var lines = [style.paint("Progress for \(trainee): \(attempts.count) attempt(s)", .bold)]
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    formatter.timeZone = TimeZone(identifier: "UTC")
    let width = min(34, (attempts.map(\.scenario.count).max() ?? 10) + 1)
    for attempt in attempts.suffix(20) {
      let score = attempt.report.scorePercent
      let bar = style.bar(score)
      let result = attempt.report.passed ? "pass" : (attempt.report.criticalFailures.isEmpty ? "fail" : "FAIL critical")
      lines.append("  \(formatter.string(from: attempt.submittedAt)) \(attempt.scenario.padded(to: width))"
                   + "\(bar) \(ReportRenderer.format(score).padded(to: 4))% \(result)")
    }
    var counts: [String: Int] = [:]
    for attempt in attempts {
      for item in attempt.report.items where item.verdict == .missed || item.verdict == .unsafe {
        if let rule = item.rule { counts[rule, default: 0] += 1 }
      }
    }
    let top = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(5)
    if !top.isEmpty {
      lines.append("")
      lines.append(style.paint("Rules you most often missed or broke", .bold))
      for (rule, count) in top {
        lines.append("  \(String(count).padded(to: 4))\(rule.padded(to: 32))\(guidance.rule(rule)?.title ?? "")")
      }
      lines.append("`needlesim guidance RULE` (outside the REPL) shows a rule with its sources.")
    }
    lines += masteryView()
    return lines.joined(separator: "\n")
  }
}
