import ArgumentParser
import Foundation
import ScenarioKit
import TraineeRecords

extension NeedleSim {
  /// The cohort as a self-contained HTML page.
  struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: "Write the cohort as one self-contained HTML page: pass rates, rules missed, progress, exams.",
      discussion: """
        The page needs no network (inline CSS and SVG) and opens in any browser from disk; every chart has its numbers \
        in a table beside it, readable without colour and printable. Each rule links to its explanation and sources.
        """)

    @OptionGroup var options: LibraryOptions
    @OptionGroup var records: RecordsOptions
    @OptionGroup var lrs: LRSReadOptions
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file")) var html: String
    @Option(help: ArgumentHelp("Only this case.", valueName: "id")) var scenario: String?
    @Option(help: ArgumentHelp("Only attempts submitted on or after this date or time (ISO 8601).", valueName: "date"))
    var since: String?

    func validate() throws {
      if let since, ISOTime.parse(since) == nil {
        throw ValidationError("--since takes a date such as 2026-11-01 or 2026-11-01T09:00:00Z")
      }
    }

    func run() throws {
      let guidance = try options.loadGuidance()
      let filter = AttemptFilter(scenario: scenario, since: since.flatMap(ISOTime.parse))
      try lrs.withStore(records, scenario: scenario, since: filter.since) { store in
        try OutputFile.write(to: html) { sink in
          try HTMLReport(store: store, guidance: guidance, filter: filter, generatedAt: Date(),
                         origin: lrs.fromLRS ? "the LRS" : records.path).write(to: sink)
        }
      }
    }
  }
}
