import Foundation
import GRDB
import SafetyScoring

/// One decision item of one attempt, as the CSV export and statistics read it.
public struct ItemRecord: Sendable {
  public var trainee: String
  public var scenario: String
  public var attemptID: String
  /// ISO 8601, UTC, milliseconds.
  public var startedAt: String
  public var submittedAt: String
  public var kind: String
  public var subject: String
  public var verdict: String
  public var severity: String
  public var points: Int
  public var maxPoints: Int
  public var rule: String?
  /// The profile the attempt was graded under.
  public var policy: String
  public var jurisdiction: String
  public var practitionerLevel: String
  /// The seed of the variant and events (nil when none was drawn).
  public var seed: Int?
  /// The exam and seal of an exam attempt.
  public var exam: String?
  public var seal: String?
}

/// One attempt as the cohort report charts it, from the attempt's columns (its plan and report stay unread).
public struct AttemptSummary: Sendable, Equatable {
  public var trainee: String
  public var scenario: String
  /// ISO 8601, UTC, milliseconds.
  public var submittedAt: String
  public var scorePercent: Double
  public var passed: Bool
  public var critical: Bool
  public var exam: String?
  public var examSitting: Int?
  public var sealed: Bool
}

/// Per trainee and case: how many attempts, best and latest score, whether any passed.
public struct ScoreRow: Sendable, Codable, Equatable {
  public var trainee: String
  public var scenario: String
  public var attempts: Int
  public var bestScore: Double
  public var latestScore: Double
  public var latestPassed: Bool
  public var passed: Bool
}

/// Cohort statistics: the rules most often missed or broken and each case's pass rate.
public struct CohortStats: Sendable, Codable, Equatable {
  public struct RuleCount: Sendable, Codable, Equatable {
    public var rule: String
    public var missed: Int
    public var unsafe: Int
    public var attempts: Int
  }
  public struct CaseRate: Sendable, Codable, Equatable {
    public var scenario: String
    public var attempts: Int
    public var passed: Int
    public var passRate: Double
    public var meanScore: Double
  }
  public var attempts: Int
  public var trainees: Int
  public var rules: [RuleCount]
  public var cases: [CaseRate]
}

extension SQLiteAttemptStore {
  /// Calls `body` for every attempt matching `filter`, in submission order, one at a time (constant memory).
  public func forEachAttempt(_ filter: AttemptFilter, _ body: (Attempt) throws -> Void) throws {
    let (clause, arguments) = filter.sql
    try pool.read { db in
      let rows = try Row.fetchCursor(
        db, sql: "SELECT * FROM attempt a \(clause) ORDER BY a.submittedAt, a.id", arguments: arguments)
      while let row = try rows.next() { try body(try AttemptRows.decode(row)) }
    }
  }

