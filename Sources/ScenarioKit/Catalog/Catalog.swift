import YAMLReading
import Foundation

/// One coded value of the vocabulary: a condition, a medication class, a screening topic…
public struct CodeEntry: Sendable, Equatable {
  public var id: String
  public var label: String
  /// The reference item (AC-xx, RC-xx, PR-xx) that gives the code its meaning, if any.
  public var ref: String?
  /// For conditions: whether the fact sits somewhere on the body (and so carries side, regions, areas).
  public var local: Bool
  /// For screening topics: the question a practitioner asks.
  public var ask: String?
  /// For limb regions: the trunk regions on the same side that make up the limb's quadrant (its lymphatic territory).
  public var quadrant: [String]

  public init(
    id: String, label: String, ref: String? = nil, local: Bool = false, ask: String? = nil, quadrant: [String] = []
  ) {
    self.id = id
    self.label = label
    self.ref = ref
    self.local = local
    self.ask = ask
    self.quadrant = quadrant
  }
}

/// A list of codes of one kind, in file order, with a fast membership test.
public struct CodeList: Sendable {
  /// What the codes are, for messages: "condition code", "screening topic".
  public let kind: String
  public let entries: [CodeEntry]
  private let index: [String: Int]

  public init(kind: String, entries: [CodeEntry]) {
    self.kind = kind
    self.entries = entries
    index = firstPositions(entries.map(\.id))
  }

  public var ids: [String] { entries.map(\.id) }
  public func contains(_ id: String) -> Bool { index[id] != nil }
  public func entry(_ id: String) -> CodeEntry? { index[id].map { entries[$0] } }
  public func label(_ id: String) -> String { entry(id)?.label ?? id }

  /// Reports `code` if it is not in the list, with a suggestion; returns whether it is valid.
  @discardableResult
  public func check(_ code: Located<String>, bag: DiagnosticBag) -> Bool {
    if contains(code.value) { return true }
    bag.error("unknown \(kind) \"\(code.value)\"\(Suggestions.hint(for: code.value, in: ids))", at: code.position)
    return false
  }
}

/// The coded vocabulary that case files and rules are written in (`Scoring/vocabulary.yaml`).
public struct Vocabulary: Sendable {
  public var regions: CodeList
  public var areas: CodeList
  public var hazards: CodeList
  public var conditions: CodeList
  public var medicationClasses: CodeList
  public var allergyKinds: CodeList
  public var skinFindings: CodeList
  public var reactionKinds: CodeList
  public var redFlags: CodeList
  /// Each red flag's urgency, referral targets and sources, by flag id.
  public var redFlagTriage: [String: RedFlagTriage]
  public var anxietyLevels: CodeList
  /// The practitioner's training level: entry or advanced.
  public var practitionerLevels: CodeList
  /// Patient positions, needle approaches and the standard needle lengths (mm) a plan may choose.
  public var positions: CodeList
  public var approaches: CodeList
  public var needleLengths: [Int]
  /// What examining the spine can show: scoliosis, kyphosis, rotation.
  public var alignmentFindings: CodeList
  public var needleFearLevels: CodeList
  public var sexes: CodeList
  public var capacityLevels: CodeList
  public var screeningTopics: CodeList
  public var decisions: CodeList
  public var referralTargets: CodeList
}

/// A needling site: a muscle or region, what lies beneath it, and the technique it needs. A class, like `Rule`: graded
/// plans pass their sites around, and a reference is copied with one retain.
public final class Site: Sendable, Equatable {
  public let id: String
  public let name: String
  public let aliases: [String]
  public let region: String
  public let areas: [String]
  public let sided: Bool
  /// Structures a needle can injure here (vocabulary hazards): those dry-needling guidance names (reference §4) and
  /// those standard anatomy places beneath or beside the site.
  public let hazards: [String]
  /// What standard anatomy places beneath or beside the site, apart from dry-needling guidance claims.
  public let anatomy: SiteAnatomy
  /// Excluded from entry-level dry-needling training: only an advanced practitioner needles it.
  public let advanced: Bool
  /// How the site is needled safely.
  public let technique: SiteTechnique
  /// Whether bleeding here can be stopped by pressing on it.
  public let compressible: Bool
  /// Whether the muscle lies beneath another muscle layer, so reaching it takes deep needling (standard anatomy).
  public let deep: Bool
  /// Whether the site overlies the lung or pleura.
  public let thorax: Bool
  /// Whether the reference lists the area to avoid in pregnancy.
  public let pregnancyCaution: Bool
  /// Technique precautions this site needs (precaution ids).
  public let precautions: [String]
  public let refs: [String]
  public let sources: [String]
  public let note: String

