import ArgumentParser
import Foundation
import LRSSync
import TraineeRecords

/// Where trainee records live: `--db`, then NEEDLESIM_DB, then the XDG data folder.
struct RecordsOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp(
    "Records database (default: $NEEDLESIM_DB or $XDG_DATA_HOME/needlesim/records.sqlite).", valueName: "path"))
  var db: String?

  var path: String { RecordsLocation.path(explicit: db) }

  /// Opens the store; statements queued for the LRS are shaped by the LRS configuration (homePage, IRIs).
  func openStore(xapi: XAPIOptions? = nil) throws -> SQLiteAttemptStore {
    try SQLiteAttemptStore(path: path, xapi: xapi ?? (try LRSConfig.resolve()).xapi)
  }
}

/// Who is practising: `--trainee`, then NEEDLESIM_TRAINEE, then the login name.
enum TraineeIdentity {
  static func resolve(_ explicit: String?) -> String {
    if let explicit, !explicit.isEmpty { return explicit }
    let env = ProcessInfo.processInfo.environment
    if let value = env["NEEDLESIM_TRAINEE"], !value.isEmpty { return value }
    if let user = env["USER"], !user.isEmpty { return user }
    return NSUserName()
  }
}
