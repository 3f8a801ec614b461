import YAMLReading
import Foundation
import SafetyScoring
import ScenarioKit

/// Screening questions and building the plan.
extension PracticeSession {
  var vocabulary: Vocabulary { guidance.catalog.vocabulary }

  func ask(_ arguments: [String]) -> Reply {
    guard var state = current else { return Reply("No case is open.") }
    guard let raw = arguments.first else {
      var lines = [style.paint("Screening topics", .bold)]
      for entry in vocabulary.screeningTopics.entries {
        let asked = state.asked.contains(entry.id) ? " (asked)" : ""
        lines.append("  \(entry.id.padded(to: 20))\(entry.label)\(asked)")
      }
      lines.append("Ask with `ask TOPIC`, e.g. `ask medications`.")
      return Reply(lines.joined(separator: "\n"))
    }
    let topic = raw.lowercased()
    guard let entry = vocabulary.screeningTopics.entry(topic) else {
      let guess = Suggestions.closest(to: topic, in: vocabulary.screeningTopics.ids)
      return Reply("No screening topic \"\(raw)\"." + (guess.map { " Did you mean `ask \($0)`?" } ?? "")
                   + " `ask` lists the topics.")
    }
    let again = state.asked.contains(topic)
    if !again { state.asked.append(topic) }
    state.plan.screening = state.asked
    current = state
    if topic == Examination.topic { return Reply(examinationView(state.scenario)) }
    let question = entry.ask ?? entry.label
    let answer = state.scenario.interview[topic] ?? "No, nothing like that."
    let name = state.scenario.patientName.split(separator: " ").first.map(String.init) ?? "Patient"
    return Reply(style.wrap("You: \(question)", indent: "     ") + "\n"
                 + style.wrap("\(name): \(answer)", indent: "     ") + (again ? style.paint(" (asked before)", .dim) : ""))
  }

  /// `examine [REGION]`: what inspection and palpation show (only the findings about REGION when given); counts as
  /// the examination topic asked.
  func examine(_ arguments: [String]) -> Reply {
    guard let state = current else { return Reply("No case is open.") }
    guard let region = arguments.first?.lowercased() else { return ask([Examination.topic]) }
    guard vocabulary.regions.contains(region) else {
      return Reply("No region \"\(region)\". Regions: \(vocabulary.regions.ids.joined(separator: ", ")).")
    }
    _ = ask([Examination.topic])
    return Reply(examinationView(state.scenario, region: region))
  }

  /// The words that place a finding in `region`: its name, its sites' names and their areas.
  func regionWords(_ region: String) -> [String] {
    let sites = guidance.catalog.sites.filter { $0.region == region }
    let words = [region, vocabulary.regions.label(region)] + sites.map(\.name) + sites.flatMap(\.areas)
    return words.map { $0.lowercased().replacingOccurrences(of: "-", with: " ") }
  }

  func examinationView(_ scenario: Case, region: String? = nil) -> String {
    guard let exam = scenario.examination else { return "You examine the patient: nothing of note." }
    let build = guidance.config.build(of: exam)
    var lines = [style.paint("Examination", .bold)]
    lines.append(String(format: "  height %.0f cm, weight %.0f kg: BMI %.1f (%@ build)", exam.heightCm, exam.weightKg,
                        exam.bmi, build.rawValue))
    let alignment = exam.alignment.map { vocabulary.alignmentFindings.label($0).lowercased() }
    lines.append("  spine: " + (alignment.isEmpty ? "straight, no rotation" : alignment.joined(separator: ", ")))
    if let circumference = exam.forearmCircumferenceCm {
      lines.append(String(format: "  forearm: circumference %.1f cm", circumference)
        + (exam.forearmLengthCm.map { String(format: ", length %.1f cm", $0) } ?? ""))
    }
    let words = region.map(regionWords)
    let findings = exam.findings.filter { finding in
      words.map { $0.contains { finding.lowercased().contains($0) } } ?? true
    }
    for finding in findings { lines.append(style.wrap(finding, indent: "    ", first: "  - ")) }
    if let region, findings.isEmpty { lines.append("  nothing of note over the \(vocabulary.regions.label(region).lowercased())") }
    return lines.joined(separator: "\n")
  }

