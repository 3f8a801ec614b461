import Foundation
import NeedleSimTestSupport
import SafetyScoring
import ScenarioKit
import Testing
import YAMLReading

/// Template cases: variants drawn from a seed, placeholders filled in, constraints kept, and each variant graded on
/// its own facts.
@Suite("Case variants")
struct VariantTests {
  static let fixture = Repo.fixtures.appendingPathComponent("templates/hip-pain-template.yaml")
  let evaluator = Evaluator(guidance: Bundled.guidance)

  func template() throws -> Case {
    let (loaded, diagnostics) = CaseReader.load(Self.fixture, catalog: Bundled.guidance.catalog)
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    return try #require(loaded)
  }

  /// A template read from `text`, with its diagnostics.
  func read(_ text: String) -> (Case?, [Diagnostic]) {
    let bag = DiagnosticBag(path: "t.yaml")
    let node = YAMLFile.parse(Data(text.utf8), bag: bag, limits: .standard)
    guard let node else { return (nil, bag.diagnostics) }
    let loaded = CaseReader.read(node, bag: bag, catalog: Bundled.guidance.catalog, path: "t.yaml", revision: "r")
    return (bag.hasErrors ? nil : loaded, bag.diagnostics)
  }

  func value(_ scenario: Case, _ name: String) -> String? {
    scenario.variant?.values.first { $0.name == name }?.value
  }

