import ArgumentParser
import Foundation
import Presentation
import SafetyScoring
import ScenarioKit
import TraineeRecords

extension NeedleSim {
  /// Scores a plan file, or many plans from a JSON-lines file.
  struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "grade",
      abstract: "Score a plan file (YAML or JSON) against the guidance, or a batch of JSON plans.",
      discussion: """
        Exit status 0 when the plan was graded (passed or not), 1 when it could not be graded.
        --batch reads one JSON plan per line (each naming its scenario) and writes one JSON report per line;
        a line that cannot be graded yields {"line": N, "error": "..."} and the run goes on.
        """)

    @OptionGroup var options: LibraryOptions
    @Option(help: ArgumentHelp("The case id (default: the plan's own scenario).", valueName: "id")) var scenario: String?
    @Option(help: ArgumentHelp("The plan file (YAML or JSON).", valueName: "file")) var plan: String?
    @OptionGroup var seedOption: SeedOption
    @Option(help: ArgumentHelp("A JSON-lines file of plans, or - for standard input.", valueName: "file"))
    var batch: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Record the graded attempt(s) in the records database (needs --trainee).") var save = false
    @Option(help: ArgumentHelp("Trainee id to record the attempt under.", valueName: "id")) var trainee: String?
    @OptionGroup var records: RecordsOptions

    func validate() throws {
      if (plan == nil) == (batch == nil) { throw ValidationError("give either --plan FILE or --batch FILE") }
      if batch != nil, scenario != nil { throw ValidationError("--scenario goes with --plan; batch plans name their own") }
      if batch != nil, seedOption.seed != nil { throw ValidationError("--seed goes with --plan; batch plans give their own") }
      if save, (trainee ?? "").isEmpty { throw ValidationError("--save needs --trainee ID") }
    }

    func run() throws {
      let guidance = try options.loadGuidance()
      let library = options.loadLibrary(guidance, quiet: json || batch != nil)
      let evaluator = options.evaluator(guidance)
      let store = save ? try records.openStore() : nil
      let recorder = store.map { Recorder(store: $0, trainee: trainee ?? "") }
      if let batch {
        try BatchGrader(evaluator: evaluator, library: library, recorder: recorder).run(path: batch)
        return
      }
      guard let plan else { return }
      let (loaded, diagnostics) = PlanFile.load(URL(fileURLWithPath: plan), catalog: guidance.catalog)
      DiagnosticPrinter.print(diagnostics)
      guard var loaded else { throw ExitCode.failure }
      if let scenario {
        if loaded.scenario.isEmpty { loaded.scenario = scenario }
        if loaded.scenario != scenario {
          Output.err("error: the plan is for \"\(loaded.scenario)\" but --scenario says \"\(scenario)\"")
          throw ExitCode.failure
        }
      }
      if let seed = seedOption.seed {
        if let written = loaded.seed, written != seed {
          Output.err("error: the plan has seed \(written) but --seed says \(seed)")
          throw ExitCode.failure
        }
        loaded.seed = seed
      }
      let found = try options.findCase(loaded.scenario, in: library, seed: loaded.seed)
      let report = evaluator.grade(loaded, for: found)
      try recorder?.record(loaded, report: report)
      if json {
        Output.out(report.json(pretty: true))
      } else {
        Output.out(ReportRenderer.render(report, guidance: guidance, style: OutputStyle.standardOutput))
      }
    }
  }
}

/// Saves attempts graded outside the REPL (source "grade": submitted the moment they are graded).
struct Recorder {
  let store: AttemptStore
  let trainee: String

  func record(_ plan: Plan, report: Report) throws {
    let now = Date()
    try store.save(
      Attempt(id: UUID(), trainee: trainee, source: "grade", startedAt: now, submittedAt: now, plan: plan,
              hintsUsed: 0, report: report))
  }
}
