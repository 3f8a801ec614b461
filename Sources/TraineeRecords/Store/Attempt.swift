import Foundation
import SafetyScoring
import ScenarioKit

/// One graded attempt at a case: who, which case revision, under which guidance, the raw plan and the full report.
///
/// Keeping the raw plan, the case revision and the guidance version is what lets `rescore` re-grade it later.
public struct Attempt: Sendable, Equatable, Codable {
  public var id: UUID
  public var trainee: String
  public var scenario: String
  public var scenarioRevision: String
  public var guidanceVersion: String
  public var policy: String
  /// The jurisdiction (age-of-consent setting) and practitioner level graded under, like the policy.
  public var jurisdiction: String
  public var practitionerLevel: String
  /// Where it came from: "practice" (the REPL), "exam" (`needlesim exam start`) or "grade" (a plan file or batch).
  public var source: String
  public var startedAt: Date
  public var submittedAt: Date
  public var plan: Plan
  public var hintsUsed: Int
  public var report: Report
  /// The exam this attempt was taken under (`needlesim exam start`); nil for practice and grading.
  public var exam: String?
  /// Which sitting of the exam (1 for the first), so the attempts an exam allows can be counted.
  public var examSitting: Int?
  /// The exam attempt's seal: an HMAC over its canonical content under the instructor's key (see ``ExamSeal``).
  public var seal: String?

  public init(
    id: UUID, trainee: String, source: String, startedAt: Date, submittedAt: Date, plan: Plan, hintsUsed: Int,
    report: Report
  ) {
    self.id = id
    self.trainee = trainee
    self.scenario = report.scenario
    self.scenarioRevision = report.scenarioRevision
    self.guidanceVersion = report.guidanceVersion
    self.policy = report.policy
    self.jurisdiction = report.jurisdiction
    self.practitionerLevel = report.practitionerLevel
    self.source = source
    self.startedAt = startedAt
    self.submittedAt = submittedAt
    self.plan = plan
    self.hintsUsed = hintsUsed
    self.report = report
  }

  /// Seconds from start to submission.
  public var duration: TimeInterval { max(0, submittedAt.timeIntervalSince(startedAt)) }
}

/// Where attempts are kept. The practice REPL and `grade --save` write through it.
public protocol AttemptStore: Sendable {
  /// Saves `attempt` atomically, sealed under `key` when one is given (an exam attempt): afterwards it is either
  /// fully present or absent.
  func save(_ attempt: Attempt, sealingWith key: ExamKey?) throws
  /// Attempts in submission order, optionally for one trainee only.
  func attempts(trainee: String?) throws -> [Attempt]
}

extension AttemptStore {
  /// Saves an attempt that is not sealed.
  public func save(_ attempt: Attempt) throws { try save(attempt, sealingWith: nil) }
}
