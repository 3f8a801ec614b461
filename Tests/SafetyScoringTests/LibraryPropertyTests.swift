import Foundation
import NeedleSimTestSupport
import SafetyScoring
import ScenarioKit
import Testing

/// Properties that must hold for every bundled case.
@Suite("Every bundled case")
struct LibraryPropertyTests {
  static let ids = Bundled.library.ids
  let evaluator = Evaluator(guidance: Bundled.guidance)
  /// One evaluator per policy: the properties below hold under each.
  let evaluators = Bundled.guidance.config.policies.map { Evaluator(guidance: Bundled.guidance, policy: $0.id) }

  @Test func theLibraryLoadsCompletely() {
    let (_, diagnostics) = CaseLibrary.load([Repo.scenarios], catalog: Bundled.guidance.catalog)
    #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
    #expect(Bundled.library.cases.count >= 30)
  }

  @Test(arguments: ids) func modelPlanScoresFullMarks(id: String) {
    let scenario = Bundled.scenario(id)
    for evaluator in evaluators {
      let report = evaluator.grade(evaluator.modelPlan(for: scenario).plan, for: scenario)
      #expect(report.passed, "\(id) under \(evaluator.policy)")
      #expect(report.scorePercent == 100, "\(id) under \(evaluator.policy)")
      #expect(report.criticalFailures.isEmpty)
    }
  }

  @Test(arguments: ids) func addingAForbiddenSiteIsCritical(id: String) {
    let scenario = Bundled.scenario(id)
    let expected = evaluator.expected(for: scenario)
    let plan = evaluator.modelPlan(for: scenario, expected: expected).plan
    guard plan.decision == .needle else { return }
    let catalog = Bundled.guidance.catalog
    for site in catalog.sites {
      for side in site.sided ? [Side.left, .right] : [nil] {
        guard let rule = expected.forbiddingRule(site, side: side, facts: scenario.facts), rule.severity == .critical
        else { continue }
        var unsafe = plan
        unsafe.sites.append(SiteChoice(site: site.id, side: side))
        let report = evaluator.grade(unsafe, for: scenario, expected: expected)
        #expect(!report.passed, "\(id): \(site.id) \(side?.rawValue ?? "")")
        #expect(report.criticalFailures.contains { $0.rule == rule.id })
      }
    }
  }

  @Test(arguments: ids) func droppingARequiredPrecautionIsMissed(id: String) {
    let scenario = Bundled.scenario(id)
    let expected = evaluator.expected(for: scenario)
    let plan = evaluator.modelPlan(for: scenario, expected: expected).plan
    guard plan.decision == .needle else { return }
    for required in expected.required.map(\.id) {
      var reduced = plan
      reduced.precautions.removeAll { $0 == required }
      let report = evaluator.grade(reduced, for: scenario, expected: expected)
      let item = report.items.first { $0.kind == .precaution && $0.subject == required }
      #expect(item?.verdict == .missed, "\(id): \(required)")
      #expect(report.scorePercent < 100)
    }
  }

  @Test(arguments: ids) func needlingWhenNeedlingIsCriticallyExcludedFails(id: String) {
    let scenario = Bundled.scenario(id)
    let expected = evaluator.expected(for: scenario)
    // A rule that sets the decision; site rules that forbid every candidate fail each site instead (critically).
    guard let blocking = expected.decision.blocking.first(where: { $0.severity == .critical && $0.expect.decision != nil })
    else { return }
    var plan = evaluator.modelPlan(for: scenario, expected: expected).plan
    plan.decision = .needle
    plan.sites = scenario.candidateSites
    let report = evaluator.grade(plan, for: scenario, expected: expected)
    #expect(!report.passed)
    #expect(report.items.first { $0.kind == .decision }?.verdict == .unsafe)
    #expect(report.criticalFailures.contains { $0.kind == .decision }, "\(id): \(blocking.id)")
  }

  @Test(arguments: ids) func unsafePlansFailOnTheirNamedRule(id: String) {
    let scenario = Bundled.scenario(id)
    #expect(!scenario.unsafePlans.isEmpty)
    for unsafe in scenario.unsafePlans {
      let report = evaluator.grade(unsafe.plan, for: scenario)
      #expect(!report.passed)
      #expect(report.criticalFailures.contains { $0.rule == unsafe.violates.value }, "\(id): \(unsafe.name)")
    }
  }

  /// What an item says it costs is what it costs: a verdict other than correct loses its severity's weight.
  @Test(arguments: ids) func everyItemLosesItsStatedWeight(id: String) {
    for evaluator in evaluators { everyItemLosesItsStatedWeight(id: id, evaluator: evaluator) }
  }

