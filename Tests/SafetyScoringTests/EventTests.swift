import Foundation
import NeedleSimTestSupport
import SafetyScoring
import ScenarioKit
import Testing

/// Events during and after a treatment, and the responses the guidance expects.
@Suite("Events and responses")
struct EventTests {
  let evaluator = Evaluator(guidance: Bundled.guidance)

  /// A needling plan for a bundled case, at one site, with events as asked.
  func plan(_ scenario: String, _ site: SiteChoice, seed: Int? = nil, mode: EventMode? = nil) -> Plan {
    Plan(scenario: scenario, decision: .needle, sites: [site], position: "prone", seed: seed, eventMode: mode)
  }

  @Test func theSameCasePlanAndSeedAlwaysGiveTheSameEvents() {
    let fresh = Evaluator(guidance: Bundled.guidance)
    var drawn = 0
    for scenario in Bundled.library.cases {
      for seed in stride(from: 0, to: 120, by: 11) {
        let model = evaluator.modelPlan(for: scenario, seed: seed).plan
        let events = evaluator.events(for: scenario, plan: model)
        #expect(events == evaluator.events(for: scenario, plan: model), "\(scenario.id) seed \(seed)")
        #expect(events == fresh.events(for: scenario, plan: model), "\(scenario.id) seed \(seed)")
        // At most one event per moment, in order, each at a site of the plan.
        #expect(events.map(\.moment) == EventMoment.allCases.filter { moment in events.contains { $0.moment == moment } })
        for event in events {
          if let site = event.site { #expect(model.sites.contains { $0.isSameSite(as: site) }) }
        }
        drawn += events.count
        // The model answers every event it meets, so it still scores 100%.
        let report = evaluator.grade(model, for: scenario)
        #expect(report.scorePercent == 100 && report.passed, "\(scenario.id) seed \(seed)")
        #expect(report.events.map(\.event) == events.map(\.event))
      }
    }
    #expect(drawn > 0, "random mode draws events")
  }

  @Test func eventsNeedANeedlingPlanAndFollowTheMode() {
    let dancer = Bundled.scenario("dancer-upper-back-pain")
    let rhomboids = SiteChoice(site: "rhomboids", side: .right, needle: 15, approach: "tangential")
    var plan = plan(dancer.id, rhomboids, mode: .scripted)
    #expect(evaluator.events(for: dancer, plan: plan).map(\.event) == ["chest-symptoms"])
    #expect(evaluator.events(for: dancer, plan: plan).first?.scripted == true)
    plan.eventMode = .off
    #expect(evaluator.events(for: dancer, plan: plan).isEmpty)
    plan.eventMode = nil  // no seed: only what the case scripts
    #expect(evaluator.events(for: dancer, plan: plan).map(\.event) == ["chest-symptoms"])
    plan.decision = .defer
    plan.eventMode = .random
    plan.seed = 3
    #expect(evaluator.events(for: dancer, plan: plan).isEmpty, "no treatment, no event")
    // A scripted event needs a place: the case scripts it at the rhomboids.
    let calves = Plan(scenario: dancer.id, decision: .needle, sites: [SiteChoice(site: "gastrocnemius", side: .left)],
                      eventMode: .scripted)
    #expect(evaluator.events(for: dancer, plan: calves).isEmpty)
  }

  @Test func drawnEventsHappenOnlyAtSitesOfTheirKind() {
    let office = Bundled.scenario("office-worker-upper-trapezius")
    let calf = SiteChoice(site: "gastrocnemius", side: .left)
    var kinds: Set<String> = []
    for seed in 0..<400 {
      for event in evaluator.events(for: office, plan: plan(office.id, calf, seed: seed)) {
        kinds.insert(event.event)
        #expect(event.event != "chest-symptoms" && event.event != "delayed-chest-symptoms",
                "no chest event without a thoracic site (seed \(seed))")
      }
    }
    #expect(kinds.count >= 5, "different seeds bring different events: \(kinds.sorted())")
  }

