import ArgumentParser
import Foundation
import Presentation
import TraineeRecords

extension NeedleSim {
  /// Checks exam attempts against their seals.
  struct ExamVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Report each exam attempt as intact or altered, in the records or in a JSON export.",
      discussion: """
        In the records, the seal is checked against the attempt's plan and report, and the score columns and item \
        rows that scores, stats and exports read are checked against the sealed report. With --export, the attempts \
        of a JSON export (`needlesim export --format json`) are checked instead. Exit status 1 when any attempt is \
        altered or has lost its seal.
        """)

    @OptionGroup var records: RecordsOptions
    @OptionGroup var key: ExamKeyOption
    @Option(help: ArgumentHelp("Only this trainee.", valueName: "id")) var trainee: String?
    @Option(help: ArgumentHelp("Only this exam.", valueName: "id")) var exam: String?
    @Option(help: ArgumentHelp("Check a JSON export instead of the records.", valueName: "file")) var export: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      guard let key = try ExamKey.resolve(keyFile: key.keyFile) else { throw CLIError.noExamKey }
      var checks: [ExamCheck]
      if let export {
        guard let data = FileManager.default.contents(atPath: export) else {
          throw ValidationError("cannot read \(export)")
        }
        do {
          checks = try ExamCheck.verifyExport(data, key: key)
        } catch {
          throw ValidationError("\(export) is not a JSON export of attempts (`needlesim export --format json`)")
        }
        checks = checks.filter { (trainee == nil || $0.trainee == trainee) && (exam == nil || $0.exam == exam) }
      } else {
        checks = try records.openStore().verifyExams(trainee: trainee, exam: exam, key: key)
      }
      if json {
        Output.out(try JSON.encode(checks))
      } else if checks.isEmpty {
        Output.out("No exam attempts found.")
      } else {
        let style = OutputStyle.standardOutput
        for check in checks {
          let status: String = switch check.status {
          case .intact: style.paint("intact  ", .green)
          case .altered: style.paint("ALTERED ", .bold, .red)
          case .unsealed: style.paint("UNSEALED", .bold, .red)
          }
          Output.out("\(status) \(check.exam)#\(check.sitting.map(String.init) ?? "?") \(check.trainee) "
                     + "\(check.scenario) \(check.attempt)")
          for problem in check.problems { Output.out("           - \(problem)") }
        }
        let bad = checks.filter { $0.status != .intact }.count
        Output.out("\(checks.count) exam attempt(s): \(checks.count - bad) intact, \(bad) altered or unsealed")
      }
      if checks.contains(where: { $0.status != .intact }) { throw ExitCode.failure }
    }
  }
}
