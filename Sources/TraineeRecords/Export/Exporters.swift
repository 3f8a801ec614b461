import Foundation
import SafetyScoring
import ScenarioKit

/// The export formats.
public enum ExportFormat: String, CaseIterable, Sendable {
  case csv, gradebook, json, xapi
}

/// How a critical failure shows in the gradebook.
public enum CriticalGrade: String, CaseIterable, Sendable {
  /// The attempt counts as 0% (default: a critical error fails the case).
  case zero
  /// The score is exported as it is; the feedback column names the critical error.
  case score
  /// The attempt is left out, as if not attempted.
  case blank
}

/// Which attempt a gradebook cell shows.
public enum GradePick: String, CaseIterable, Sendable {
  case best, latest
}

/// Settings of the xAPI statements: who the actor's account belongs to, and the IRIs of activities.
public struct XAPIOptions: Sendable {
  /// The account homePage of every actor (the programme's URL); the trainee id is the account name.
  public var homePage: String
  /// Base IRI of activities and extensions.
  public var iriBase: String
  public var platform: String

  /// The defaults, used until a programme sets its own (see docs/lrs.md).
  public static let standard = XAPIOptions(
    homePage: "https://needlesim.example/trainees", iriBase: "https://needlesim.example/xapi",
    platform: "needlesim 0.1.0")

  public init(homePage: String, iriBase: String, platform: String) {
    self.homePage = homePage
    self.iriBase = iriBase.hasSuffix("/") ? String(iriBase.dropLast()) : iriBase
    self.platform = platform
  }
}

/// Writes records in each export format, streaming from the database.
public struct Exporter {
  public let store: SQLiteAttemptStore
  public let filter: AttemptFilter

  public init(store: SQLiteAttemptStore, filter: AttemptFilter) {
    self.store = store
    self.filter = filter
  }

  /// One row per decision item.
  public func csv(to sink: OutputSink) throws {
    try sink.write(CSV.row([
      "trainee", "case", "attempt", "started", "submitted", "kind", "subject", "verdict", "severity", "points",
      "maxPoints", "rule", "policy", "jurisdiction", "practitionerLevel", "seed", "exam", "seal",
    ]))
    try store.forEachItem(filter) { item in
      try sink.writeCSVRow([
        item.trainee, item.scenario, item.attemptID, item.startedAt, item.submittedAt,
        item.kind, item.subject, item.verdict, item.severity, String(item.points), String(item.maxPoints),
        item.rule ?? "", item.policy, item.jurisdiction, item.practitionerLevel, item.seed.map(String.init) ?? "",
        item.exam ?? "", item.seal ?? "",
      ])
      sink.recordDone()
    }
    try sink.flush()
  }

  /// A JSON array of attempts with their full reports.
  public func json(to sink: OutputSink) throws {
    try sink.write("[")
    var first = true
    try store.forEachAttempt(filter) { attempt in
      try sink.write((first ? "\n" : ",\n") + String(decoding: try AttemptJSON.encode(attempt), as: UTF8.self))
      first = false
      sink.recordDone()
    }
    try sink.write(first ? "]\n" : "\n]\n")
    try sink.flush()
  }

  /// A JSON array of xAPI 1.0.3 statements, several per attempt.
  public func xapi(_ options: XAPIOptions, to sink: OutputSink) throws {
    let builder = XAPIStatements(options: options)
    try sink.write("[")
    var first = true
    try store.forEachAttempt(filter) { attempt in
      for statement in builder.statements(for: attempt) {
        try sink.write((first ? "\n" : ",\n") + statement)
        first = false
      }
      sink.recordDone()
    }
    try sink.write(first ? "]\n" : "\n]\n")
    try sink.flush()
  }

