import ArgumentParser
import Presentation

extension NeedleSim {
  /// Checks exam files.
  struct ExamLint: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "lint",
      abstract: "Check exam files: keys, cases, seeds, the time limit, the debrief and the profile.")

    @OptionGroup var options: LibraryOptions
    @Argument(help: "Exam files.") var files: [String]

    func run() throws {
      var errors = 0
      var warnings = 0
      for file in files {
        let (_, diagnostics) = try LoadedExam.check(file, options: options)
        DiagnosticPrinter.print(diagnostics)
        errors += diagnostics.filter { $0.severity == .error }.count
        warnings += diagnostics.filter { $0.severity == .warning }.count
      }
      let summary = "\(files.count) exam file(s) checked: \(errors) error(s), \(warnings) warning(s)"
      let style = OutputStyle.standardError
      Output.err(errors == 0 ? style.paint(summary, .green) : style.paint(summary, .bold, .red))
      if errors > 0 { throw ExitCode.failure }
    }
  }
}
