import ArgumentParser
import Foundation
import TraineeRecords

extension NeedleSim {
  /// Per trainee and case: attempts, best and latest score, passed.
  struct Scores: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "scores",
      abstract: "Show each trainee's attempts, best and latest score and pass per case, with totals.")

    @OptionGroup var records: RecordsOptions
    @OptionGroup var lrs: LRSReadOptions
    @Option(help: ArgumentHelp("Only this trainee.", valueName: "id")) var trainee: String?
    @Flag(help: "Print JSON.") var json = false

    struct Document: Encodable {
      var scores: [ScoreRow]
      var totals: [Total]
    }
    struct Total: Encodable {
      var trainee: String
      var cases: Int
      var attempts: Int
      var passedCases: Int
      var meanBest: Double
    }

    func run() throws {
      let rows = try lrs.withStore(records) { try $0.scores(AttemptFilter(trainee: trainee)) }
      let totals = Dictionary(grouping: rows, by: \.trainee).map { trainee, rows in
        Total(trainee: trainee, cases: rows.count, attempts: rows.reduce(0) { $0 + $1.attempts },
              passedCases: rows.filter(\.passed).count,
              meanBest: (rows.reduce(0) { $0 + $1.bestScore } / Double(rows.count) * 10).rounded() / 10)
      }.sorted { $0.trainee < $1.trainee }
      if json {
        Output.out(try JSON.encode(Document(scores: rows, totals: totals)))
        return
      }
      guard !rows.isEmpty else {
        Output.out("No attempts recorded in \(lrs.fromLRS ? "the LRS" : records.path).")
        return
      }
      let style = OutputStyle.standardOutput
      let caseWidth = min(38, (rows.map(\.scenario.count).max() ?? 10) + 2)
      for total in totals {
        Output.out(style.paint(
          "\(total.trainee): \(total.cases) case(s), \(total.attempts) attempt(s), \(total.passedCases) passed, "
            + "mean best \(CSV.number(total.meanBest))%", .bold))
        Output.out("  " + "case".padded(to: caseWidth) + "tries  best    latest  passed")
        for row in rows where row.trainee == total.trainee {
          Output.out("  \(row.scenario.padded(to: caseWidth))\(String(row.attempts).padded(to: 7))"
                     + "\((CSV.number(row.bestScore) + "%").padded(to: 8))\((CSV.number(row.latestScore) + "%").padded(to: 8))"
                     + (row.passed ? "yes" : "no"))
        }
      }
    }
  }
}