  /// One row per trainee, one score column per case, and a feedback column, as Moodle's CSV grade import takes.
  public func gradebook(pick: GradePick, critical: CriticalGrade, idHeader: String, to sink: OutputSink) throws {
    struct Cell {
      var score: Double
      var passed: Bool
      var critical: [String]
      var submitted: Date
    }
    var cells: [String: [String: Cell]] = [:]
    var cases: Set<String> = []
    try store.forEachAttempt(filter) { attempt in
      let report = attempt.report
      let criticalRules = report.criticalFailures.map(\.rule)
      if critical == .blank, !criticalRules.isEmpty { return }
      let score = critical == .zero && !criticalRules.isEmpty ? 0 : report.scorePercent
      let cell = Cell(score: score, passed: report.passed, critical: criticalRules, submitted: attempt.submittedAt)
      cases.insert(attempt.scenario)
      let existing = cells[attempt.trainee]?[attempt.scenario]
      switch pick {
      case .latest: if existing.map({ $0.submitted <= cell.submitted }) ?? true { cells[attempt.trainee, default: [:]][attempt.scenario] = cell }
      case .best: if existing.map({ $0.score < cell.score }) ?? true { cells[attempt.trainee, default: [:]][attempt.scenario] = cell }
      }
    }
    let columns = cases.sorted()
    try sink.write(CSV.row([idHeader] + columns.map { "\($0) (%)" } + ["Feedback"]))
    for trainee in cells.keys.sorted() {
      let row = cells[trainee] ?? [:]
      var fields = [trainee]
      var feedback: [String] = []
      for scenario in columns {
        guard let cell = row[scenario] else {
          fields.append("")
          continue
        }
        fields.append(CSV.number(cell.score))
        var note = "\(scenario): \(CSV.number(cell.score))% " + (cell.passed ? "passed" : "not passed")
        if !cell.critical.isEmpty { note += " (critical: \(cell.critical.joined(separator: ", ")))" }
        feedback.append(note)
      }
      fields.append(feedback.joined(separator: "; "))
      try sink.write(CSV.row(fields))
      sink.recordDone()
    }
    try sink.flush()
  }
}

/// ISO 8601 timestamps in UTC with milliseconds, as xAPI and the exports use.
public enum Timestamp {
  public static func iso(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    // To the nearest millisecond: a time read back from the database is a hair off the millisecond it was stored at,
    // and cutting the fraction off would turn .788 into .787.
    let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
    let (whole, fraction) = total.quotientAndRemainder(dividingBy: 1000)
    let seconds = fraction < 0 ? whole - 1 : whole
    let ms = Int(fraction < 0 ? fraction + 1000 : fraction)
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                    from: Date(timeIntervalSince1970: Double(seconds)))
    return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
                  c.minute ?? 0, c.second ?? 0, ms)
  }

  /// Converts a date as the database stores it (`yyyy-MM-dd HH:mm:ss.SSS`, UTC) to ISO 8601 without parsing it:
  /// streaming exports read millions of them.
  public static func iso(stored text: String) -> String {
    var utf8 = Array(text.utf8)
    guard utf8.count >= 19, utf8[10] == UInt8(ascii: " ") else { return text }
    utf8[10] = UInt8(ascii: "T")
    if utf8.count == 19 { utf8 += Array(".000".utf8) }
    return String(decoding: utf8, as: UTF8.self) + "Z"
  }

  /// An ISO 8601 duration such as `PT12M30S`.
  public static func duration(_ seconds: TimeInterval) -> String {
    let total = max(0, seconds)
    let hours = Int(total / 3600)
    let minutes = Int(total.truncatingRemainder(dividingBy: 3600) / 60)
    let rest = total.truncatingRemainder(dividingBy: 60)
    var text = "PT"
    if hours > 0 { text += "\(hours)H" }
    if minutes > 0 { text += "\(minutes)M" }
    let secondsText = rest == rest.rounded() ? String(Int(rest)) : String(format: "%.2f", rest)
    if rest > 0 || text == "PT" { text += "\(secondsText)S" }
    return text
  }
}
