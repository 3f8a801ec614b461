import Foundation
import GRDB

/// A statement waiting in the outbox.
public struct QueuedStatement: Sendable, Equatable {
  public var id: String
  public var body: String
  public var tries: Int
}

/// Counts of the outbox by state.
public struct OutboxStatus: Sendable, Codable, Equatable {
  public var pending: Int
  public var sent: Int
  public var quarantined: Int
  /// Why each quarantined statement was refused, as the LRS said.
  public var quarantine: [Quarantined]

  public struct Quarantined: Sendable, Codable, Equatable {
    public var statementId: String
    public var reason: String
  }
}

/// The xAPI outbox: statements are queued in the same transaction as their attempt, and leave only when an LRS
/// has confirmed them (or has refused them for good, into quarantine).
enum Outbox {
  static func enqueue(_ statements: [(id: String, json: String)], attempt: Attempt, db: Database) throws {
    let statement = try db.makeStatement(
      sql: "INSERT INTO outbox (statementId, attemptId, seq, body, queuedAt) VALUES (?, ?, ?, ?, ?)")
    for (seq, item) in statements.enumerated() {
      try statement.execute(arguments: [item.id, attempt.id.uuidString.lowercased(), seq, item.json, attempt.submittedAt])
    }
  }
}

extension SQLiteAttemptStore {
  /// The oldest pending statements, in the order they were recorded.
  public func pendingStatements(limit: Int) throws -> [QueuedStatement] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: "SELECT statementId, body, tries FROM outbox WHERE status = 'pending' ORDER BY queuedAt, attemptId, seq LIMIT ?",
        arguments: [limit]
      ).map { QueuedStatement(id: $0["statementId"], body: $0["body"], tries: $0["tries"]) }
    }
  }

  public func markSent(_ ids: [String], at date: Date) throws {
    guard !ids.isEmpty else { return }
    try pool.write { db in
      let statement = try db.makeStatement(
        sql: "UPDATE outbox SET status = 'sent', sentAt = ?, lastError = NULL WHERE statementId = ?")
      for id in ids { try statement.execute(arguments: [date, id]) }
    }
  }

  public func quarantine(_ id: String, reason: String) throws {
    try pool.write { db in
      try db.execute(
        sql: "UPDATE outbox SET status = 'quarantined', lastError = ?, tries = tries + 1 WHERE statementId = ?",
        arguments: [String(reason.prefix(2000)), id])
    }
  }

  /// Notes a failed delivery try (the statements stay pending).
  public func noteFailure(_ ids: [String], reason: String) throws {
    guard !ids.isEmpty else { return }
    try pool.write { db in
      let statement = try db.makeStatement(
        sql: "UPDATE outbox SET tries = tries + 1, lastError = ? WHERE statementId = ?")
      for id in ids { try statement.execute(arguments: [String(reason.prefix(2000)), id]) }
    }
  }

  public func outboxStatus() throws -> OutboxStatus {
    try pool.read { db in
      let counts = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
      var byStatus: [String: Int] = [:]
      for row in counts { byStatus[row["status"]] = row["n"] }
      let quarantined = try Row.fetchAll(
        db, sql: "SELECT statementId, lastError FROM outbox WHERE status = 'quarantined' ORDER BY queuedAt, seq")
        .map { OutboxStatus.Quarantined(statementId: $0["statementId"], reason: $0["lastError"] ?? "") }
      return OutboxStatus(
        pending: byStatus["pending"] ?? 0, sent: byStatus["sent"] ?? 0, quarantined: byStatus["quarantined"] ?? 0,
        quarantine: quarantined)
    }
  }
}
