import YAMLReading
/// Left or right. Facts may also sit on both sides.
public enum Side: String, Sendable, Codable, CaseIterable {
  case left, right, both
}

/// A site chosen (or offered) for needling: a site id and, for paired sites, a side; in a plan, also how it is
/// needled (needle length, approach, and a position when it differs from the session's).
public struct SiteChoice: Sendable, Hashable, Codable, CustomStringConvertible {
  public var site: String
  public var side: Side?
  /// Needle length in millimetres, from the vocabulary's standard set.
  public var needle: Int?
  /// The approach (vocabulary code): perpendicular, oblique, tangential, bracketed, toward-bone.
  public var approach: String?
  /// The patient's position for this site, when it differs from the plan's.
  public var position: String?

  public init(site: String, side: Side? = nil, needle: Int? = nil, approach: String? = nil, position: String? = nil) {
    self.site = site
    self.side = side
    self.needle = needle
    self.approach = approach
    self.position = position
  }

  /// `upper-trapezius left`, as typed in the REPL and shown in debriefs: the site, not how it is needled.
  public var description: String { side.map { "\(site) \($0.rawValue)" } ?? site }

  /// `30mm tangential, side-lying-left`: how the site is needled, or nil when nothing is stated.
  public var technique: String? {
    let parts = [needle.map { "\($0)mm" }, approach, position].compactMap { $0 }
    return parts.isEmpty ? nil : parts.joined(separator: " ")
  }

  /// The same site and side (whatever the technique).
  public func isSameSite(as other: SiteChoice) -> Bool { site == other.site && side == other.side }
}

/// A coded fact that sits somewhere on the body: a condition, a skin finding.
public struct LocalFact: Sendable, Equatable {
  public var code: String
  public var side: Side?
  public var regions: [String]
  public var areas: [String]
  public var note: String?

  public init(code: String, side: Side? = nil, regions: [String] = [], areas: [String] = [], note: String? = nil) {
    self.code = code
    self.side = side
    self.regions = regions
    self.areas = areas
    self.note = note
  }
}

public struct Medication: Sendable, Equatable {
  public var name: String
  public var drugClass: String
  public var dose: String?

  public init(name: String, drugClass: String, dose: String? = nil) {
    self.name = name
    self.drugClass = drugClass
    self.dose = dose
  }
}

public struct Allergy: Sendable, Equatable {
  public var kind: String
  public var reaction: String?

  public init(kind: String, reaction: String? = nil) {
    self.kind = kind
    self.reaction = reaction
  }
}

public struct PreviousReaction: Sendable, Equatable {
  public var kind: String
  public var note: String?
}

/// What the patient can consent to.
public struct Consent: Sendable, Equatable {
  public var capacity: String = "full"
  public var willing: Bool = true
  public var interpreterNeeded: Bool = false
  public var interpreterAvailable: Bool = false
  public var guardianConsent: Bool = false
  public var assent: Bool = false
  public init() {}
}

/// The practitioner the student plays: authorisation and the regions their training covers.
public struct Practitioner: Sendable, Equatable {
  public var authorised: Bool = true
  public var paediatric: Bool = false
  /// nil: trained for every region.
  public var trainedRegions: [String]?
  /// The practitioner's training level (a vocabulary code). nil in a case file: the level of the grading profile.
  public var level: String?
  public init() {}
}

/// The coded facts of a case. Never shown to the student; they drive scoring.
public struct PatientFacts: Sendable, Equatable {
  public var age: Int
  public var sex: String
  /// The age from which the patient may consent to treatment alone: not a case fact but the grading profile's
  /// jurisdiction, set when the case is graded (18 until then).
  public var ageOfConsent = 18
  /// The build the case's examination shows (set when the case is graded); nil when there is no examination.
  public var build: Build?
  /// The forearm circumference the examination measured, for needle length at forearm sites.
  public var forearmCircumferenceCm: Double?
  public var conditions: [LocalFact] = []
  public var medications: [Medication] = []
  public var allergies: [Allergy] = []
  public var anxiety: String = "none"
  public var needleFear: String = "none"
  public var pregnancyWeeks: Int?
  public var skin: [LocalFact] = []
  public var consent = Consent()
  public var redFlags: [String] = []
  public var hoursSinceMeal: Double?
  public var previousReactions: [PreviousReaction] = []
  public var previousNeedling: Bool = false
  public var practitioner = Practitioner()

  public init(age: Int, sex: String) {
    self.age = age
    self.sex = sex
  }
}

/// A plan a case expects to fail, with the rule it must fail on (the rustlings-style self-check).
public struct UnsafePlan: Sendable {
  public var name: String
  public var violates: Located<String>
  public var plan: Plan
  public var position: Position
}

/// A teaching case: what the student reads, the patient's coded facts, and what they say when asked.
public struct Case: Sendable {
  public var id: String
  public var title: String
  public var version: Int
  public var difficulty: String
  public var tags: [String]
  public var objectives: [String]
  public var patientName: String
  public var occupation: String
  public var complaint: String
  public var history: String
  public var facts: PatientFacts
  /// Screening topic → the patient's answer.
  public var interview: [String: String]
  public var candidateSites: [SiteChoice]
  public var unsafePlans: [UnsafePlan]
  /// What examining the patient shows; nil when the case gives none.
  public var examination: Examination?
  /// Events the case scripts for teaching (they happen whatever the seed, unless events are off).
  public var events: [ScriptedEvent]
  /// The template this case is a variant of (a case with `parameters`); nil for a fixed case.
  public var template: CaseTemplate?
  /// Which variant this is (the seed and the values drawn); nil for a fixed case.
  public var variant: Variant?
  /// Where the case was read from, as shown in messages.
  public var path: String
  /// Where the case's `id` is written, for messages about the case as a whole.
  public var idPosition: Position
  /// `sha256:` and the hex digest of the file's bytes: identifies exactly what was graded.
  public var revision: String

  public init(
    id: String, title: String, version: Int, difficulty: String, tags: [String], objectives: [String],
    patientName: String, occupation: String, complaint: String, history: String, facts: PatientFacts,
    interview: [String: String], candidateSites: [SiteChoice], unsafePlans: [UnsafePlan], path: String,
    idPosition: Position, revision: String, examination: Examination? = nil, events: [ScriptedEvent] = []
  ) {
    self.examination = examination
    self.events = events
    self.id = id
    self.title = title
    self.version = version
    self.difficulty = difficulty
    self.tags = tags
    self.objectives = objectives
    self.patientName = patientName
    self.occupation = occupation
    self.complaint = complaint
    self.history = history
    self.facts = facts
    self.interview = interview
    self.candidateSites = candidateSites
    self.unsafePlans = unsafePlans
    self.path = path
    self.idPosition = idPosition
    self.revision = revision
  }

  /// The difficulty levels, easiest first.
  public static let difficulties = ["introductory", "intermediate", "advanced"]
}
