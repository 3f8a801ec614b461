import Foundation
import GRDB
import NeedleSimTestSupport
import Testing

/// Exams through the real binary: a sitting through a pipe, the seal of every attempt, tampering found in the records
/// and in an export, the attempts an exam allows, a withheld debrief, and located errors in exam files.
@Suite("Exams", .serialized)
struct ExamCommandTests {
  let directory: URL
  let db: String
  static let key = "an-instructor-key-of-32-bytes-ok"
  static let example = "Exams/safety-osce-week-6.yaml"

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-exam-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    db = directory.appendingPathComponent("records.sqlite").path
  }

  func exam(_ arguments: [String], stdin: String = "", key: String? = ExamCommandTests.key) throws -> CommandResult {
    var environment = ["NEEDLESIM_DB": db, "NEEDLESIM_STATE_DIR": directory.path]
    if let key { environment["NEEDLESIM_EXAM_KEY"] = key }
    return try Run.needlesim(["exam"] + arguments, stdin: stdin, environment: environment)
  }

  func sit(trainee: String = "s001", file: String = ExamCommandTests.example) throws -> CommandResult {
    let input = try String(contentsOf: TranscriptTests.folder("Transcripts/exam.in"), encoding: .utf8)
    return try exam(["start", file, "--trainee", trainee], stdin: input)
  }

  /// A copy of the example exam with `edits` applied, written to the test's folder.
  func examFile(_ edits: [(String, String)], name: String = "exam.yaml") throws -> String {
    var text = try String(contentsOf: Repo.root.appendingPathComponent(Self.example), encoding: .utf8)
    for (old, new) in edits {
      #expect(text.contains(old), "\(old)")
      text = text.replacingOccurrences(of: old, with: new)
    }
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test func aSittingThroughAPipeMatchesItsGolden() throws {
    let result = try sit()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains("\u{1B}["))
    Golden.check(stable(result.stdout), against: golden("transcripts/exam.txt"))
  }

  @Test func everyAttemptIsSealedAndTamperingIsNamed() throws {
    #expect(try sit().status == 0)
    let clean = try exam(["verify", "--db", db, "--json"])
    #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    let checks = try #require(try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [[String: Any]])
    #expect(checks.count == 3 && checks.allSatisfy { $0["status"] as? String == "intact" })
    // The exports mark exam attempts and carry the seal.
    let csv = try Run.needlesim(["export", "--format", "csv", "--db", db])
    #expect(csv.stdout.contains(",safety-osce-week-6,hmac-sha256:"))
    let xapi = try Run.needlesim(["export", "--format", "xapi", "--db", db])
    #expect(xapi.stdout.contains(#"/ext/exam":"safety-osce-week-6""#) && xapi.stdout.contains(#"/ext/seal":"hmac-sha256:"#))
    let exported = directory.appendingPathComponent("export.json")
    #expect(try Run.needlesim(["export", "--format", "json", "--db", db, "--out", exported.path]).status == 0)
    #expect(try exam(["verify", "--export", exported.path]).status == 0)

    // Raise a stored score, and turn a missed item into a correct one, in the database.
    let pool = try DatabasePool(path: db)
    let (scored, itemized) = try pool.write { db -> (String, String) in
      let ids = try String.fetchAll(db, sql: "SELECT id FROM attempt ORDER BY submittedAt, id")
      try db.execute(sql: "UPDATE attempt SET scorePercent = 100, passed = 1 WHERE id = ?", arguments: [ids[1]])
      try db.execute(sql: "UPDATE attemptItem SET verdict = 'correct', points = maxPoints WHERE attemptId = ? AND verdict != 'correct'",
                     arguments: [ids[2]])
      return (ids[1], ids[2])
    }
    try pool.close()
    let tampered = try exam(["verify", "--db", db])
    #expect(tampered.status == 1)
    let lines = tampered.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.hasPrefix("ALTERED") && $0.hasSuffix(scored) }, "\(tampered.stdout)")
    #expect(lines.contains { $0.hasPrefix("ALTERED") && $0.hasSuffix(itemized) }, "\(tampered.stdout)")
    #expect(lines.filter { $0.hasPrefix("intact") }.count == 1)
    #expect(tampered.stdout.contains("column scorePercent differs from the sealed report"))

    // Edit a score in the export: verify names that attempt.
    let text = try String(contentsOf: exported, encoding: .utf8)
    var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let row = try #require(rows.firstIndex { $0.contains("\"scenario\":\"retired-engineer-hip-pain\"") })
    rows[row] = rows[row].replacingOccurrences(of: "\"passed\":false", with: "\"passed\":true")
    try rows.joined(separator: "\n").write(to: exported, atomically: true, encoding: .utf8)
    let edited = try exam(["verify", "--export", exported.path])
    #expect(edited.status == 1)
    let id = try #require(rows[row].range(of: #""id":"[0-9A-F-]+""#, options: .regularExpression).map { String(rows[row][$0].dropFirst(6).dropLast()) })
    #expect(edited.stdout.contains("ALTERED") && edited.stdout.lowercased().contains(id.lowercased()), "\(edited.stdout)")

    // Another key does not reproduce any seal; no key is a clear error.
    let otherKey = try exam(["verify", "--db", db], key: "another-key-of-more-than-16-bytes")
    #expect(otherKey.status == 1 && !otherKey.stdout.contains("intact "))
    let noKey = try exam(["verify", "--db", db], key: nil)
    #expect(noKey.status != 0 && noKey.stderr.contains("NEEDLESIM_EXAM_KEY"))
    let shortKey = try exam(["verify", "--db", db], key: "short")
    #expect(shortKey.status != 0 && shortKey.stderr.contains("at least 16"))
  }

  @Test func anExamAllowsItsAttemptsAndNoMore() throws {
    #expect(try sit().status == 0)
    let again = try sit()
    #expect(again.status != 0 && again.stderr.contains("as many as it allows"), "\(again.stderr)")
    #expect(try sit(trainee: "s002").status == 0, "another trainee may sit it")
    let twice = try examFile([("attempts: 1", "attempts: 2")])
    #expect(try sit(file: twice).status == 0, "a second sitting where the exam allows two")
  }

  @Test func aWithheldDebriefIsShownOnlyOnceReleased() throws {
    let withheld = try examFile([("debrief: end ", "debrief: withheld\nreleaseDebriefAt: 2999-01-01T09:00:00Z\n#")])
    let sat = try sit(file: withheld)
    #expect(sat.status == 0, "\(sat.stderr)")
    #expect(sat.stdout.contains("withheld until 2999-01-01 09:00 UTC") && !sat.stdout.contains("Results"))
    let early = try exam(["results", withheld, "--trainee", "s001", "--db", db])
    #expect(early.status != 0 && early.stderr.contains("withheld until 2999-01-01T09:00:00.000Z"))
    let released = try examFile([("debrief: end ", "debrief: withheld\nreleaseDebriefAt: 2001-01-01\n#")], name: "released.yaml")
    let results = try exam(["results", released, "--trainee", "s001", "--db", db])
    #expect(results.status == 0, "\(results.stderr)")
    #expect(results.stdout.contains("sitting 1") && results.stdout.contains("retired-engineer-hip-pain"))
    #expect(results.stdout.contains("NOT PASSED"))
  }

  @Test func theProfileIsFixedByTheExam() throws {
    let result = try exam(["start", Self.example, "--policy", "liberal", "--trainee", "s001"])
    #expect(result.status != 0 && result.stderr.contains("an exam fixes its policy"))
  }

  @Test func theBundledExampleLintsClean() throws {
    let result = try exam(["lint", Self.example])
    #expect(result.status == 0 && result.stderr.contains("0 error(s), 0 warning(s)"), "\(result.stderr)")
  }

  @Test(arguments: [
    ("  - law-student-headaches ", "  - law-student-headache ", "no case \"law-student-headache\" (did you mean \"law-student-headaches\"?)"),
    ("timeLimitMinutes: 30", "timeLimitMinutes: 0", "\"timeLimitMinutes\" in exam must be between"),
    ("debrief: end ", "debrief: withheld ", "a withheld debrief needs releaseDebriefAt"),
    ("events: scripted ", "events: sometimes ", "events must be random, scripted or off"),
    ("policy: conservative", "policy: lenient", "no policy \"lenient\""),
    ("attempts: 1", "attemps: 1", "unknown key \"attemps\" in exam (did you mean \"attempts\"?)"),
    ("{case: retired-engineer-hip-pain, seed: 0}", "{case: retired-engineer-hip-pain, seed: 0, variant: per-trainee}", "give a seed or `variant: per-trainee`, not both"),
  ])
  func aBrokenExamFileIsReportedWhereItIsWritten(_ edit: (String, String, String)) throws {
    let file = try examFile([(edit.0, edit.1)])
    let text = try String(contentsOfFile: file, encoding: .utf8)
    let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.contains(edit.1.split(separator: "\n")[0]) }) + 1
    let result = try exam(["lint", file])
    #expect(result.status == 1)
    #expect(result.stderr.contains("exam.yaml:\(line):") && result.stderr.contains(edit.2), "\(result.stderr)")
  }
}
