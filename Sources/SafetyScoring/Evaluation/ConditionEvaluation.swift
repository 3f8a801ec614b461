import ScenarioKit

/// A catalogue site held by reference, with the slots of its technique precautions. Every graded plan passes its
/// chosen sites around several times, and copying a `Site` value costs a retain for each of its strings and arrays.
final class SharedSite: Sendable {
  /// Where the site is in the catalogue.
  let index: Int
  let site: Site
  /// The precaution slots of `site.precautions`.
  let precautionSlots: [Int]

  init(index: Int, site: Site, precautions: Slots) {
    self.index = index
    self.site = site
    // Every site precaution has a slot: the slots are made from the catalogue and every id the sites name.
    precautionSlots = site.precautions.compactMap { precautions.index[$0] }
  }
}

extension Optional where Wrapped == Side {
  /// 0 for no side, then 1 to 3 for left, right and both: a number for tables with an entry per side.
  var code: Int {
    switch self {
    case nil: return 0
    case .left: return 1
    case .right: return 2
    case .both: return 3
    }
  }
}

/// A chosen site with its catalogue entry.
public struct ResolvedSite: Sendable {
  public var choice: SiteChoice
  let shared: SharedSite
  public var site: Site { shared.site }
}

extension Condition {
  /// Whether the condition holds for `facts` and, for plan conditions, the chosen `sites`.
  public func holds(for facts: PatientFacts, sites: [ResolvedSite]) -> Bool {
    switch self {
    case .always: return true
    case .all(let items): return items.allSatisfy { $0.holds(for: facts, sites: sites) }
    case .any(let items): return items.contains { $0.holds(for: facts, sites: sites) }
    case .not(let inner): return !inner.holds(for: facts, sites: sites)
    case .condition(let codes): return facts.conditions.contains { codes.contains($0.code) }
    case .medication(let classes): return facts.medications.contains { classes.contains($0.drugClass) }
    case .allergy(let kinds): return facts.allergies.contains { kinds.contains($0.kind) }
    case .skin(let findings): return facts.skin.contains { findings.contains($0.code) }
    case .reaction(let kinds): return facts.previousReactions.contains { kinds.contains($0.kind) }
    case .redFlag(let flags):
      guard let flags else { return !facts.redFlags.isEmpty }
      return facts.redFlags.contains(where: flags.contains)
    case .anxiety(let levels): return levels.contains(facts.anxiety)
    case .needleFear(let levels): return levels.contains(facts.needleFear)
    case .sex(let sexes): return sexes.contains(facts.sex)
    case .age(let test): return test.matches(Double(facts.age))
    case .pregnancyWeeks(let test): return facts.pregnancyWeeks.map { test.matches(Double($0)) } ?? false
    case .hoursSinceMeal(let test): return facts.hoursSinceMeal.map(test.matches) ?? false
    case .pregnant(let flag): return (facts.pregnancyWeeks != nil) == flag
    case .previousNeedling(let flag): return facts.previousNeedling == flag
    case .consent(let test): return test.matches(facts.consent)
    case .practitioner(let test): return test.matches(facts.practitioner)
    case .chosenSite(let selector):
      // A loop, not `contains`: its closure would copy the selector, and each site, for every plan graded.
      for resolved in sites where selector.matches(resolved.shared, side: resolved.choice.side, facts: facts) {
        return true
      }
      return false
    case .thoraxBothSides(let flag):
      var first: Side?
      for resolved in sites where resolved.shared.site.thorax {
        guard let side = resolved.choice.side else { continue }
        if let first, first != side { return flag }
        first = side
      }
      return !flag
    }
  }
}
