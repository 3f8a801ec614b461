import Foundation
import NeedleSimTestSupport
import SafetyScoring
import ScenarioKit
import Testing

/// The Leitner schedule of `Scoring/mastery.yaml`, checked against the schedule as the file states it.
@Suite("Mastery schedule")
struct MasteryTests {
  let model = Bundled.guidance.mastery

  /// An item as a report stores it, judged under `rule`.
  func item(_ rule: String, _ verdict: Verdict) -> ReportItem {
    let json = #"{"kind":"precaution","subject":"\#(rule)","verdict":"\#(verdict.rawValue)","severity":"major","#
      + #""points":0,"maxPoints":4,"rule":"\#(rule)","explanation":"","sources":[]}"#
    return try! JSONDecoder().decode(ReportItem.self, from: Data(json.utf8))
  }

  @Test func theBundledModelIsALeitnerScheduleOverEveryRule() {
    #expect(model.intervalsDays == [0, 1, 3, 7, 21])
    #expect(model.masteredFromBox == 4)
    for rule in Bundled.guidance.rules { #expect(model.family(of: rule.id) != nil, "\(rule.id) has a family") }
    let ids = model.families.flatMap(\.rules)
    #expect(Set(ids).count == ids.count, "each rule in one family")
    #expect(model.family(of: "chest-symptoms/reassure-and-continue")?.id == "events", "wrong responses are reviewed too")
  }

  /// Over generated histories: the box is one more than the run of right reviews since the last wrong one (capped at
  /// the last box), due is the last review plus that box's interval, and the order attempts are given in does not
  /// matter.
  @Test func everyGeneratedHistoryFollowsTheStatedSchedule() {
    var random = SeededRandom(seed: 2026, streams: ["mastery"])
    let rules = ["informed-consent", "hygiene", "thoracic-site"]
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    for _ in 0..<300 {
      let count = 1 + random.index(below: 14)
      var history: [(date: Date, items: [ReportItem])] = []
      var date = start
      for _ in 0..<count {
        date = date.addingTimeInterval(3_600 * Double(1 + random.index(below: 72)))
        // Each attempt grades a random subset of the rules, some twice (one wrong item makes the rule wrong).
        var items: [ReportItem] = []
        for rule in rules where random.index(below: 3) > 0 {
          items.append(item(rule, random.index(below: 3) == 0 ? .missed : .correct))
          if random.index(below: 4) == 0 { items.append(item(rule, random.index(below: 5) == 0 ? .unsafe : .correct)) }
        }
        history.append((date, items))
      }
      // Dates only grow with the index above; shuffle so the schedule must sort them itself.
      var shuffled = history
      for index in shuffled.indices.reversed() { shuffled.swapAt(index, random.index(below: index + 1)) }
      let state = model.schedule(shuffled)
      for rule in rules {
        let reviews = history.compactMap { attempt -> (Date, Bool)? in
          let mine = attempt.items.filter { $0.rule == rule }
          return mine.isEmpty ? nil : (attempt.date, mine.allSatisfy { $0.verdict == .correct })
        }
        guard let last = reviews.last else {
          #expect(state[rule] == nil)
          continue
        }
        let run = reviews.reversed().prefix { $0.1 }.count
        let box = min(model.boxes, 1 + run)
        #expect(state[rule]?.box == box, "\(rule): \(reviews.map(\.1))")
        #expect(state[rule]?.reviews == reviews.count && state[rule]?.correct == reviews.filter(\.1).count)
        #expect(state[rule]?.due == last.0.addingTimeInterval(Double(model.intervalsDays[box - 1]) * 86_400))
        #expect((1...model.boxes).contains(state[rule]?.box ?? 0))
      }
      // Weakest first: the due list is ordered by box, then by when it fell due.
      let due = model.due(state, at: start.addingTimeInterval(86_400 * 400))
      #expect(due.map(\.box) == due.map(\.box).sorted())
    }
  }

  @Test func aMissSendsARuleBackToBoxOneAndDueAtOnce() {
    let day = Date(timeIntervalSince1970: 1_800_000_000)
    var history = (0..<5).map { (date: day.addingTimeInterval(Double($0) * 86_400 * 30), items: [item("hygiene", .correct)]) }
    #expect(model.schedule(history)["hygiene"]?.box == 5)
    history.append((day.addingTimeInterval(86_400 * 200), [item("hygiene", .missed)]))
    let state = model.schedule(history)
    #expect(state["hygiene"]?.box == 1 && state["hygiene"]?.due == day.addingTimeInterval(86_400 * 200))
    #expect(model.due(state, at: day.addingTimeInterval(86_400 * 200)).map(\.rule) == ["hygiene"])
    let families = model.families(state, at: day)
    #expect(families.first { $0.family == "infection" }?.seen == 1)
  }

  @Test(arguments: [
    ("rules: [anticoagulant-non-compressible, ", "rules: [anticoagulant-non-compresible, ", "unknown rule \"anticoagulant-non-compresible\" (did you mean"),
    ("intervalsDays: [0, 1, 3, 7, 21]", "intervalsDays: [0, 3, 1]", "intervals must not shrink"),
    ("model: leitner", "model: sm2", "the only mastery model is \"leitner\""),
    ("rules: [metal-allergy, ", "rules: [hygiene, metal-allergy, ", "rule \"hygiene\" is already in family \"infection\""),
  ])
  func aBrokenMasteryFileIsReportedWhereItIsWritten(_ edit: (String, String, String)) throws {
    let scratch = try ScratchGuidance()
    defer { scratch.remove() }
    let url = scratch.folder.appendingPathComponent("mastery.yaml")
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.contains(edit.0))
    let edited = text.replacingOccurrences(of: edit.0, with: edit.1)
    try edited.write(to: url, atomically: true, encoding: .utf8)
    let (loaded, diagnostics) = GuidanceLoader.load(directory: scratch.folder)
    let line = edited.components(separatedBy: "\n").firstIndex { $0.contains(edit.1) }.map { $0 + 1 }
    let error = diagnostics.first { $0.severity == .error && $0.message.contains(edit.2) }
    #expect(loaded == nil && error != nil, "\(diagnostics)")
    #expect(error?.path.hasSuffix("mastery.yaml") == true && error?.line == line, "\(String(describing: error))")
  }
}
