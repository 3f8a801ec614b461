import ScenarioKit

/// A case with what the guidance expects of it, worked out once for grading many plans, and held by reference so
/// that grading a plan copies neither.
public final class PreparedCase: Sendable {
  /// The case.
  public let scenario: Case
  /// What the guidance expects of it, under the evaluator's policy.
  public let expected: Expected
  /// The decision part of every report for this case.
  let expectedDecision: ExpectedDecision
  /// The rules that forbid each site, or ask for care there, for this patient.
  let siteRules: SiteRuleTable

  /// Prepares `scenario` for grading by `evaluator` (and by writers made with it).
  public init(_ scenario: Case, evaluator: Evaluator) {
    self.scenario = scenario
    expected = evaluator.expected(for: scenario)
    let outcome = expected.decision
    expectedDecision = ExpectedDecision(preferred: outcome.preferred, allowed: outcome.allowed, referTo: outcome.referTo)
    siteRules = SiteRuleTable(expected: expected, facts: scenario.facts, sites: evaluator.sharedSites)
  }
}
