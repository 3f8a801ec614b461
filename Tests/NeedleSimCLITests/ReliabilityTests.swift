import Foundation
import NeedleSimTestSupport
import Testing

/// Records survive crashes, full disks and damaged files; the REPL survives hostile terminals and pipes.
@Suite("Reliability", .serialized)
struct ReliabilityTests {
  let directory: URL
  let db: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-rel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    db = directory.appendingPathComponent("records.sqlite").path
  }

  func plansFile(_ count: Int) throws -> URL {
    let plan = #"{"scenario":"courier-calf-tightness","screening":["medications"],"decision":"needle","precautions":["informed-consent"],"sites":[{"site":"gastrocnemius","side":"left"}]}"#
    let url = directory.appendingPathComponent("plans-\(count).jsonl")
    try (Array(repeating: plan, count: count).joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  /// Runs a query with the sqlite3 shell and returns its output.
  func sqlite(_ sql: String, database: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [database ?? db, sql]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Every attempt is whole: all its items and all its queued statements are there.
  func expectWholeAttempts() throws {
    #expect(try sqlite("PRAGMA integrity_check;") == "ok")
    let partialItems = try sqlite("""
      SELECT COUNT(*) FROM attempt a
      WHERE (SELECT COUNT(*) FROM attemptItem i WHERE i.attemptId = a.id) != json_array_length(a.reportJSON, '$.items');
      """)
    #expect(partialItems == "0")
    let partialOutbox = try sqlite("""
      SELECT COUNT(*) FROM attempt a
      WHERE (SELECT COUNT(*) FROM outbox o WHERE o.attemptId = a.id) != json_array_length(a.reportJSON, '$.items') + 4;
      """)
    #expect(partialOutbox == "0")
  }

  @Test func killingRecordersAtRandomLeavesOnlyWholeAttempts() throws {
    let kills = Int(ProcessInfo.processInfo.environment["NEEDLESIM_STRESS_KILLS"] ?? "") ?? 20
    let plans = try plansFile(400)
    // Some whole attempts first, so the schema exists and the check has something to find.
    _ = try Run.needlesim(["grade", "--batch", try plansFile(3).path, "--save", "--trainee", "first", "--db", db])
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<kills {
      let process = Process()
      process.executableURL = Repo.binary
      process.arguments = ["grade", "--batch", plans.path, "--save", "--trainee", "killed", "--db", db]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      Thread.sleep(forTimeInterval: Double.random(in: 0.05...1.5, using: &generator))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    try expectWholeAttempts()
    #expect(Int(try sqlite("SELECT COUNT(*) FROM attempt;")) ?? 0 > 0, "some attempts were saved before the kills")
  }

  @Test func aFullDiskGivesAClearErrorAndCorruptsNothing() throws {
    _ = try Run.needlesim(["grade", "--batch", try plansFile(5).path, "--save", "--trainee", "before", "--db", db])
    _ = try sqlite("PRAGMA wal_checkpoint(TRUNCATE);")
    let size = (try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0
    let limitBlocks = size / 1024 + 64
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", "ulimit -f \(limitBlocks); exec \"$0\" \"$@\"", Repo.binary.path, "grade", "--batch",
      try plansFile(300).path, "--save", "--trainee", "full", "--db", db,
    ]
    let err = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = err
    try process.run()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit, "no SIGXFSZ death")
    #expect(process.terminationStatus == 1)
    #expect(message.contains("could not save the attempt"), "\(message)")
    try expectWholeAttempts()
    #expect(try sqlite("SELECT COUNT(*) FROM attempt WHERE trainee = 'before';") == "5")
  }

  @Test func aDamagedDatabaseIsRefusedAndLeftUntouched() throws {
    _ = try Run.needlesim(["grade", "--batch", try plansFile(20).path, "--save", "--trainee", "t", "--db", db])
    _ = try sqlite("PRAGMA wal_checkpoint(TRUNCATE);")
    var bytes = try Data(contentsOf: URL(fileURLWithPath: db))
    for index in 100..<min(bytes.count, 12_288) { bytes[index] = UInt8(truncatingIfNeeded: index &* 31) }
    let damaged = directory.appendingPathComponent("damaged.sqlite")
    try bytes.write(to: damaged)
    let result = try Run.needlesim(["scores", "--db", damaged.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("not a needlesim records database"), "\(result.stderr)")
    #expect(try Data(contentsOf: damaged) == bytes)
    let text = directory.appendingPathComponent("notes.sqlite")
    try "my notes".write(to: text, atomically: true, encoding: .utf8)
    let refused = try Run.needlesim(["export", "--format", "csv", "--db", text.path])
    #expect(refused.status == 1)
    #expect(try String(contentsOf: text, encoding: .utf8) == "my notes")
  }

  @Test func theReplStopsCleanlyWhenItsOutputPipeCloses() throws {
    let process = Process()
    process.executableURL = Repo.binary
    process.arguments = ["practice", "--db", db, "--trainee", "pipe"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    _ = output.fileHandleForReading.readData(ofLength: 10)
    try output.fileHandleForReading.close()
    input.fileHandleForWriting.write(Data(String(repeating: "list\n", count: 200).utf8))
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit, "not killed by SIGPIPE")
    #expect(process.terminationStatus == 0)
  }

  @Test func controlCharactersAndEscapesInInputAreHarmless() throws {
    let result = try Run.needlesim(
      ["practice", "--db", db, "--trainee", "ctl"], stdin: "\u{1B}[31mstart\u{7}\u{0}\nask \u{1B}]0;x\u{7}\nquit\n")
    #expect(result.status == 0)
    #expect(result.stdout.contains("Unknown command"))
  }
}
