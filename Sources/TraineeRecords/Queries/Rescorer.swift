import Foundation
import GRDB
import SafetyScoring
import ScenarioKit

/// What re-scoring one attempt under the current guidance changed.
public struct RescoreChange: Sendable, Codable, Equatable {
  public struct ItemChange: Sendable, Codable, Equatable {
    public var kind: String
    public var subject: String
    public var before: String
    public var after: String
  }
  public var attempt: String
  public var trainee: String
  public var scenario: String
  public var scoreBefore: Double
  public var scoreAfter: Double
  public var passedBefore: Bool
  public var passedAfter: Bool
  public var items: [ItemChange]
  /// The case file changed since the attempt (its revision differs).
  public var caseChanged: Bool
}

/// The outcome of a re-scoring run.
public struct RescoreSummary: Sendable, Codable, Equatable {
  public var attempts: Int
  public var changed: [RescoreChange]
  /// Attempts whose verdicts are unchanged but whose score moved (for example after a weight change).
  public var scoreOnly: Int
  /// Attempts whose case (or the variant their seed draws) no longer exists; they are left as they are.
  public var missingCases: [String]
  public var guidanceVersion: String
}

/// Re-grades stored plans under the current guidance. Original reports are never touched; each new report is
/// stored beside them, so the history of a grade can be audited.
public struct Rescorer {
  public let store: SQLiteAttemptStore
  public let guidance: Guidance
  public let cases: [String: Case]
  public let now: @Sendable () -> Date

  public init(store: SQLiteAttemptStore, guidance: Guidance, cases: [Case], now: @escaping @Sendable () -> Date) {
    self.store = store
    self.guidance = guidance
    self.cases = Dictionary(cases.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    self.now = now
  }

  /// Re-scores every attempt matching `filter`, each under its own policy, jurisdiction and practitioner level unless
  /// `policy`, `jurisdiction` or `practitionerLevel` overrides it; with `dryRun`, stores nothing.
  public func run(
    _ filter: AttemptFilter, policy: String?, jurisdiction: String? = nil, practitionerLevel: String? = nil,
    dryRun: Bool
  ) throws -> RescoreSummary {
    var evaluators: [[String]: Evaluator] = [:]
    var changes: [RescoreChange] = []
    var pending: [(String, Report)] = []
    var scoreOnly = 0
    var missing: Set<String> = []
    var count = 0
    let latest = try latestReports()
    try store.forEachAttempt(filter) { attempt in
      count += 1
      // A template case is re-scored as the variant the plan's seed drew; one that can no longer be read is left
      // as it is, like a missing case.
      guard let scenario = cases[attempt.scenario]?.variant(seed: attempt.plan.seed).0 else {
        missing.insert(attempt.scenario)
        return
      }
      let profile = [
        policy ?? attempt.policy, jurisdiction ?? attempt.jurisdiction, practitionerLevel ?? attempt.practitionerLevel,
      ]
      let evaluator = evaluators[profile]
        ?? Evaluator(guidance: guidance, policy: profile[0], jurisdiction: profile[1], practitionerLevel: profile[2])
      evaluators[profile] = evaluator
      let id = attempt.id.uuidString.lowercased()
      let before = latest[id] ?? attempt.report
      let after = evaluator.grade(attempt.plan, for: scenario, hintsUsed: attempt.hintsUsed)
      let itemChanges = Self.diff(before, after)
      if !itemChanges.isEmpty || before.passed != after.passed {
        changes.append(
          RescoreChange(
            attempt: id, trainee: attempt.trainee, scenario: attempt.scenario, scoreBefore: before.scorePercent,
            scoreAfter: after.scorePercent, passedBefore: before.passed, passedAfter: after.passed, items: itemChanges,
            caseChanged: scenario.revision != attempt.scenarioRevision))
      } else if before.scorePercent != after.scorePercent {
        scoreOnly += 1
      }
      if before != after { pending.append((id, after)) }
    }
    if !dryRun, !pending.isEmpty {
      let at = now()
      try store.pool.write { db in
        for (id, report) in pending {
          try db.execute(
            sql: """
              INSERT INTO rescore (attemptId, rescoredAt, guidanceVersion, policy, jurisdiction, practitionerLevel,
                scorePercent, passed, reportJSON)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
              """,
            arguments: [
              id, at, report.guidanceVersion, report.policy, report.jurisdiction, report.practitionerLevel,
              report.scorePercent, report.passed,
              String(decoding: try AttemptRows.encoder.encode(report), as: UTF8.self),
            ])
        }
      }
    }
    return RescoreSummary(
      attempts: count, changed: changes, scoreOnly: scoreOnly, missingCases: missing.sorted(),
      guidanceVersion: guidance.version)
  }

  /// The most recent re-scored report of each attempt that has one.
  func latestReports() throws -> [String: Report] {
    try store.pool.read { db in
      var reports: [String: Report] = [:]
      let rows = try Row.fetchCursor(db, sql: "SELECT attemptId, reportJSON FROM rescore ORDER BY id")
      let decoder = JSONDecoder()
      while let row = try rows.next() {
        let json: String = row["reportJSON"]
        reports[row["attemptId"]] = try decoder.decode(Report.self, from: Data(json.utf8))
      }
      return reports
    }
  }

  /// Items whose verdict changed, appeared or disappeared, keyed by kind and subject.
  static func diff(_ before: Report, _ after: Report) -> [RescoreChange.ItemChange] {
    func key(_ item: ReportItem) -> String { "\(item.kind.rawValue)|\(item.subject)" }
    let old = Dictionary(before.items.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
    let new = Dictionary(after.items.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
    var changes: [RescoreChange.ItemChange] = []
    for item in after.items {
      let previous = old[key(item)]?.verdict.rawValue ?? "absent"
      if previous != item.verdict.rawValue {
        changes.append(.init(kind: item.kind.rawValue, subject: item.subject, before: previous, after: item.verdict.rawValue))
      }
    }
    for item in before.items where new[key(item)] == nil {
      changes.append(.init(kind: item.kind.rawValue, subject: item.subject, before: item.verdict.rawValue, after: "absent"))
    }
    return changes
  }
}
