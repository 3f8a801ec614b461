import YAMLReading
import Foundation
import Presentation
import SafetyScoring
import ScenarioKit

/// What the session shows: the case, the plan, the lists, help.
extension PracticeSession {
  func caseView() -> String {
    guard let state = current else { return "No case is open." }
    var text = CaseRenderer.render(state.scenario, catalog: guidance.catalog, style: style)
    if !state.asked.isEmpty {
      text += "\n\n" + style.paint("What you have asked", .bold)
      for topic in state.asked {
        let answer = state.scenario.interview[topic] ?? "No, nothing like that."
        text += "\n" + style.wrap("\(topic): \(answer)", indent: "    ", first: "  ")
      }
    }
    return text
  }

  func planView() -> String {
    guard let state = current else { return "No case is open." }
    let plan = state.plan
    let catalog = guidance.catalog
    var lines = [style.paint("Your plan for \(state.scenario.id)", .bold)]
    lines.append("  asked:       " + (plan.screening.isEmpty ? "nothing yet" : plan.screening.joined(separator: ", ")))
    var decision = plan.decision?.rawValue ?? "not decided (`decide …`)"
    if let referTo = plan.referTo { decision += " → \(vocabulary.referralTargets.label(referTo).lowercased())" }
    lines.append("  decision:    \(decision)")
    lines.append("  precautions: " + (plan.precautions.isEmpty ? "none" : ""))
    for id in plan.precautions { lines.append("    - \(catalog.precaution(id)?.label ?? id)") }
    if let position = plan.position {
      lines.append("  position:    \(vocabulary.positions.label(position).lowercased())")
    }
    lines.append("  sites:       " + (plan.sites.isEmpty ? "none" : ""))
    for choice in plan.sites {
      lines.append("    - \(catalog.site(choice.site)?.name ?? choice.site)\(choice.side.map { " (\($0.rawValue))" } ?? "")"
        + (choice.technique.map { " — \($0)" } ?? ""))
    }
    if state.hints > 0 { lines.append("  hints used:  \(state.hints)") }
    return lines.joined(separator: "\n")
  }

  func precautionList() -> String {
    let chosen = Set(current?.plan.precautions ?? [])
    let catalog = guidance.catalog
    var lines: [String] = []
    for group in catalog.precautionGroups {
      lines.append(style.paint(group.replacingOccurrences(of: "-", with: " ").capitalized, .bold))
      for precaution in catalog.precautions where precaution.group == group {
        let mark = chosen.contains(precaution.id) ? "[x]" : "[ ]"
        let flag = precaution.unverified ? " (unverified; not scored)" : ""
        lines.append("  \(mark) \(precaution.id)")
        lines.append(style.wrap(precaution.description + flag, indent: "        ", first: "        "))
      }
    }
    lines.append("Add with `precaution add ID`; remove with `precaution remove ID`.")
    return lines.joined(separator: "\n")
  }

  func siteList(all: Bool) -> String {
    let catalog = guidance.catalog
    var lines: [String] = []
    if let state = current, !all {
      lines.append(style.paint("Candidate sites for this case", .bold))
      for choice in state.scenario.candidateSites {
        guard let site = catalog.site(choice.site) else { continue }
        lines.append("  \(choice.description.padded(to: 30))\(describe(site))")
      }
      lines.append("Treat with `treat SITE SIDE`; `sites all` lists every site.")
      return lines.joined(separator: "\n")
    }
    for region in vocabulary.regions.entries {
      let sites = catalog.sites.filter { $0.region == region.id }
      if sites.isEmpty { continue }
      lines.append(style.paint(region.label, .bold))
      for site in sites { lines.append("  \(site.id.padded(to: 28))\(describe(site))") }
    }
    return lines.joined(separator: "\n")
  }

  func describe(_ site: Site) -> String {
    let hazards = site.hazards.map { vocabulary.hazards.label($0).lowercased() }
    return site.name + (hazards.isEmpty ? "" : style.paint(" — beneath: \(hazards.joined(separator: "; "))", .dim))
  }

  func help(_ topic: String?) -> String {
    if let topic {
      guard let command = CommandCatalog.find(topic.lowercased()) else {
        let guess = Suggestions.closest(to: topic, in: CommandCatalog.all.map(\.name))
        return "No command \"\(topic)\"." + (guess.map { " Did you mean `help \($0)`?" } ?? "")
      }
      return style.paint(command.usage, .bold) + "\n" + style.wrap(command.details, indent: "  ", first: "  ")
    }
    var lines = [style.paint("Commands", .bold)]
    for command in CommandCatalog.all {
      lines.append("  \(command.usage.padded(to: 44))\(command.summary)")
    }
    lines.append("`help COMMAND` explains one. Tab completes commands, case ids, topics, precautions and sites.")
    return lines.joined(separator: "\n")
  }
}
