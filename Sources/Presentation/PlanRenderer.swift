import SafetyScoring
import ScenarioKit

/// Renders plans as plan files (YAML), optionally with a comment on each line saying why.
public enum PlanRenderer {
  /// The plan in plan-file syntax. With `reasons`, each line carries a `# why` comment.
  public static func yaml(_ plan: Plan, reasons: [String: String] = [:], excluded: [(SiteChoice, String)] = [])
    -> String
  {
    var lines: [String] = []
    func comment(_ key: String) -> String { reasons[key].map { "  # \($0)" } ?? "" }
    lines.append("scenario: \(plan.scenario)")
    lines.append("screening:" + (plan.screening.isEmpty ? " []" : ""))
    for topic in plan.screening { lines.append("  - \(topic)\(comment("screening:\(topic)"))") }
    lines.append("decision: \(plan.decision?.rawValue ?? "")\(comment("decision"))")
    if let referTo = plan.referTo { lines.append("referTo: \(referTo)\(comment("referTo"))") }
    lines.append("precautions:" + (plan.precautions.isEmpty ? " []" : ""))
    for id in plan.precautions { lines.append("  - \(id)\(comment("precaution:\(id)"))") }
    if let position = plan.position { lines.append("position: \(position)\(comment("position"))") }
    lines.append("sites:" + (plan.sites.isEmpty ? " []" : ""))
    for choice in plan.sites {
      let fields = [choice.side.map { "side: \($0.rawValue)" }, choice.needle.map { "needle: \($0)" },
                    choice.approach.map { "approach: \($0)" }, choice.position.map { "position: \($0)" }]
      let extra = fields.compactMap { $0 }.map { ", \($0)" }.joined()
      lines.append("  - {site: \(choice.site)\(extra)}\(comment("site:\(choice)"))")
    }
    for (choice, reason) in excluded { lines.append("  # not \(choice): \(reason)") }
    if let seed = plan.seed { lines.append("seed: \(seed)") }
    if let mode = plan.eventMode { lines.append("eventMode: \(mode.rawValue)") }
    if plan.seed != nil || !plan.events.isEmpty {
      lines.append("events:" + (plan.events.isEmpty ? " []  # this seed brings no event to this plan" : ""))
      for response in plan.events {
        lines.append("  - event: \(response.event)\(comment("event:\(response.event)"))")
        lines.append("    responses: [\(response.responses.joined(separator: ", "))]")
      }
    }
    return lines.joined(separator: "\n")
  }
}
