import Foundation
import GRDB
import NeedleSimTestSupport
import SafetyScoring
import ScenarioKit
import Testing
import TraineeRecords

@Suite("SQLite attempt store")
struct StoreTests {
  @Test func migratesAnEmptyFileAndReopens() throws {
    let path = RecordsFixtures.databasePath()
    FileManager.default.createFile(atPath: path, contents: Data())
    let attempt = RecordsFixtures.attempt("courier-calf-tightness", trainee: "s001", number: 1)
    try SQLiteAttemptStore(path: path).save(attempt)
    let reopened = try SQLiteAttemptStore(path: path)
    let loaded = try reopened.attempts(trainee: nil)
    #expect(loaded == [attempt])
  }

  @Test func savesEverythingAnAttemptNeedsForRescoring() throws {
    let store = try SQLiteAttemptStore(path: RecordsFixtures.databasePath())
    let attempt = RecordsFixtures.cohort()[2]
    try store.save(attempt)
    let loaded = try #require(try store.attempts(trainee: "s001").first)
    #expect(loaded.plan == attempt.plan)
    #expect(loaded.report == attempt.report)
    #expect(loaded.scenarioRevision.hasPrefix("sha256:"))
    #expect(loaded.guidanceVersion == Bundled.guidance.version)
    #expect(loaded.duration == 750)
  }

  @Test func aDuplicateIdIsRefusedWithoutHalfAWrite() throws {
    let store = try SQLiteAttemptStore(path: RecordsFixtures.databasePath())
    let attempt = RecordsFixtures.attempt("courier-calf-tightness", trainee: "s001", number: 1)
    try store.save(attempt)
    #expect(throws: RecordsError.self) { try store.save(attempt) }
    var items = 0
    try store.forEachItem(AttemptFilter()) { _ in items += 1 }
    #expect(items == attempt.report.items.count)
  }

  @Test func aFileThatIsNotSQLiteIsRefusedAndLeftUntouched() throws {
    let path = RecordsFixtures.databasePath()
    let content = Data("these are my notes, not a database\n".utf8)
    FileManager.default.createFile(atPath: path, contents: content)
    #expect(throws: RecordsError.notADatabase(path: path)) { try SQLiteAttemptStore(path: path) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
  }

  @Test func aDatabaseFromANewerNeedlesimIsRefused() throws {
    let path = RecordsFixtures.databasePath()
    _ = try SQLiteAttemptStore(path: path)
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
    #expect(throws: RecordsError.newerSchema(path: path, migration: "v99-future")) { try SQLiteAttemptStore(path: path) }
  }

  @Test func scoresAndStats() throws {
    let store = try SQLiteAttemptStore(path: RecordsFixtures.databasePath())
    for attempt in RecordsFixtures.cohort() { try store.save(attempt) }
    let scores = try store.scores(AttemptFilter(trainee: "s001"))
    let hip = try #require(scores.first { $0.scenario == "retired-engineer-hip-pain" })
    #expect(hip.attempts == 2)
    #expect(hip.bestScore == 100)
    #expect(hip.latestScore == 100)
    #expect(hip.passed)
    let stats = try store.stats(AttemptFilter())
    #expect(stats.attempts == 5)
    #expect(stats.trainees == 3)
    #expect(stats.rules.contains { $0.rule == "anticoagulant-non-compressible" && $0.unsafe == 1 })
    #expect(stats.rules.contains { $0.rule == "hygiene" && $0.missed == 1 })
  }

  @Test func filtersBySince() throws {
    let store = try SQLiteAttemptStore(path: RecordsFixtures.databasePath())
    for attempt in RecordsFixtures.cohort() { try store.save(attempt) }
    let cutoff = RecordsFixtures.cohort()[3].submittedAt
    var seen: [String] = []
    try store.forEachAttempt(AttemptFilter(since: cutoff)) { seen.append($0.trainee) }
    #expect(seen.count == 2)
  }
}

@Suite("Export formats")
struct ExportTests {
  func export(
    _ attempts: [Attempt] = RecordsFixtures.cohort(), _ body: (Exporter, OutputSink) throws -> Void
  ) throws -> String {
    let store = try SQLiteAttemptStore(path: RecordsFixtures.databasePath())
    for attempt in attempts { try store.save(attempt) }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    try body(Exporter(store: store, filter: AttemptFilter()), OutputSink(handle: handle))
    try handle.close()
    return try String(contentsOf: url, encoding: .utf8)
  }

  static func golden(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
  }

  /// Hashes of the guidance and cases change with every edit; they are not what these goldens are about.
  func stable(_ text: String) -> String { Golden.stable(text, guidance: "<guidance>", revision: "<revision>") }

  @Test func csvGolden() throws {
    let text = try export { try $0.csv(to: $1) }
    Golden.check(stable(text), against: Self.golden("export.csv"))
  }

  @Test func gradebookGolden() throws {
    let text = try export { try $0.gradebook(pick: .best, critical: .zero, idHeader: "username", to: $1) }
    Golden.check(text, against: Self.golden("gradebook.csv"))
  }

  @Test func jsonGolden() throws {
    let text = try export { try $0.json(to: $1) }
    _ = try JSONSerialization.jsonObject(with: Data(text.utf8))
    Golden.check(stable(text), against: Self.golden("export.json"))
  }