  /// Calls `body` for every decision item of the attempts matching `filter`, streaming.
  public func forEachItem(_ filter: AttemptFilter, _ body: (ItemRecord) throws -> Void) throws {
    let (clause, arguments) = filter.sql
    try pool.read { db in
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT a.trainee, a.scenario, a.id, a.startedAt, a.submittedAt, i.kind, i.subject, i.verdict, i.severity,
                 i.points, i.maxPoints, i.rule, a.policy, a.jurisdiction, a.practitionerLevel, a.seed, a.exam, a.seal
          FROM attempt a JOIN attemptItem i ON i.attemptId = a.id \(clause)
          ORDER BY a.submittedAt, a.id, i.seq
          """, arguments: arguments)
      while let row = try rows.next() {
        try body(
          ItemRecord(
            trainee: row[0], scenario: row[1], attemptID: row[2], startedAt: Timestamp.iso(stored: row[3]),
            submittedAt: Timestamp.iso(stored: row[4]), kind: row[5],
            subject: row[6], verdict: row[7], severity: row[8], points: row[9], maxPoints: row[10], rule: row[11],
            policy: row[12], jurisdiction: row[13], practitionerLevel: row[14], seed: row[15], exam: row[16],
            seal: row[17]))
      }
    }
  }

  /// Best and latest score per trainee and case.
  public func scores(_ filter: AttemptFilter) throws -> [ScoreRow] {
    let (clause, arguments) = filter.sql
    return try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT a.trainee, a.scenario, COUNT(*) AS attempts, MAX(a.scorePercent) AS best,
                 MAX(a.passed) AS anyPassed,
                 (SELECT b.scorePercent FROM attempt b WHERE b.trainee = a.trainee AND b.scenario = a.scenario
                  ORDER BY b.submittedAt DESC, b.id DESC LIMIT 1) AS latest,
                 (SELECT b.passed FROM attempt b WHERE b.trainee = a.trainee AND b.scenario = a.scenario
                  ORDER BY b.submittedAt DESC, b.id DESC LIMIT 1) AS latestPassed
          FROM attempt a \(clause)
          GROUP BY a.trainee, a.scenario
          ORDER BY a.trainee, a.scenario
          """, arguments: arguments
      ).map { row in
        ScoreRow(
          trainee: row["trainee"], scenario: row["scenario"], attempts: row["attempts"], bestScore: row["best"],
          latestScore: row["latest"], latestPassed: row["latestPassed"], passed: row["anyPassed"])
      }
    }
  }

  /// Rules most often missed or broken, and pass rates per case.
  public func stats(_ filter: AttemptFilter) throws -> CohortStats {
    let (clause, arguments) = filter.sql
    return try pool.read { db in
      let totals = try Row.fetchOne(
        db, sql: "SELECT COUNT(*), COUNT(DISTINCT a.trainee) FROM attempt a \(clause)", arguments: arguments)
      let rules = try Row.fetchAll(
        db,
        sql: """
          SELECT i.rule, SUM(i.verdict = 'missed') AS missed, SUM(i.verdict = 'unsafe') AS unsafe,
                 COUNT(DISTINCT i.attemptId) AS attempts
          FROM attemptItem i JOIN attempt a ON a.id = i.attemptId \(clause.isEmpty ? "WHERE" : clause + " AND")
            i.rule IS NOT NULL AND i.verdict IN ('missed', 'unsafe')
          GROUP BY i.rule ORDER BY missed + unsafe DESC, i.rule
          """, arguments: arguments
      ).map { row in
        CohortStats.RuleCount(rule: row["rule"], missed: row["missed"], unsafe: row["unsafe"], attempts: row["attempts"])
      }
      let cases = try Row.fetchAll(
        db,
        sql: """
          SELECT a.scenario, COUNT(*) AS attempts, SUM(a.passed) AS passed, AVG(a.scorePercent) AS mean
          FROM attempt a \(clause) GROUP BY a.scenario ORDER BY a.scenario
          """, arguments: arguments
      ).map { row -> CohortStats.CaseRate in
        let attempts: Int = row["attempts"]
        let passed: Int = row["passed"]
        return CohortStats.CaseRate(
          scenario: row["scenario"], attempts: attempts, passed: passed,
          passRate: attempts == 0 ? 0 : (Double(passed) * 1000 / Double(attempts)).rounded() / 10,
          meanScore: ((row["mean"] as Double) * 10).rounded() / 10)
      }
      return CohortStats(
        attempts: totals?[0] ?? 0, trainees: totals?[1] ?? 0, rules: rules, cases: cases)
    }
  }

  /// Every attempt matching `filter`, by trainee and submission time, from its columns alone.
  public func summaries(_ filter: AttemptFilter) throws -> [AttemptSummary] {
    let (clause, arguments) = filter.sql
    return try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT a.trainee, a.scenario, a.submittedAt, a.scorePercent, a.passed, a.criticalCount, a.exam, a.examSitting,
                 a.seal IS NOT NULL FROM attempt a \(clause) ORDER BY a.trainee, a.submittedAt, a.id
          """, arguments: arguments
      ).map { row in
        AttemptSummary(
          trainee: row[0], scenario: row[1], submittedAt: Timestamp.iso(stored: row[2]), scorePercent: row[3],
          passed: row[4], critical: (row[5] as Int) > 0, exam: row[6], examSitting: row[7], sealed: row[8])
      }
    }
  }
}
