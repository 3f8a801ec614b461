import ArgumentParser
import Foundation
import LRSSync
import TraineeRecords

/// `--from-lrs`: read the attempts back from the Learning Record Store (with the same settings as `sync`) instead of
/// the local records, so a command sees the cohort of every machine that synced.
struct LRSReadOptions: ParsableArguments {
  @Flag(name: .customLong("from-lrs"), help: ArgumentHelp(
    "Read the attempts from the LRS that `sync` sends to (every machine's), not the local records."))
  var fromLRS = false

  @Option(help: ArgumentHelp("With --from-lrs: seconds to wait for each page.", valueName: "seconds"))
  var timeout = 30.0

  @Option(help: ArgumentHelp("With --from-lrs: statements asked for per page (the LRS may send fewer).",
                             valueName: "n"))
  var pageSize = 500

  func validate() throws {
    if !(1...100_000).contains(pageSize) { throw ValidationError("--page-size must be between 1 and 100000.") }
  }

  /// The records to read: the local database, or the LRS's attempts in a temporary one that `body` reads like any
  /// other (removed afterwards), so every command answers from the LRS exactly as from the merged local records.
  func withStore<T>(_ records: RecordsOptions, scenario: String? = nil, since: Date? = nil,
                    _ body: (SQLiteAttemptStore) throws -> T) throws -> T {
    guard fromLRS else { return try body(try records.openStore()) }
    let config = try LRSConfig.resolve()
    for warning in config.warnings { Output.err("warning: \(warning)") }
    guard let endpoint = config.endpoint else { throw LRSReadError.notConfigured }
    var reader = StatementReader(
      endpoint: endpoint, user: config.user, password: config.password, transport: CurlTransport(timeout: timeout))
    reader.pageSize = pageSize
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-lrs-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try SQLiteAttemptStore(path: folder.appendingPathComponent("records.sqlite").path, xapi: config.xapi)
    let read = try reader.read(options: config.xapi, scenario: scenario, since: since) { try store.saveAll($0) }
    if read.withoutAttempt > 0 {
      Output.err("warning: \(read.withoutAttempt) attempt statement(s) in the LRS come from a needlesim that did not "
                 + "send the whole attempt (ext/attempt); they are left out (docs/lrs.md)")
    }
    return try body(store)
  }
}
