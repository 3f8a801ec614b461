import Foundation
import GRDB

/// Which attempts a query or export covers.
public struct AttemptFilter: Sendable {
  public var trainee: String?
  public var scenario: String?
  /// Only attempts submitted at or after this moment.
  public var since: Date?

  public init(trainee: String? = nil, scenario: String? = nil, since: Date? = nil) {
    self.trainee = trainee
    self.scenario = scenario
    self.since = since
  }

  /// The WHERE clause (for table alias `a`) and its arguments.
  var sql: (clause: String, arguments: StatementArguments) {
    var parts: [String] = []
    var arguments: StatementArguments = []
    if let trainee {
      parts.append("a.trainee = ?")
      arguments += [trainee]
    }
    if let scenario {
      parts.append("a.scenario = ?")
      arguments += [scenario]
    }
    if let since {
      parts.append("a.submittedAt >= ?")
      arguments += [since]
    }
    return (parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND "), arguments)
  }
}
