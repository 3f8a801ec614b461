import Foundation
import NeedleSimTestSupport
import SafetyScoring
import ScenarioKit
import Testing
import YAMLReading

/// Position, needle length and approach: each technique rule at its boundary.
@Suite("Technique")
struct TechniqueTests {
  let evaluator = Evaluator(guidance: Bundled.guidance)

  /// A patient with `examination` (for the build) and the given facts, offered `sites`.
  func scenario(_ sites: [SiteChoice], heightCm: Double = 170, weightKg: Double = 70,
                _ configure: (inout PatientFacts) -> Void = { _ in }) -> Case {
    var scenario = Synthetic.scenario(candidates: sites.map { SiteChoice(site: $0.site, side: $0.side) }, configure)
    scenario.examination = Examination(heightCm: heightCm, weightKg: weightKg)
    return scenario
  }

  func technique(_ plan: Plan, _ scenario: Case) -> [ReportItem] {
    evaluator.grade(plan, for: scenario).items.filter { $0.kind == .technique }
  }

  func needle(_ plan: Plan, _ scenario: Case) -> ReportItem? {
    technique(plan, scenario).first { $0.subject.hasSuffix("mm needle") }
  }

  @Test func aNeedleLongerThanTheSafeLengthForTheBuildIsCritical() {
    let thin = scenario([SiteChoice(site: "upper-trapezius", side: .right)], weightKg: 50)  // BMI 17.3
    let average = scenario([SiteChoice(site: "upper-trapezius", side: .right)])
    func plan(_ millimetres: Int) -> Plan {
      Plan(scenario: "synthetic", screening: ["examination"], decision: .needle,
           sites: [SiteChoice(site: "upper-trapezius", side: .right, needle: millimetres, approach: "tangential")],
           position: "prone")
    }
    #expect(needle(plan(25), thin)?.verdict == .correct)
    #expect(needle(plan(30), thin)?.verdict == .unsafe)
    #expect(needle(plan(30), thin)?.severity == .critical)
    #expect(needle(plan(30), average)?.verdict == .correct)
    #expect(needle(plan(40), average)?.verdict == .unsafe)
    #expect(evaluator.grade(plan(40), for: average).criticalFailures.contains { $0.rule == "needle-length-for-build" })
  }

  @Test func aPerpendicularNeedleOverTheThoraxIsMajor() {
    let site = SiteChoice(site: "rhomboids", side: .left)
    func approach(_ value: String) -> ReportItem? {
      let plan = Plan(scenario: "synthetic", decision: .needle,
                      sites: [SiteChoice(site: "rhomboids", side: .left, needle: 25, approach: value)], position: "prone")
      return technique(plan, scenario([site])).first { $0.subject == "rhomboids left: \(value)" }
    }
    #expect(approach("perpendicular")?.verdict == .unsafe)
    #expect(approach("perpendicular")?.severity == .major)
    #expect(approach("tangential")?.verdict == .correct)
  }