  /// The factors the reference names make an event likelier: counted over many seeds.
  @Test func riskFactorsMakeEventsLikelier() {
    let dancer = Bundled.scenario("dancer-upper-back-pain")
    var noScript = dancer
    noScript.events = []
    func count(_ event: String, _ site: SiteChoice, position: String = "prone") -> Int {
      (0..<1500).reduce(0) { total, seed in
        var plan = plan(dancer.id, site, seed: seed)
        plan.position = position
        return total + (evaluator.events(for: noScript, plan: plan).contains { $0.event == event } ? 1 : 0)
      }
    }
    let careful = SiteChoice(site: "rhomboids", side: .right, needle: 15, approach: "tangential")
    let risky = SiteChoice(site: "rhomboids", side: .right, needle: 50, approach: "perpendicular")
    #expect(count("chest-symptoms", risky) > 2 * count("chest-symptoms", careful))
    #expect(count("vasovagal", careful, position: "seated") > count("vasovagal", careful, position: "prone"))
  }

  /// What the reference says each response is worth, written from it (not from events.yaml): given (true) or left
  /// out (false), the verdict and severity of the item.
  static let witnesses: [(event: String, site: String, action: String, given: Bool, verdict: Verdict, severity: Severity)] = [
    ("chest-symptoms", "rhomboids", "reassure-and-continue", true, .unsafe, .critical),  // PR-35; [23]
    ("chest-symptoms", "rhomboids", "urgent-medical-assessment", false, .missed, .critical),  // §2.3
    ("chest-symptoms", "rhomboids", "remove-all-needles", false, .missed, .major),  // PR-35 stop, withdraw
    ("delayed-chest-symptoms", "rhomboids", "advise-wait-and-see", true, .unsafe, .critical),  // PR-38
    ("delayed-chest-symptoms", "rhomboids", "urgent-medical-assessment", false, .missed, .critical),  // PR-38; §2.3
    ("delayed-neuro", "suboccipitals", "urgent-medical-assessment", false, .missed, .critical),  // §2.3; [22]
    ("vasovagal", "rhomboids", "remove-all-needles", false, .missed, .major),  // PR-32
    ("vasovagal", "rhomboids", "lie-flat-raise-legs", false, .missed, .major),  // PR-32
    ("vasovagal", "rhomboids", "sit-patient-up", true, .unsafe, .major),  // PR-32: lie down
    ("consent-withdrawn", "rhomboids", "persuade-to-continue", true, .unsafe, .critical),  // AC-02
    ("broken-needle-visible", "rhomboids", "remove-with-forceps", false, .missed, .major),  // PR-34
    ("broken-needle-buried", "rhomboids", "urgent-medical-assessment", false, .missed, .critical),  // PR-34; §2.3
    ("stuck-needle", "rhomboids", "withdraw-forcefully", true, .unsafe, .major),  // PR-34 causes
    ("bleeding", "rhomboids", "press-swab", false, .missed, .major),  // PR-27
    ("needlestick", "rhomboids", "exposure-procedure", false, .missed, .major),  // PR-25
    ("nerve-pain", "rhomboids", "withdraw-needle", false, .missed, .major),  // PR-15
    ("forgotten-needle", "rhomboids", "end-session-anyway", true, .unsafe, .major),  // PR-30
    ("marked-soreness", "rhomboids", "advise-heat-or-ice", false, .missed, .minor),  // PR-37
  ]

  @Test(arguments: witnesses.indices) func eachResponseIsScoredAsTheReferenceSays(index: Int) throws {
    let witness = Self.witnesses[index]
    var scenario = Bundled.scenario("office-worker-upper-trapezius")
    scenario.events = [ScriptedEvent(event: witness.event)]
    let event = try #require(Bundled.guidance.events.event(witness.event))
    var plan = plan(scenario.id, SiteChoice(site: witness.site, side: .right, needle: 15, approach: "tangential"),
                    mode: .scripted)
    var responses = event.modelResponses.filter { $0 != witness.action }
    if witness.given { responses.append(witness.action) }
    plan.events = [EventResponse(event: witness.event, responses: responses)]
    let report = evaluator.grade(plan, for: scenario)
    #expect(report.events.map(\.event) == [witness.event])
    let item = try #require(report.items.first { $0.kind == .event && $0.subject == "\(witness.event)/\(witness.action)" })
    #expect(item.verdict == witness.verdict)
    #expect(item.severity == witness.severity)
    #expect(report.criticalFailures.contains { $0.subject == item.subject } == (witness.severity == .critical))
    // Every other expected response was given, so nothing else about the event is wrong.
    let others = report.items.filter { $0.kind == .event && $0.subject != item.subject }
    #expect(others.allSatisfy { $0.verdict == .correct })
  }

