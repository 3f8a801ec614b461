import Foundation
import NeedleSimTestSupport
import Testing

/// `needlesim sync` against a real Ralph LRS on loopback.
@Suite("LRS sync", .serialized)
struct SyncTests {
  let directory: URL
  let db: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-sync-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    db = directory.appendingPathComponent("records.sqlite").path
  }

  /// Records `count` graded attempts (each queues its statements) and returns how many statements were queued.
  @discardableResult
  func record(_ count: Int, trainee: String = "sync-1") throws -> Int {
    let plan = #"{"scenario":"courier-calf-tightness","screening":["medications"],"decision":"needle","precautions":["informed-consent"],"sites":[{"site":"gastrocnemius","side":"left"}]}"#
    let result = try Run.needlesim(
      ["grade", "--batch", "-", "--save", "--trainee", trainee, "--db", db],
      stdin: Array(repeating: plan, count: count).joined(separator: "\n") + "\n")
    #expect(result.status == 0)
    return try status()["pending"] as? Int ?? 0
  }

  func status() throws -> [String: Any] {
    let result = try Run.needlesim(["sync", "--status", "--json", "--db", db])
    return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
  }

  func sync(_ ralph: RalphServer?, url: String? = nil, password: String = RalphServer.password, extra: [String] = [])
    throws -> CommandResult
  {
    let passwordFile = directory.appendingPathComponent("password")
    try password.write(to: passwordFile, atomically: true, encoding: .utf8)
    return try Run.needlesim(
      ["sync", "--db", db, "--lrs", url ?? ralph?.endpoint ?? "", "--user", RalphServer.user, "--password-file",
       passwordFile.path, "--retry-delay", "0.05", "--timeout", "5"] + extra)
  }

  @Test func attemptsAreDeliveredExactlyOnce() throws {
    try #require(RalphServer.installed, "run `make test`, which installs Ralph")
    let queued = try record(4)
    #expect(queued > 40)
    let ralph = try RalphServer()
    let result = try sync(ralph, extra: ["--batch-size", "7"])
    #expect(result.status == 0, "\(result.stderr)")
    let stored = try ralph.allStatements().compactMap { $0["id"] as? String }
    #expect(stored.count == queued)
    #expect(Set(stored).count == queued)
    #expect(try status()["sent"] as? Int == queued)
    #expect(try status()["pending"] as? Int == 0)
    let again = try sync(ralph)
    #expect(again.stdout.contains("delivered 0"))
    #expect(ralph.storedLines().count == queued)
    #expect(!result.stdout.contains(RalphServer.password) && !result.stderr.contains(RalphServer.password))
  }

  @Test func anLRSThatIsDownLosesNothing() throws {
    try #require(RalphServer.installed, "run `make test`, which installs Ralph")
    let queued = try record(2)
    let down = try sync(nil, url: "http://127.0.0.1:\(RalphServer.freePort())/xAPI/", extra: ["--retries", "2"])
    #expect(down.status != 0)
    #expect(down.stderr.contains("could not be reached"))
    #expect(try status()["pending"] as? Int == queued)
    let ralph = try RalphServer()
    let later = try sync(ralph)
    #expect(later.status == 0, "\(later.stderr)")
    #expect(Set(try ralph.allStatements().compactMap { $0["id"] as? String }).count == queued)
  }

  @Test func anLRSAnswering500KeepsTheStatementsForRetry() throws {
    try #require(RalphServer.installed, "run `make test`, which installs Ralph")
    let stock = try RalphServer(mode: .stock)
    try record(1, trainee: "first")
    #expect(try sync(stock).status == 0)
    let queuedAfterFirst = try status()["sent"] as? Int ?? 0
    let second = try record(1, trainee: "second")
    // Stock Ralph's fs backend refuses a second write into the same folder with HTTP 500.
    let failing = try sync(stock, extra: ["--retries", "2"])
    #expect(failing.status != 0)
    #expect(failing.stderr.contains("HTTP 500"))
    #expect(try status()["pending"] as? Int == second)
    #expect(try status()["sent"] as? Int == queuedAfterFirst)
    let healthy = try RalphServer()
    #expect(try sync(healthy).status == 0)
    #expect(try status()["pending"] as? Int == 0)
  }

  @Test func wrongCredentialsStopWithAClearMessage() throws {
    try #require(RalphServer.installed, "run `make test`, which installs Ralph")
    let queued = try record(1)
    let ralph = try RalphServer()
    let result = try sync(ralph, password: "not-the-password")
    #expect(result.status != 0)
    #expect(result.stderr.contains("refused the credentials (HTTP 401)"))
    #expect(!result.stderr.contains("not-the-password"))
    #expect(try status()["pending"] as? Int == queued)
  }

  @Test func aRefusedStatementIsQuarantinedWhileTheRestAreDelivered() throws {
    try #require(RalphServer.installed, "run `make test`, which installs Ralph")
    let plan = #"{"scenario":"accountant-low-back-pain","decision":"decline"}"#
    _ = try Run.needlesim(["grade", "--batch", "-", "--save", "--trainee", "damaged", "--db", db], stdin: plan + "\n")
    let refused = try status()["pending"] as? Int ?? 0
    let queued = try record(2)
    // Damage that attempt's record (an empty trainee id): the LRS must refuse statements whose actor has no name.
    let sqlite = Process()
    sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    sqlite.arguments = [db, "UPDATE attempt SET trainee = '' WHERE trainee = 'damaged';"]
    try sqlite.run()
    sqlite.waitUntilExit()
    let ralph = try RalphServer()
    let result = try sync(ralph, extra: ["--batch-size", "20"])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stdout.contains("quarantined \(refused)"))
    let counts = try status()
    #expect(counts["quarantined"] as? Int == refused)
    #expect(counts["sent"] as? Int == queued - refused)
    #expect(counts["pending"] as? Int == 0)
    let reason = ((counts["quarantine"] as? [[String: Any]])?.first?["reason"] as? String) ?? ""
    #expect(reason.contains("HTTP 422"))
    #expect(Set(try ralph.allStatements().compactMap { $0["id"] as? String }).count == queued - refused)
  }

  @Test func killingSyncMidwayThenSyncingAgainDeliversTheRestWithoutDuplicates() throws {
    try #require(RalphServer.installed, "run `make test`, which installs Ralph")
    let queued = try record(12)
    let ralph = try RalphServer()
    let passwordFile = directory.appendingPathComponent("password")
    try RalphServer.password.write(to: passwordFile, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = Repo.binary
    process.arguments = [
      "sync", "--db", db, "--lrs", ralph.endpoint, "--user", RalphServer.user, "--password-file", passwordFile.path,
      "--batch-size", "5",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Kill it as soon as the LRS holds some, but not all, of the statements.
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline, ralph.storedLines().count < 10 { Thread.sleep(forTimeInterval: 0.01) }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let partial = ralph.storedLines().count
    #expect(partial > 0 && partial < queued, "the kill should land mid-way (\(partial) of \(queued))")
    let result = try sync(ralph)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = ralph.storedLines()
    let ids = lines.compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
    }
    #expect(ids.count == queued)
    #expect(Set(ids).count == queued, "no statement stored twice")
    #expect(try status()["sent"] as? Int == queued)
  }
}
