import Foundation
import SafetyScoring

/// The cohort as one self-contained HTML page: pass rate per case, the rules most often missed or broken (each
/// linked to its explanation and sources), each trainee's progress over time, and exam results. No script and no
/// network: inline CSS and SVG, every chart with its numbers in a table beside it, readable without colour and
/// printable.
public struct HTMLReport {
  public let store: SQLiteAttemptStore
  public let guidance: Guidance
  public let filter: AttemptFilter
  /// Shown in the header; injected so the page is reproducible.
  public let generatedAt: Date
  /// Where the attempts came from, for the header ("records.sqlite", "the LRS").
  public let origin: String

  public init(store: SQLiteAttemptStore, guidance: Guidance, filter: AttemptFilter, generatedAt: Date, origin: String) {
    self.store = store
    self.guidance = guidance
    self.filter = filter
    self.generatedAt = generatedAt
    self.origin = origin
  }

  /// How many rules the page lists.
  static let topRules = 15

  public func write(to sink: OutputSink) throws {
    let stats = try store.stats(filter)
    let attempts = try store.summaries(filter)
    var page = HTMLPage()
    page.open(title: "needlesim cohort report")
    page.raw("<header><h1>needlesim cohort report</h1>")
    page.raw("<p class=\"meta\">\(stats.attempts) attempt(s) by \(stats.trainees) trainee(s) · from \(escape(origin))")
    if let scenario = filter.scenario { page.raw(" · case \(escape(scenario))") }
    if let since = filter.since { page.raw(" · since \(Timestamp.iso(since))") }
    page.raw(" · guidance \(escape(guidance.version)) · generated \(Timestamp.iso(generatedAt))</p></header>\n")
    page.raw("<nav><a href=\"#cases\">Pass rate per case</a> · <a href=\"#rules\">Rules missed or broken</a> · "
             + "<a href=\"#trainees\">Progress</a>" + (attempts.contains { $0.exam != nil } ? " · <a href=\"#exams\">Exams</a>" : "")
             + " · <a href=\"#explanations\">The rules</a></nav>\n")
    cases(stats, into: &page)
    let rules = Array(stats.rules.prefix(Self.topRules))
    rulesSection(rules, into: &page)
    progress(attempts, into: &page)
    exams(attempts, into: &page)
    explanations(rules.map(\.rule), into: &page)
    page.raw("</body></html>\n")
    try sink.write(page.text)
    try sink.flush()
  }

  // MARK: Sections

  private func cases(_ stats: CohortStats, into page: inout HTMLPage) {
    page.raw("<section id=\"cases\"><h2>Pass rate per case</h2>\n")
    guard !stats.cases.isEmpty else { return page.raw("<p>No attempts.</p></section>\n") }
    page.barChart(
      label: "Pass rate per case, in percent", rows: stats.cases.map { ($0.scenario, $0.passRate, "\(format($0.passRate))%") },
      maximum: 100)
    page.table(
      caption: "Pass rate per case", headers: ["case", "attempts", "passed", "pass rate", "mean score"],
      rows: stats.cases.map { [$0.scenario, "\($0.attempts)", "\($0.passed)", "\(format($0.passRate))%", "\(format($0.meanScore))%"] },
      id: "cases-table")
    page.raw("</section>\n")
  }

  private func rulesSection(_ rules: [CohortStats.RuleCount], into page: inout HTMLPage) {
    page.raw("<section id=\"rules\"><h2>Rules most often missed or broken</h2>\n")
    guard !rules.isEmpty else { return page.raw("<p>No rule was missed or broken.</p></section>\n") }
    page.raw("<p>Missed: a required question, precaution or response left out. Unsafe: a forbidden decision, site or "
             + "response chosen (hatched). Each rule links to its explanation and sources below.</p>\n")
    page.stackedChart(
      label: "Times each rule was missed and broken", rows: rules.map { ($0.rule, Double($0.missed), Double($0.unsafe)) })
    page.raw("<table id=\"rules-table\"><caption>Rules most often missed or broken</caption><thead><tr><th>rule</th>"
             + "<th>title</th><th>missed</th><th>unsafe</th><th>attempts</th></tr></thead><tbody>\n")
    for rule in rules {
      page.raw("<tr><td><a href=\"#rule-\(anchor(rule.rule))\">\(escape(rule.rule))</a></td><td>\(escape(title(of: rule.rule)))</td>"
               + "<td>\(rule.missed)</td><td>\(rule.unsafe)</td><td>\(rule.attempts)</td></tr>\n")
    }
    page.raw("</tbody></table></section>\n")
  }

