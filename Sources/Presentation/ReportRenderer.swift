import Foundation
import SafetyScoring
import ScenarioKit

/// Renders a score report as a debrief a student can learn from: every item with its verdict, reason and sources.
public enum ReportRenderer {
  public static func render(_ report: Report, guidance: Guidance, style: TextStyle) -> String {
    var out: [String] = []
    let verdictWord = report.passed ? "PASSED" : "NOT PASSED"
    let headline = "\(verdictWord) — score \(format(report.scorePercent))% (\(report.earned)/\(report.possible) points"
      + (report.hintsUsed > 0 ? ", \(report.hintsUsed) hint(s) used" : "") + ")"
    out.append(style.paint(headline, .bold, report.passed ? .green : .red))
    let consent = guidance.config.jurisdiction(report.jurisdiction).map { "age of consent \($0.ageOfConsent)" }
      ?? report.jurisdiction
    out.append(style.paint(
      "pass mark \(format(guidance.config.passMark))% and no critical error · policy \(report.policy) · \(consent)"
        + " · \(report.practitionerLevel) level", .dim))
    // After grading, the variant's values are no secret: they say which version of the patient this was.
    if let variant = report.variant { out.append(style.paint("variant \(variant.description)", .dim)) }
    if !report.criticalFailures.isEmpty {
      out.append("")
      out.append(style.paint("Critical errors (each fails the attempt):", .bold, .red))
      for failure in report.criticalFailures {
        out.append(style.wrap("\(failure.kind.rawValue) \(failure.subject) [\(failure.rule)]", indent: "    ",
                              first: "  " + mark(.unsafe, style) + " "))
      }
    }
    if !report.events.isEmpty { out += timeline(report.events, guidance: guidance, style: style) }
    var explained: Set<String> = []
    for kind in [ItemKind.decision, .screening, .precaution, .site, .technique, .event] {
      let items = report.items.filter { $0.kind == kind }
      if items.isEmpty { continue }
      out.append("")
      out.append(style.paint(title(kind), .bold))
      for item in items { out.append(render(item, guidance: guidance, style: style, explained: &explained)) }
    }
    if !report.advice.isEmpty {
      out.append("")
      out.append(style.paint("Advice (not scored: the reference could not verify it)", .bold))
      for advice in report.advice {
        out.append(style.wrap("\(advice.title): \(advice.explanation)", indent: "    ", first: "  - "))
      }
    }
    return out.joined(separator: "\n")
  }

  /// One item. Correct items take one line; a mistake gets its full reason, sources and any dispute, once per
  /// rule (later items of the same rule point back to it).
  static func render(_ item: ReportItem, guidance: Guidance, style: TextStyle, explained: inout Set<String>)
    -> String
  {
    let label = subjectLabel(item, guidance: guidance)
    let points = item.maxPoints > 0 ? " \(item.points)/\(item.maxPoints)" : ""
    let ruleTitle = item.rule.flatMap { guidance.rule($0)?.title }
    if item.verdict == .correct {
      let why = ruleTitle.map { " · \($0)" } ?? ""
      return "  \(mark(item.verdict, style)) \(label)\(style.paint(points + why, .dim))"
    }
    var lines = [
      "  \(mark(item.verdict, style)) \(style.paint(label, .bold)) — \(item.verdict.rawValue) "
        + "(\(item.severity.rawValue))\(points)"
    ]
    let key = item.rule ?? item.explanation
    if explained.contains(key), let ruleTitle {
      lines.append(style.paint("      \(ruleTitle): see above", .dim))
      return lines.joined(separator: "\n")
    }
    explained.insert(key)
    lines.append(style.wrap(item.explanation, indent: "      ", first: "      "))
    var tail: [String] = []
    if let rule = item.rule { tail.append("rule \(rule)") }
    if !item.sources.isEmpty { tail.append("sources " + item.sources.map { "[\($0)]" }.joined(separator: " ")) }
    if !tail.isEmpty { lines.append(style.paint("      " + tail.joined(separator: " · "), .dim)) }
    if let disputed = item.disputed {
      lines.append(style.wrap("Disputed (\(disputed.id)): \(disputed.alternative)", indent: "      ", first: "      "))
    }
    if let rule = item.rule.flatMap(guidance.rule), guidance.isExpertConsensus(rule) {
      lines.append(style.wrap(
        "Expert consensus: this rests only on low-authority sources (clinic and course guidance), not on a "
          + "guideline or study, so it costs at most the minor weight.", indent: "      ", first: "      "))
    }
    return lines.joined(separator: "\n")
  }

