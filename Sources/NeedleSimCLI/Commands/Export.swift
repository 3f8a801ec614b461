import ArgumentParser
import Foundation
import ScenarioKit
import LRSSync
import LineEditing
import TraineeRecords

extension ExportFormat: ExpressibleByArgument {}
extension GradePick: ExpressibleByArgument {}
extension CriticalGrade: ExpressibleByArgument {}

extension NeedleSim {
  /// Exports recorded attempts.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Export recorded attempts as CSV, a gradebook CSV, JSON or xAPI statements.",
      discussion: """
        csv: one row per decision item. gradebook: one row per trainee, one score column per case and a
        feedback column, for Moodle's CSV grade import. json: attempts with their full reports. xapi: a JSON
        array of xAPI 1.0.3 statements with stable ids. Cells that a spreadsheet would run as a formula
        (starting with = + - @, tab or CR) are prefixed with an apostrophe.
        """)

    @OptionGroup var records: RecordsOptions
    @OptionGroup var lrs: LRSReadOptions
    @Option(help: "csv, gradebook, json or xapi.") var format: ExportFormat
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?
    @Option(help: ArgumentHelp("Only this trainee.", valueName: "id")) var trainee: String?
    @Option(help: ArgumentHelp("Only this case.", valueName: "id")) var scenario: String?
    @Option(help: ArgumentHelp("Only attempts submitted on or after this date (YYYY-MM-DD, UTC) or time (ISO 8601).",
                               valueName: "date")) var since: String?
    @Option(help: "gradebook: the best or the latest attempt per case.") var pick: GradePick = .best
    @Option(help: "gradebook: a critical failure counts as zero (default), keeps its score, or is left blank.")
    var critical: CriticalGrade = .zero
    @Option(help: ArgumentHelp("gradebook: header of the identifier column.", valueName: "name")) var idHeader = "username"
    @Option(help: ArgumentHelp(
      "xapi: the actor account homePage (your programme's URL; default from the LRS config).", valueName: "url"))
    var homepage: String?
    @Option(help: ArgumentHelp("xapi: base IRI of activities and extensions (default from the LRS config).",
                               valueName: "iri"))
    var iriBase: String?

    func validate() throws {
      if let since, ISOTime.parse(since) == nil {
        throw ValidationError("--since takes a date such as 2026-11-01 or 2026-11-01T09:00:00Z")
      }
    }

    func run() throws {
      let filter = AttemptFilter(trainee: trainee, scenario: scenario, since: since.flatMap(ISOTime.parse))
      // Read from the LRS first (when asked), so that a failure there leaves no output file at all.
      try lrs.withStore(records, scenario: scenario, since: filter.since) { store in try write(store, filter) }
    }

    private func write(_ store: SQLiteAttemptStore, _ filter: AttemptFilter) throws {
      try OutputFile.write(to: out, progress: true) { sink in
        let exporter = Exporter(store: store, filter: filter)
        switch format {
        case .csv: try exporter.csv(to: sink)
        case .json: try exporter.json(to: sink)
        case .gradebook: try exporter.gradebook(pick: pick, critical: critical, idHeader: idHeader, to: sink)
        case .xapi:
          let configured = try LRSConfig.resolve().xapi
          try exporter.xapi(
            XAPIOptions(homePage: homepage ?? configured.homePage, iriBase: iriBase ?? configured.iriBase,
                        platform: configured.platform), to: sink)
        }
      }
    }
  }
}
