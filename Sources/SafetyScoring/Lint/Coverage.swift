import ScenarioKit

/// Which rules each case exercises, and which risk factors of the source article each case covers.
public struct Coverage: Sendable {
  public struct CaseRow: Sendable {
    public var id: String
    public var decision: Decision
    public var rules: [String]
    public var factors: [String]
    public var refs: [String]
  }

  public var cases: [CaseRow]
  /// Rule id → the cases that trigger it, for every rule (empty when none does).
  public var rules: [(id: String, cases: [String])]

  /// Computes coverage for `cases`: the scored and advisory rules that fire on each case's facts and model plan.
  public init(evaluator: Evaluator, cases: [Case]) {
    var rows: [CaseRow] = []
    var byRule: [String: [String]] = [:]
    let factors = evaluator.guidance.riskFactors
    for scenario in cases {
      let expected = evaluator.expected(for: scenario)
      let model = evaluator.modelPlan(for: scenario, expected: expected)
      let sites = evaluator.resolve(model.plan.sites)
      var fired = expected.factRules + expected.advice
      fired += expected.planRules.filter { $0.when.holds(for: evaluator.facts(of: scenario), sites: sites) }
      fired += expected.planAdvice.filter { $0.when.holds(for: evaluator.facts(of: scenario), sites: sites) }
      let ids = fired.map(\.id)
      // A rule that applies to everyone still counts for a case where it changed the answer (excluded a site).
      let shaping = model.excludedSites.map(\.rule)
      for id in ids { byRule[id, default: []].append(scenario.id) }
      let covered = factors.filter { factor in factor.rules.contains(where: ids.contains) }.map(\.id)
      var refs: [String] = []
      // Screening-only rules (such as asking every woman of child-bearing age about pregnancy) say nothing about
      // what the case is about, so they do not list their reference items here.
      let substantive = fired.filter { !$0.when.isAlways && !$0.isScreeningOnly }
      for rule in substantive + shaping {
        for ref in rule.refs where (ref.hasPrefix("AC-") || ref.hasPrefix("RC-")) && !refs.contains(ref) {
          refs.append(ref)
        }
      }
      rows.append(
        CaseRow(id: scenario.id, decision: model.plan.decision ?? .needle, rules: ids, factors: covered,
                refs: refs.sorted()))
    }
    self.cases = rows
    self.rules = evaluator.guidance.rules.map { ($0.id, byRule[$0.id] ?? []) }
  }
}