  func decide(_ arguments: [String]) -> Reply {
    guard var state = current else { return Reply("No case is open.") }
    guard let raw = arguments.first else { return Reply("Usage: decide needle|defer|refer|decline [TARGET]") }
    guard let decision = Decision(rawValue: raw.lowercased()) else {
      let guess = Suggestions.closest(to: raw, in: Decision.allCases.map(\.rawValue))
      return Reply("\"\(raw)\" is not a decision." + (guess.map { " Did you mean `decide \($0)`?" } ?? "")
                   + " Choose needle, defer, refer or decline.")
    }
    state.plan.decision = decision
    state.plan.referTo = nil
    var text = "Decision: \(decision.rawValue)."
    if decision == .refer {
      if let target = arguments.dropFirst().first?.lowercased() {
        guard vocabulary.referralTargets.contains(target) else {
          let guess = Suggestions.closest(to: target, in: vocabulary.referralTargets.ids)
          current = state
          return Reply("Decision: refer. \"\(target)\" is not a referral target"
                       + (guess.map { " (did you mean `\($0)`?)" } ?? "") + "; targets: "
                       + vocabulary.referralTargets.ids.joined(separator: ", ") + ".")
        }
        state.plan.referTo = target
        text = "Decision: refer to \(vocabulary.referralTargets.label(target).lowercased())."
      } else {
        text += " Say to whom with `decide refer TARGET` (" + vocabulary.referralTargets.ids.joined(separator: ", ") + ")."
      }
    }
    if decision != .needle, !state.plan.sites.isEmpty || !state.plan.precautions.isEmpty {
      text += " (Sites and precautions are only scored when you needle.)"
    }
    current = state
    return Reply(text)
  }

  func precaution(_ arguments: [String]) -> Reply {
    guard var state = current else { return Reply("No case is open.") }
    guard let action = arguments.first?.lowercased(), action == "add" || action == "remove", arguments.count > 1
    else {
      return Reply("Usage: precaution add|remove ID… (`precautions` lists them).")
    }
    var lines: [String] = []
    for raw in arguments.dropFirst() {
      let id = raw.lowercased()
      guard let precaution = guidance.catalog.precaution(id) else {
        let guess = Suggestions.closest(to: id, in: guidance.catalog.precautionIDs)
        lines.append("No precaution \"\(raw)\"." + (guess.map { " Did you mean \($0)?" } ?? ""))
        continue
      }
      if action == "add" {
        if state.plan.precautions.contains(id) {
          lines.append("Already in your plan: \(precaution.label).")
        } else {
          state.plan.precautions.append(id)
          lines.append("Added: \(precaution.label).")
        }
      } else if let index = state.plan.precautions.firstIndex(of: id) {
        state.plan.precautions.remove(at: index)
        lines.append("Removed: \(precaution.label).")
      } else {
        lines.append("Not in your plan: \(precaution.label).")
      }
    }
    current = state
    return Reply(lines.joined(separator: "\n"))
  }

  /// Reads `SITE [left|right]` from words, accepting ids, aliases and multi-word names.
  func parseSite(_ arguments: [String]) -> Result<(Site, Side?), SiteInputError> {
    var words = arguments
    var side: Side?
    if let last = words.last?.lowercased(), let parsed = Side(rawValue: last), parsed != .both {
      side = parsed
      words.removeLast()
    }
    guard !words.isEmpty else { return .failure(.missing) }
    let text = words.joined(separator: " ")
    guard let site = guidance.catalog.resolveSite(text) else {
      return .failure(.unknown(text, Suggestions.closest(to: text, in: guidance.catalog.siteIDs)))
    }
    return .success((site, side))
  }