  @Test func aResponseTheGuidanceNeitherExpectsNorForbidsIsNotScored() {
    var scenario = Bundled.scenario("office-worker-upper-trapezius")
    scenario.events = [ScriptedEvent(event: "bleeding")]
    var plan = plan(scenario.id, SiteChoice(site: "gastrocnemius", side: .left), mode: .scripted)
    plan.events = [EventResponse(event: "bleeding", responses: ["press-swab", "offer-water-or-sugar"])]
    let report = evaluator.grade(plan, for: scenario)
    #expect(!report.items.contains { $0.subject.hasSuffix("/offer-water-or-sugar") })
    #expect(report.events.first?.responses == ["press-swab", "offer-water-or-sugar"])
  }

  @Test func planFilesCarryTheSeedAndTheResponses() throws {
    let catalog = Bundled.guidance.catalog
    let text = """
      scenario: dancer-upper-back-pain
      decision: needle
      sites: [rhomboids right 15mm tangential]
      seed: 42
      eventMode: scripted
      events:
        - {event: chest-symptoms, responses: [remove-all-needles, urgent-medical-assessment]}
      """
    let (plan, diagnostics) = PlanFile.read(line: Data(text.utf8), path: "plan.yaml", catalog: catalog)
    #expect(diagnostics.isEmpty)
    #expect(plan?.seed == 42)
    #expect(plan?.eventMode == .scripted)
    #expect(plan?.responses(to: "chest-symptoms") == ["remove-all-needles", "urgent-medical-assessment"])
    let bad = text.replacingOccurrences(of: "urgent-medical-assessment]", with: "urgent-medical-asessment]")
    let (none, errors) = PlanFile.read(line: Data(bad.utf8), path: "plan.yaml", catalog: catalog)
    #expect(none == nil)
    #expect(errors.first?.message.contains("unknown response action \"urgent-medical-asessment\"") == true)
    #expect(errors.first?.line == 7)
    // A stored plan from before events reads with none.
    let old = #"{"scenario":"x","screening":[],"precautions":[],"sites":[]}"#
    #expect(try JSONDecoder().decode(Plan.self, from: Data(old.utf8)).events.isEmpty)
  }

  @Test func theSchemaListsEveryEventAndAction() throws {
    let data = try Data(contentsOf: Repo.root.appendingPathComponent("docs/case.schema.json"))
    let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let defs = try #require(schema["$defs"] as? [String: Any])
    func enumeration(_ name: String) -> Set<String> { Set(((defs[name] as? [String: Any])?["enum"] as? [String]) ?? []) }
    let events = Bundled.guidance.events
    #expect(enumeration("eventId") == Set(events.events.map(\.id)))
    #expect(enumeration("responseAction") == Set(events.actions.ids))
  }

  /// Mistakes in `events.yaml` are located errors, and an event's choice selectors stay out of rules.
  @Test func theEventsFileIsCheckedWithLocatedErrors() throws {
    let scratch = try ScratchGuidance()
    defer { scratch.remove() }
    let url = scratch.folder.appendingPathComponent("events.yaml")
    let original = try String(contentsOf: url, encoding: .utf8)
    let broken = original.replacingOccurrences(of: "  - action: assess-breathing", with: "  - action: asess-breathing")
    #expect(broken != original)
    try broken.write(to: url, atomically: true, encoding: .utf8)
    try scratch.addRules("zz-choice.yaml", """
      rules:
        - id: perpendicular-anywhere
          title: A rule that looks at the approach
          refs: [PR-14]
          sources: ["1"]
          severity: minor
          when: {chosenSite: {approach: [perpendicular]}}
          expect: {precautions: {required: [palpate-vessels-nerves]}}
          explanation: Rules judge technique with technique checks, not selectors.
      """)
    let (guidance, diagnostics) = GuidanceLoader.load(directory: scratch.folder)
    #expect(guidance == nil)
    let action = try #require(diagnostics.first { $0.message.contains("unknown response action \"asess-breathing\"") })
    #expect(action.path.hasSuffix("events.yaml") && action.line > 1)
    #expect(action.message.contains("assess-breathing"), "with a suggestion")
    #expect(diagnostics.contains { $0.path.hasSuffix("zz-choice.yaml") && $0.message.contains("only an event's likelihood") })
  }
}
