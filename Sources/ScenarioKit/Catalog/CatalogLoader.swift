import YAMLReading
import Foundation

/// Loads and checks the catalogue files of a guidance folder (`Scoring/`).
public enum CatalogLoader {
  public static let vocabularyFile = "vocabulary.yaml"
  public static let sitesFile = "sites.yaml"
  public static let precautionsFile = "precautions.yaml"
  public static let sourcesFile = "sources.yaml"
  public static let referencesFile = "references.yaml"

  /// The catalogue files of a guidance folder.
  public static func files(in directory: URL) -> [URL] {
    [vocabularyFile, sitesFile, precautionsFile, sourcesFile, referencesFile].map {
      directory.appendingPathComponent($0)
    }
  }

  /// Loads the catalogue in `directory`. Returns nil when a file is missing or unreadable; diagnostics say why.
  /// Files already in `parsed` are not read again.
  public static func load(directory: URL, parsed: ParsedYAMLFiles = ParsedYAMLFiles([])) -> (Catalog?, [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    func read(_ name: String) -> (YNode?, DiagnosticBag) { parsed.read(directory.appendingPathComponent(name)) }
    let (vocabNode, vocabBag) = read(vocabularyFile)
    var redFlagSources: [Located<String>] = []
    let vocabulary = vocabNode.flatMap { readVocabulary($0, bag: vocabBag, sourceRefs: &redFlagSources) }
    let (sourcesNode, sourcesBag) = read(sourcesFile)
    let sources = sourcesNode.flatMap { readSources($0, bag: sourcesBag) } ?? []
    let (refsNode, refsBag) = read(referencesFile)
    let references = refsNode.flatMap { readReferences($0, bag: refsBag) } ?? []
    let (precNode, precBag) = read(precautionsFile)
    let precautionFile = precNode.flatMap { readPrecautions($0, bag: precBag) }
    let (sitesNode, sitesBag) = read(sitesFile)
    let sites = sitesNode.flatMap { readSites($0, bag: sitesBag) } ?? []

    var catalog: Catalog?
    if let vocabulary, let precautionFile {
      let built = Catalog(
        vocabulary: vocabulary, sites: sites.map(\.value), precautionGroups: precautionFile.groups,
        precautions: precautionFile.precautions, sources: sources.map(\.value),
        references: references.map(\.value))
      crossCheck(built, sites: sites, precautions: precautionFile, references: references,
                 sitesBag: sitesBag, precBag: precBag, refsBag: refsBag)
      for id in redFlagSources { built.checkSource(id, bag: vocabBag) }
      catalog = built
    }
    for bag in [vocabBag, sourcesBag, refsBag, precBag, sitesBag] { diagnostics += bag.diagnostics }
    let failed = [vocabNode, sourcesNode, refsNode, precNode, sitesNode].contains { $0 == nil }
    return (failed ? nil : catalog, diagnostics)
  }

  // MARK: vocabulary.yaml

  /// Reads the vocabulary; `sourceRefs` collects the red flags' source ids, checked once sources.yaml is read.
  static func readVocabulary(_ node: YNode, bag: DiagnosticBag, sourceRefs: inout [Located<String>]) -> Vocabulary? {
    let keys = [
      "version", "regions", "areas", "hazards", "conditions", "medicationClasses", "allergyKinds", "skinFindings",
      "reactionKinds", "redFlags", "anxietyLevels", "needleFearLevels", "sexes", "capacityLevels",
      "screeningTopics", "decisions", "referralTargets", "practitionerLevels", "positions", "approaches",
      "needleLengthsMm", "alignmentFindings",
    ]
    guard let map = MappingReader(node, bag: bag, context: "vocabulary", allowedKeys: keys) else { return nil }
    var triage: [String: RedFlagTriage] = [:]
    var triageRefs: [Located<String>] = []
    func list(_ key: String, kind: String, triageTargets: CodeList? = nil) -> CodeList {
      let extraKeys = triageTargets != nil ? ["urgency", "referTo", "sources"] : key == "regions" ? ["quadrant"] : []
      var entries: [CodeEntry] = []
      var seen: Set<String> = []
      for item in map.list(key, required: true) {
        var entry: CodeEntry?
        if case .scalar(let text, _) = item.kind {
          entry = CodeEntry(id: text, label: text)
        } else if let m = MappingReader(
          item, bag: bag, context: kind, allowedKeys: ["id", "label", "ref", "local", "ask"] + extraKeys)
        {
          if let id = m.string("id", required: true) {
            entry = CodeEntry(
              id: id.value, label: m.string("label")?.value ?? id.value, ref: m.string("ref")?.value,
              local: m.bool("local")?.value ?? false, ask: m.string("ask")?.value,
              quadrant: m.strings("quadrant").map(\.value))
            if let triageTargets, let read = readTriage(m, flag: id.value, targets: triageTargets, bag: bag)
            {
              triage[id.value] = read.triage
              triageRefs += read.sources
            }
          }
        }
        guard let entry else { continue }
        if !isCode(entry.id) {
          bag.error("\(kind) \"\(entry.id)\" must be lower-case kebab-case", at: item.position)
        }
        if !seen.insert(entry.id).inserted {
          bag.error("duplicate \(kind) \"\(entry.id)\"", at: item.position)
        }
        entries.append(entry)
      }
      return CodeList(kind: kind, entries: entries)
    }
    let referralTargets = list("referralTargets", kind: "referral target")
    let regions = list("regions", kind: "region")
    for entry in regions.entries {
      for region in entry.quadrant where !regions.contains(region) {
        bag.error("quadrant of region \"\(entry.id)\" names unknown region \"\(region)\"", at: node.position)
      }
    }
    let redFlags = list("redFlags", kind: "red flag", triageTargets: referralTargets)
    sourceRefs = triageRefs
    return Vocabulary(
      regions: regions, areas: list("areas", kind: "area"),
      hazards: list("hazards", kind: "hazard"), conditions: list("conditions", kind: "condition code"),
      medicationClasses: list("medicationClasses", kind: "medication class"),
      allergyKinds: list("allergyKinds", kind: "allergy kind"),
      skinFindings: list("skinFindings", kind: "skin finding"),
      reactionKinds: list("reactionKinds", kind: "reaction kind"), redFlags: redFlags,
      redFlagTriage: triage,
      anxietyLevels: list("anxietyLevels", kind: "anxiety level"),
      practitionerLevels: list("practitionerLevels", kind: "practitioner level"),
      positions: list("positions", kind: "position"), approaches: list("approaches", kind: "approach"),
      needleLengths: map.list("needleLengthsMm", required: true).compactMap {
        MappingReader.int($0, field: "needleLengthsMm", in: "vocabulary", bag: bag)?.value
      },
      alignmentFindings: list("alignmentFindings", kind: "alignment finding"),
      needleFearLevels: list("needleFearLevels", kind: "needle-fear level"), sexes: list("sexes", kind: "sex"),
      capacityLevels: list("capacityLevels", kind: "capacity level"),
      screeningTopics: list("screeningTopics", kind: "screening topic"),
      decisions: list("decisions", kind: "decision"),
      referralTargets: referralTargets)
  }

  /// A red flag's urgency, referral targets and sources; its sources are checked once sources.yaml is read.
  static func readTriage(_ m: MappingReader, flag: String, targets: CodeList, bag: DiagnosticBag)
    -> (triage: RedFlagTriage, sources: [Located<String>])?
  {
    guard let urgencyText = m.string("urgency", required: true) else { return nil }
    guard let urgency = Urgency(rawValue: urgencyText.value) else {
      let levels = Urgency.allCases.map(\.rawValue)
      bag.error("urgency of red flag \"\(flag)\" must be one of \(levels.joined(separator: ", "))\(Suggestions.hint(for: urgencyText.value, in: levels))",
                at: urgencyText.position)
      return nil
    }
    let referTo = m.strings("referTo", required: true)
    for target in referTo { targets.check(target, bag: bag) }
    let sources = m.strings("sources", required: true)
    return (RedFlagTriage(urgency: urgency, referTo: referTo.map(\.value), sources: sources.map(\.value)), sources)
  }

  /// Whether `text` is a kebab-case code (lower-case letters, digits and single hyphens).
  public static func isCode(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
    var previousHyphen = false
    for scalar in text.unicodeScalars {
      if scalar == "-" {
        if previousHyphen { return false }
        previousHyphen = true
      } else if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        previousHyphen = false
      } else {
        return false
      }
    }
    return !previousHyphen
  }