  @Test func theCaseAsWrittenUsesTheDefaults() throws {
    let scenario = try template()
    #expect(scenario.variant == Variant(seed: nil, values: [
      VariantValue(name: "side", value: "right"), VariantValue(name: "age", value: "72"),
      VariantValue(name: "blood-thinner", value: "apixaban"),
    ]))
    #expect(scenario.facts.age == 72)
    #expect(scenario.facts.medications.map(\.drugClass) == ["anticoagulant"])
    #expect(scenario.unsafePlans.count == 2)
  }

  @Test func theSameSeedDrawsTheSameVariant() throws {
    let scenario = try template()
    for seed in 0..<100 {
      let first = try #require(scenario.variant(seed: seed).0)
      let again = try #require(scenario.template?.variant(seed: seed).0)
      #expect(first.variant == again.variant)
      #expect(first.history == again.history && first.facts == again.facts)
      #expect(first.variant?.seed == seed)
    }
  }

  @Test func seedsDrawEveryValueWithinTheConstraints() throws {
    let scenario = try template()
    var seen: [String: Set<String>] = [:]
    for seed in 0..<400 {
      let variant = try #require(scenario.variant(seed: seed).0)
      for value in variant.variant?.values ?? [] { seen[value.name, default: []].insert(value.value) }
      let age = try #require(Int(value(variant, "age") ?? ""))
      #expect((58...79).contains(age))
      // The constraint: an anticoagulated variant is at least 65.
      if value(variant, "blood-thinner") == "apixaban" { #expect(age >= 65, "seed \(seed)") }
    }
    #expect(seen["side"] == ["left", "right"])
    #expect(seen["blood-thinner"] == ["none", "apixaban"])
    #expect(seen["age"]?.count == 22, "every age from 58 to 79 is drawn")
  }

  @Test func textAndFactsAgreeInEveryVariant() throws {
    let scenario = try template()
    for seed in 0..<200 {
      let variant = try #require(scenario.variant(seed: seed).0)
      let side = try #require(value(variant, "side"))
      let age = try #require(value(variant, "age"))
      let anticoagulated = value(variant, "blood-thinner") == "apixaban"
      #expect(variant.facts.age == Int(age))
      #expect(variant.history.contains("Malcolm, \(age),") && variant.history.contains("his \(side) hip"))
      #expect(variant.complaint.hasPrefix(side))
      #expect(variant.candidateSites.allSatisfy { $0.side?.rawValue == side })
      #expect(variant.facts.medications.contains { $0.drugClass == "anticoagulant" } == anticoagulated)
      #expect(variant.interview["medications"]?.contains("Apixaban") == anticoagulated)
      // The option's unsafe plan is spliced in only where it applies, with the variant's side.
      #expect(variant.unsafePlans.count == (anticoagulated ? 2 : 1))
      #expect(variant.unsafePlans.flatMap(\.plan.sites).allSatisfy { $0.side?.rawValue == side })
    }
  }

  @Test func aPlanIsGradedOnTheVariantItsSeedDraws() throws {
    let scenario = try template()
    let none = try #require(Bundled.variant(of: scenario, with: ["blood-thinner": "none"]))
    let apixaban = try #require(Bundled.variant(of: scenario, with: ["blood-thinner": "apixaban"]))
    func psoas(_ found: (seed: Int, scenario: Case)) -> Report {
      let side = found.scenario.candidateSites[0].side
      let plan = Plan(
        scenario: scenario.id, screening: ["medical-history", "medications", "bleeding"], decision: .needle,
        precautions: ["informed-consent", "hand-hygiene", "sterile-single-use-needles", "skin-disinfection"],
        sites: [SiteChoice(site: "psoas", side: side)], seed: found.seed, eventMode: .off)
      // Graded against the case as written: the grader reads the plan's variant itself.
      return evaluator.grade(plan, for: scenario)
    }
    let safe = psoas(none)
    let anticoagulated = psoas(apixaban)
    #expect(!safe.criticalFailures.contains { $0.rule == "anticoagulant-non-compressible" })
    #expect(anticoagulated.criticalFailures.contains { $0.rule == "anticoagulant-non-compressible" })
    #expect(safe.variant?.seed == none.seed && anticoagulated.variant?.seed == apixaban.seed)
    #expect(safe.variant?.values == none.scenario.variant?.values)
    // The report's JSON carries the variant, and reads back.
    let decoded = try JSONDecoder().decode(Report.self, from: Data(anticoagulated.json(pretty: false).utf8))
    #expect(decoded == anticoagulated)
  }

  @Test func theModelPlanOfEveryVariantScoresFull() throws {
    let scenario = try template()
    for seed in 0..<60 {
      let variant = try #require(scenario.variant(seed: seed).0)
      let model = evaluator.modelPlan(for: variant)
      #expect(model.plan.seed == seed)
      let report = evaluator.grade(model.plan, for: scenario)
      #expect(report.passed && report.scorePercent == 100, "seed \(seed)")
    }
  }

  @Test func lintNamesTheSeedOfAVariantThatFails() throws {
    // The "left" option brings a code the vocabulary lacks: only left variants fail.
    let text = try String(contentsOf: Self.fixture, encoding: .utf8)
      .replacingOccurrences(of: "  side: {oneOf: [right, left]}", with: """
          side:
            oneOf:
              - {value: right, skin: []}
              - {value: left, skin: [{finding: bruise, side: left, regions: [hip]}]}
        """)
      .replacingOccurrences(of: "  previousNeedling: true", with: "  previousNeedling: true\n  skin: \"{side.skin}\"")
    let (scenario, diagnostics) = read(text)
    #expect(diagnostics.isEmpty, "the case as written (right) reads: \(diagnostics)")
    let checked = CaseChecker(evaluator: evaluator).checkVariants(try #require(scenario), limit: 200)
    let failing = checked.diagnostics.filter { $0.severity == .error }
    #expect(!failing.isEmpty)
    let named = try #require(failing.first?.message)
    #expect(named.hasPrefix("seed ") && named.contains("side=left") && named.contains("bruise"), "\(named)")
    let seed = try #require(Int(named.dropFirst(5).prefix { $0.isNumber }))
    #expect(scenario?.variant(seed: seed).0 == nil, "the seed named reproduces the failure")
    let optionLine = text.components(separatedBy: "\n").firstIndex { $0.contains("bruise") }.map { $0 + 1 }
    #expect(failing.allSatisfy { $0.line == optionLine }, "located at the option: \(failing)")
    // 2 sides × 22 ages × 2, less the anticoagulated ones under 65 (7 ages × 2 sides).
    #expect(checked.checked == 88 - 14, "every variant the constraint allows: \(checked.checked)")
  }

  @Test func lintChecksASampleOfALargeTemplate() throws {
    let checked = CaseChecker(evaluator: evaluator).checkVariants(try template(), limit: 10, firstSeed: 500)
    #expect(checked.checked == 10 && checked.diagnostics.isEmpty, "\(checked.diagnostics)")
  }

  @Test(arguments: [
    ("  age: {range: [58, 79], default: 72}", "  age: {range: [58, 79], default: 90}", "default of parameter \"age\""),
    ("  medications: \"{blood-thinner.answer}\"", "  medications: \"{blood-thiner.answer}\"", "unknown parameter \"blood-thiner\" (did you mean \"blood-thinner\"?)"),
    ("  medications: \"{blood-thinner.answer}\"", "  medications: \"{blood-thinner.answr}\"", "has no field \"answr\""),
    ("  bleeding: \"No unusual", "  bleeding: \"{blood-thinner.medications} No unusual", "cannot go inside text"),
    ("  bleeding: \"No unusual", "  bleeding: \"a { No unusual", "a brace in text must open a placeholder"),
    ("    then: {age: {min: 65}}", "    then: {agee: {min: 65}}", "unknown parameter \"agee\""),
    ("    then: {age: {min: 65}}", "    then: {blood-thinner: warfarin}", "never takes the value \"warfarin\""),
    ("    then: {age: {min: 65}}", "    then: {age: {min: 90}}", "defaults break a constraint"),
    ("        answer: \"Apixaban", "        answer: \"{blood-thinner.answer} Apixaban", "refers to \"blood-thinner\" itself"),
    ("  side: {oneOf: [right, left]}", "  site: {oneOf: [right, left]}", "kept for a scripted event"),
  ])
  func aBrokenTemplateIsReportedWhereItIsWritten(_ edit: (String, String, String)) throws {
    let text = try String(contentsOf: Self.fixture, encoding: .utf8)
    #expect(text.contains(edit.0))
    let (scenario, diagnostics) = read(text.replacingOccurrences(of: edit.0, with: edit.1))
    let line = text.components(separatedBy: "\n").firstIndex { $0.hasPrefix(edit.0) }.map { $0 + 1 }
    let error = diagnostics.first { $0.severity == .error && $0.message.contains(edit.2) }
    #expect(scenario == nil)
    #expect(error != nil, "\(diagnostics)")
    if let error, let line, !edit.2.contains("defaults"), !edit.2.contains("kept"), !edit.2.contains("itself") {
      #expect(error.line == line, "\(error)")
    }
  }

  @Test func bracesAndBarePlaceholders() throws {
    let text = try String(contentsOf: Self.fixture, encoding: .utf8)
      .replacingOccurrences(of: "  bleeding: \"No unusual", with: "  bleeding: \"{{not a placeholder}} on the {side}. No unusual")
    let (scenario, diagnostics) = read(text)
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    #expect(scenario?.interview["bleeding"]?.hasPrefix("{not a placeholder} on the right.") == true)
    // `side: {side}` (bare, a YAML flow mapping) and `side: "{side}"` read alike.
    #expect(scenario?.candidateSites.map(\.side) == [.right, .right])
  }

  @Test func theBundledLibraryHasTemplatesWhoseVariantsAllCheckClean() {
    let templates = Bundled.library.cases.filter { $0.template != nil }
    #expect(templates.count >= 10, "\(templates.map(\.id))")
    let checker = CaseChecker(evaluator: evaluator)
    for scenario in templates {
      let result = checker.checkVariants(scenario, asWritten: checker.check(scenario))
      #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(scenario.id): \(result.diagnostics)")
      #expect(result.checked >= 2, "\(scenario.id) varies")
    }
  }
}