  enum SiteInputError: Error {
    case missing
    case unknown(String, String?)

    var message: String {
      switch self {
      case .missing: return "Name a site, e.g. `treat upper-trapezius left` (`sites` lists them)."
      case .unknown(let text, let guess):
        return "No site \"\(text)\"." + (guess.map { " Did you mean \($0)?" } ?? "") + " `sites all` lists every site."
      }
    }
  }

  /// Takes the technique words (`30mm`, an approach, a position) off the end of `arguments`.
  func technique(_ arguments: [String]) -> (rest: [String], needle: Int?, approach: String?, position: String?, error: String?) {
    let vocabulary = guidance.catalog.vocabulary
    var words = arguments
    var needle: Int?
    var approach: String?
    var position: String?
    while let last = words.last?.lowercased() {
      if last.hasSuffix("mm"), let length = Int(last.dropLast(2)) {
        guard vocabulary.needleLengths.contains(length) else {
          let lengths = vocabulary.needleLengths.map { "\($0)mm" }.joined(separator: ", ")
          return (words, nil, nil, nil, "\(length) mm is not a standard needle length: \(lengths).")
        }
        needle = length
      } else if vocabulary.approaches.contains(last) {
        approach = last
      } else if vocabulary.positions.contains(last) {
        position = last
      } else {
        break
      }
      words.removeLast()
    }
    return (words, needle, approach, position, nil)
  }

  func treat(_ arguments: [String]) -> Reply {
    guard var state = current else { return Reply("No case is open.") }
    let how = technique(arguments)
    if let error = how.error { return Reply(error) }
    switch parseSite(how.rest) {
    case .failure(let error): return Reply(error.message)
    case .success(let (site, side)):
      if site.sided, side == nil { return Reply("\(site.name) has two sides: `treat \(site.id) left` or `right`.") }
      if !site.sided, side != nil { return Reply("\(site.name) has no sides: `treat \(site.id)`.") }
      let choice = SiteChoice(site: site.id, side: side, needle: how.needle, approach: how.approach, position: how.position)
      // Treating a site again changes how it is needled.
      if let index = state.plan.sites.firstIndex(where: { $0.isSameSite(as: choice) }) {
        if choice.technique == nil { return Reply("Already in your plan: \(choice).") }
        state.plan.sites[index] = choice
        current = state
        return Reply("Changed: \(site.name)\(side.map { " (\($0.rawValue))" } ?? "") — \(choice.technique ?? "").")
      }
      state.plan.sites.append(choice)
      current = state
      var text = "Added site: \(site.name)\(side.map { " (\($0.rawValue))" } ?? "")"
        + (choice.technique.map { " — \($0)" } ?? "") + "."
      if state.plan.decision != .needle { text += " (Sites count only if you `decide needle`.)" }
      return Reply(text)
    }
  }

  /// `position PRONE…`: the patient's position for the session.
  func setPosition(_ arguments: [String]) -> Reply {
    guard var state = current else { return Reply("No case is open.") }
    let positions = guidance.catalog.vocabulary.positions
    guard let word = arguments.first?.lowercased(), arguments.count == 1, positions.contains(word) else {
      return Reply("Choose a position: \(positions.ids.joined(separator: ", ")). Example: `position side-lying-left`.")
    }
    state.plan.position = word
    current = state
    return Reply("Position: \(positions.label(word).lowercased()).")
  }

  func untreat(_ arguments: [String]) -> Reply {
    guard var state = current else { return Reply("No case is open.") }
    switch parseSite(arguments) {
    case .failure(let error): return Reply(error.message)
    case .success(let (site, side)):
      let before = state.plan.sites.count
      state.plan.sites.removeAll { $0.site == site.id && (side == nil || $0.side == side) }
      current = state
      return Reply(before == state.plan.sites.count ? "\(site.name) is not in your plan."
                   : "Removed site: \(site.name)\(side.map { " (\($0.rawValue))" } ?? "").")
    }
  }
}