  // MARK: sources.yaml, references.yaml

  static func readSources(_ node: YNode, bag: DiagnosticBag) -> [Located<Source>]? {
    guard let map = MappingReader(node, bag: bag, context: "sources file", allowedKeys: ["sources"]) else {
      return nil
    }
    var seen: Set<String> = []
    return map.list("sources", required: true).compactMap { item in
      guard
        let m = MappingReader(
          item, bag: bag, context: "source", allowedKeys: ["id", "short", "citation", "evidence"]),
        let id = m.string("id", required: true)
      else { return nil }
      if !seen.insert(id.value).inserted { bag.error("duplicate source id \"\(id.value)\"", at: id.position) }
      let evidence = m.string("evidence", required: true)
      if let evidence, !["P", "S", "L", "U"].contains(evidence.value) {
        bag.error("evidence of source \"\(id.value)\" must be P, S, L or U", at: evidence.position)
      }
      return Located(
        Source(
          id: id.value, short: m.string("short", required: true)?.value ?? id.value,
          citation: m.string("citation", required: true)?.value ?? "", evidence: evidence?.value ?? "U"),
        at: item.position)
    }
  }

  struct LoadedReference {
    var value: Reference
    var sourceRefs: [Located<String>]
  }

  static func readReferences(_ node: YNode, bag: DiagnosticBag) -> [LoadedReference]? {
    guard let map = MappingReader(node, bag: bag, context: "references file", allowedKeys: ["references"]) else {
      return nil
    }
    var seen: Set<String> = []
    return map.list("references", required: true).compactMap { item in
      guard
        let m = MappingReader(
          item, bag: bag, context: "reference",
          allowedKeys: ["id", "title", "summary", "sources", "unverified"]),
        let id = m.string("id", required: true)
      else { return nil }
      if !seen.insert(id.value).inserted { bag.error("duplicate reference id \"\(id.value)\"", at: id.position) }
      let sources = m.strings("sources")
      return LoadedReference(
        value: Reference(
          id: id.value, title: m.string("title", required: true)?.value ?? id.value,
          summary: m.string("summary")?.value ?? "", sources: sources.map(\.value),
          unverified: m.bool("unverified")?.value ?? false),
        sourceRefs: sources)
    }
  }

