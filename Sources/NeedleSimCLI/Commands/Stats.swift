import ArgumentParser
import Foundation
import TraineeRecords

extension NeedleSim {
  /// Cohort statistics.
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stats",
      abstract: "Show the rules a cohort most often misses or breaks, and each case's pass rate.")

    @OptionGroup var records: RecordsOptions
    @OptionGroup var lrs: LRSReadOptions
    @Option(help: ArgumentHelp("Only this case.", valueName: "id")) var scenario: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let stats = try lrs.withStore(records, scenario: scenario) { try $0.stats(AttemptFilter(scenario: scenario)) }
      if json {
        Output.out(try JSON.encode(stats))
        return
      }
      guard stats.attempts > 0 else {
        Output.out("No attempts recorded in \(lrs.fromLRS ? "the LRS" : records.path).")
        return
      }
      let style = OutputStyle.standardOutput
      Output.out(style.paint("\(stats.attempts) attempt(s) by \(stats.trainees) trainee(s)", .bold))
      Output.out("")
      Output.out(style.paint("Rules most often missed or broken", .bold))
      Output.out("  " + "rule".padded(to: 34) + "missed  unsafe  attempts")
      for rule in stats.rules.prefix(15) {
        Output.out("  \(rule.rule.padded(to: 34))\(String(rule.missed).padded(to: 8))\(String(rule.unsafe).padded(to: 8))\(rule.attempts)")
      }
      Output.out("")
      Output.out(style.paint("Pass rate by case", .bold))
      let width = min(38, (stats.cases.map(\.scenario.count).max() ?? 10) + 2)
      for row in stats.cases {
        Output.out("  \(row.scenario.padded(to: width))\(style.bar(row.passRate, cells: 20)) \(CSV.number(row.passRate))% of \(row.attempts)"
                   + " · mean \(CSV.number(row.meanScore))%")
      }
    }
  }
}
