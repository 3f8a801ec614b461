import ScenarioKit

/// A case with what the guidance expects of it, worked out once for grading many plans, and held by reference so
/// that grading a plan copies neither.
public final class PreparedCase: Sendable {
  public let scenario: Case
  public let expected: Expected
  /// The decision part of every report for this case.
  let expectedDecision: ExpectedDecision

  public init(_ scenario: Case, evaluator: Evaluator) {
    self.scenario = scenario
    expected = evaluator.expected(for: scenario)
    let outcome = expected.decision
    expectedDecision = ExpectedDecision(preferred: outcome.preferred, allowed: outcome.allowed, referTo: outcome.referTo)
  }
}
