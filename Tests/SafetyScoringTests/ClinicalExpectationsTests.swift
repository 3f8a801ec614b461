import Foundation
import NeedleSimTestSupport
import SafetyScoring
import ScenarioKit
import Testing
import YAMLReading

/// One case's expectations as a tutor wrote them from its narrative and the reference (clinical-expectations.yaml).
struct ClinicalExpectation: Sendable, CustomTestStringConvertible {
  var id: String
  var decisions: [Decision]
  var referTo: Set<String>
  var avoid: [SiteChoice]
  var fine: [SiteChoice]
  /// Known disagreements: "decisions" or a site ("site side"), each taken up by a later issue.
  var known: Set<String>
  /// Errors that must fail the attempt: "decision D", "site SITE SIDE", "precaution P".
  var critical: [String]
  /// Items a safe plan must include: "precaution P", "screening T".
  var required: [String]
  /// The event the case scripts, with the responses a tutor expects: critical when left out, required (missed when
  /// left out), and never (unsafe when given).
  var events: (happens: String, critical: [String], required: [String], never: [String])?
  /// For a template case, the values that pick the variant this row is about (empty: the case as written).
  var variant: [String: String] = [:]
  var testDescription: String {
    variant.isEmpty ? id : id + " (" + variant.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
  }

  /// The case this row is about: the variant it names (found by trying seeds), or the case as written.
  var scenario: Case? {
    let scenario = Bundled.scenario(id)
    return variant.isEmpty ? scenario : Bundled.variant(of: scenario, with: variant)?.scenario
  }

  /// The seed of the variant (nil for the case as written); plans carry it so they are graded on that variant.
  var seed: Int? { scenario?.variant?.seed }

  static let all: [ClinicalExpectation] = {
    let url = Repo.root.appendingPathComponent("Tests/SafetyScoringTests/clinical-expectations.yaml")
    let (node, bag) = YAMLFile.read(url, path: "clinical-expectations.yaml")
    guard let node, let file = MappingReader(node, bag: bag, context: "expectations", allowedKeys: ["cases"]) else {
      fatalError("clinical-expectations.yaml: \(bag.diagnostics)")
    }
    func sites(_ values: [Located<String>]) -> [SiteChoice] {
      values.map { text in
        let parts = text.value.split(separator: " ").map(String.init)
        return SiteChoice(site: parts[0], side: parts.count > 1 ? Side(rawValue: parts[1]) : nil)
      }
    }
    let entries = file.list("cases", required: true).compactMap { item -> ClinicalExpectation? in
      guard
        let m = MappingReader(
          item, bag: bag, context: "case", allowedKeys: ["id", "variant", "decisions", "referTo", "avoid", "fine", "basis", "known", "critical", "required", "events"]),
        let id = m.string("id", required: true)
      else { return nil }
      return ClinicalExpectation(
        id: id.value, decisions: m.strings("decisions", required: true).compactMap { Decision(rawValue: $0.value) },
        referTo: Set(m.strings("referTo").map(\.value)), avoid: sites(m.strings("avoid")), fine: sites(m.strings("fine")),
        known: Set(m.strings("known").map(\.value)), critical: m.strings("critical").map(\.value),
        required: m.strings("required").map(\.value),
        events: m.mapping("events", context: "events", allowedKeys: ["happens", "critical", "required", "never"]).flatMap { e in
          e.string("happens", required: true).map { happens in
            (happens.value, e.strings("critical").map(\.value), e.strings("required").map(\.value), e.strings("never").map(\.value))
          }
        },
        variant: {
          guard case .mapping(let pairs)? = m.value("variant")?.kind else { return [:] }
          return Dictionary(pairs.compactMap { pair in pair.key.scalar.flatMap { key in pair.value.scalar.map { (key, $0) } } },
                            uniquingKeysWith: { a, _ in a })
        }())
    }
    precondition(bag.diagnostics.isEmpty, "clinical-expectations.yaml: \(bag.diagnostics)")
    return entries
  }()
}

/// An independent witness: the rules' answer for every bundled case against what a tutor expects from the case's
/// narrative and the reference, written without reading the rules. Disagreement fails here, whichever is wrong.
@Suite("Clinical expectations per case")
struct ClinicalExpectationsTests {
  let evaluator = Evaluator(guidance: Bundled.guidance)

