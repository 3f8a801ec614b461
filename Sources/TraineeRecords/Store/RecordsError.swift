import Foundation

/// Errors of the records module, each with a message that says what to do.
public enum RecordsError: LocalizedError, Equatable {
  case notADatabase(path: String)
  case newerSchema(path: String, migration: String)
  case cannotOpen(path: String, reason: String)
  case writeFailed(reason: String)
  case corruptRecord(id: String, reason: String)
  case exportFailed(reason: String)
  case lrsConfig(String)
  case lrsRefusedCredentials(status: Int)
  case lrsUnavailable(reason: String, pending: Int)

  public var errorDescription: String? {
    switch self {
    case .notADatabase(let path):
      return "\(path) is not a needlesim records database (not SQLite, or corrupt); it was left untouched. "
        + "Point --db or NEEDLESIM_DB at another file."
    case .newerSchema(let path, let migration):
      return "\(path) was written by a newer needlesim (schema step \"\(migration)\" is unknown here); "
        + "it was left untouched. Upgrade needlesim to use it."
    case .cannotOpen(let path, let reason):
      return "cannot open records database \(path): \(reason)"
    case .writeFailed(let reason):
      return "could not save the attempt: \(reason). Nothing was half-written; try again."
    case .corruptRecord(let id, let reason):
      return "attempt \(id) in the records database cannot be read: \(reason)"
    case .exportFailed(let reason):
      return "the export could not be written: \(reason)"
    case .lrsConfig(let message):
      return "LRS configuration: \(message)"
    case .lrsRefusedCredentials(let status):
      return "the LRS refused the credentials (HTTP \(status)); check the user and password "
        + "(--user, --password-file, NEEDLESIM_LRS_USER / NEEDLESIM_LRS_PASSWORD or the config file). Nothing was lost."
    case .lrsUnavailable(let reason, let pending):
      return "the LRS could not be reached (\(reason)); \(pending) statement(s) stay queued for the next sync"
    }
  }
}
