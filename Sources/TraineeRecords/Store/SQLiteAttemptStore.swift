import Foundation
import GRDB
import GRDBSQLite
import SafetyScoring
import ScenarioKit

/// Attempts in a SQLite file (WAL, busy timeout), so several processes on one machine can record at once.
public final class SQLiteAttemptStore: AttemptStore {
  public let path: String
  let pool: DatabasePool
  /// How the xAPI statements queued with each attempt are shaped (actor homePage, IRIs).
  let statements: XAPIStatements

  /// Opens (creating if needed) the database at `path` and brings its schema up to date.
  /// Refuses a file that is not SQLite, or that a newer needlesim has migrated, without touching it.
  /// - Parameter xapi: the shape of the xAPI statements queued in the outbox with every saved attempt.
  public init(path: String, xapi: XAPIOptions = .standard) throws {
    self.path = path
    self.statements = XAPIStatements(options: xapi)
    try Self.checkHeader(path)
    var configuration = Configuration()
    configuration.busyMode = .timeout(30)
    configuration.foreignKeysEnabled = true
    configuration.label = "needlesim-records"
    // Persistent WAL: the -wal file stays beside the database between runs. Otherwise every start writes to the
    // database to create it again (GRDB makes sure a non-empty one exists) and every exit deletes it: together most
    // of the REPL's start-up after loading the library. Closing still checkpoints everything into the database file.
    configuration.prepareDatabase { db in
      guard !db.configuration.readonly else { return }
      var persist: CInt = 1
      let code = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
      guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }
    do {
      // A bare file name (`--db records.sqlite`) has no folder to create.
      let folder = (path as NSString).deletingLastPathComponent
      if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
      pool = try Self.openPool(path, configuration)
    } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
      throw RecordsError.notADatabase(path: path)
    } catch {
      throw RecordsError.cannotOpen(path: path, reason: Self.describe(error))
    }
    try migrate()
  }

  /// Opens the pool, once more if another process was switching the new file to WAL at that moment.
  private static func openPool(_ path: String, _ configuration: Configuration) throws -> DatabasePool {
    // Opening turns a new file to WAL, which upgrades a read lock to a write lock: SQLite refuses that at once (waiting
    // could deadlock) while another process is doing the same. That one finishes, and WAL mode stays in the file, so
    // opening again works; the pause lets it take the lock that makes our next read wait for it. Few tries, as a
    // busy error can also come after the whole 30 s busy timeout.
    var tries = 1
    while true {
      do {
        return try DatabasePool(path: path, configuration: configuration)
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && tries < 3 {
        Thread.sleep(forTimeInterval: 0.02 * Double(tries))
        tries += 1
      }
    }
  }

  /// A SQLite file starts with "SQLite format 3\0"; anything else non-empty is refused before SQLite touches it.
  static func checkHeader(_ path: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else { return }
    defer { try? handle.close() }
    let header = handle.readData(ofLength: 16)
    if !header.isEmpty, header != Data("SQLite format 3\u{0}".utf8) {
      throw RecordsError.notADatabase(path: path)
    }
  }

  /// Brings the schema up to date, also when other processes are creating or upgrading the same file right now.
  func migrate() throws {
    let migrator = Schema.migrator
    do {
      // GRDB reads which steps are applied, then runs each missing one in its own IMMEDIATE transaction, so two
      // processes opening a new (or older) file together can both run a step: the later one fails ("table attempt
      // already exists") and rolls back whole. GRDB's check can also fail while another process creates its table of
      // applied steps. Both mean the schema changed meanwhile, so try again while it does; each retry needs another
      // commit of a step (or of that table), which bounds them. A failure with the schema unchanged is reported.
      var retries = 0
      while true {
        let version = try schemaVersion()
        do {
          return try migrateOnce(migrator)
        } catch let error as RecordsError {
          throw error
        } catch {
          retries += 1
          guard retries <= migrator.migrations.count + 1, let now = try? schemaVersion(), now != version else {
            throw error
          }
        }
      }
    } catch let error as RecordsError {
      throw error
    } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
      throw RecordsError.notADatabase(path: path)
    } catch {
      throw RecordsError.cannotOpen(path: path, reason: Self.describe(error))
    }
  }

  /// SQLite's schema cookie: it changes with every committed schema change, by any process.
  private func schemaVersion() throws -> Int {
    try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0 }
  }

  /// One check of the applied steps, and the missing ones run if any.
  private func migrateOnce(_ migrator: DatabaseMigrator) throws {
    // Checked on the connection the pool has just opened (a read would open a second one first, at every start).
    let (superseded, completed, applied) = try pool.writeWithoutTransaction { db in
      let superseded = try migrator.hasBeenSuperseded(db)
      return (superseded, try migrator.hasCompletedMigrations(db), superseded ? try migrator.appliedIdentifiers(db) : [])
    }
    if superseded {
      let known = Set(migrator.migrations)
      throw RecordsError.newerSchema(path: path, migration: applied.first { !known.contains($0) } ?? "?")
    }
    // Migrating takes the write lock and syncs the file even when there is nothing to do; skip it then.
    if !completed { try migrator.migrate(pool) }
  }

  /// Saves `attempt`; with a key, seals it in the same transaction. The seal is computed over the attempt as it reads
  /// back from the database (times to the millisecond), which is what `exam verify` and exports see.
  public func save(_ attempt: Attempt, sealingWith key: ExamKey?) throws {
    do {
      try pool.write { db in
        try AttemptRows.insert(attempt, db: db)
        if let key {
          let id = attempt.id.uuidString.lowercased()
          guard let row = try Row.fetchOne(db, sql: "SELECT * FROM attempt WHERE id = ?", arguments: [id]) else { return }
          let seal = try ExamSeal.seal(try AttemptRows.decode(row), key: key)
          try db.execute(sql: "UPDATE attempt SET seal = ? WHERE id = ?", arguments: [seal, id])
        }
        try Outbox.enqueue(statements.statementIDs(for: attempt), options: statements.options, attempt: attempt, db: db)
      }
    } catch let error as RecordsError {
      throw error
    } catch {
      throw RecordsError.writeFailed(reason: Self.describe(error))
    }
  }

  /// Saves `attempts` in one transaction, as they are (seals included), skipping any already saved: for a copy of
  /// records read from elsewhere, where the same attempt may come more than once.
  public func saveAll(_ attempts: [Attempt]) throws {
    do {
      try pool.write { db in
        for attempt in attempts {
          let exists = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM attempt WHERE id = ?)", arguments: [attempt.id.uuidString.lowercased()])
          if exists != true { try AttemptRows.insert(attempt, db: db) }
        }
      }
    } catch {
      throw RecordsError.writeFailed(reason: Self.describe(error))
    }
  }

  /// The highest sitting of `exam` recorded for `trainee` (0 when none).
  public func examSittings(exam: String, trainee: String) throws -> Int {
    try pool.read { db in
      try Int.fetchOne(db, sql: "SELECT MAX(examSitting) FROM attempt WHERE exam = ? AND trainee = ?",
                       arguments: [exam, trainee]) ?? 0
    }
  }

  public func attempts(trainee: String?) throws -> [Attempt] {
    try pool.read { db in
      let rows: [Row]
      if let trainee {
        rows = try Row.fetchAll(
          db, sql: "SELECT * FROM attempt WHERE trainee = ? ORDER BY submittedAt, id", arguments: [trainee])
      } else {
        rows = try Row.fetchAll(db, sql: "SELECT * FROM attempt ORDER BY submittedAt, id")
      }
      return try rows.map(AttemptRows.decode)
    }
  }

  static func describe(_ error: Error) -> String {
    if let error = error as? DatabaseError {
      switch error.resultCode {
      case .SQLITE_FULL: return "the disk is full"
      case .SQLITE_READONLY: return "the database is read-only"
      case .SQLITE_BUSY, .SQLITE_LOCKED: return "the database stayed locked by another process"
      case .SQLITE_CANTOPEN: return "the file cannot be opened (check the folder and permissions)"
      case .SQLITE_IOERR: return "an input/output error (is the disk full or failing?)"
      default: return error.message ?? "\(error.resultCode)"
      }
    }
    return error.localizedDescription
  }
}

