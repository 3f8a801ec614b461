import ScenarioKit

/// Which kind of located fact a `near` selector looks at.
public enum NearKind: String, Sendable {
  case condition, skin
}

/// A description of sites, such as "non-compressible" or "near the lymphoedematous limb".
/// Every field given must match.
public struct SiteSelector: Sendable, Equatable {
  public var sites: Set<String>?
  public var regions: Set<String>?
  public var areas: Set<String>?
  public var hazards: Set<String>?
  public var thorax: Bool?
  public var compressible: Bool?
  public var deep: Bool?
  public var advanced: Bool?
  public var pregnancyCaution: Bool?
  public var outsideTraining: Bool?
  public var near: (kind: NearKind, codes: Set<String>)?
  /// With `near … quadrant: true`: each limb region's trunk quadrant (from the vocabulary), so a site in the limb's
  /// quadrant on the same side counts as near.
  public var quadrants: [String: [String]]?
  public var any = false
  /// What the plan chose at the site (event conditions only): the patient's position, the approach, the needle length,
  /// and whether the needle is longer than the site's limit for the patient's build.
  public var positions: Set<String>?
  public var approaches: Set<String>?
  public var needle: NumberTest?
  public var needleBeyondLimit: Bool?

  public init() {}

  /// Whether the selector looks at how a site is needled, not only at the site.
  public var looksAtChoice: Bool { positions != nil || approaches != nil || needle != nil || needleBeyondLimit != nil }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.sites == rhs.sites && lhs.regions == rhs.regions && lhs.areas == rhs.areas && lhs.hazards == rhs.hazards
      && lhs.thorax == rhs.thorax && lhs.compressible == rhs.compressible && lhs.deep == rhs.deep && lhs.advanced == rhs.advanced
      && lhs.quadrants == rhs.quadrants
      && lhs.pregnancyCaution == rhs.pregnancyCaution && lhs.outsideTraining == rhs.outsideTraining
      && lhs.near?.kind == rhs.near?.kind && lhs.near?.codes == rhs.near?.codes && lhs.any == rhs.any
      && lhs.positions == rhs.positions && lhs.approaches == rhs.approaches && lhs.needle == rhs.needle
      && lhs.needleBeyondLimit == rhs.needleBeyondLimit
  }

  /// Whether a chosen site matches, including how it is needled (its position is the plan's for the site).
  public func matches(_ resolved: ResolvedSite, facts: PatientFacts) -> Bool {
    guard matches(resolved.site, side: resolved.choice.side, facts: facts) else { return false }
    let choice = resolved.choice
    if let positions, !positions.contains(choice.position ?? "") { return false }
    if let approaches, !approaches.contains(choice.approach ?? "") { return false }
    if let needle, !(choice.needle.map { needle.matches(Double($0)) } ?? false) { return false }
    if let needleBeyondLimit {
      let technique = resolved.site.technique
      let limit = technique.longestNeedle(build: facts.build, forearmCircumference: facts.forearmCircumferenceCm)
      var beyond = false
      if let length = choice.needle, let limit { beyond = length > limit }
      if beyond != needleBeyondLimit { return false }
    }
    return true
  }

  /// Whether the chosen `site` (on `side`) matches, for a patient with `facts`.
  public func matches(_ site: Site, side: Side?, facts: PatientFacts) -> Bool {
    if let sites, !sites.contains(site.id) { return false }
    if let regions, !regions.contains(site.region) { return false }
    if let areas, !site.areas.contains(where: areas.contains) { return false }
    if let hazards, !site.hazards.contains(where: hazards.contains) { return false }
    if let thorax, site.thorax != thorax { return false }
    if let compressible, site.compressible != compressible { return false }
    if let deep, site.deep != deep { return false }
    if let advanced, site.advanced != advanced { return false }
    if let pregnancyCaution, site.pregnancyCaution != pregnancyCaution { return false }
    if let outsideTraining {
      let outside = facts.practitioner.trainedRegions.map { !$0.contains(site.region) } ?? false
      if outside != outsideTraining { return false }
    }
    if let near {
      let located = near.kind == .condition ? facts.conditions : facts.skin
      let hit = located.contains { fact in
        near.codes.contains(fact.code) && Self.lies(site, side: side, near: fact, quadrants: quadrants)
      }
      if !hit { return false }
    }
    return true
  }

  /// A site lies near a fact when it is on the fact's side (or either is unsided) and in one of its regions or areas,
  /// or, with `quadrants`, in the quadrant of one of its limb regions.
  static func lies(_ site: Site, side: Side?, near fact: LocalFact, quadrants: [String: [String]]? = nil) -> Bool {
    let sameSide: Bool
    switch (fact.side, side) {
    case (nil, _), (.both, _), (_, nil): sameSide = true
    case (let a?, let b?): sameSide = a == b
    }
    guard sameSide else { return false }
    if fact.regions.contains(site.region) || site.areas.contains(where: fact.areas.contains) { return true }
    guard let quadrants else { return false }
    return fact.regions.contains { quadrants[$0]?.contains(site.region) == true }
  }
}