  // MARK: precautions.yaml

  struct PrecautionFile {
    var groups: [String]
    var precautions: [Precaution]
    var sourceRefs: [Located<String>]
    var refRefs: [Located<String>]
  }

  static func readPrecautions(_ node: YNode, bag: DiagnosticBag) -> PrecautionFile? {
    guard
      let map = MappingReader(node, bag: bag, context: "precautions file", allowedKeys: ["groups", "precautions"])
    else { return nil }
    let groups = map.strings("groups", required: true).map(\.value)
    var seen: Set<String> = []
    var file = PrecautionFile(groups: groups, precautions: [], sourceRefs: [], refRefs: [])
    for item in map.list("precautions", required: true) {
      guard
        let m = MappingReader(
          item, bag: bag, context: "precaution",
          allowedKeys: ["id", "group", "label", "description", "refs", "sources", "unverified", "goodPractice"]),
        let id = m.string("id", required: true)
      else { continue }
      if !isCode(id.value) { bag.error("precaution id \"\(id.value)\" must be kebab-case", at: id.position) }
      if !seen.insert(id.value).inserted { bag.error("duplicate precaution id \"\(id.value)\"", at: id.position) }
      let group = m.string("group", required: true)
      if let group, !groups.contains(group.value) {
        bag.error(
          "unknown precaution group \"\(group.value)\"\(Suggestions.hint(for: group.value, in: groups))",
          at: group.position)
      }
      let sources = m.strings("sources")
      let refs = m.strings("refs")
      file.sourceRefs += sources
      file.refRefs += refs
      file.precautions.append(
        Precaution(
          id: id.value, group: group?.value ?? "", label: m.string("label", required: true)?.value ?? id.value,
          description: m.string("description", required: true)?.value ?? "", refs: refs.map(\.value),
          sources: sources.map(\.value), unverified: m.bool("unverified")?.value ?? false,
          goodPractice: m.bool("goodPractice")?.value ?? false))
    }
    return file
  }

