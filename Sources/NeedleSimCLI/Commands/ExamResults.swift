import ArgumentParser
import Foundation
import Presentation
import TraineeRecords

extension NeedleSim {
  /// Shows a trainee's exam results once they are released.
  struct ExamResults: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "results",
      abstract: "Show a trainee's debriefs of an exam's latest sitting, once the exam releases them.")

    @OptionGroup var options: LibraryOptions
    @OptionGroup var records: RecordsOptions
    @Argument(help: "The exam file.") var file: String
    @Option(help: ArgumentHelp("Trainee id (default: $NEEDLESIM_TRAINEE or your login name).", valueName: "id"))
    var trainee: String?

    func run() throws {
      let loaded = try LoadedExam.load(file, options: options)
      let exam = loaded.exam
      if case .withheldUntil(let release) = exam.debrief, Date() < release {
        throw CLIError.resultsWithheld(exam: exam.id, until: Timestamp.iso(release))
      }
      let trainee = TraineeIdentity.resolve(trainee)
      let attempts = try records.openStore().attempts(trainee: trainee).filter { $0.exam == exam.id }
      guard let latest = attempts.compactMap(\.examSitting).max() else {
        Output.out("\(trainee) has not sat \(exam.id).")
        return
      }
      let style = OutputStyle.standardOutput
      let sitting = attempts.filter { $0.examSitting == latest }
      Output.out(style.paint("\(exam.title): \(trainee), sitting \(latest)", .bold))
      for item in exam.cases {
        let attempt = sitting.first { $0.scenario == item.scenario.value }
        let line = attempt.map { "\(ReportRenderer.format($0.report.scorePercent))% " + ($0.report.passed ? "passed" : "not passed") }
        Output.out("  \(item.scenario.value.padded(to: 40))\(line ?? "not submitted")")
      }
      for attempt in sitting {
        Output.out("\n" + style.paint(attempt.scenario, .bold) + "\n"
                   + ReportRenderer.render(attempt.report, guidance: loaded.guidance, style: style))
      }
    }
  }
}
