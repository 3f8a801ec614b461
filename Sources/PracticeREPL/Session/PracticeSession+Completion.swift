import SafetyScoring
import ScenarioKit

/// Context-aware tab completion: only what is valid at that point of the line.
extension PracticeSession {
  /// Candidates for the word being typed, given the complete words before it (`line`).
  public func completions(line: String, word: String) -> [String] {
    let before = line.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
    let candidates: [String]
    switch before.first {
    case nil:
      candidates = CommandCatalog.all.filter { !$0.needsCase || current != nil }.map(\.name)
    case "start" where before.count == 1:
      candidates = cases.map(\.id)
    case "help" where before.count == 1:
      candidates = CommandCatalog.all.map(\.name)
    case "ask" where before.count == 1:
      let asked = Set(current?.asked ?? [])
      candidates = vocabulary.screeningTopics.ids.filter { !asked.contains($0) }
    case "decide" where before.count == 1:
      candidates = Decision.allCases.map(\.rawValue)
    case "decide" where before.count == 2 && before[1] == "refer":
      candidates = vocabulary.referralTargets.ids
    case "precaution" where before.count == 1:
      candidates = ["add", "remove"]
    case "precaution" where before.count >= 2 && before[1] == "add":
      let chosen = Set(current?.plan.precautions ?? []).union(before.dropFirst(2))
      candidates = guidance.catalog.precautionIDs.filter { !chosen.contains($0) }
    case "precaution" where before.count >= 2 && before[1] == "remove":
      candidates = (current?.plan.precautions ?? []).filter { !before.dropFirst(2).contains($0) }
    case "treat" where before.count == 1:
      let candidateIDs = current?.scenario.candidateSites.map(\.site) ?? []
      let others = guidance.catalog.siteIDs.filter { !candidateIDs.contains($0) }
      // The case's candidates first; every other site once the student starts typing.
      candidates = word.isEmpty ? Ordered.unique(candidateIDs) : Ordered.unique(candidateIDs) + others
    case "treat" where before.count == 2, "untreat" where before.count == 2:
      let sided = guidance.catalog.site(before[1])?.sided == true
      candidates = sided ? ["left", "right"] : before[0] == "treat" ? techniqueWords(after: []) : []
    case "treat" where before.count >= 3:
      candidates = techniqueWords(after: Array(before.dropFirst(2)))
    case "examine" where before.count == 1:
      candidates = vocabulary.regions.ids
    case "position" where before.count == 1:
      candidates = vocabulary.positions.ids
    case "untreat" where before.count == 1:
      candidates = Ordered.unique(current?.plan.sites.map(\.site) ?? [])
    case "respond":
      let event = current?.treatment?.active?.event
      let given = Set((event.map { current?.plan.responses(to: $0) ?? [] } ?? []) + before.dropFirst())
      candidates = guidance.events.actions.ids.filter { !given.contains($0) }
    case "sites" where before.count == 1:
      candidates = ["all"]
    default:
      candidates = []
    }
    return candidates.filter { $0.hasPrefix(word.lowercased()) }
  }

  /// After a site (and side): the needle lengths, approaches and positions not yet given.
  func techniqueWords(after given: [String]) -> [String] {
    let vocabulary = guidance.catalog.vocabulary
    var words: [String] = []
    if !given.contains(where: { $0.hasSuffix("mm") }) { words += vocabulary.needleLengths.map { "\($0)mm" } }
    if !given.contains(where: vocabulary.approaches.contains) { words += vocabulary.approaches.ids }
    if !given.contains(where: vocabulary.positions.contains) { words += vocabulary.positions.ids }
    return words
  }
}

/// Order-preserving de-duplication.
enum Ordered {
  static func unique(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    return values.filter { seen.insert($0).inserted }
  }
}