  // MARK: sites.yaml

  struct LoadedSite {
    var value: Site
    var position: Position
    var regionRef: Located<String>?
    var areaRefs: [Located<String>]
    var hazardRefs: [Located<String>]
    var precautionRefs: [Located<String>]
    var sourceRefs: [Located<String>]
    var refRefs: [Located<String>]
    var aliasRefs: [Located<String>]
    var anatomyHazardRefs: [Located<String>] = []
    var anatomySourceRefs: [Located<String>] = []
    var techniqueRefs: (positions: [Located<String>], approaches: [Located<String>], sources: [Located<String>]) = ([], [], [])
  }

  static let siteKeys = [
    "id", "name", "aliases", "region", "areas", "sided", "hazards", "anatomy", "compressible", "deep", "thorax",
    "pregnancyCaution", "advanced", "precautions", "technique", "refs", "sources", "note",
  ]

  static func readSites(_ node: YNode, bag: DiagnosticBag) -> [LoadedSite]? {
    guard let map = MappingReader(node, bag: bag, context: "sites file", allowedKeys: ["sites"]) else { return nil }
    var seen: Set<String> = []
    return map.list("sites", required: true).compactMap { item in
      guard let m = MappingReader(item, bag: bag, context: "site", allowedKeys: siteKeys),
        let id = m.string("id", required: true)
      else { return nil }
      if !isCode(id.value) { bag.error("site id \"\(id.value)\" must be kebab-case", at: id.position) }
      if !seen.insert(id.value).inserted { bag.error("duplicate site id \"\(id.value)\"", at: id.position) }
      let region = m.string("region", required: true)
      let areas = m.strings("areas")
      let hazards = m.strings("hazards")
      let precautions = m.strings("precautions")
      let sources = m.strings("sources")
      let refs = m.strings("refs")
      let aliases = m.strings("aliases")
      // Every site states what anatomy places beneath it, even "nothing of note", so a missing row in the guidance
      // is never read as safety.
      let anatomyMap = m.mapping("anatomy", required: true, context: "anatomy", allowedKeys: ["hazards", "beneath", "sources"])
      let anatomyHazards = anatomyMap?.strings("hazards") ?? []
      let anatomySources = anatomyMap?.strings("sources", required: true) ?? []
      let anatomy = SiteAnatomy(
        hazards: anatomyHazards.map(\.value), beneath: anatomyMap?.string("beneath", required: true)?.value ?? "",
        sources: anatomySources.map(\.value))
      // Every site says how it is needled safely, or why no figure exists.
      let techniqueMap = m.mapping(
        "technique", required: true, context: "technique",
        allowedKeys: ["positions", "maxNeedleMm", "approaches", "byForearm", "basis", "sources"])
      var maxNeedle: [Build: Int] = [:]
      if let lengths = techniqueMap?.mapping(
        "maxNeedleMm", context: "maxNeedleMm", allowedKeys: Build.allCases.map(\.rawValue))
      {
        for build in Build.allCases { maxNeedle[build] = lengths.int(build.rawValue, range: 1...100)?.value }
      }
      let techniquePositions = techniqueMap?.strings("positions") ?? []
      let techniqueApproaches = techniqueMap?.strings("approaches") ?? []
      let techniqueSources = techniqueMap?.strings("sources") ?? []
      var technique = SiteTechnique(
        positions: techniquePositions.map(\.value), maxNeedleMm: maxNeedle,
        approaches: techniqueApproaches.map(\.value), basis: techniqueMap?.string("basis", required: true)?.value ?? "",
        sources: techniqueSources.map(\.value))
      if let forearm = techniqueMap?.mapping(
        "byForearm", context: "byForearm", allowedKeys: ["circumferenceAtMostCm", "needle", "largerNeedle"]),
        let limit = forearm.double("circumferenceAtMostCm", range: 10...60),
        let needle = forearm.int("needle", required: true, range: 1...100),
        let larger = forearm.int("largerNeedle", required: true, range: 1...100)
      {
        technique.forearm = ForearmNeedle(circumferenceCm: limit.value, needle: needle.value, largerNeedle: larger.value)
      }
      var allHazards = hazards.map(\.value)
      for hazard in anatomy.hazards where !allHazards.contains(hazard) { allHazards.append(hazard) }
      let site = Site(
        id: id.value, name: m.string("name", required: true)?.value ?? id.value, aliases: aliases.map(\.value),
        region: region?.value ?? "", areas: areas.map(\.value), sided: m.bool("sided")?.value ?? true,
        hazards: allHazards, compressible: m.bool("compressible")?.value ?? true,
        deep: m.bool("deep")?.value ?? false, thorax: m.bool("thorax")?.value ?? false, pregnancyCaution: m.bool("pregnancyCaution")?.value ?? false,
        precautions: precautions.map(\.value), refs: refs.map(\.value), sources: sources.map(\.value),
        note: m.string("note")?.value ?? "", anatomy: anatomy, advanced: m.bool("advanced")?.value ?? false,
        technique: technique)
      return LoadedSite(
        value: site, position: item.position, regionRef: region, areaRefs: areas, hazardRefs: hazards,
        precautionRefs: precautions, sourceRefs: sources, refRefs: refs, aliasRefs: aliases,
        anatomyHazardRefs: anatomyHazards, anatomySourceRefs: anatomySources,
        techniqueRefs: (techniquePositions, techniqueApproaches, techniqueSources))
    }
  }