  @Test func xapiGolden() throws {
    let options = XAPIOptions(homePage: "https://example.org/programme", iriBase: "https://example.org/xapi", platform: "needlesim test")
    let text = try export { try $0.xapi(options, to: $1) }
    Golden.check(stable(text), against: Self.golden("statements.json"))
  }

  @Test func spreadsheetFormulasAreNeutralised() throws {
    let csv = try export { try $0.csv(to: $1) }
    #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""))
    #expect(!csv.contains("\n=HYPERLINK"))
    let gradebook = try export { try $0.gradebook(pick: .best, critical: .zero, idHeader: "username", to: $1) }
    #expect(gradebook.contains("\"'=HYPERLINK("))
  }

  @Test func csvFieldQuoting() {
    #expect(CSV.field("plain") == "plain")
    #expect(CSV.field("a,b") == "\"a,b\"")
    #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSV.field("two\nlines") == "\"two\nlines\"")
    #expect(CSV.field("-1+1") == "'-1+1")
    #expect(CSV.field("@SUM(A1)") == "'@SUM(A1)")
    #expect(CSV.field("\tTAB") == "'\tTAB")
    #expect(CSV.row(["a", "b"]) == "a,b\r\n")
  }

  @Test func gradebookCriticalOptions() throws {
    let critical = [RecordsFixtures.cohort()[2]]  // s001 needles psoas on apixaban: 37.5% with a critical failure
    let zero = try export(critical) { try $0.gradebook(pick: .best, critical: .zero, idHeader: "username", to: $1) }
    let score = try export(critical) { try $0.gradebook(pick: .best, critical: .score, idHeader: "username", to: $1) }
    let blank = try export(critical) { try $0.gradebook(pick: .best, critical: .blank, idHeader: "idnumber", to: $1) }
    let lines = { (text: String) in text.split(separator: "\r\n").map(String.init) }
    #expect(lines(zero).first == "username,retired-engineer-hip-pain (%),Feedback")
    #expect(lines(zero).last?.hasPrefix("s001,0,") == true)
    #expect(lines(zero).last?.contains("critical: anticoagulant-non-compressible") == true)
    #expect(lines(score).last?.hasPrefix("s001,0,") == false)
    #expect(lines(blank) == ["idnumber,Feedback"])
  }

  @Test func gradebookPicksBestOrLatest() throws {
    let attempts = RecordsFixtures.cohort().filter { $0.trainee == "s001" && $0.scenario == "retired-engineer-hip-pain" }
    let best = try export(attempts) { try $0.gradebook(pick: .best, critical: .score, idHeader: "username", to: $1) }
    let latest = try export(Array(attempts.reversed().dropFirst())) {
      try $0.gradebook(pick: .latest, critical: .score, idHeader: "username", to: $1)
    }
    #expect(best.contains("s001,100,"))
    #expect(!latest.contains("s001,100,"))
  }

  @Test func xapiIdsAreStableAndDistinct() throws {
    let options = XAPIOptions(homePage: "https://example.org/p", iriBase: "https://example.org/x", platform: "t")
    let builder = XAPIStatements(options: options)
    let attempt = RecordsFixtures.cohort()[2]
    #expect(builder.statementIDs(for: attempt) == builder.statementIDs(for: attempt))
    #expect(Set(builder.statementIDs(for: attempt)).count == builder.statementIDs(for: attempt).count)
    let statements = builder.statements(for: attempt).compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    let failed = try #require(statements.first { (($0["verb"] as? [String: Any])?["id"] as? String)?.hasSuffix("failed") == true })
    let result = failed["result"] as? [String: Any]
    #expect(result?["score"] == nil, "a critically failed attempt carries no score an LMS could take as the grade")
    #expect(result?["success"] as? Bool == false)
    #expect(result?["duration"] as? String == "PT12M30S")
    let actor = statements.first?["actor"] as? [String: Any]
    #expect(actor?["mbox"] == nil)
    #expect((actor?["account"] as? [String: Any])?["name"] as? String == "s001")
  }

  @Test func uuidV5MatchesTheRFCExample() {
    let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8") ?? UUID()
    #expect(UUIDv5.make(namespace: dns, name: "www.example.com").uuidString.lowercased()
      == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
  }
}

@Suite("Rescoring attempts recorded before technique existed")
struct TechniqueRescoreTests {
  @Test func techniqueIsGradedAsNotStatedAndListed() throws {
    let store = try SQLiteAttemptStore(path: RecordsFixtures.databasePath())
    var attempt = RecordsFixtures.attempt("office-worker-upper-trapezius", trainee: "old", number: 1)
    // What an attempt from before technique looks like: no position, needle or approach, and no technique items.
    attempt.plan.position = nil
    attempt.plan.sites = attempt.plan.sites.map { SiteChoice(site: $0.site, side: $0.side) }
    attempt.report.items.removeAll { $0.kind == .technique }
    try store.save(attempt)
    let rescorer = Rescorer(store: store, guidance: Bundled.guidance, cases: Bundled.library.cases, now: { Date() })
    let summary = try rescorer.run(AttemptFilter(trainee: "old"), policy: nil, dryRun: true)
    let changes = try #require(summary.changed.first).items
    #expect(changes.contains { $0.kind == "technique" && $0.before == "absent" && $0.after == "missed" })
  }
}
