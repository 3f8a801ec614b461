import Foundation
import Presentation
import SafetyScoring
import ScenarioKit
import TraineeRecords

/// Exam mode: only the exam's cases, in order; a clock on the prompt; no hints; each attempt sealed; the debrief at the
/// end or withheld; and when time is up, the open plan is graded as it stands.
extension PracticeSession {
  /// Commands an exam refuses, with why.
  static let refusedInExam: [String: String] = [
    "hint": "Hints are off in an exam.",
    "answer": "The model answer is not available in an exam.",
    "random": "An exam takes its cases in order: `next`.",
    "restart": "An exam case cannot be started again.",
    "progress": "Your scores are shown when the exam ends (or when the debrief is released).",
  ]

  /// Minutes left, rounded up, for the prompt: `[12 min left] `.
  var examClock: String {
    guard let exam, !examOver else { return "" }
    let seconds = exam.deadline.timeIntervalSince(environment.now())
    return seconds < 60 ? "[under 1 min left] " : "[\(Int((seconds / 60).rounded(.up))) min left] "
  }

  /// The session has ended (an exam that is over): the caller stops reading input.
  public var isFinished: Bool { examOver }

  /// Whether the exam's time has run out (and it has not been ended yet).
  public var examTimeIsUp: Bool {
    guard let exam, !examOver else { return false }
    return environment.now() >= exam.deadline
  }

  /// Seconds until the exam's time runs out, for the terminal's interruption; nil outside an exam.
  public var examSecondsLeft: Double? {
    guard let exam, !examOver else { return nil }
    return max(0, exam.deadline.timeIntervalSince(environment.now()))
  }

  func examWelcome(_ exam: ExamSitting) -> String {
    let minutes = ReportRenderer.format(exam.deadline.timeIntervalSince(environment.now()) / 60)
    return [
      style.paint("needlesim exam — \(exam.title)", .bold),
      "Trainee: \(trainee) · exam \(exam.id), sitting \(exam.sitting) · \(exam.cases.count) case(s) · \(minutes) minutes"
        + " · policy \(evaluator.policy)",
      "Hints are off. The time left is on the prompt; when it runs out, your open plan is graded as it stands.",
      exam.releaseAt.map { "Your results are withheld until \(Self.day($0))." } ?? "Your results are shown at the end.",
      "Type `next` for the first case, `list` for all of them, `help` for the commands.",
    ].joined(separator: "\n")
  }

  static func day(_ date: Date) -> String { Timestamp.iso(date).prefix(16).replacingOccurrences(of: "T", with: " ") + " UTC" }

  /// The exam's cases with what is done.
  func examList(_ exam: ExamSitting) -> String {
    var lines = [style.paint("Exam cases (\(exam.cases.count))", .bold)]
    for (index, entry) in exam.cases.enumerated() {
      let done = examReports[index] != nil ? "submitted" : (examIndex == index ? "open" : "to do")
      lines.append("  \(index + 1). \(entry.scenario.id.padded(to: 40))\(done)")
    }
    return lines.joined(separator: "\n")
  }

  /// Opens exam case `index` as the trainee's variant, with the exam's events.
  func openExamCase(_ index: Int) -> Reply {
    guard let exam else { return Reply("") }
    if examReports[index] != nil { return Reply("You have submitted \(exam.cases[index].scenario.id) already.") }
    if let state = current, state.submitted == nil, examIndex != index, state.hasUnsubmittedWork {
      return Reply("Submit \(state.scenario.id) first: an exam case cannot be set aside.")
    }
    let entry = exam.cases[index]
    examIndex = index
    current = CaseState(
      scenario: entry.scenario, expected: evaluator.expected(for: entry.scenario),
      plan: Plan(scenario: entry.scenario.id, seed: entry.seed, eventMode: eventMode), startedAt: environment.now())
    return Reply(style.paint("Case \(index + 1) of \(exam.cases.count)", .bold) + "\n\n" + caseView())
  }

