import SafetyScoring
import ScenarioKit

/// Renders a case as the student first sees it: no coded facts, no answers to questions not yet asked.
public enum CaseRenderer {
  public static func render(_ scenario: Case, catalog: Catalog, style: TextStyle) -> String {
    var out: [String] = []
    out.append(style.paint(scenario.title, .bold))
    out.append(style.paint("\(scenario.id) · \(scenario.difficulty) · \(scenario.tags.joined(separator: ", "))", .dim))
    out.append("")
    let facts = scenario.facts
    out.append(style.wrap("\(scenario.patientName), \(facts.age), \(facts.sex), \(scenario.occupation)."))
    out.append("")
    out.append(style.paint("Complaint", .bold))
    out.append(style.wrap(scenario.complaint, indent: "  ", first: "  "))
    out.append("")
    out.append(style.paint("History", .bold))
    out.append(style.wrap(scenario.history.trimmingTrailingNewlines, indent: "  ", first: "  "))
    out.append("")
    out.append(style.paint("Candidate sites", .bold))
    for choice in scenario.candidateSites {
      let name = catalog.site(choice.site)?.name ?? choice.site
      out.append("  \(choice.description.padded(to: 30)) \(name)\(choice.side.map { ", \($0.rawValue)" } ?? "")")
    }
    // Learning objectives often name the hidden risk, so students see them in the debrief, not here.
    return out.joined(separator: "\n")
  }
}

extension String {
  var trimmingTrailingNewlines: String {
    var text = self
    while text.hasSuffix("\n") { text.removeLast() }
    return text
  }

  /// The string followed by spaces up to `width`, and always at least one space.
  public func padded(to width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
