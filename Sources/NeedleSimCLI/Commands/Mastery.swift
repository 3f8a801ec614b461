import ArgumentParser
import Foundation
import Presentation
import SafetyScoring
import ScenarioKit
import TraineeRecords

extension NeedleSim {
  /// Each trainee's mastery by rule family and by rule, from the Leitner schedule of `Scoring/mastery.yaml`.
  struct Mastery: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "mastery",
      abstract: "Show each trainee's mastery by rule family and by rule, with what is due for review.",
      discussion: """
        Every graded item reviews the rule behind it once per attempt (a Leitner schedule: right moves the rule up a \
        box, wrong sends it back to box 1; each box is due again after its interval). The model, its intervals and \
        the families are in Scoring/mastery.yaml; docs/mastery.md explains them.
        """)

    @OptionGroup var options: LibraryOptions
    @OptionGroup var records: RecordsOptions
    @Option(help: ArgumentHelp("Only this trainee.", valueName: "id")) var trainee: String?
    @Option(help: ArgumentHelp("Say what is due as of this time (ISO 8601, e.g. 2026-12-01T09:00:00Z; default now).",
                               valueName: "time"))
    var asOf: String?
    @Flag(help: "Print JSON.") var json = false

    struct Document: Encodable {
      var asOf: String
      var model: Model
      var trainees: [Trainee]
    }
    struct Model: Encodable {
      var name = "leitner"
      var intervalsDays: [Int]
      var masteredFromBox: Int
    }
    struct Trainee: Encodable {
      var trainee: String
      var families: [FamilyMastery]
      var rules: [Rule]
    }
    /// A rule's mastery, with times in ISO 8601.
    struct Rule: Encodable {
      var rule, family: String
      var box, reviews, correct: Int
      var lastReviewed, due: String
      var isDue: Bool
    }

    func validate() throws {
      if let asOf, ISOTime.parse(asOf) == nil {
        throw ValidationError("--as-of must be an ISO 8601 time such as 2026-12-01T09:00:00Z or a date 2026-12-01.")
      }
    }

    func run() throws {
      let guidance = try options.loadGuidance()
      let model = guidance.mastery
      let now = asOf.flatMap(ISOTime.parse) ?? Date()
      let attempts = try records.openStore().attempts(trainee: trainee)
      let trainees = Dictionary(grouping: attempts, by: \.trainee).sorted { $0.key < $1.key }.map { id, attempts in
        let state = model.schedule(attempts.map { (date: $0.submittedAt, items: $0.report.items) })
        return (id, model.families(state, at: now), state)
      }
      if json {
        let document = Document(
          asOf: Timestamp.iso(now), model: Model(intervalsDays: model.intervalsDays, masteredFromBox: model.masteredFromBox),
          trainees: trainees.map { id, families, state in
            Trainee(trainee: id, families: families, rules: state.values.sorted { ($0.family, $0.rule) < ($1.family, $1.rule) }.map {
              Rule(rule: $0.rule, family: $0.family, box: $0.box, reviews: $0.reviews, correct: $0.correct,
                   lastReviewed: Timestamp.iso($0.lastReviewed), due: Timestamp.iso($0.due), isDue: $0.due <= now)
            })
          })
        Output.out(try JSON.encode(document))
        return
      }
      guard !trainees.isEmpty else {
        Output.out("No attempts recorded in \(records.path).")
        return
      }
      let style = OutputStyle.standardOutput
      for (id, families, state) in trainees {
        let due = model.due(state, at: now)
        Output.out(style.paint("\(id): \(state.count) rule(s) met, \(due.count) due for review", .bold))
        for line in MasteryRenderer.lines(families, style: style) { Output.out(line) }
        if !due.isEmpty {
          Output.out("  weakest due: " + due.prefix(5).map { "\($0.rule) (box \($0.box))" }.joined(separator: ", "))
        }
      }
    }
  }
}
