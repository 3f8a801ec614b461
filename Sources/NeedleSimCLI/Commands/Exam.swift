import ArgumentParser

extension NeedleSim {
  /// Exams: timed, sealed sittings of fixed cases that an instructor writes.
  struct Exam: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "exam",
      abstract: "Run, check and verify timed exams whose attempts are sealed under an instructor key.",
      discussion: """
        An exam file names its cases (or a case and seed, or a variant per trainee), a time limit, how many sittings \
        a trainee may have, and whether the debrief is shown at the end or withheld until a date (docs/exams.md). \
        Each attempt is sealed with an HMAC under the instructor's key ($NEEDLESIM_EXAM_KEY or --key-file), which \
        is never stored; `exam verify` reports each attempt as intact or altered.
        """,
      subcommands: [ExamStart.self, ExamVerify.self, ExamResults.self, ExamLint.self])
  }
}

/// `--key-file`: where the instructor's key is read from (else $NEEDLESIM_EXAM_KEY).
struct ExamKeyOption: ParsableArguments {
  @Option(help: ArgumentHelp("File holding the instructor's exam key (default: $NEEDLESIM_EXAM_KEY).", valueName: "path"))
  var keyFile: String?
}