/// The schema, as migrations that never change once shipped.
enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-attempts") { db in
      try db.execute(sql: """
        CREATE TABLE attempt (
          id TEXT PRIMARY KEY NOT NULL,
          trainee TEXT NOT NULL,
          scenario TEXT NOT NULL,
          scenarioRevision TEXT NOT NULL,
          guidanceVersion TEXT NOT NULL,
          policy TEXT NOT NULL,
          source TEXT NOT NULL,
          startedAt DATETIME NOT NULL,
          submittedAt DATETIME NOT NULL,
          durationSeconds DOUBLE NOT NULL,
          hintsUsed INTEGER NOT NULL,
          decision TEXT,
          scorePercent DOUBLE NOT NULL,
          passed BOOLEAN NOT NULL,
          earned INTEGER NOT NULL,
          possible INTEGER NOT NULL,
          criticalCount INTEGER NOT NULL,
          planJSON TEXT NOT NULL,
          reportJSON TEXT NOT NULL
        );
        CREATE INDEX attempt_trainee ON attempt(trainee, scenario, submittedAt);
        CREATE INDEX attempt_submitted ON attempt(submittedAt);
        CREATE TABLE attemptItem (
          attemptId TEXT NOT NULL REFERENCES attempt(id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          kind TEXT NOT NULL,
          subject TEXT NOT NULL,
          verdict TEXT NOT NULL,
          severity TEXT NOT NULL,
          points INTEGER NOT NULL,
          maxPoints INTEGER NOT NULL,
          rule TEXT,
          PRIMARY KEY (attemptId, seq)
        );
        CREATE INDEX attemptItem_rule ON attemptItem(rule, verdict);
        """)
    }
    migrator.registerMigration("v2-rescore") { db in
      try db.execute(sql: """
        CREATE TABLE rescore (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          attemptId TEXT NOT NULL REFERENCES attempt(id) ON DELETE CASCADE,
          rescoredAt DATETIME NOT NULL,
          guidanceVersion TEXT NOT NULL,
          policy TEXT NOT NULL,
          scorePercent DOUBLE NOT NULL,
          passed BOOLEAN NOT NULL,
          reportJSON TEXT NOT NULL
        );
        CREATE INDEX rescore_attempt ON rescore(attemptId, id);
        """)
    }
    migrator.registerMigration("v3-outbox") { db in
      // Statement bodies are not stored: they are rendered from the attempt when sent (deterministically, from
      // the options recorded here), which keeps the outbox a few dozen bytes per statement.
      try db.execute(sql: """
        CREATE TABLE outbox (
          statementId TEXT PRIMARY KEY NOT NULL,
          attemptId TEXT NOT NULL REFERENCES attempt(id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          homePage TEXT NOT NULL,
          iriBase TEXT NOT NULL,
          platform TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'quarantined')),
          tries INTEGER NOT NULL DEFAULT 0,
          lastError TEXT,
          queuedAt DATETIME NOT NULL,
          sentAt DATETIME
        );
        CREATE INDEX outbox_pending ON outbox(status, queuedAt, attemptId, seq);
        """)
    }
    migrator.registerMigration("v4-profile") { db in
      // Attempts recorded before profiles existed were graded with an age of consent of 18 at the entry level.
      try db.execute(sql: """
        ALTER TABLE attempt ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT 'age-18';
        ALTER TABLE attempt ADD COLUMN practitionerLevel TEXT NOT NULL DEFAULT 'entry';
        ALTER TABLE rescore ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT 'age-18';
        ALTER TABLE rescore ADD COLUMN practitionerLevel TEXT NOT NULL DEFAULT 'entry';
        """)
    }
    migrator.registerMigration("v5-variants-exams") { db in
      // The seed that drew each attempt's variant and events (also in its plan), for exports that stream rows; and
      // the exam and seal of exam attempts.
      try db.execute(sql: """
        ALTER TABLE attempt ADD COLUMN seed INTEGER;
        ALTER TABLE attempt ADD COLUMN exam TEXT;
        ALTER TABLE attempt ADD COLUMN examSitting INTEGER;
        ALTER TABLE attempt ADD COLUMN seal TEXT;
        UPDATE attempt SET seed = json_extract(planJSON, '$.seed');
        CREATE INDEX attempt_exam ON attempt(exam, trainee) WHERE exam IS NOT NULL;
        """)
    }
    return migrator
  }
}

