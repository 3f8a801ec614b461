import Foundation
import NeedleSimTestSupport
import Testing
import LRSSync
import TraineeRecords

/// An LRS double that answers from a script and records what it was asked.
final class ScriptedLRS: LRSTransport, @unchecked Sendable {
  var answers: [(String, URL, Data?) -> HTTPResponse] = []
  private(set) var calls: [(method: String, url: URL)] = []

  func send(method: String, url: URL, body: Data?, headers: [String: String]) throws -> HTTPResponse {
    calls.append((method, url))
    #expect(headers["X-Experience-API-Version"] == "1.0.3")
    #expect(headers["Authorization"]?.hasPrefix("Basic ") == true)
    guard !answers.isEmpty else { return HTTPResponse(status: 500, body: Data()) }
    return answers.removeFirst()(method, url, body)
  }
}

@Suite("Syncer logic")
struct SyncerTests {
  func setUp() throws -> (SQLiteAttemptStore, Int) {
    let store = try SQLiteAttemptStore(path: RecordsFixtures.databasePath())
    try store.save(RecordsFixtures.attempt("courier-calf-tightness", trainee: "s1", number: 1))
    return (store, try store.outboxStatus().pending)
  }

  func syncer(_ store: SQLiteAttemptStore, _ lrs: ScriptedLRS) -> Syncer {
    var syncer = Syncer(
      store: store, endpoint: URL(string: "http://lrs.test/xAPI/") ?? URL(fileURLWithPath: "/"), user: "u",
      password: "p", transport: lrs)
    syncer.sleep = { _ in }
    return syncer
  }

  @Test func savingAnAttemptQueuesItsStatementsInTheSameTransaction() throws {
    let (store, pending) = try setUp()
    let attempt = RecordsFixtures.attempt("courier-calf-tightness", trainee: "s1", number: 1)
    #expect(pending == XAPIStatements(options: .standard).statementIDs(for: attempt).count)
  }

  @Test func a409ForAnIdenticalStatementCountsAsDelivered() throws {
    let (store, pending) = try setUp()
    let queued = try store.pendingStatements(limit: 1000)
    let lrs = ScriptedLRS()
    lrs.answers.append { _, _, _ in HTTPResponse(status: 409, body: Data()) }
    for (index, statement) in queued.enumerated() {
      lrs.answers.append { method, url, _ in
        #expect(method == "GET")
        #expect(url.query?.contains(statement.id) == true)
        if index == 0 {  // the LRS holds something else under the first id
          return HTTPResponse(status: 200, body: Data(#"{"id":"\#(statement.id)","verb":{"id":"x"}}"#.utf8))
        }
        return HTTPResponse(status: 200, body: Data(statement.body.utf8))
      }
    }
    var sync = syncer(store, lrs)
    let report = try sync.run()
    #expect(report.delivered == pending - 1)
    #expect(report.quarantined.count == 1)
    #expect(try store.outboxStatus().pending == 0)
  }

  @Test func aRejectedBatchIsSplitUntilTheBadStatementIsAlone() throws {
    let (store, pending) = try setUp()
    let bad = try store.pendingStatements(limit: 1000)[5].id
    let lrs = ScriptedLRS()
    for _ in 0..<40 {
      lrs.answers.append { _, _, body in
        let text = String(decoding: body ?? Data(), as: UTF8.self)
        return HTTPResponse(status: text.contains(bad) ? 422 : 200, body: Data("bad actor".utf8))
      }
    }
    var sync = syncer(store, lrs)
    let report = try sync.run()
    #expect(report.quarantined.map(\.statementId) == [bad])
    #expect(report.quarantined.first?.reason.contains("HTTP 422: bad actor") == true)
    #expect(report.delivered == pending - 1)
    #expect(lrs.calls.count < pending, "splitting takes far fewer requests than one per statement")
  }

  @Test func serverErrorsAreRetriedWithBackoffThenLeftQueued() throws {
    let (store, pending) = try setUp()
    let lrs = ScriptedLRS()
    var delays: [TimeInterval] = []
    var sync = syncer(store, lrs)
    sync.retries = 3
    sync.retryDelay = 0.5
    sync.sleep = { delays.append($0) }
    #expect(throws: RecordsError.self) { _ = try sync.run() }
    #expect(delays == [0.5, 1, 2])
    #expect(lrs.calls.count == 4)
    #expect(try store.outboxStatus().pending == pending)
  }

  @Test func refusedCredentialsStopAtOnce() throws {
    let (store, _) = try setUp()
    let lrs = ScriptedLRS()
    lrs.answers.append { _, _, _ in HTTPResponse(status: 403, body: Data()) }
    var sync = syncer(store, lrs)
    #expect(throws: RecordsError.lrsRefusedCredentials(status: 403)) { _ = try sync.run() }
    #expect(lrs.calls.count == 1)
  }

  @Test func configRefusesABadURLAndWarnsAboutAReadablePasswordFile() throws {
    #expect(throws: RecordsError.self) { _ = try LRSConfig.resolve(url: "ftp://x", environment: [:]) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)/needlesim")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("lrs.yaml")
    try "url: http://127.0.0.1:8100/xAPI\nuser: u\npassword: s3cret\n".write(to: file, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
    let config = try LRSConfig.resolve(environment: ["XDG_CONFIG_HOME": folder.deletingLastPathComponent().path])
    #expect(config.endpoint?.absoluteString == "http://127.0.0.1:8100/xAPI/")
    #expect(config.password == "s3cret")
    #expect(config.warnings.first?.contains("chmod 600") == true)
    #expect(config.warnings.allSatisfy { !$0.contains("s3cret") })
  }
}