  private func progress(_ attempts: [AttemptSummary], into page: inout HTMLPage) {
    page.raw("<section id=\"trainees\"><h2>Each trainee's progress over time</h2>\n")
    let byTrainee = Dictionary(grouping: attempts, by: \.trainee).sorted { $0.key < $1.key }
    guard !byTrainee.isEmpty else { return page.raw("<p>No attempts.</p></section>\n") }
    for (trainee, own) in byTrainee {
      page.raw("<article class=\"trainee\"><h3>\(escape(trainee))</h3>\n")
      page.lineChart(label: "Scores of \(trainee), attempt by attempt, in percent", points: own.map { ($0.scorePercent, $0.passed) })
      page.table(
        caption: "Attempts of \(trainee)", headers: ["#", "submitted", "case", "score", "result"],
        rows: own.enumerated().map { index, attempt in
          ["\(index + 1)", attempt.submittedAt, attempt.scenario, "\(format(attempt.scorePercent))%",
           attempt.passed ? "passed" : (attempt.critical ? "not passed (critical error)" : "not passed")]
        })
      page.raw("</article>\n")
    }
    page.raw("</section>\n")
  }

  private func exams(_ attempts: [AttemptSummary], into page: inout HTMLPage) {
    let sat = attempts.filter { $0.exam != nil }
    guard !sat.isEmpty else { return }
    page.raw("<section id=\"exams\"><h2>Exam results</h2>\n<p>Sealed attempts can be checked with "
             + "<code>needlesim exam verify</code>.</p>\n")
    for (exam, rows) in Dictionary(grouping: sat, by: { $0.exam ?? "" }).sorted(by: { $0.key < $1.key }) {
      page.table(
        caption: "Exam \(exam)", headers: ["trainee", "sitting", "case", "score", "result", "sealed"],
        rows: rows.map { row in
          [row.trainee, row.examSitting.map(String.init) ?? "", row.scenario, "\(format(row.scorePercent))%",
           row.passed ? "passed" : "not passed", row.sealed ? "yes" : "no"]
        })
    }
    page.raw("</section>\n")
  }

  private func explanations(_ rules: [String], into page: inout HTMLPage) {
    page.raw("<section id=\"explanations\"><h2>The rules</h2>\n")
    for id in rules {
      let (explanation, sources) = details(of: id)
      page.raw("<article id=\"rule-\(anchor(id))\"><h3>\(escape(title(of: id))) <small>(\(escape(id)))</small></h3>\n"
               + "<p>\(escape(explanation))</p>\n")
      if !sources.isEmpty {
        page.raw("<ul class=\"sources\">")
        for source in sources {
          let citation = guidance.catalog.source(source).map { "\($0.citation) [\($0.evidence)]" } ?? ""
          page.raw("<li>[\(escape(source))] \(escape(citation))</li>")
        }
        page.raw("</ul>\n")
      }
      page.raw("</article>\n")
    }
    page.raw("</section>\n")
  }

  // MARK: Rules and responses to events

  private func title(of id: String) -> String {
    if let rule = guidance.rule(id) { return rule.title }
    if let (event, response) = response(id) {
      return "\(event.name): \(guidance.events.actions.label(response.action).lowercased())"
    }
    return id
  }

  private func details(of id: String) -> (String, [String]) {
    if let rule = guidance.rule(id) { return (rule.explanation, rule.sources) }
    if let (_, response) = response(id) { return (response.explanation, response.sources) }
    return ("This rule is not in the current guidance (\(guidance.version)).", [])
  }

  private func response(_ id: String) -> (ClinicalEvent, ResponseRule)? {
    let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
    guard parts.count == 2, let event = guidance.events.event(parts[0]) else { return nil }
    return (event.expect + event.unsafeResponses).first { $0.id == id }.map { (event, $0) }
  }

  private func anchor(_ id: String) -> String { id.replacingOccurrences(of: "/", with: "--") }
  private func format(_ value: Double) -> String { CSV.number(value) }
}

/// HTML text, with the escaping and the charts the report draws.
struct HTMLPage {
  private(set) var text = ""

  mutating func raw(_ html: String) { text += html }

  mutating func open(title: String) {
    raw("""
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(escape(title))</title>
      <style>
      body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}
      h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:2px solid #111}h3{margin-bottom:.3rem}
      .meta{color:#444}nav{margin:1rem 0}table{border-collapse:collapse;margin:.6rem 0 1.4rem;font-size:.9rem}
      caption{text-align:left;font-weight:600;padding:.2rem 0}th,td{border:1px solid #777;padding:.2rem .5rem;text-align:left}
      td:nth-child(n+2){font-variant-numeric:tabular-nums}svg{display:block;max-width:100%;height:auto}
      svg text{font:12px system-ui,sans-serif;fill:#111}.bar{fill:#444}.unsafe{fill:url(#hatch)}
      .line{fill:none;stroke:#111;stroke-width:1.5}.pass{fill:#111}.fail{fill:#fff;stroke:#111;stroke-width:1.5}
      .sources{font-size:.85rem;color:#333}
      @media print{nav{display:none}body{margin:0;max-width:none}section,article{break-inside:avoid}a{color:#111;text-decoration:none}}
      </style></head><body>
      <svg width="0" height="0" aria-hidden="true"><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#111" stroke-width="3"/></pattern></defs></svg>

      """)
  }