/// Mapping between ``Attempt`` values and rows.
enum AttemptRows {
  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  static func insert(_ attempt: Attempt, db: Database) throws {
    let report = attempt.report
    try db.execute(
      sql: """
        INSERT INTO attempt (id, trainee, scenario, scenarioRevision, guidanceVersion, policy, jurisdiction,
          practitionerLevel, source, startedAt, submittedAt, durationSeconds, hintsUsed, decision, scorePercent, passed,
          earned, possible, criticalCount, planJSON, reportJSON, seed, exam, examSitting, seal)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        attempt.id.uuidString.lowercased(), attempt.trainee, attempt.scenario, attempt.scenarioRevision,
        attempt.guidanceVersion, attempt.policy, attempt.jurisdiction, attempt.practitionerLevel, attempt.source, attempt.startedAt, attempt.submittedAt,
        attempt.duration, attempt.hintsUsed, attempt.plan.decision?.rawValue, report.scorePercent, report.passed,
        report.earned, report.possible, report.criticalFailures.count,
        String(decoding: try encoder.encode(attempt.plan), as: UTF8.self),
        String(decoding: try encoder.encode(report), as: UTF8.self), attempt.plan.seed, attempt.exam, attempt.examSitting,
        attempt.seal,
      ])
    let statement = try db.makeStatement(
      sql: """
        INSERT INTO attemptItem (attemptId, seq, kind, subject, verdict, severity, points, maxPoints, rule)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    let id = attempt.id.uuidString.lowercased()
    for (seq, item) in report.items.enumerated() {
      try statement.execute(arguments: [
        id, seq, item.kind.rawValue, item.subject, item.verdict.rawValue, item.severity.rawValue, item.points,
        item.maxPoints, item.rule,
      ])
    }
  }

  static func decode(_ row: Row) throws -> Attempt {
    let id: String = row["id"]
    let decoder = JSONDecoder()
    do {
      guard let uuid = UUID(uuidString: id) else { throw RecordsError.corruptRecord(id: id, reason: "bad id") }
      let plan = try decoder.decode(Plan.self, from: Data((row["planJSON"] as String).utf8))
      let report = try decoder.decode(Report.self, from: Data((row["reportJSON"] as String).utf8))
      var attempt = Attempt(
        id: uuid, trainee: row["trainee"], source: row["source"], startedAt: row["startedAt"],
        submittedAt: row["submittedAt"], plan: plan, hintsUsed: row["hintsUsed"], report: report)
      attempt.scenarioRevision = row["scenarioRevision"]
      attempt.guidanceVersion = row["guidanceVersion"]
      attempt.policy = row["policy"]
      attempt.jurisdiction = row["jurisdiction"]
      attempt.practitionerLevel = row["practitionerLevel"]
      attempt.exam = row["exam"]
      attempt.examSitting = row["examSitting"]
      attempt.seal = row["seal"]
      return attempt
    } catch let error as RecordsError {
      throw error
    } catch {
      throw RecordsError.corruptRecord(id: id, reason: "\(error)")
    }
  }
}
