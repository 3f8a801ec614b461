import ScenarioKit

/// Which rule forbids, and which asks for care at, every catalogue site on every side for one case. Batch grading
/// works it out once per case: otherwise each chosen site of each plan is matched against every site rule twice.
final class SiteRuleTable: Sendable {
  private let forbidding: [SharedRule?]
  private let caution: [SharedRule?]

  init(expected: Expected, facts: PatientFacts, sites: [SharedSite]) {
    var forbidding: [SharedRule?] = []
    var caution: [SharedRule?] = []
    forbidding.reserveCapacity(sites.count * Self.sides.count)
    caution.reserveCapacity(sites.count * Self.sides.count)
    for shared in sites {
      for side in Self.sides {
        forbidding.append(expected.forbidding(shared.site, side: side, facts: facts))
        caution.append(expected.caution(shared.site, side: side, facts: facts))
      }
    }
    self.forbidding = forbidding
    self.caution = caution
  }

  /// The rule that forbids `resolved` for this case, if any (the most severe).
  func forbidding(_ resolved: ResolvedSite) -> SharedRule? { forbidding[Self.entry(resolved)] }

  /// The rule that asks for care at `resolved` for this case, if any.
  func caution(_ resolved: ResolvedSite) -> SharedRule? { caution[Self.entry(resolved)] }

  /// The sides in the order of each site's entries.
  private static let sides: [Side?] = [nil, .left, .right, .both]

  private static func entry(_ resolved: ResolvedSite) -> Int {
    let side: Int
    switch resolved.choice.side {
    case nil: side = 0
    case .left: side = 1
    case .right: side = 2
    case .both: side = 3
    }
    return resolved.shared.index * sides.count + side
  }
}

extension Expected {
  /// The rule that forbids `resolved` for a patient with `facts`, from `table` when there is one.
  func forbidding(_ resolved: ResolvedSite, facts: PatientFacts, table: SiteRuleTable?) -> SharedRule? {
    if let table { return table.forbidding(resolved) }
    return forbidding(resolved.shared.site, side: resolved.choice.side, facts: facts)
  }

  /// The rule that asks for care at `resolved` for a patient with `facts`, from `table` when there is one.
  func caution(_ resolved: ResolvedSite, facts: PatientFacts, table: SiteRuleTable?) -> SharedRule? {
    if let table { return table.caution(resolved) }
    return caution(resolved.shared.site, side: resolved.choice.side, facts: facts)
  }
}
