import ArgumentParser
import Foundation
import LRSSync
import TraineeRecords

extension NeedleSim {
  /// Delivers queued xAPI statements to a Learning Record Store.
  struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Send queued xAPI statements to a Learning Record Store, exactly once.",
      discussion: """
        Every recorded attempt queues its statements in the records database. sync POSTs them in batches with
        X-Experience-API-Version 1.0.3 and Basic auth, retries on 5xx and network failures, stops on 401/403,
        and quarantines statements the LRS refuses (400/422) so they do not block the rest. Configuration:
        flags, then NEEDLESIM_LRS_URL / NEEDLESIM_LRS_USER / NEEDLESIM_LRS_PASSWORD, then
        ~/.config/needlesim/lrs.yaml (see docs/lrs.md). The password is never printed.
        """)

    @OptionGroup var records: RecordsOptions
    @Option(help: ArgumentHelp("The xAPI endpoint base, e.g. http://127.0.0.1:8100/xAPI/.", valueName: "url"))
    var lrs: String?
    @Option(help: ArgumentHelp("LRS user name.", valueName: "user")) var user: String?
    @Option(help: ArgumentHelp("File holding the LRS password.", valueName: "file")) var passwordFile: String?
    @Flag(help: "Show pending, sent and quarantined counts instead of syncing.") var status = false
    @Option(help: "Statements per POST.") var batchSize = 100
    @Option(help: "Retries on 5xx and network failures before giving up for this run.") var retries = 4
    @Option(help: ArgumentHelp("Seconds before the first retry (doubles each time).", valueName: "seconds"))
    var retryDelay = 0.5
    @Option(help: ArgumentHelp("Seconds to wait for each request.", valueName: "seconds")) var timeout = 15.0
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
      guard batchSize >= 1, retries >= 0, retryDelay >= 0, timeout > 0 else {
        throw ValidationError("--batch-size must be at least 1; --retries, --retry-delay and --timeout not negative")
      }
    }

    func run() throws {
      let config = try LRSConfig.resolve(url: lrs, user: user, passwordFile: passwordFile)
      for warning in config.warnings { Output.err("warning: \(warning)") }
      let store = try records.openStore(xapi: config.xapi)
      if status {
        let counts = try store.outboxStatus()
        if json {
          Output.out(try JSON.encode(counts))
        } else {
          Output.out("pending \(counts.pending) · sent \(counts.sent) · quarantined \(counts.quarantined)")
          for item in counts.quarantine { Output.out("  quarantined \(item.statementId): \(item.reason)") }
        }
        return
      }
      guard let endpoint = config.endpoint else {
        throw ValidationError("no LRS configured: give --lrs URL, set NEEDLESIM_LRS_URL, or write \(LRSConfig.configPath())")
      }
      var syncer = Syncer(
        store: store, endpoint: endpoint, user: config.user, password: config.password,
        transport: CurlTransport(timeout: timeout))
      syncer.batchSize = batchSize
      syncer.retries = retries
      syncer.retryDelay = retryDelay
      let report = try syncer.run()
      if json {
        Output.out(try JSON.encode(report))
      } else {
        Output.out("delivered \(report.delivered) · quarantined \(report.quarantined.count) · pending \(report.pending)")
        for item in report.quarantined { Output.out("  quarantined \(item.statementId): \(item.reason)") }
      }
      if !report.quarantined.isEmpty { throw ExitCode.failure }
    }
  }
}
