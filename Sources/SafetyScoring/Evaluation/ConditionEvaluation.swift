import ScenarioKit

/// A chosen site with its catalogue entry.
public struct ResolvedSite: Sendable {
  public var choice: SiteChoice
  public var site: Site
}

extension Condition {
  /// Whether the condition holds for `facts` and, for plan conditions, the chosen `sites` and `precautions`.
  public func holds(for facts: PatientFacts, sites: [ResolvedSite], precautions: Set<String> = []) -> Bool {
    switch self {
    case .always: return true
    case .all(let items): return items.allSatisfy { $0.holds(for: facts, sites: sites, precautions: precautions) }
    case .any(let items): return items.contains { $0.holds(for: facts, sites: sites, precautions: precautions) }
    case .not(let inner): return !inner.holds(for: facts, sites: sites, precautions: precautions)
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
    case .minor(let flag): return (facts.age < facts.ageOfConsent) == flag
    case .chosenSite(let selector):
      return sites.contains { selector.matches($0, facts: facts) }
    case .build(let builds): return facts.build.map { builds.contains($0.rawValue) } ?? false
    case .siteCount(let test): return test.matches(Double(sites.count))
    case .precautionChosen(let ids): return !ids.isDisjoint(with: precautions)
    case .thoraxBothSides(let flag):
      var thorax = ThoraxSide()
      for resolved in sites where !thorax.admits(resolved) { return flag }
      return !flag
    }
  }
}