  func examNext() -> Reply {
    guard let exam else { return Reply("") }
    if let index = examIndex, examReports[index] == nil, current?.submitted == nil {
      return Reply("Finish \(exam.cases[index].scenario.id) first.")
    }
    guard let index = exam.cases.indices.first(where: { examReports[$0] == nil }) else { return endExam(timeUp: false) }
    return openExamCase(index)
  }

  func examStart(_ arguments: [String]) -> Reply {
    guard let exam, let id = arguments.first else { return Reply("Usage: start CASE-ID (`list` shows the exam's cases).") }
    guard let index = exam.cases.firstIndex(where: { $0.scenario.id == id }) else {
      return Reply("\"\(id)\" is not a case of this exam; `list` shows them.")
    }
    return openExamCase(index)
  }

  /// After a case is graded: recorded, without the score; the end of the exam after the last case.
  func examRecorded(_ report: Report) -> Reply {
    guard let exam, let index = examIndex else { return Reply("") }
    examReports[index] = report
    examIndex = nil
    current = nil
    let left = exam.cases.indices.filter { examReports[$0] == nil }.count
    if examOver { return Reply("") }  // graded as the exam ends: the end says the rest
    guard left > 0 else { return endExam(timeUp: false) }
    return Reply("Recorded (\(exam.cases.count - left) of \(exam.cases.count) submitted). `next` for the next case.")
  }

  /// `quit` in an exam: the first one warns; the second ends the exam.
  func examQuit() -> Reply {
    guard warnedBeforeLeaving else {
      warnedBeforeLeaving = true
      return Reply("Leaving ends the exam: cases not submitted score nothing. Type `quit` again to leave.")
    }
    return endExam(timeUp: false)
  }

  /// Ends the exam: grades the open plan as it stands, then shows the results, or when they will be released.
  public func endExam(timeUp: Bool) -> Reply {
    guard let exam, !examOver else { return Reply("The exam is over. Goodbye.", quit: true) }
    var lines: [String] = []
    if timeUp { lines.append(style.paint("Time is up.", .bold, .red)) }
    examOver = true
    if let index = examIndex, let state = current, state.submitted == nil, examReports[index] == nil {
      // The open plan is graded as it stands; a treatment cut short leaves its events unanswered.
      lines.append("Your plan for \(state.scenario.id) is graded as it stands.")
      _ = grade()
    }
    let unsaved = self.unsaved.isEmpty ? nil : "Warning: \(self.unsaved.count) attempt(s) could not be saved yet."
    lines.append(style.paint("The exam is over: \(examReports.count) of \(exam.cases.count) case(s) submitted.", .bold))
    if let release = exam.releaseAt, environment.now() < release {
      lines.append("Your results are withheld until \(Self.day(release)); then `needlesim exam results` shows them.")
    } else {
      lines.append(examResults(exam))
    }
    if let unsaved { lines.append(unsaved) }
    lines.append("Goodbye.")
    return Reply(lines.joined(separator: "\n\n"), quit: true)
  }

  /// The summary and every case's debrief.
  func examResults(_ exam: ExamSitting) -> String {
    var parts = [style.paint("Results", .bold)]
    for (index, entry) in exam.cases.enumerated() {
      let line = examReports[index].map { report in
        "\(ReportRenderer.format(report.scorePercent))% " + (report.passed ? "passed" : "not passed")
          + (report.criticalFailures.isEmpty ? "" : " (critical error)")
      } ?? "not submitted"
      parts[0] += "\n  \(index + 1). \(entry.scenario.id.padded(to: 40))\(line)"
    }
    for (index, entry) in exam.cases.enumerated() {
      guard let report = examReports[index] else { continue }
      parts.append(style.paint("\(index + 1). \(entry.scenario.title)", .bold) + "\n"
                   + ReportRenderer.render(report, guidance: guidance, style: style))
    }
    return parts.joined(separator: "\n\n")
  }
}