  mutating func table(caption: String, headers: [String], rows: [[String]], id: String? = nil) {
    raw("<table\(id.map { " id=\"\($0)\"" } ?? "")><caption>\(escape(caption))</caption><thead><tr>"
        + headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n")
    for row in rows { raw("<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n") }
    raw("</tbody></table>\n")
  }

  /// Horizontal bars, each labelled with its name and value (readable without colour).
  mutating func barChart(label: String, rows: [(name: String, value: Double, text: String)], maximum: Double) {
    let height = rows.count * 22 + 10
    raw("<svg viewBox=\"0 0 720 \(height)\" role=\"img\" aria-label=\"\(escape(label))\">")
    for (index, row) in rows.enumerated() {
      let y = 5 + index * 22
      let width = maximum > 0 ? Int((row.value / maximum * 330).rounded()) : 0
      raw("<text x=\"0\" y=\"\(y + 14)\">\(escape(row.name))</text><rect class=\"bar\" x=\"270\" y=\"\(y + 3)\" "
          + "width=\"\(width)\" height=\"14\"/><text x=\"\(276 + width)\" y=\"\(y + 14)\">\(escape(row.text))</text>")
    }
    raw("</svg>\n")
  }

  /// Bars of two parts: solid (missed) then hatched (unsafe), each labelled.
  mutating func stackedChart(label: String, rows: [(name: String, first: Double, second: Double)]) {
    let maximum = rows.map { $0.first + $0.second }.max() ?? 0
    let height = rows.count * 22 + 10
    raw("<svg viewBox=\"0 0 720 \(height)\" role=\"img\" aria-label=\"\(escape(label))\">")
    for (index, row) in rows.enumerated() {
      let y = 5 + index * 22
      let scale = maximum > 0 ? 230 / maximum : 0
      let first = Int((row.first * scale).rounded())
      let second = Int((row.second * scale).rounded())
      raw("<text x=\"0\" y=\"\(y + 14)\">\(escape(row.name))</text>"
          + "<rect class=\"bar\" x=\"300\" y=\"\(y + 3)\" width=\"\(first)\" height=\"14\"/>"
          + "<rect class=\"unsafe\" x=\"\(300 + first)\" y=\"\(y + 3)\" width=\"\(second)\" height=\"14\" stroke=\"#111\"/>"
          + "<text x=\"\(306 + first + second)\" y=\"\(y + 14)\">\(Int(row.first)) missed, \(Int(row.second)) unsafe</text>")
    }
    raw("</svg>\n")
  }

  /// Scores attempt by attempt (0–100 %), passes as filled dots and the rest as open ones, with the pass line.
  mutating func lineChart(label: String, points: [(score: Double, passed: Bool)]) {
    let step = points.count > 1 ? min(60.0, 600.0 / Double(points.count - 1)) : 0
    func x(_ index: Int) -> Double { 60 + Double(index) * step }
    func y(_ score: Double) -> Double { 10 + (100 - score) * 1.4 }
    raw("<svg viewBox=\"0 0 720 170\" role=\"img\" aria-label=\"\(escape(label))\">"
        + "<text x=\"0\" y=\"\(Int(y(100)) + 4)\">100%</text><text x=\"0\" y=\"\(Int(y(0)) + 4)\">0%</text>"
        + "<line x1=\"55\" y1=\"\(y(0))\" x2=\"700\" y2=\"\(y(0))\" stroke=\"#777\"/>")
    let path = points.enumerated().map { index, point in "\(index == 0 ? "M" : "L")\(x(index)),\(y(point.score))" }
    if points.count > 1 { raw("<path class=\"line\" d=\"\(path.joined(separator: " "))\"/>") }
    for (index, point) in points.enumerated() {
      raw("<circle class=\"\(point.passed ? "pass" : "fail")\" cx=\"\(x(index))\" cy=\"\(y(point.score))\" r=\"4\">"
          + "<title>attempt \(index + 1): \(CSV.number(point.score))%\(point.passed ? ", passed" : "")</title></circle>")
    }
    raw("</svg>\n")
  }
}

/// Text made safe for HTML content and attribute values.
func escape(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.utf8.count)
  for character in text {
    switch character {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    default: out.append(character)
    }
  }
  return out
}