  public init(
    id: String, name: String, aliases: [String], region: String, areas: [String], sided: Bool, hazards: [String],
    compressible: Bool, deep: Bool = false, thorax: Bool, pregnancyCaution: Bool, precautions: [String], refs: [String],
    sources: [String], note: String, anatomy: SiteAnatomy = SiteAnatomy(), advanced: Bool = false,
    technique: SiteTechnique = SiteTechnique()
  ) {
    self.technique = technique
    self.id = id
    self.name = name
    self.aliases = aliases
    self.region = region
    self.areas = areas
    self.sided = sided
    self.hazards = hazards
    self.compressible = compressible
    self.deep = deep
    self.thorax = thorax
    self.pregnancyCaution = pregnancyCaution
    self.precautions = precautions
    self.refs = refs
    self.sources = sources
    self.note = note
    self.anatomy = anatomy
    self.advanced = advanced
  }

  /// Sites are told apart by id: a catalogue holds each once.
  public static func == (lhs: Site, rhs: Site) -> Bool { lhs.id == rhs.id }
}

/// A needle length by forearm size: up to `circumferenceCm` around, `needle` mm; above it, `largerNeedle` mm.
public struct ForearmNeedle: Sendable, Equatable {
  public var circumferenceCm: Double
  public var needle: Int
  public var largerNeedle: Int
}

/// How a site is needled safely: positions with a margin, the longest needle that stays clear of lung or spinal
/// canal for each build (where a source gives a figure), and the approaches acceptable over the hazard.
public struct SiteTechnique: Sendable, Equatable {
  public var positions: [String]
  /// Build → longest safe needle (mm); empty where no figure exists.
  public var maxNeedleMm: [Build: Int]
  /// Approaches acceptable over the hazard; empty where any is.
  public var approaches: [String]
  /// Needle length by forearm circumference ([S13]).
  public var forearm: ForearmNeedle?
  public var basis: String
  public var sources: [String]

  /// The needle for a forearm of `circumference` cm, where the site has forearm data.
  public func forearmNeedle(circumference: Double?) -> Int? {
    guard let forearm, let circumference else { return nil }
    return circumference <= forearm.circumferenceCm ? forearm.needle : forearm.largerNeedle
  }

  public init(
    positions: [String] = [], maxNeedleMm: [Build: Int] = [:], approaches: [String] = [], basis: String = "",
    sources: [String] = []
  ) {
    self.positions = positions
    self.maxNeedleMm = maxNeedleMm
    self.approaches = approaches
    self.basis = basis
    self.sources = sources
  }

  /// The longest safe needle for `build` (the thin build's when the build is unknown), if a figure exists.
  public func maxNeedle(for build: Build?) -> Int? { maxNeedleMm[build ?? .thin] ?? maxNeedleMm.values.min() }

  /// The longest needle that stays clear here for a patient of `build` (or, at the forearm, of this circumference).
  public func longestNeedle(build: Build?, forearmCircumference: Double?) -> Int? {
    maxNeedle(for: build) ?? forearmNeedle(circumference: forearmCircumference)
  }
}

/// What standard anatomy (not dry-needling guidance) places at a site, with its sources.
public struct SiteAnatomy: Sendable, Equatable {
  /// Hazards anatomy adds (vocabulary hazards), beyond those the guidance names.
  public var hazards: [String]
  /// What lies beneath or beside the site, in a sentence.
  public var beneath: String
  public var sources: [String]

  public init(hazards: [String] = [], beneath: String = "", sources: [String] = []) {
    self.hazards = hazards
    self.beneath = beneath
    self.sources = sources
  }
}

/// A precaution a practitioner can choose for a plan.
public struct Precaution: Sendable, Equatable {
  public var id: String
  public var group: String
  public var label: String
  public var description: String
  public var refs: [String]
  public var sources: [String]
  /// The reference marks it unverified ([U]); it is never required by a scored rule.
  public var unverified: Bool
  /// Good practice that is always safe (hand hygiene, lying down, counting needles…): choosing it is never marked
  /// unnecessary. Any other precaution chosen where nothing calls for it is shown as not needed, at minor cost.
  public var goodPractice: Bool = false
}

/// A numbered source of the safety reference.
public struct Source: Sendable, Equatable {
  public var id: String
  public var short: String
  public var citation: String
  public var evidence: String
}

