import ScenarioKit

/// A numeric test such as `{gte: 12, lte: 55}`; every bound given must hold.
public struct NumberTest: Sendable, Equatable {
  public var lt: Double?
  public var lte: Double?
  public var gt: Double?
  public var gte: Double?
  public var eq: Double?

  public func matches(_ value: Double) -> Bool {
    if let lt, !(value < lt) { return false }
    if let lte, !(value <= lte) { return false }
    if let gt, !(value > gt) { return false }
    if let gte, !(value >= gte) { return false }
    if let eq, value != eq { return false }
    return true
  }
}

/// A test of the patient's consent facts; every field given must match.
public struct ConsentTest: Sendable, Equatable {
  public var willing: Bool?
  public var capacity: Set<String>?
  public var interpreterNeeded: Bool?
  public var interpreterAvailable: Bool?
  public var guardianConsent: Bool?
  public var assent: Bool?

  func matches(_ consent: Consent) -> Bool {
    if let willing, consent.willing != willing { return false }
    if let capacity, !capacity.contains(consent.capacity) { return false }
    if let interpreterNeeded, consent.interpreterNeeded != interpreterNeeded { return false }
    if let interpreterAvailable, consent.interpreterAvailable != interpreterAvailable { return false }
    if let guardianConsent, consent.guardianConsent != guardianConsent { return false }
    if let assent, consent.assent != assent { return false }
    return true
  }
}

/// A test of the practitioner's authorisation and scope; every field given must match.
public struct PractitionerTest: Sendable, Equatable {
  public var authorised: Bool?
  public var paediatric: Bool?
  /// True when the practitioner's training covers only some regions.
  public var restricted: Bool?
  /// The practitioner's training level is one of these (the profile's level unless the case sets one).
  public var level: Set<String>?

  func matches(_ practitioner: Practitioner) -> Bool {
    if let authorised, practitioner.authorised != authorised { return false }
    if let paediatric, practitioner.paediatric != paediatric { return false }
    if let restricted, (practitioner.trainedRegions != nil) != restricted { return false }
    if let level, !level.contains(practitioner.level ?? "") { return false }
    return true
  }
}

/// When a rule applies: a small, readable language over the patient's facts and the chosen sites.
public indirect enum Condition: Sendable, Equatable {
  case always
  case all([Condition])
  case any([Condition])
  case not(Condition)
  case condition(Set<String>)
  case medication(Set<String>)
  case allergy(Set<String>)
  case skin(Set<String>)
  case reaction(Set<String>)
  /// nil: any red flag at all.
  case redFlag(Set<String>?)
  case anxiety(Set<String>)
  case needleFear(Set<String>)
  case sex(Set<String>)
  case age(NumberTest)
  case pregnancyWeeks(NumberTest)
  case hoursSinceMeal(NumberTest)
  case pregnant(Bool)
  case previousNeedling(Bool)
  case consent(ConsentTest)
  case practitioner(PractitionerTest)
  /// True: the patient is younger than the jurisdiction's age of consent to treatment.
  case minor(Bool)
  case chosenSite(SiteSelector)
  case thoraxBothSides(Bool)
  /// The build the examination shows (thin, average, obese).
  case build(Set<String>)
  /// How many sites the plan needles.
  case siteCount(NumberTest)
  /// The plan chose one of these precautions (event likelihoods only).
  case precautionChosen(Set<String>)

  /// Whether evaluating the condition needs the plan.
  public var dependsOnPlan: Bool {
    switch self {
    case .chosenSite, .thoraxBothSides, .siteCount, .precautionChosen: return true
    case .all(let items), .any(let items): return items.contains { $0.dependsOnPlan }
    case .not(let inner): return inner.dependsOnPlan
    default: return false
    }
  }

  /// Whether the rule applies to every patient.
  public var isAlways: Bool {
    if case .always = self { return true }
    return false
  }
}
