import NeedleSimTestSupport
import SafetyScoring
import ScenarioKit
import Testing

/// Batch grading writes reports from per-case fragments; they must be, byte for byte, the reports `grade` builds.
@Suite("Report fragments")
struct ReportFragmentTests {
  static let policies = Bundled.guidance.config.policies.map(\.id)

  @Test(arguments: policies) func fragmentsWriteTheReportsThatGradeBuilds(policy: String) {
    let evaluator = Evaluator(guidance: Bundled.guidance, policy: policy)
    // One writer for every plan, so that most reports reuse fragments written for earlier plans.
    let writer = ReportFragmentWriter(evaluator: evaluator)
    var spliced = SplicedBytes()
    var random = SeededRandom(seed: 2026)
    for scenario in Bundled.library.cases {
      let prepared = PreparedCase(scenario, evaluator: evaluator)
      let model = evaluator.modelPlan(for: scenario, expected: prepared.expected).plan
      for round in 0..<60 {
        let plan = round == 0 ? model : Self.variant(of: model, scenario: scenario, random: &random)
        var expected: [UInt8] = []
        evaluator.grade(plan, for: scenario, expected: prepared.expected).appendCompactJSON(to: &expected)
        // What is already in the output must stay, before the report.
        spliced.removeAll()
        spliced.bytes.append(0x0A)
        writer.appendReport(grading: plan, for: prepared, to: &spliced)
        let written = spliced.joined
        #expect(written.first == 0x0A)
        #expect(written.dropFirst().elementsEqual(expected), "\(scenario.id) round \(round): \(plan)")
      }
    }
  }

  /// A plan that differs from the model answer in ways that change items: another decision, missing and needless
  /// screening and precautions, any site of the catalogue on either side (forbidden sites, both sides of the
  /// thorax, now and then a side that does not fit the site), and any referral target or none.
  static func variant(of model: Plan, scenario: Case, random: inout SeededRandom) -> Plan {
    let catalog = Bundled.guidance.catalog
    let vocabulary = catalog.vocabulary
    var plan = model
    if random.chance(1, in: 3) { plan.decision = Decision.allCases[random.below(Decision.allCases.count)] }
    plan.screening = vocabulary.screeningTopics.ids.filter { _ in random.chance(1, in: 2) }
    plan.precautions = random.chance(1, in: 2)
      ? model.precautions.filter { _ in !random.chance(1, in: 4) }
      : catalog.precautionIDs.filter { _ in random.chance(1, in: 3) }
    if random.chance(1, in: 2) { plan.precautions.reverse() }
    if random.chance(1, in: 4) { plan.sites = [] }
    for _ in 0..<random.below(4) {
      let site = catalog.sites[random.below(catalog.sites.count)]
      plan.sites.append(SiteChoice(site: site.id, side: site.sided ? (random.chance(1, in: 2) ? .left : .right) : nil))
    }
    if random.chance(1, in: 2), let extra = scenario.candidateSites.last { plan.sites.append(extra) }
    // A side no plan file can give (plans built in code can): graded without the case's table of site rules.
    if random.chance(1, in: 8) {
      let site = catalog.sites[random.below(catalog.sites.count)]
      plan.sites.append(SiteChoice(site: site.id, side: site.sided ? [nil, .both][random.below(2)] : .left))
    }
    let targets = vocabulary.referralTargets.ids
    plan.referTo = random.chance(1, in: 3) ? nil : targets[random.below(targets.count)]
    return plan
  }
}

/// SplitMix64: the same plans on every run.
struct SeededRandom {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  mutating func chance(_ k: Int, in n: Int) -> Bool { below(n) < k }
}