/// An item of the safety reference (AC-xx, RC-xx, PR-xx, D-xx).
public struct Reference: Sendable, Equatable {
  public var id: String
  public var title: String
  public var summary: String
  public var sources: [String]
  public var unverified: Bool
}

/// Everything in `Scoring/` that describes the world (not the rules): vocabulary, sites, precautions, sources.
public struct Catalog: Sendable {
  public var vocabulary: Vocabulary
  public var sites: [Site]
  public var precautionGroups: [String]
  public var precautions: [Precaution]
  public var sources: [Source]
  public var references: [Reference]
  /// The adverse events of `Scoring/events.yaml` and the actions a student can respond with (set when the guidance
  /// loads them, so plans and cases that name them can be checked).
  public var events = CodeList(kind: "event", entries: [])
  public var responseActions = CodeList(kind: "response action", entries: [])

  private let siteIndex: [String: Int]
  private var aliasIndex: [String: Int] = [:]
  private let precautionIndex: [String: Int]
  private var sourceIndex: [String: Int] = [:]
  private var referenceIndex: [String: Int] = [:]

  public init(
    vocabulary: Vocabulary, sites: [Site], precautionGroups: [String], precautions: [Precaution],
    sources: [Source], references: [Reference]
  ) {
    self.vocabulary = vocabulary
    self.sites = sites
    self.precautionGroups = precautionGroups
    self.precautions = precautions
    self.sources = sources
    self.references = references
    siteIndex = firstPositions(sites.map(\.id))
    precautionIndex = firstPositions(precautions.map(\.id))
    for (i, site) in sites.enumerated() {
      for alias in site.aliases where aliasIndex[alias.lowercased()] == nil { aliasIndex[alias.lowercased()] = i }
    }
    for (i, s) in sources.enumerated() where sourceIndex[s.id] == nil { sourceIndex[s.id] = i }
    for (i, r) in references.enumerated() where referenceIndex[r.id] == nil { referenceIndex[r.id] = i }
  }

  public func site(_ id: String) -> Site? { siteIndex[id].map { sites[$0] } }
  public func precaution(_ id: String) -> Precaution? { precautionIndex[id].map { precautions[$0] } }
  public func source(_ id: String) -> Source? { sourceIndex[id].map { sources[$0] } }
  public func reference(_ id: String) -> Reference? { referenceIndex[id].map { references[$0] } }

  /// Finds a site by id, alias or display name, as a student might type it.
  public func resolveSite(_ text: String) -> Site? {
    let key = text.lowercased().trimmingCharacters(in: .whitespaces)
    if let site = site(key) { return site }
    let dashed = key.replacingOccurrences(of: " ", with: "-")
    if let site = site(dashed) { return site }
    if let i = aliasIndex[key] { return sites[i] }
    return sites.first { $0.name.lowercased() == key }
  }

  public var siteIDs: [String] { sites.map(\.id) }
  public var precautionIDs: [String] { precautions.map(\.id) }

  /// The site `id`, or nil after reporting it with a suggestion.
  @discardableResult
  public func checkSite(_ id: Located<String>, bag: DiagnosticBag) -> Site? {
    if let site = site(id.value) { return site }
    let guess = resolveSite(id.value)?.id ?? Suggestions.closest(to: id.value, in: siteIDs)
    bag.error("unknown site \"\(id.value)\"\(guess.map { " (did you mean \"\($0)\"?)" } ?? "")", at: id.position)
    return nil
  }

  /// Whether precaution `id` exists, reporting it with a suggestion when not.
  @discardableResult
  public func checkPrecaution(_ id: Located<String>, bag: DiagnosticBag) -> Bool {
    if precautionIndex[id.value] != nil { return true }
    bag.error(
      "unknown precaution \"\(id.value)\"\(Suggestions.hint(for: id.value, in: precautionIDs))", at: id.position)
    return false
  }

  @discardableResult
  public func checkSource(_ id: Located<String>, bag: DiagnosticBag) -> Bool {
    if source(id.value) != nil { return true }
    bag.error(
      "unknown source \"\(id.value)\"\(Suggestions.hint(for: id.value, in: sources.map(\.id)))", at: id.position)
    return false
  }

  @discardableResult
  public func checkReference(_ id: Located<String>, bag: DiagnosticBag) -> Bool {
    if reference(id.value) != nil { return true }
    bag.error(
      "unknown reference \"\(id.value)\"\(Suggestions.hint(for: id.value, in: references.map(\.id)))",
      at: id.position)
    return false
  }
}

/// Where each id first appears in `ids` (later duplicates are reported by the loaders).
private func firstPositions(_ ids: [String]) -> [String: Int] {
  Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
}