  @Test func everyBundledCaseHasExpectations() {
    let asWritten = ClinicalExpectation.all.filter(\.variant.isEmpty)
    #expect(Set(asWritten.map(\.id)) == Set(Bundled.library.ids))
    #expect(asWritten.count == Bundled.library.ids.count, "each case once")
  }

  /// Each template has a row for a variant besides the case as written, each row's variant exists, and only
  /// templates have variant rows.
  @Test func everyTemplateHasVariantRows() {
    for scenario in Bundled.library.cases where scenario.template != nil {
      #expect(ClinicalExpectation.all.contains { $0.id == scenario.id && !$0.variant.isEmpty }, "\(scenario.id)")
    }
    for row in ClinicalExpectation.all where !row.variant.isEmpty {
      #expect(row.scenario != nil, "\(row.testDescription): no seed below 1000 draws that variant")
    }
  }

  /// Runs `body`, recording its failures as a known issue when the table names `key` as a known disagreement.
  func check(_ tutor: ClinicalExpectation, _ key: String, _ body: () throws -> Void) rethrows {
    if tutor.known.contains(key) {
      withKnownIssue("\(tutor.id): \(key) is a known disagreement (see clinical-expectations.yaml)") { try body() }
    } else {
      try body()
    }
  }

  @Test(arguments: ClinicalExpectation.all) func theRulesAgreeWithTheTutor(_ tutor: ClinicalExpectation) throws {
    let scenario = try #require(tutor.scenario)
    let expected = evaluator.expected(for: scenario)
    let decision = expected.decision
    check(tutor, "decisions") {
      // The rules' best decision is one the tutor accepts; every decision the tutor accepts, the rules accept; and
      // the rules never accept needling the tutor rules out (they may accept a more cautious choice).
      #expect(tutor.decisions.contains(decision.preferred), "preferred \(decision.preferred.rawValue)")
      #expect(Set(tutor.decisions).isSubset(of: decision.allowed),
              "allowed \(decision.allowed.map(\.rawValue)) vs tutor \(tutor.decisions.map(\.rawValue))")
      #expect(!decision.allowed.contains(.needle) || tutor.decisions.contains(.needle), "needling allowed")
      if tutor.decisions.contains(.refer) {
        #expect(Set(decision.referTo).isSubset(of: tutor.referTo), "referTo \(decision.referTo) vs \(tutor.referTo)")
      }
    }
    // Candidate sites: the rules forbid exactly those the tutor would not needle (when needling is open at all).
    guard tutor.decisions.contains(.needle) else { return }
    let facts = evaluator.facts(of: scenario)
    let catalog = Bundled.guidance.catalog
    let fineThorax = tutor.fine.filter { catalog.site($0.site)?.thorax == true }
    for choice in tutor.avoid {
      let site = try #require(catalog.site(choice.site), "\(choice.site)")
      check(tutor, choice.description) {
        let forbidden = expected.forbiddingRule(site, side: choice.side, facts: facts) != nil
        // The far side of the thorax is avoided as a pair: a plan with a fine thoracic site on the other side
        // breaks the one-side rule.
        let otherSide = site.thorax && expected.thoraxRule != nil
          && fineThorax.contains { $0.side != nil && $0.side != choice.side }
        #expect(forbidden || otherSide, "\(choice) should be forbidden")
      }
    }
    for choice in tutor.fine {
      let site = try #require(catalog.site(choice.site), "\(choice.site)")
      check(tutor, choice.description) {
        let rule = expected.forbiddingRule(site, side: choice.side, facts: facts)
        #expect(rule == nil, "\(choice) forbidden by \(rule?.id ?? "")")
      }
    }
  }

  /// A plan that takes the tutor's best decision and needles only the tutor's fine sites, with every screening
  /// topic and every precaution except those in `without`.
  func fullPlan(_ tutor: ClinicalExpectation, decision: Decision? = nil, without: Set<String> = []) -> Plan {
    let catalog = Bundled.guidance.catalog
    let chosen = decision ?? tutor.decisions[0]
    return Plan(
      scenario: tutor.id, screening: catalog.vocabulary.screeningTopics.ids.filter { !without.contains("screening \($0)") },
      decision: chosen, referTo: chosen == .refer ? tutor.referTo.sorted().first : nil,
      precautions: chosen == .needle ? catalog.precautionIDs.filter { !without.contains("precaution \($0)") } : [],
      sites: chosen == .needle ? tutor.fine : [], seed: tutor.seed, eventMode: tutor.seed == nil ? nil : .scripted)
  }

  @Test(arguments: ClinicalExpectation.all) func theTutorsCriticalErrorsFailTheAttempt(_ tutor: ClinicalExpectation) throws {
    let scenario = try #require(tutor.scenario)
    for error in tutor.critical {
      let parts = error.split(separator: " ").map(String.init)
      var plan: Plan
      switch parts[0] {
      case "decision":
        plan = fullPlan(tutor, decision: Decision(rawValue: parts[1]))
        plan.sites = scenario.candidateSites
      case "site":
        guard tutor.decisions.contains(.needle) else { continue }
        plan = fullPlan(tutor, decision: .needle)
        plan.sites = [SiteChoice(site: parts[1], side: parts.count > 2 ? Side(rawValue: parts[2]) : nil)]
      default:
        guard tutor.decisions.contains(.needle) else { continue }
        plan = fullPlan(tutor, decision: .needle, without: [error])
      }
      let report = evaluator.grade(plan, for: scenario)
      check(tutor, error) {
        #expect(!report.criticalFailures.isEmpty && !report.passed, "\(error) should fail the attempt")
      }
    }
  }

  @Test(arguments: ClinicalExpectation.all) func theTutorsRequiredItemsAreRequired(_ tutor: ClinicalExpectation) throws {
    let scenario = try #require(tutor.scenario)
    for needed in tutor.required {
      let parts = needed.split(separator: " ").map(String.init)
      if ["precaution", "position", "technique"].contains(parts[0]), !tutor.decisions.contains(.needle) { continue }
      if parts[0] == "technique" {
        // "technique stated": needling a fine site without saying the needle and approach must be marked missed.
        let report = evaluator.grade(fullPlan(tutor, decision: .needle), for: scenario)
        check(tutor, needed) {
          #expect(report.items.contains { $0.kind == .technique && $0.subject.hasSuffix("needle and approach") && $0.verdict == .missed },
                  "\(needed) should be required")
        }
        continue
      }
      if parts[0] == "position" {
        // Seated where lying down is needed, supine where side-lying is: the position item must fail.
        var plan = fullPlan(tutor, decision: .needle)
        plan.position = parts[1] == "side-lying" ? "supine" : "seated"
        let report = evaluator.grade(plan, for: scenario)
        check(tutor, needed) {
          #expect(report.items.contains { $0.kind == .technique && $0.subject.hasPrefix("position") && $0.verdict == .unsafe },
                  "\(needed) should be required")
        }
        continue
      }
      let plan = fullPlan(tutor, decision: parts[0] == "precaution" ? .needle : nil, without: [needed])
      let report = evaluator.grade(plan, for: scenario)
      let item = report.items.first { $0.kind.rawValue == parts[0] && $0.subject == parts[1] }
      check(tutor, needed) {
        #expect(item?.verdict == .missed, "\(needed) should be required")
      }
    }
  }

  /// The case's scripted event happens in the model plan's treatment, and each response is worth what the tutor
  /// expects: leaving out a critical one fails the attempt, leaving out a required one is missed, a wrong one unsafe.
  @Test(arguments: ClinicalExpectation.all.filter { $0.events != nil })
  func theScriptedEventIsScoredAsATutorExpects(_ expectation: ClinicalExpectation) throws {
    let events = try #require(expectation.events)
    let scenario = try #require(expectation.scenario)
    var model = evaluator.modelPlan(for: scenario, eventMode: .scripted).plan
    let report = evaluator.grade(model, for: scenario)
    #expect(report.events.map(\.event) == [events.happens])
    let given = model.responses(to: events.happens)
    func graded(_ responses: [String]) -> Report {
      model.events = [EventResponse(event: events.happens, responses: responses)]
      return evaluator.grade(model, for: scenario)
    }
    for action in events.critical {
      let without = graded(given.filter { $0 != action })
      #expect(without.criticalFailures.contains { $0.subject == "\(events.happens)/\(action)" }, "leaving out \(action)")
    }
    for action in events.required {
      let without = graded(given.filter { $0 != action })
      #expect(without.items.contains { $0.subject == "\(events.happens)/\(action)" && $0.verdict == .missed }, "\(action)")
    }
    for action in events.never {
      let with = graded(given + [action])
      #expect(with.items.contains { $0.subject == "\(events.happens)/\(action)" && $0.verdict == .unsafe }, "\(action)")
    }
  }
}