  static func subjectLabel(_ item: ReportItem, guidance: Guidance) -> String {
    let catalog = guidance.catalog
    switch item.kind {
    case .screening: return "ask about \(catalog.vocabulary.screeningTopics.label(item.subject).lowercased())"
    case .precaution: return catalog.precaution(item.subject)?.label ?? item.subject
    case .decision: return "decision: \(item.subject)"
    case .technique: return item.subject
    case .event:
      let parts = item.subject.split(separator: "/").map(String.init)
      guard parts.count == 2 else { return item.subject }
      let name = guidance.events.event(parts[0])?.name ?? parts[0]
      return "\(name): \(guidance.events.actions.label(parts[1]).lowercased())"
    case .site:
      let parts = item.subject.split(separator: " ").map(String.init)
      guard let first = parts.first, let site = catalog.site(first) else { return item.subject }
      return site.name + (parts.count > 1 ? " (\(parts[1]))" : "")
    }
  }

  static func title(_ kind: ItemKind) -> String {
    switch kind {
    case .decision: return "Decision"
    case .screening: return "Screening"
    case .precaution: return "Precautions"
    case .site: return "Sites"
    case .technique: return "Technique"
    case .event: return "Responses to events"
    }
  }

  /// What happened during and after the treatment, what the student did, and what was expected, in order.
  static func timeline(_ events: [ReportEvent], guidance: Guidance, style: TextStyle) -> [String] {
    let actions = guidance.events.actions
    var out = ["", style.paint("Treatment timeline", .bold)]
    for event in events {
      let moment = switch event.moment {
      case .during: "during treatment"
      case .end: "as the session ended"
      case .after: "after the session"
      }
      let place = event.site.map { " at \($0)" } ?? ""
      out.append("  \(moment): \(style.paint(event.name, .bold))\(place)" + (event.scripted ? style.paint(" (scripted by the case)", .dim) : ""))
      let yours = event.responses.isEmpty ? "nothing" : event.responses.map { actions.label($0).lowercased() }.joined(separator: "; ")
      out.append(style.wrap("you: " + yours, indent: "      ", first: "    "))
      out.append(style.wrap("expected: " + event.expected.map { actions.label($0).lowercased() }.joined(separator: "; "),
                            indent: "      ", first: "    "))
      out.append(style.paint(style.wrap("in practice: " + event.realRate, indent: "      ", first: "    "), .dim))
    }
    out.append(style.paint(style.wrap(
      "Events happen far more often here than in practice, so that every student meets them; the real rates are shown "
        + "beside each.", indent: "  ", first: "  "), .dim))
    return out
  }

  /// A mark that carries the verdict without colour: a symbol on a terminal, a word otherwise.
  static func mark(_ verdict: Verdict, _ style: TextStyle) -> String {
    switch verdict {
    case .correct: return style.paint(style.symbols ? "✓" : "[ok]", .green)
    case .missed: return style.paint(style.symbols ? "✗" : "[missed]", .yellow)
    case .unsafe: return style.paint(style.symbols ? "✗" : "[UNSAFE]", .red)
    case .unnecessary: return style.paint(style.symbols ? "~" : "[extra]", .cyan)
    }
  }

  /// `87.5` or `100` — one decimal only when needed.
  public static func format(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
  }
}
