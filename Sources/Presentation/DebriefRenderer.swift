import SafetyScoring
import ScenarioKit

/// The model plan beside the student's, line by line.
public enum DebriefRenderer {
  public static func comparison(model: Plan, yours: Plan, guidance: Guidance, style: TextStyle) -> String {
    let catalog = guidance.catalog
    let column = max(30, (style.width - 6) / 2)
    var lines = [style.paint("Model plan".padded(to: column + 4) + "Your plan", .bold)]
    func row(_ left: String, _ right: String, _ mark: String) {
      let l = left.count > column ? String(left.prefix(column - 1)) + "…" : left
      lines.append("  \(mark) \(l.padded(to: column))\(right)")
    }
    func decision(_ plan: Plan) -> String {
      (plan.decision?.rawValue ?? "—") + (plan.referTo.map { " → \($0)" } ?? "")
    }
    row("decision: " + decision(model), decision(yours), decision(model) == decision(yours) ? " " : "≠")
    func compare(_ title: String, _ left: [String], _ right: [String], label: (String) -> String) {
      lines.append(style.paint(title, .bold))
      let both = left.filter(right.contains)
      for id in both { row(label(id), label(id), " ") }
      for id in left where !right.contains(id) { row(label(id), "—", "-") }
      for id in right where !left.contains(id) { row("—", label(id), "+") }
      if left.isEmpty && right.isEmpty { row("none", "none", " ") }
    }
    compare("Screening", model.screening, yours.screening) { catalog.vocabulary.screeningTopics.label($0) }
    if model.decision == .needle || yours.decision == .needle {
      compare("Precautions", model.precautions, yours.decision == .needle ? yours.precautions : []) {
        catalog.precaution($0)?.label ?? $0
      }
      compare("Sites", model.sites.map(\.description), yours.decision == .needle ? yours.sites.map(\.description) : []) { $0 }
      // Technique beside the model's: the position, and how each site the model needles is needled.
      lines.append(style.paint("Technique", .bold))
      let modelPosition = model.position ?? "—"
      let yourPosition = yours.decision == .needle ? yours.position ?? "not stated" : "—"
      row("position: \(modelPosition)", yourPosition, modelPosition == yourPosition ? " " : "≠")
      for choice in model.sites {
        let mine = yours.sites.first { $0.isSameSite(as: choice) }
        let left = "\(choice): \(choice.technique ?? "any")"
        let right = mine.map { $0.technique ?? "not stated" } ?? "—"
        row(left, right, mine?.technique == choice.technique ? " " : "≠")
      }
    }
    lines.append(style.paint("  - in the model plan only · + in yours only · ≠ differs", .dim))
    return lines.joined(separator: "\n")
  }
}
