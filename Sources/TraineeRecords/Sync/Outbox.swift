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

    public init(statementId: String, reason: String) {
      self.statementId = statementId
      self.reason = reason
    }
  }
}

/// The xAPI outbox: statements are queued in the same transaction as their attempt, and leave only when an LRS
/// has confirmed them (or has refused them for good, into quarantine).
enum Outbox {
  static func enqueue(_ ids: [String], options: XAPIOptions, attempt: Attempt, db: Database) throws {
    let statement = try db.makeStatement(
      sql: """
        INSERT INTO outbox (statementId, attemptId, seq, homePage, iriBase, platform, queuedAt)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """)
    for (seq, id) in ids.enumerated() {
      try statement.execute(arguments: [
        id, attempt.id.uuidString.lowercased(), seq, options.homePage, options.iriBase, options.platform,
        attempt.submittedAt,
      ])
    }
  }
}

extension SQLiteAttemptStore {
  /// The oldest pending statements, in the order they were recorded, rendered from their attempts with the
  /// options recorded when they were queued.
  public func pendingStatements(limit: Int) throws -> [QueuedStatement] {
    try pool.read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT o.statementId, o.seq, o.tries, o.homePage, o.iriBase, o.platform, a.*
          FROM outbox o JOIN attempt a ON a.id = o.attemptId
          WHERE o.status = 'pending' ORDER BY o.queuedAt, o.attemptId, o.seq LIMIT ?
          """, arguments: [limit])
      var rendered: [String: [(id: String, json: String)]] = [:]
      var queued: [QueuedStatement] = []
      for row in rows {
        let attemptID: String = row["id"]
        let homePage: String = row["homePage"]
        let iriBase: String = row["iriBase"]
        let key = "\(attemptID)|\(homePage)|\(iriBase)"
        if rendered[key] == nil {
          let options = XAPIOptions(homePage: homePage, iriBase: iriBase, platform: row["platform"])
          rendered[key] = XAPIStatements(options: options).statementsWithIDs(for: try AttemptRows.decode(row))
        }
        let seq: Int = row["seq"]
        let statementID: String = row["statementId"]
        guard let statements = rendered[key], seq < statements.count, statements[seq].id == statementID else {
          throw RecordsError.corruptRecord(id: statementID, reason: "the queued statement no longer matches its attempt")
        }
        queued.append(QueuedStatement(id: statementID, body: statements[seq].json, tries: row["tries"]))
      }
      return queued
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
