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
  /// `referTo: triage`: the patient's red flags say to whom and how soon (their triage in the vocabulary).
  public var referByTriage = false
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
  /// Technique checks: position, needle length and approach.
  public var technique: [TechniqueCheck] = []

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

/// A piece of safety guidance as data: when it applies, what it expects, why, and on what authority. A class: every
/// graded plan passes rules around many times, and a reference is copied with one retain.
public final class Rule: Sendable {
  public let id: String
  public let title: String
  public let refs: [String]
  public let sources: [String]
  public let severity: Severity
  /// Shown as advice, never scored (for unverified guidance).
  public let advisory: Bool
  public let when: Condition
  public let expect: Expectation
  public let explanation: String
  public let disputed: Disputed?
  public let policies: [String: PolicyOverride]
  public let path: String
  public let position: Position

  public init(
    id: String, title: String, refs: [String], sources: [String], severity: Severity, advisory: Bool,
    when: Condition, expect: Expectation, explanation: String, disputed: Disputed?, policies: [String: PolicyOverride],
    path: String, position: Position
  ) {
    self.id = id
    self.title = title
    self.refs = refs
    self.sources = sources
    self.severity = severity
    self.advisory = advisory
    self.when = when
    self.expect = expect
    self.explanation = explanation
    self.disputed = disputed
    self.policies = policies
    self.path = path
    self.position = position
  }

  /// The rule as it applies under `policy`, or nil when that policy switches it off.
  public func resolved(for policy: String) -> Rule? {
    guard let override = policies[policy] else { return self }
    if override.enabled == false { return nil }
    return Rule(
      id: id, title: title, refs: refs, sources: sources, severity: override.severity ?? severity,
      advisory: advisory, when: when, expect: override.expect ?? expect, explanation: explanation,
      disputed: disputed, policies: policies, path: path, position: position)
  }

  /// The rule scored at no more than `severity`.
  public func capped(at severity: Severity) -> Rule {
    guard self.severity > severity else { return self }
    return Rule(
      id: id, title: title, refs: refs, sources: sources, severity: severity, advisory: advisory, when: when,
      expect: expect, explanation: explanation, disputed: disputed, policies: policies, path: path, position: position)
  }

  /// Whether the rule only asks for screening questions.
  public var isScreeningOnly: Bool {
    expect.decision == nil && expect.required.isEmpty && expect.recommended.isEmpty && expect.forbid.isEmpty
      && expect.caution.isEmpty && expect.maxThoraxSides == nil && !expect.siteTechnique
  }

  /// Whether the condition looks at the plan (chosen sites) rather than only at the patient.
  public var dependsOnPlan: Bool { when.dependsOnPlan }
}
