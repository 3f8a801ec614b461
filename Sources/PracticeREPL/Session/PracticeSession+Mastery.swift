import Foundation
import Presentation
import SafetyScoring
import ScenarioKit
import TraineeRecords

/// Practice that adapts: `next` opens a case (and variant) exercising the trainee's weakest rules that are due, and
/// `progress` charts mastery by rule family.
extension PracticeSession {
  /// A case, or one variant of a template, and the rules it exercises: those its facts bring into play and those its
  /// model plan is graded on.
  struct Exercise {
    var scenario: Case
    var seed: Int?
    var rules: Set<String>
  }

  /// How many variants of each template `next` considers.
  static let variantsConsidered = 8

  /// The trainee's mastery of each rule, from every graded attempt.
  func mastery() -> [String: RuleMastery] {
    guidance.mastery.schedule(allAttempts().map { (date: $0.submittedAt, items: $0.report.items) })
  }

  /// What each case (and each of the first variants of a template) exercises: worked out once per session.
  func exercises() -> [Exercise] {
    if let known = exerciseIndex { return known }
    var made: [Exercise] = []
    for scenario in cases {
      let seeds: [Int?] = scenario.template == nil ? [nil] : Array(0..<Self.variantsConsidered)
      var seen: Set<[VariantValue]> = []
      for seed in seeds {
        guard let variant = scenario.variant(seed: seed).0,
          seen.insert(variant.variant?.values ?? []).inserted
        else { continue }
        let expected = evaluator.expected(for: variant)
        let model = evaluator.modelPlan(for: variant, expected: expected)
        let report = evaluator.grade(model.plan, for: variant, expected: expected)
        made.append(Exercise(scenario: scenario, seed: seed,
                             rules: Set(report.items.compactMap(\.rule) + expected.factRules.map(\.id))))
      }
    }
    exerciseIndex = made
    return made
  }

  /// The case `next` opens, with the seed of the variant to open (nil: the session's own choice) and why.
  func nextCase() -> (scenario: Case, seed: Int?, why: String)? {
    let attempts = allAttempts()
    let due = guidance.mastery.due(mastery(), at: environment.now())
    if let weakest = due.first {
      let dueRules = Set(due.map(\.rule))
      let lastTried = Dictionary(attempts.map { ($0.scenario, $0.submittedAt) }, uniquingKeysWith: max)
      // The weakest rule first; among the cases that exercise it, another patient than the one just seen (the rule is
      // learnt when it transfers), then the one that reviews the most due rules, then the one tried longest ago (or
      // never), so practice moves round the library.
      let justSeen = attempts.max { $0.submittedAt < $1.submittedAt }?.scenario
      let exercising = exercises().filter { $0.rules.contains(weakest.rule) }
      let others = exercising.filter { $0.scenario.id != justSeen }
      let best = (others.isEmpty ? exercising : others).min { a, b in
        let (countA, countB) = (a.rules.intersection(dueRules).count, b.rules.intersection(dueRules).count)
        if countA != countB { return countA > countB }
        let (whenA, whenB) = (lastTried[a.scenario.id] ?? .distantPast, lastTried[b.scenario.id] ?? .distantPast)
        if whenA != whenB { return whenA < whenB }
        return (a.scenario.id, a.seed ?? -1) < (b.scenario.id, b.seed ?? -1)
      }
      if let best {
        let reviewed = best.rules.intersection(dueRules).count
        return (best.scenario, best.seed,
                "Chosen for review: it exercises \(reviewed) of the \(due.count) rule(s) due, among them your weakest.")
      }
    }
    let best = bestScores()
    if let untried = cases.first(where: { best[$0.id] == nil }) { return (untried, nil, "A case you have not tried.") }
    return cases.min { (best[$0.id] ?? 0) < (best[$1.id] ?? 0) }.map { ($0, nil, "Your weakest case so far.") }
  }

  /// `next`: the chosen case, opened with a note of why (the rules themselves are not named: that would give the
  /// answer away).
  func openNext() -> Reply {
    guard let (scenario, chosenSeed, why) = nextCase() else { return openCase(nil) }
    let reply = openCase(scenario, seed: seed == nil ? chosenSeed : nil)
    return Reply(style.paint(why, .dim) + "\n\n" + reply.text, quit: reply.quit)
  }

  /// Mastery by family as a chart, for `progress`.
  func masteryView() -> [String] {
    let state = mastery()
    guard !state.isEmpty else { return [] }
    let now = environment.now()
    let model = guidance.mastery
    var lines = ["", style.paint("Mastery by rule family (Leitner boxes 1–\(model.boxes); `next` reviews what is due)", .bold)]
    lines += MasteryRenderer.lines(model.families(state, at: now), style: style)
    return lines
  }
}
