import Foundation
import TraineeRecords

/// What a sync run did.
public struct SyncReport: Sendable, Codable, Equatable {
  public var delivered: Int
  public var quarantined: [OutboxStatus.Quarantined]
  public var pending: Int
  public var requests: Int
}

/// Delivers the outbox to an LRS exactly once.
///
/// - 200/204: the batch is marked sent.
/// - 409 (an id the LRS already has with other content): each statement is fetched back; identical ones count as
///   delivered, others are quarantined.
/// - 400/422: the batch is split until the refused statement is alone; it is quarantined with the LRS's reason and
///   the rest go through.
/// - 401/403: stop at once (credentials).
/// - 5xx, time-outs, refused connections: retried with exponential backoff, then left queued.
///
/// Statement ids are deterministic, so a resend after a crash between POST and mark-sent is recognised by the
/// LRS as the same statement and stored once.
public struct Syncer {
  public let store: SQLiteAttemptStore
  public let endpoint: URL
  public let user: String?
  public let password: String?
  public let transport: LRSTransport
  public var batchSize = 100
  /// Extra tries after the first for 5xx and network failures.
  public var retries = 4
  /// Delay before the first retry; doubles each time.
  public var retryDelay: TimeInterval = 0.5
  public var sleep: (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }
  public var now: () -> Date = { Date() }

  private var requests = 0

  public init(store: SQLiteAttemptStore, endpoint: URL, user: String?, password: String?, transport: LRSTransport) {
    self.store = store
    self.endpoint = endpoint
    self.user = user
    self.password = password
    self.transport = transport
  }

  var statementsURL: URL { endpoint.appendingPathComponent("statements") }

  var headers: [String: String] {
    XAPIHeaders.make(user: user, password: password).merging(["Content-Type": "application/json"]) { a, _ in a }
  }

  /// Delivers every pending statement, batch by batch.
  public mutating func run() throws -> SyncReport {
    var delivered = 0
    var quarantined: [OutboxStatus.Quarantined] = []
    while true {
      let batch = try store.pendingStatements(limit: batchSize)
      if batch.isEmpty { break }
      let outcome = try deliver(batch)
      delivered += outcome.delivered
      quarantined += outcome.quarantined
    }
    return SyncReport(
      delivered: delivered, quarantined: quarantined, pending: try store.outboxStatus().pending, requests: requests)
  }

  struct Outcome {
    var delivered = 0
    var quarantined: [OutboxStatus.Quarantined] = []
  }

  mutating func deliver(_ batch: [QueuedStatement]) throws -> Outcome {
    let body = Data(("[" + batch.map(\.body).joined(separator: ",") + "]").utf8)
    let response = try post(body, ids: batch.map(\.id))
    switch response.status {
    case 200, 204:
      try store.markSent(batch.map(\.id), at: now())
      return Outcome(delivered: batch.count)
    case 401, 403:
      throw RecordsError.lrsRefusedCredentials(status: response.status)
    case 409:
      return try resolveConflicts(batch)
    case 404, 405:
      throw RecordsError.lrsConfig(
        "no xAPI statements resource at \(statementsURL.absoluteString) (HTTP \(response.status)); check the LRS URL")
    case 400..<500:
      guard batch.count > 1 else {
        let reason = "HTTP \(response.status): \(response.text)"
        try store.quarantine(batch[0].id, reason: reason)
        return Outcome(quarantined: [.init(statementId: batch[0].id, reason: reason)])
      }
      let half = batch.count / 2
      var first = try deliver(Array(batch[..<half]))
      let second = try deliver(Array(batch[half...]))
      first.delivered += second.delivered
      first.quarantined += second.quarantined
      return first
    default:
      throw RecordsError.lrsUnavailable(reason: "HTTP \(response.status)", pending: try store.outboxStatus().pending)
    }
  }

  /// A POST with retries on 5xx and network failures; the last failure is recorded on the statements.
  mutating func post(_ body: Data, ids: [String]) throws -> HTTPResponse {
    var delay = retryDelay
    var lastReason = ""
    for attempt in 0...retries {
      if attempt > 0 {
        sleep(delay)
        delay *= 2
      }
      requests += 1
      do {
        let response = try transport.send(method: "POST", url: statementsURL, body: body, headers: headers)
        if response.status < 500 { return response }
        lastReason = "HTTP \(response.status): \(response.text)"
      } catch let failure as TransportFailure {
        lastReason = failure.reason
      }
    }
    try store.noteFailure(ids, reason: lastReason)
    throw RecordsError.lrsUnavailable(reason: lastReason, pending: try store.outboxStatus().pending)
  }

  /// After a 409: a statement the LRS holds identically was delivered before (say, by a run that crashed before
  /// marking it); one it lacks is sent alone; one it holds with other content is quarantined.
  mutating func resolveConflicts(_ batch: [QueuedStatement]) throws -> Outcome {
    var outcome = Outcome()
    for statement in batch {
      var components = URLComponents(url: statementsURL, resolvingAgainstBaseURL: false)
      components?.queryItems = [URLQueryItem(name: "statementId", value: statement.id)]
      guard let url = components?.url else { continue }
      requests += 1
      let response: HTTPResponse
      do {
        response = try transport.send(method: "GET", url: url, body: nil, headers: headers)
      } catch let failure as TransportFailure {
        throw RecordsError.lrsUnavailable(reason: failure.reason, pending: try store.outboxStatus().pending)
      }
      if response.status == 200 {
        if StatementIdentity.same(sent: statement.body, stored: response.body) {
          try store.markSent([statement.id], at: now())
          outcome.delivered += 1
        } else {
          let reason = "HTTP 409: the LRS holds a different statement with id \(statement.id)"
          try store.quarantine(statement.id, reason: reason)
          outcome.quarantined.append(.init(statementId: statement.id, reason: reason))
        }
      } else if response.status == 404, batch.count > 1 {
        let single = try deliver([statement])
        outcome.delivered += single.delivered
        outcome.quarantined += single.quarantined
      } else if response.status == 401 || response.status == 403 {
        throw RecordsError.lrsRefusedCredentials(status: response.status)
      } else {
        let reason = "HTTP 409, then HTTP \(response.status) fetching it back: \(response.text)"
        try store.quarantine(statement.id, reason: reason)
        outcome.quarantined.append(.init(statementId: statement.id, reason: reason))
      }
    }
    return outcome
  }
}

/// Whether the statement an LRS returns is the one we sent. An LRS adds `stored`, `authority` and `version`, and
/// may reformat values, so the comparison is on what identifies the statement's meaning.
enum StatementIdentity {
  static func same(sent: String, stored: Data) -> Bool {
    guard let mine = try? JSONSerialization.jsonObject(with: Data(sent.utf8)) as? [String: Any],
      let theirs = try? JSONSerialization.jsonObject(with: stored) as? [String: Any]
    else { return false }
    return signature(mine) == signature(theirs)
  }

  static func signature(_ statement: [String: Any]) -> [String] {
    let actor = statement["actor"] as? [String: Any]
    let account = actor?["account"] as? [String: Any]
    let result = statement["result"] as? [String: Any]
    let context = statement["context"] as? [String: Any]
    return [
      statement["id"] as? String ?? "", (statement["verb"] as? [String: Any])?["id"] as? String ?? "",
      (statement["object"] as? [String: Any])?["id"] as? String ?? "", account?["homePage"] as? String ?? "",
      account?["name"] as? String ?? "", context?["registration"] as? String ?? "",
      result?["response"] as? String ?? "", String(describing: result?["success"] ?? ""),
    ]
  }
}
