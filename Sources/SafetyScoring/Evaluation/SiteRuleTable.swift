import ScenarioKit

/// Which rule forbids, and which asks for care at, every catalogue site on every side for one case. Batch grading
/// works it out once per case: otherwise each chosen site of each plan is matched against every site rule twice.
final class SiteRuleTable: Sendable {
  private let forbidding: [SharedRule?]
  private let caution: [SharedRule?]
  /// Whether each entry was worked out: only the sides a plan can choose are (left and right for a paired site,
  /// none for another); any other is looked up when asked.
  private let known: [Bool]
  private let expected: Expected
  private let facts: PatientFacts

  init(expected: Expected, facts: PatientFacts, sites: [SharedSite]) {
    self.expected = expected
    self.facts = facts
    let count = sites.count * Self.sides
    var forbidding = [SharedRule?](repeating: nil, count: count)
    var caution = [SharedRule?](repeating: nil, count: count)
    var known = [Bool](repeating: false, count: count)
    if !expected.sharedSiteRules.isEmpty {
      for shared in sites {
        for side in shared.site.sided ? [Side.left, .right] : [nil] {
          let entry = Self.entry(shared, side)
          forbidding[entry] = expected.forbidding(shared, side: side, facts: facts)
          caution[entry] = expected.caution(shared, side: side, facts: facts)
          known[entry] = true
        }
      }
    } else {
      // No site rules: nothing forbids or cautions any site on any side.
      known = [Bool](repeating: true, count: count)
    }
    self.forbidding = forbidding
    self.caution = caution
    self.known = known
  }

  /// The rule that forbids `resolved` for this case, if any (the most severe).
  func forbidding(_ resolved: ResolvedSite) -> SharedRule? {
    let entry = Self.entry(resolved.shared, resolved.choice.side)
    if known[entry] { return forbidding[entry] }
    return expected.forbidding(resolved.shared, side: resolved.choice.side, facts: facts)
  }

  /// The rule that asks for care at `resolved` for this case, if any.
  func caution(_ resolved: ResolvedSite) -> SharedRule? {
    let entry = Self.entry(resolved.shared, resolved.choice.side)
    if known[entry] { return caution[entry] }
    return expected.caution(resolved.shared, side: resolved.choice.side, facts: facts)
  }

  /// Each site's entries, one for each `Side?.code`.
  private static let sides = 4

  private static func entry(_ shared: SharedSite, _ side: Side?) -> Int { shared.index * sides + side.code }
}

extension Expected {
  /// The rule that forbids `resolved` for a patient with `facts`, from `table` when there is one.
  func forbidding(_ resolved: ResolvedSite, facts: PatientFacts, table: SiteRuleTable?) -> SharedRule? {
    if let table { return table.forbidding(resolved) }
    return forbidding(resolved.shared, side: resolved.choice.side, facts: facts)
  }

  /// The rule that asks for care at `resolved` for a patient with `facts`, from `table` when there is one.
  func caution(_ resolved: ResolvedSite, facts: PatientFacts, table: SiteRuleTable?) -> SharedRule? {
    if let table { return table.caution(resolved) }
    return caution(resolved.shared, side: resolved.choice.side, facts: facts)
  }
}
