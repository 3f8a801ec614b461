import Foundation
import GRDB
import SafetyScoring

/// Whether one exam attempt is as it was sealed.
public struct ExamCheck: Sendable, Codable, Equatable {
  public enum Status: String, Sendable, Codable {
    /// The seal matches the content, and the database's copies of the score and items match the sealed report.
    case intact
    /// Something changed after sealing (or the seal was made under another key).
    case altered
    /// An exam attempt with no seal.
    case unsealed
  }

  public var attempt: String
  public var trainee: String
  public var exam: String
  public var sitting: Int?
  public var scenario: String
  public var status: Status
  /// What differs, for an altered attempt.
  public var problems: [String]
}

extension SQLiteAttemptStore {
  /// Checks every exam attempt (of `trainee`, of `exam`, when given) against its seal under `key`, and the columns and
  /// item rows that scores, statistics and exports read against the sealed report.
  public func verifyExams(trainee: String?, exam: String?, key: ExamKey) throws -> [ExamCheck] {
    try pool.read { db in
      var conditions = ["exam IS NOT NULL"]
      var arguments: [DatabaseValueConvertible] = []
      if let trainee {
        conditions.append("trainee = ?")
        arguments.append(trainee)
      }
      if let exam {
        conditions.append("exam = ?")
        arguments.append(exam)
      }
      let rows = try Row.fetchAll(
        db, sql: "SELECT * FROM attempt WHERE \(conditions.joined(separator: " AND ")) ORDER BY exam, trainee, submittedAt, id",
        arguments: StatementArguments(arguments))
      return try rows.map { row in
        let id: String = row["id"]
        var check = ExamCheck(attempt: id, trainee: row["trainee"], exam: row["exam"], sitting: row["examSitting"],
                              scenario: row["scenario"], status: .intact, problems: [])
        guard let attempt = try? AttemptRows.decode(row) else {
          check.status = .altered
          check.problems = ["the stored plan or report cannot be read"]
          return check
        }
        check.problems = Self.columnProblems(row, attempt.report, attempt)
          + (try Self.itemProblems(db, id: id, report: attempt.report))
        check.status = ExamCheck.status(attempt, key: key, problems: &check.problems)
        return check
      }
    }
  }

  /// Columns that differ from the sealed report and plan.
  private static func columnProblems(_ row: Row, _ report: Report, _ attempt: Attempt) -> [String] {
    var problems: [String] = []
    func differs(_ column: String, _ stored: DatabaseValue, _ sealed: DatabaseValueConvertible?) {
      if stored != (sealed?.databaseValue ?? .null) { problems.append("column \(column) differs from the sealed report") }
    }
    differs("scorePercent", row["scorePercent"], report.scorePercent)
    differs("passed", row["passed"], report.passed)
    differs("earned", row["earned"], report.earned)
    differs("possible", row["possible"], report.possible)
    differs("criticalCount", row["criticalCount"], report.criticalFailures.count)
    differs("decision", row["decision"], attempt.plan.decision?.rawValue)
    differs("seed", row["seed"], attempt.plan.seed)
    return problems
  }

  /// Item rows that differ from the sealed report's items.
  private static func itemProblems(_ db: Database, id: String, report: Report) throws -> [String] {
    let rows = try Row.fetchAll(
      db, sql: "SELECT kind, subject, verdict, severity, points, maxPoints, rule FROM attemptItem WHERE attemptId = ? ORDER BY seq",
      arguments: [id])
    guard rows.count == report.items.count else {
      return ["\(rows.count) item rows for the sealed report's \(report.items.count) items"]
    }
    return zip(rows, report.items).enumerated().compactMap { index, pair in
      let (row, item) = pair
      let same = row["kind"] == item.kind.rawValue && row["subject"] == item.subject
        && row["verdict"] == item.verdict.rawValue && row["severity"] == item.severity.rawValue
        && row["points"] == item.points && row["maxPoints"] == item.maxPoints && row["rule"] == item.rule
      return same ? nil : "item \(index + 1) (\(item.kind.rawValue) \(item.subject)) differs from the sealed report"
    }
  }
}

extension ExamCheck {
  /// The status of `attempt` under `key`, given the problems already found in the database's copies.
  static func status(_ attempt: Attempt, key: ExamKey, problems: inout [String]) -> Status {
    guard attempt.seal != nil else { return .unsealed }
    if !ExamSeal.isIntact(attempt, key: key) {
      problems.insert("the seal does not match the content (or another key made it)", at: 0)
    }
    return problems.isEmpty ? .intact : .altered
  }

  /// Checks the exam attempts in a JSON export (`needlesim export --format json`) against their seals.
  public static func verifyExport(_ data: Data, key: ExamKey) throws -> [ExamCheck] {
    return try AttemptJSON.decoder().decode([Attempt].self, from: data).filter { $0.exam != nil }.map { attempt in
      var problems: [String] = []
      let status = status(attempt, key: key, problems: &problems)
      return ExamCheck(attempt: attempt.id.uuidString.lowercased(), trainee: attempt.trainee, exam: attempt.exam ?? "",
                       sitting: attempt.examSitting, scenario: attempt.scenario, status: status, problems: problems)
    }
  }
}