  func everyItemLosesItsStatedWeight(id: String, evaluator: Evaluator) {
    let scenario = Bundled.scenario(id)
    var plans = [evaluator.modelPlan(for: scenario).plan]
    for decision in Decision.allCases {
      var plan = plans[0]
      plan.decision = decision
      plan.precautions.removeFirst(min(2, plan.precautions.count))
      plan.screening.removeFirst(min(1, plan.screening.count))
      plan.sites += scenario.candidateSites
      plans.append(plan)
    }
    for plan in plans {
      for item in evaluator.grade(plan, for: scenario).items where item.maxPoints > 0 {
        let lost = item.maxPoints - item.points
        if item.verdict == .correct {
          #expect(lost == 0, "\(id): \(item.subject)")
        } else {
          #expect(lost == Bundled.guidance.config.weight(item.severity), "\(id): \(item.kind) \(item.subject)")
        }
      }
    }
  }

  /// Good practice never costs; adding precautions never raises a plan above the one with exactly the required ones.
  @Test(arguments: ids) func precautionsBeyondTheRequiredOnesNeverRaiseTheScore(id: String) {
    for evaluator in evaluators { precautionsBeyondTheRequiredOnesNeverRaiseTheScore(id: id, evaluator: evaluator) }
  }

  func precautionsBeyondTheRequiredOnesNeverRaiseTheScore(id: String, evaluator: Evaluator) {
    let scenario = Bundled.scenario(id)
    let model = evaluator.modelPlan(for: scenario).plan
    guard model.decision == .needle else { return }
    let exact = evaluator.grade(model, for: scenario).scorePercent
    #expect(exact == 100)
    let catalog = Bundled.guidance.catalog
    var withGoodPractice = model
    withGoodPractice.precautions += catalog.precautions.filter { $0.goodPractice && !model.precautions.contains($0.id) }
      .map(\.id)
    #expect(evaluator.grade(withGoodPractice, for: scenario).scorePercent == exact, "\(id)")
    var withEverything = model
    withEverything.precautions += catalog.precautionIDs.filter { !model.precautions.contains($0) }
    #expect(evaluator.grade(withEverything, for: scenario).scorePercent <= exact, "\(id)")
  }
}


/// The report writer against Foundation's JSONEncoder, the reference for the contract's text.
@Suite("Report JSON")
struct ReportJSONTests {
  static func reference(_ report: Report, pretty: Bool) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(report), as: UTF8.self)
  }

  @Test(arguments: Bundled.library.ids) func theTextIsJSONEncodersText(id: String) throws {
    let evaluator = Evaluator(guidance: Bundled.guidance)
    let scenario = Bundled.scenario(id)
    var plan = evaluator.modelPlan(for: scenario).plan
    plan.precautions.removeFirst(min(2, plan.precautions.count))
    plan.sites += scenario.candidateSites
    for report in [evaluator.grade(plan, for: scenario), evaluator.grade(plan, for: scenario, hintsUsed: 1)] {
      #expect(report.json(pretty: true) == (try Self.reference(report, pretty: true)))
      #expect(report.json(pretty: false) == (try Self.reference(report, pretty: false)))
    }
  }

  @Test func textsThatNeedEscapingRoundTrip() throws {
    let evaluator = Evaluator(guidance: Bundled.guidance)
    let scenario = Bundled.scenario(Bundled.library.ids[0])
    var report = evaluator.grade(evaluator.modelPlan(for: scenario).plan, for: scenario)
    report.scorePercent = 87.5
    var texts = ["", "é—😀", "\u{7F}\u{80}", "\u{1F}", "\u{0}", "\u{8}\u{C}\n\r\t", "a\"b\\c/d", "\u{FEFF}x"]
    // The special character at every offset of an eight-byte block (the writer tests eight bytes at a time).
    for special in ["\"", "\\", "\u{1}", "\n", "\u{1F}"] {
      for offset in 0..<17 {
        texts.append(String(repeating: "a", count: offset) + special + String(repeating: "é", count: 17 - offset))
      }
    }
    for text in texts {
      report.scenario = text
      report.items[0].explanation = text
      report.items[0].sources = [text, text]
      report.advice = try JSONDecoder().decode(
        [Advice].self, from: JSONEncoder().encode([["rule": text, "title": text, "explanation": text]]))
      for pretty in [true, false] {
        let json = report.json(pretty: pretty)
        #expect(try JSONDecoder().decode(Report.self, from: Data(json.utf8)) == report, "\(text.debugDescription)")
        #expect(json == (try Self.reference(report, pretty: pretty)), "\(text.debugDescription)")
      }
    }
  }
}
