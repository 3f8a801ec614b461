import ScenarioKit

/// The verdict on one decision item.
public enum Verdict: String, Sendable, Codable {
  /// Done as the guidance expects.
  case correct
  /// A required screening question, precaution or referral not done.
  case missed
  /// A forbidden decision or site.
  case unsafe
  /// Over-caution: refusing a patient who could safely be treated, or a precaution that does not apply.
  case unnecessary
}

/// What part of the plan an item judges.
public enum ItemKind: String, Sendable, Codable {
  case decision, screening, precaution, site, technique, event
}

/// An event of the treatment as the report records it: what happened, what the student did, what was expected.
public struct ReportEvent: Sendable, Codable, Equatable {
  public var event: String
  public var name: String
  public var moment: EventMoment
  /// The chosen site it happened at ("rhomboids left"), if it is tied to one.
  public var site: String?
  /// Scripted by the case rather than drawn from the seed.
  public var scripted: Bool
  /// The student's responses, in order.
  public var responses: [String]
  /// The responses the guidance expects (the model's).
  public var expected: [String]
  /// How often the event happens in practice, as the reference reports it (the simulator raises it for teaching).
  public var realRate: String
}

/// One judged decision, with its reason and sources.
public struct ReportItem: Sendable, Codable, Equatable {
  public var kind: ItemKind
  public var subject: String
  public var verdict: Verdict
  public var severity: Severity
  public var points: Int
  public var maxPoints: Int
  /// The rule behind the verdict; nil when no rule was involved (for example an ordinary safe site).
  public var rule: String?
  public var explanation: String
  public var sources: [String]
  /// Set when the rule is a disputed point of guidance (reference §6).
  public var disputed: Disputed?
}

/// A critical error: it fails the attempt whatever the score.
public struct CriticalFailure: Sendable, Codable, Equatable {
  public var rule: String
  public var kind: ItemKind
  public var subject: String
  public var explanation: String
}

/// Guidance shown but not scored (unverified items of the reference).
public struct Advice: Sendable, Codable, Equatable {
  public var rule: String
  public var title: String
  public var explanation: String
}

/// The decision the guidance expected, so programs can show the right answer beside the trainee's.
public struct ExpectedDecision: Sendable, Codable, Equatable {
  public var preferred: Decision
  public var allowed: [Decision]
  public var referTo: [String]
}

/// The score report for one plan: the contract of `needlesim grade --json`.
public struct Report: Sendable, Codable, Equatable {
  public var scenario: String
  public var scenarioRevision: String
  public var guidanceVersion: String
  public var policy: String
  /// The jurisdiction (age-of-consent setting) graded under.
  public var jurisdiction: String
  /// The practitioner level graded under (the case's own, or the profile's).
  public var practitionerLevel: String
  public var passed: Bool
  public var scorePercent: Double
  public var earned: Int
  public var possible: Int
  public var hintsUsed: Int
  public var criticalFailures: [CriticalFailure]
  public var expected: ExpectedDecision
  public var items: [ReportItem]
  public var advice: [Advice]
  /// The events of the treatment, in order (empty when nothing happened or nobody was needled).
  public var events: [ReportEvent] = []
  /// The variant graded, for a template case: the seed and the values drawn (absent for a fixed case).
  public var variant: Variant? = nil
}

extension Report {
  private enum Keys: String, CodingKey {
    case scenario, scenarioRevision, guidanceVersion, policy, jurisdiction, practitionerLevel, passed, scorePercent
    case earned, possible, hintsUsed, criticalFailures, expected, items, advice, events, variant
  }

  /// Reads a report; one recorded before profiles existed was graded with an age of consent of 18 and the entry
  /// level, so those are what it reads as, and one recorded before events existed has none.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(
      scenario: try c.decode(String.self, forKey: .scenario),
      scenarioRevision: try c.decode(String.self, forKey: .scenarioRevision),
      guidanceVersion: try c.decode(String.self, forKey: .guidanceVersion),
      policy: try c.decode(String.self, forKey: .policy),
      jurisdiction: try c.decodeIfPresent(String.self, forKey: .jurisdiction) ?? "age-18",
      practitionerLevel: try c.decodeIfPresent(String.self, forKey: .practitionerLevel) ?? "entry",
      passed: try c.decode(Bool.self, forKey: .passed), scorePercent: try c.decode(Double.self, forKey: .scorePercent),
      earned: try c.decode(Int.self, forKey: .earned), possible: try c.decode(Int.self, forKey: .possible),
      hintsUsed: try c.decode(Int.self, forKey: .hintsUsed),
      criticalFailures: try c.decode([CriticalFailure].self, forKey: .criticalFailures),
      expected: try c.decode(ExpectedDecision.self, forKey: .expected),
      items: try c.decode([ReportItem].self, forKey: .items), advice: try c.decode([Advice].self, forKey: .advice),
      events: try c.decodeIfPresent([ReportEvent].self, forKey: .events) ?? [],
      variant: try c.decodeIfPresent(Variant.self, forKey: .variant))
  }
}
