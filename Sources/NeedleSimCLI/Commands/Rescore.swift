import ArgumentParser
import Foundation
import Presentation
import SafetyScoring
import TraineeRecords

extension NeedleSim {
  /// Re-grades stored plans under the current guidance.
  struct Rescore: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rescore",
      abstract: "Re-score stored plans under the current guidance; keep the originals and list what changed.",
      discussion: """
        Each attempt is re-graded under its own policy, jurisdiction and practitioner level (or --policy,
        --jurisdiction, --level) against the current case files and rules.
        Original reports are never changed; new reports are stored beside them (not with --dry-run).
        Lists every attempt whose verdicts or pass/fail changed.
        """)

    @OptionGroup var options: LibraryOptions
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Show what would change without storing anything.") var dryRun = false
    @Option(help: ArgumentHelp("Only this trainee.", valueName: "id")) var trainee: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let guidance = try options.loadGuidance()
      let library = options.loadLibrary(guidance, quiet: json)
      let rescorer = Rescorer(store: try records.openStore(), guidance: guidance, cases: library.cases, now: { Date() })
      let summary = try rescorer.run(
        AttemptFilter(trainee: trainee), policy: options.policy, jurisdiction: options.jurisdiction,
        practitionerLevel: options.level, dryRun: dryRun)
      if json {
        Output.out(try JSON.encode(summary))
        return
      }
      let style = OutputStyle.standardOutput
      Output.out(style.paint(
        "\(summary.attempts) attempt(s) re-scored under guidance \(summary.guidanceVersion)"
          + (dryRun ? " (dry run: nothing stored)" : ""), .bold))
      for change in summary.changed {
        let pass = change.passedBefore == change.passedAfter ? ""
          : " · \(change.passedBefore ? "passed" : "failed") → \(change.passedAfter ? "passed" : "failed")"
        Output.out("  \(change.attempt) \(change.trainee) \(change.scenario): "
                   + "\(CSV.number(change.scoreBefore))% → \(CSV.number(change.scoreAfter))%\(pass)"
                   + (change.caseChanged ? " (case edited since)" : ""))
        for item in change.items {
          Output.out("      \(item.kind) \(item.subject): \(item.before) → \(item.after)")
        }
      }
      Output.out("\(summary.changed.count) attempt(s) with changed verdicts; \(summary.scoreOnly) with a changed score only.")
      if !summary.missingCases.isEmpty {
        Output.out("Cases no longer in the library (attempts left as they are): \(summary.missingCases.joined(separator: ", "))")
      }
    }
  }
}
