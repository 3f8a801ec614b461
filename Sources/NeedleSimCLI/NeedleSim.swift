import ArgumentParser

/// The `needlesim` command: practise dry-needling safety cases, author and check them, grade and export.
public struct NeedleSim: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "needlesim",
    abstract: "Practise dry-needling safety decisions on patient cases, scored against published guidance.",
    discussion: """
      Students: run `needlesim` to practise. Instructors: `lint`, `show`, `answer`, `coverage`, `guidance`, `new`.
      Programs: `grade` (one plan or --batch, --save to record), `scores`, `stats`, `rescore`, `export`, `sync`.
      """,
    version: "0.1.0",
    subcommands: [Practice.self, List.self, Show.self, Lint.self, New.self, Grade.self, Answer.self, GuidanceCommand.self,
                  CoverageCommand.self, CatalogCommand.self, Scores.self, Stats.self, Mastery.self, Exam.self, ReportCommand.self, Rescore.self, Export.self, Sync.self],
    defaultSubcommand: Practice.self
  )

  public init() {}
}