  // MARK: Cross-file references

  static func crossCheck(
    _ catalog: Catalog, sites: [LoadedSite], precautions: PrecautionFile, references: [LoadedReference],
    sitesBag: DiagnosticBag, precBag: DiagnosticBag, refsBag: DiagnosticBag
  ) {
    let vocabulary = catalog.vocabulary
    var aliasOwner: [String: String] = [:]
    for site in sites {
      if let region = site.regionRef { vocabulary.regions.check(region, bag: sitesBag) }
      for area in site.areaRefs { vocabulary.areas.check(area, bag: sitesBag) }
      for hazard in site.hazardRefs + site.anatomyHazardRefs { vocabulary.hazards.check(hazard, bag: sitesBag) }
      for id in site.anatomySourceRefs + site.techniqueRefs.sources { catalog.checkSource(id, bag: sitesBag) }
      for code in site.techniqueRefs.positions { vocabulary.positions.check(code, bag: sitesBag) }
      for code in site.techniqueRefs.approaches { vocabulary.approaches.check(code, bag: sitesBag) }
      for id in site.precautionRefs { catalog.checkPrecaution(id, bag: sitesBag) }
      for id in site.sourceRefs { catalog.checkSource(id, bag: sitesBag) }
      for id in site.refRefs { catalog.checkReference(id, bag: sitesBag) }
      for alias in site.aliasRefs {
        let key = alias.value.lowercased()
        if let other = catalog.site(key), other.id != site.value.id {
          sitesBag.error("alias \"\(alias.value)\" is the id of another site", at: alias.position)
        } else if let owner = aliasOwner[key], owner != site.value.id {
          sitesBag.error("alias \"\(alias.value)\" is also an alias of \"\(owner)\"", at: alias.position)
        }
        aliasOwner[key] = site.value.id
      }
    }
    for id in precautions.sourceRefs { catalog.checkSource(id, bag: precBag) }
    for id in precautions.refRefs { catalog.checkReference(id, bag: precBag) }
    for reference in references {
      for id in reference.sourceRefs { catalog.checkSource(id, bag: refsBag) }
    }
  }
}
