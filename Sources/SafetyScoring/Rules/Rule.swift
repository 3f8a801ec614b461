import YAMLReading
import ScenarioKit

/// How much a mistake matters. A critical mistake fails the attempt whatever the score.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
  case minor, major, critical

  private var rank: Int {
    switch self {
    case .minor: return 0
    case .major: return 1
    case .critical: return 2
    }
  }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// What a rule expects of the decision.
public struct DecisionExpectation: Sendable, Equatable {
  public var allowed: [Decision]
  public var preferred: Decision
  public var referTo: [String]
}

/// What a rule expects when it applies.
public struct Expectation: Sendable, Equatable {
  public var decision: DecisionExpectation?
  public var screening: [String] = []
  public var required: [String] = []
  public var recommended: [String] = []
  public var forbid: [SiteSelector] = []
  public var caution: [SiteSelector] = []
  public var maxThoraxSides: Int?
  /// Each chosen site's own technique precautions become required.
  public var siteTechnique = false

  public init() {}
}

/// A point on which published guidance disagrees (reference §6).
public struct Disputed: Sendable, Equatable, Codable {
  public var id: String
  public var alternative: String
}

/// How a policy profile changes a rule.
public struct PolicyOverride: Sendable, Equatable {
  public var severity: Severity?
  public var expect: Expectation?
  public var enabled: Bool?
}

/// A piece of safety guidance as data: when it applies, what it expects, why, and on what authority.
public struct Rule: Sendable {
  public var id: String
  public var title: String
  public var refs: [String]
  public var sources: [String]
  public var severity: Severity
  /// Shown as advice, never scored (for unverified guidance).
  public var advisory: Bool
  public var when: Condition
  public var expect: Expectation
  public var explanation: String
  public var disputed: Disputed?
  public var policies: [String: PolicyOverride]
  public var path: String
  public var position: Position

  /// The rule as it applies under `policy`, or nil when that policy switches it off.
  public func resolved(for policy: String) -> Rule? {
    guard let override = policies[policy] else { return self }
    if override.enabled == false { return nil }
    var rule = self
    if let severity = override.severity { rule.severity = severity }
    if let expect = override.expect { rule.expect = expect }
    return rule
  }

  /// Whether the rule only asks for screening questions.
  public var isScreeningOnly: Bool {
    expect.decision == nil && expect.required.isEmpty && expect.recommended.isEmpty && expect.forbid.isEmpty
      && expect.caution.isEmpty && expect.maxThoraxSides == nil && !expect.siteTechnique
  }

  /// Whether the condition looks at the plan (chosen sites) rather than only at the patient.
  public var dependsOnPlan: Bool { when.dependsOnPlan }
}