  @Test func overLungOrSpineTheNeedleAndApproachMustBeStated() {
    let site = SiteChoice(site: "upper-trapezius", side: .right)
    let plan = Plan(scenario: "synthetic", decision: .needle, sites: [site], position: "prone")
    let item = technique(plan, scenario([site])).first { $0.subject.hasSuffix("needle and approach") }
    #expect(item?.verdict == .missed && item?.severity == .major)
    let calf = SiteChoice(site: "gastrocnemius", side: .left)
    #expect(technique(Plan(scenario: "synthetic", decision: .needle, sites: [calf], position: "prone"), scenario([calf]))
      .allSatisfy { !$0.subject.hasSuffix("needle and approach") })
  }

  func position(_ value: String?, check: String, _ configure: (inout PatientFacts) -> Void = { _ in }) -> ReportItem? {
    let calf = SiteChoice(site: "gastrocnemius", side: .left)
    let plan = Plan(scenario: "synthetic", decision: .needle, sites: [calf], position: value)
    return technique(plan, scenario([calf], configure)).first { $0.subject.hasPrefix("position \(check)") }
  }

  @Test func standingIsNeverAcceptable() {
    #expect(position("standing", check: "not-standing")?.verdict == .unsafe)
    #expect(position("seated", check: "not-standing")?.verdict == .correct)
  }

  @Test func firstTimersLieDown() {
    let firstTime: (inout PatientFacts) -> Void = { $0.previousNeedling = false }
    #expect(position("seated", check: "lying-down", firstTime)?.verdict == .unsafe)
    #expect(position(nil, check: "lying-down", firstTime)?.verdict == .missed)
    #expect(position("prone", check: "lying-down", firstTime)?.verdict == .correct)
    // Someone needled before, calm and well, may sit.
    #expect(position("seated", check: "lying-down") == nil)
  }

  @Test func fromTwentyWeeksOfPregnancyNeverSupine() {
    let pregnant: (inout PatientFacts) -> Void = { $0.pregnancyWeeks = 24 }
    let supine = position("supine", check: "side-lying", pregnant)
    #expect(supine?.verdict == .unsafe && supine?.rule == "pregnancy-side-lying")
    #expect(position("side-lying-left", check: "side-lying", pregnant)?.verdict == .correct)
  }

  @Test func aPositionWithoutAMarginIsOnlyRecommended() throws {
    let site = try #require(Bundled.guidance.catalog.site("gastrocnemius"))
    let outside = try #require(["prone", "supine", "side-lying-left", "side-lying-right", "seated"]
      .first { !site.technique.positions.contains($0) })
    let calf = SiteChoice(site: "gastrocnemius", side: .left)
    let plan = Plan(scenario: "synthetic", decision: .needle, sites: [calf], position: outside)
    let item = technique(plan, scenario([calf])).first { $0.subject == "gastrocnemius left: \(outside)" }
    #expect(item?.verdict == .missed && item?.severity == .minor)
  }

  @Test func theModelPlanStatesPositionNeedleAndApproach() {
    let site = SiteChoice(site: "upper-trapezius", side: .right)
    let model = evaluator.modelPlan(for: scenario([site], weightKg: 50)).plan
    #expect(model.position != nil)
    #expect(model.sites.first?.needle == 25 && model.sites.first?.approach != nil)
  }
}

/// How plan files and batch lines state technique, and what they refuse.
@Suite("Technique in plans")
struct TechniquePlanTests {
  func read(_ text: String) -> (Plan?, [Diagnostic]) {
    PlanFile.read(line: Data(text.utf8), path: "plan", catalog: Bundled.guidance.catalog)
  }

  @Test func theShortAndLongFormsReadAlike() throws {
    let short = try #require(read(#"{scenario: x, decision: needle, position: prone, sites: ["upper-trapezius right 30mm tangential"]}"#).0)
    let long = try #require(read(#"{"scenario": "x", "decision": "needle", "position": "prone", "sites": [{"site": "upper-trapezius", "side": "right", "needle": 30, "approach": "tangential"}]}"#).0)
    #expect(short == long)
    #expect(short.sites == [SiteChoice(site: "upper-trapezius", side: .right, needle: 30, approach: "tangential")])
  }

  @Test func aNonStandardLengthOrAnUnknownWordIsALocatedError() {
    let length = read(#"{scenario: x, decision: needle, sites: [{site: rhomboids, side: left, needle: 27}]}"#)
    #expect(length.0 == nil)
    #expect(length.1.contains { $0.message.contains("27 mm is not a standard length") && $0.column > 1 })
    let word = read(#"{scenario: x, decision: needle, sites: ["rhomboids left 30mm sideways"]}"#)
    #expect(word.1.contains { $0.message.contains("\"sideways\" is not a side, a needle length") })
    let position = read(#"{scenario: x, decision: needle, position: lying, sites: []}"#)
    #expect(position.1.contains { $0.message.contains("unknown position \"lying\"") })
  }
}

/// The pronator teres needle follows the forearm's circumference ([S13]).
@Suite("Forearm needle length")
struct ForearmNeedleTests {
  @Test func aNeedleLongerThanTheForearmCallsForIsMajor() {
    let evaluator = Evaluator(guidance: Bundled.guidance)
    let site = SiteChoice(site: "pronator-teres", side: .right)
    func verdict(_ millimetres: Int, circumference: Double) -> ReportItem? {
      var scenario = Synthetic.scenario(candidates: [site])
      scenario.examination = Examination(heightCm: 170, weightKg: 70, forearmCircumferenceCm: circumference)
      let plan = Plan(scenario: "synthetic", decision: .needle,
                      sites: [SiteChoice(site: "pronator-teres", side: .right, needle: millimetres)], position: "supine")
      return evaluator.grade(plan, for: scenario).items.first { $0.kind == .technique && $0.subject.hasSuffix("mm needle") }
    }
    #expect(verdict(13, circumference: 26)?.verdict == .correct)
    #expect(verdict(25, circumference: 26)?.verdict == .unsafe)
    #expect(verdict(25, circumference: 26)?.severity == .major)
    #expect(verdict(25, circumference: 29)?.verdict == .correct)
  }
}
