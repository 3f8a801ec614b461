import Foundation
import TraineeRecords

/// Reads attempts back from an LRS: the `passed` and `failed` statements (one per attempt, each carrying its whole
/// attempt in `ext/attempt`) through the xAPI `GET /statements` API, page by page along `more`.
public struct StatementReader {
  public let endpoint: URL
  public let user: String?
  public let password: String?
  public let transport: LRSTransport
  /// Statements asked for per page (the LRS may send fewer).
  public var pageSize = 500

  public init(endpoint: URL, user: String?, password: String?, transport: LRSTransport) {
    self.endpoint = endpoint
    self.user = user
    self.password = password
    self.transport = transport
  }

  /// What a read found beyond the attempts it handed over.
  public struct Result: Sendable {
    /// `passed`/`failed` statements without `ext/attempt` (sent by a needlesim from before it was added).
    public var withoutAttempt: Int
  }

  /// Hands `page` the attempts of each page the LRS sends under `options`' IRIs (of case `scenario`, stored
  /// `since`, when given), as they come: memory stays that of one page however many statements the LRS holds. A
  /// statement the LRS sends twice gives the same attempt twice; the caller keeps one per attempt id.
  public func read(options: XAPIOptions, scenario: String?, since: Date?, page deliver: ([Attempt]) throws -> Void)
    throws -> Result
  {
    var withoutAttempt = 0
    let attemptKey = "\(options.iriBase)/ext/attempt"
    // Only `since` is asked of the LRS; verbs and the case are matched here. Ralph 5.1's file-system backend compares
    // a verb or activity filter (parsed as an IRI) with the stored text and so returns nothing for any of them.
    var query = [URLQueryItem(name: "limit", value: String(pageSize))]
    if let since { query.append(URLQueryItem(name: "since", value: Timestamp.iso(since))) }
    var components = URLComponents(url: endpoint.appendingPathComponent("statements"), resolvingAgainstBaseURL: false)
    components?.queryItems = query
    let verbs: Set<String> = ["http://adlnet.gov/expapi/verbs/passed", "http://adlnet.gov/expapi/verbs/failed"]
    let caseActivity = scenario.map { "\(options.iriBase)/scenario/\($0)" }
    var next = components?.url
    while let url = next {
      let page = try fetch(url)
      var attempts: [Attempt] = []
      for statement in page.statements {
        guard let id = statement["id"] as? String,
          let verb = (statement["verb"] as? [String: Any])?["id"] as? String, verbs.contains(verb)
        else { continue }
        let object = (statement["object"] as? [String: Any])?["id"] as? String
        guard object?.hasPrefix("\(options.iriBase)/scenario/") == true else { continue }  // another tool's statement
        if let caseActivity, object != caseActivity { continue }
        let extensions = (statement["result"] as? [String: Any])?["extensions"] as? [String: Any]
        guard let text = extensions?[attemptKey] as? String else {
          withoutAttempt += 1
          continue
        }
        guard let attempt = try? AttemptJSON.decode(Data(text.utf8)) else {
          throw LRSReadError.malformed("statement \(id) carries an attempt that cannot be read")
        }
        attempts.append(attempt)
      }
      try deliver(attempts)
      next = page.more.flatMap { URL(string: $0, relativeTo: endpoint)?.absoluteURL }
    }
    return Result(withoutAttempt: withoutAttempt)
  }

  private func fetch(_ url: URL) throws -> (statements: [[String: Any]], more: String?) {
    let headers = XAPIHeaders.make(user: user, password: password).merging(["Accept": "application/json"]) { a, _ in a }
    let response: HTTPResponse
    do {
      response = try transport.send(method: "GET", url: url, body: nil, headers: headers)
    } catch let failure as TransportFailure {
      throw LRSReadError.unreachable("\(endpoint.absoluteString): \(failure.reason)")
    }
    switch response.status {
    case 200: break
    case 401, 403: throw LRSReadError.refused(response.status)
    case 404, 405: throw LRSReadError.unreachable("no xAPI statements resource at \(url.absoluteString) (HTTP \(response.status))")
    default: throw LRSReadError.unreachable("HTTP \(response.status) from \(endpoint.absoluteString): \(response.text)")
    }
    guard let page = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
      let statements = page["statements"] as? [[String: Any]]
    else { throw LRSReadError.malformed("a page from \(endpoint.absoluteString) is not an xAPI StatementResult") }
    let more = (page["more"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    return (statements, more)
  }
}

/// Why reading from the LRS failed, in words a user can act on.
public enum LRSReadError: LocalizedError, Equatable {
  case unreachable(String)
  case refused(Int)
  case malformed(String)
  case notConfigured

  public var errorDescription: String? {
    switch self {
    case .unreachable(let reason): "cannot read from the LRS: \(reason)"
    case .refused(let status):
      "the LRS refused the credentials (HTTP \(status)); check NEEDLESIM_LRS_USER and the password (docs/lrs.md)"
    case .malformed(let reason): "the LRS answered with something that is not xAPI: \(reason)"
    case .notConfigured: "--from-lrs needs an LRS: set NEEDLESIM_LRS_URL or `url` in the LRS config file (docs/lrs.md)"
    }
  }
}
