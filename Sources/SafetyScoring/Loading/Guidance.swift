import YAMLReading
import Foundation
import ScenarioKit

/// A policy profile: which side of each disputed point of guidance is scored.
public struct Policy: Sendable, Equatable {
  public var id: String
  public var label: String
  public var description: String
}

/// Scoring settings from `Scoring/scoring.yaml`.
public struct ScoringConfig: Sendable {
  public var version: String
  /// Minimum score, in percent, to pass (with no critical error).
  public var passMark: Double
  public var weights: [Severity: Int]
  /// Percentage points a hint costs.
  public var hintPenalty: Double
  public var defaultPolicy: String
  public var policies: [Policy]
  /// The most sites (muscles) needled in one session when a minimal dose applies.
  public var minimalDoseSites: Int = 2
  /// The age-of-consent settings a run may choose (`--jurisdiction`), and the default.
  public var jurisdictions: [Jurisdiction] = [Jurisdiction(id: "age-18", label: "Age of consent 18", ageOfConsent: 18)]
  public var defaultJurisdiction = "age-18"
  /// The practitioner level graded when neither the run (`--level`) nor the case sets one.
  public var defaultPractitionerLevel = "entry"
  /// BMI thresholds for the build categories.
  public var thinBelowBMI = 18.5
  public var obeseFromBMI = 30.0

  /// The build an examination shows.
  public func build(of examination: Examination) -> Build {
    examination.bmi < thinBelowBMI ? .thin : examination.bmi >= obeseFromBMI ? .obese : .average
  }

  public func jurisdiction(_ id: String) -> Jurisdiction? { jurisdictions.first { $0.id == id } }

  public func weight(_ severity: Severity) -> Int { weights[severity] ?? 1 }
}

/// An age-of-consent setting: the age from which a patient consents to treatment alone.
public struct Jurisdiction: Sendable, Equatable {
  public var id: String
  public var label: String
  public var ageOfConsent: Int
}

/// A risk factor named by the source article, and the rules whose firing shows a case covers it.
public struct RiskFactor: Sendable {
  public var id: String
  public var label: String
  public var article: String
  public var refs: [String]
  public var rules: [String]
}

/// The whole safety guidance: the catalogue, the rules and the scoring settings.
public struct Guidance: Sendable {
  public var catalog: Catalog
  public var rules: [Rule]
  public var config: ScoringConfig
  public var riskFactors: [RiskFactor]
  /// The adverse events a treatment can bring, and the actions a student can respond with.
  public var events: EventCatalogue = .empty
  /// How graded items move a trainee's mastery of each rule, and the rule families (`mastery.yaml`).
  public var mastery: MasteryModel = .empty
  /// Version from scoring.yaml plus a hash of every guidance file, so any edit changes it.
  public var version: String

  public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

  /// Whether `rule` rests only on low-authority sources ([L]: clinic pages, course handouts) or on none: expert
  /// consensus at most, so it is labelled as such and scored at most minor.
  public func isExpertConsensus(_ rule: Rule) -> Bool {
    rule.sources.allSatisfy { catalog.source($0)?.evidence == "L" }
  }
  public func policy(_ id: String) -> Policy? { config.policies.first { $0.id == id } }
}

/// Loads a guidance folder (`Scoring/`), reporting every problem in every file.
public enum GuidanceLoader {
  public static let configFile = "scoring.yaml"
  public static let riskFactorsFile = "risk-factors.yaml"
  public static let rulesFolder = "rules"
  public static let eventsFile = "events.yaml"
  public static let masteryFile = "mastery.yaml"

  /// Loads `directory`. Returns nil (with diagnostics) when the guidance cannot be used.
  public static func load(directory: URL) -> (Guidance?, [Diagnostic]) {
    let rulesURL = directory.appendingPathComponent(rulesFolder)
    let ruleFiles = yamlFiles(in: rulesURL)
    let configURL = directory.appendingPathComponent(configFile)
    let factorsURL = directory.appendingPathComponent(riskFactorsFile)
    // Every file is parsed on all cores first; reading them in order afterwards keeps the messages in order.
    let parsed = ParsedYAMLFiles(files(in: directory, ruleFiles: ruleFiles))
    var (loadedCatalog, diagnostics) = CatalogLoader.load(directory: directory, parsed: parsed)
    let (configNode, configBag) = parsed.read(configURL)
    let config = configNode.flatMap { readConfig($0, bag: configBag, levels: loadedCatalog?.vocabulary.practitionerLevels) }
    diagnostics += configBag.diagnostics
    guard var catalog = loadedCatalog, let config else { return (nil, diagnostics) }

    // Events first: rules, plans and cases may name them.
    let (eventsNode, eventsBag) = parsed.read(directory.appendingPathComponent(eventsFile))
    let events = eventsNode.flatMap {
      EventReader(bag: eventsBag, catalog: catalog, policies: config.policies.map(\.id)).read($0)
    } ?? .empty
    diagnostics += eventsBag.diagnostics
    catalog.events = CodeList(kind: "event", entries: events.events.map { CodeEntry(id: $0.id, label: $0.name) })
    catalog.responseActions = events.actions

    var rules: [Rule] = []
    if ruleFiles.isEmpty {
      diagnostics.append(
        Diagnostic(path: DisplayPath.of(rulesURL), line: 1, column: 1, severity: .error,
                   message: "no rule files (*.yaml) in the rules folder"))
    }
    var seen: [String: String] = [:]
    for url in ruleFiles {
      let path = DisplayPath.of(url)
      let (node, bag) = parsed.read(url)
      if let node {
        let reader = RuleReader(bag: bag, catalog: catalog, policies: config.policies.map(\.id))
        for rule in reader.readFile(node, path: path) {
          if let other = seen[rule.id] {
            bag.error("duplicate rule id \"\(rule.id)\" (also in \(other))", at: rule.position)
            continue
          }
          seen[rule.id] = "\(path):\(rule.position.line)"
          rules.append(rule)
        }
      }
      diagnostics += bag.diagnostics
    }

    for rule in rules where !rule.advisory && rule.severity > .minor
      && rule.sources.allSatisfy({ catalog.source($0)?.evidence == "L" })
    {
      diagnostics.append(
        Diagnostic(
          path: rule.path, line: rule.position.line, column: rule.position.column, severity: .warning,
          message: "rule \"\(rule.id)\" rests only on low-authority [L] sources (expert consensus): it is scored "
            + "as minor; give it severity minor, or cite a stronger source"))
    }

    let (factorsNode, factorsBag) = parsed.read(factorsURL)
    let factors = factorsNode.map { readRiskFactors($0, bag: factorsBag, catalog: catalog, ruleIDs: Set(seen.keys)) } ?? []
    diagnostics += factorsBag.diagnostics

    let (masteryNode, masteryBag) = parsed.read(directory.appendingPathComponent(masteryFile))
    // The responses a student must learn; a wrong one is reviewed too when given (the events family takes it).
    let responseRules = events.events.flatMap(\.expect).map(\.id)
    let mastery = masteryNode.flatMap {
      MasteryReader(bag: masteryBag, ruleIDs: rules.map(\.id), responseRuleIDs: responseRules).read($0)
    } ?? .empty
    diagnostics += masteryBag.diagnostics

    let hash = contentHash(of: yamlFiles(in: directory) + ruleFiles, parsed: parsed)
    let version = "\(config.version)+" + String(hash.prefix(12))
    var guidance = Guidance(
      catalog: catalog, rules: rules, config: config, riskFactors: factors, events: events, version: version)
    guidance.mastery = mastery
    let failed = diagnostics.contains { $0.severity == .error }
    return (failed ? nil : guidance, diagnostics)
  }

  /// Every file the guidance in `directory` is read from.
  public static func files(in directory: URL) -> [URL] {
    files(in: directory, ruleFiles: yamlFiles(in: directory.appendingPathComponent(rulesFolder)))
  }

  private static func files(in directory: URL, ruleFiles: [URL]) -> [URL] {
    CatalogLoader.files(in: directory)
      + [directory.appendingPathComponent(configFile), directory.appendingPathComponent(riskFactorsFile),
         directory.appendingPathComponent(eventsFile), directory.appendingPathComponent(masteryFile)] + ruleFiles
  }

  /// The `.yaml` files directly in `directory`, sorted by name.
  static func yamlFiles(in directory: URL) -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
      .map { directory.appendingPathComponent($0) }
  }

  /// A hash over every guidance file's name and bytes, in a stable order.
  static func contentHash(of files: [URL], parsed: ParsedYAMLFiles) -> String {
    var bytes: [UInt8] = []
    for url in files {
      bytes += Array(url.lastPathComponent.utf8)
      bytes += parsed.bytes(url) ?? (try? Data(contentsOf: url)) ?? Data()
    }
    return ContentHash.sha256(bytes)
  }

  static func readConfig(_ node: YNode, bag: DiagnosticBag, levels: CodeList?) -> ScoringConfig? {
    guard
      let m = MappingReader(
        node, bag: bag, context: "scoring settings",
        allowedKeys: [
          "guidanceVersion", "passMark", "weights", "hintPenalty", "defaultPolicy", "policies", "minimalDose",
          "defaultJurisdiction", "jurisdictions", "defaultPractitionerLevel", "build",
        ])
    else { return nil }
    let version = m.string("guidanceVersion", required: true)
    let passMark = m.double("passMark", range: 0...100)
    var weights: [Severity: Int] = [:]
    if let w = m.mapping("weights", required: true, context: "weights", allowedKeys: Severity.allCases.map(\.rawValue)) {
      for severity in Severity.allCases {
        weights[severity] = w.int(severity.rawValue, required: true, range: 1...1000)?.value
      }
    }
    var policies: [Policy] = []
    for item in m.list("policies", required: true) {
      guard let p = MappingReader(item, bag: bag, context: "policy", allowedKeys: ["id", "label", "description"]),
        let id = p.string("id", required: true)
      else { continue }
      policies.append(
        Policy(id: id.value, label: p.string("label", required: true)?.value ?? id.value,
               description: p.string("description", required: true)?.value ?? ""))
    }
    let defaultPolicy = m.string("defaultPolicy", required: true)
    if let defaultPolicy, !policies.contains(where: { $0.id == defaultPolicy.value }) {
      bag.error("defaultPolicy \"\(defaultPolicy.value)\" is not one of the policies", at: defaultPolicy.position)
    }
    let dose = m.mapping("minimalDose", required: true, context: "minimal dose", allowedKeys: ["maxSites", "basis"])
    let maxSites = dose?.int("maxSites", required: true, range: 1...50)
    _ = dose?.string("basis", required: true)
    var jurisdictions: [Jurisdiction] = []
    for item in m.list("jurisdictions", required: true) {
      guard
        let j = MappingReader(item, bag: bag, context: "jurisdiction", allowedKeys: ["id", "label", "ageOfConsent"]),
        let id = j.string("id", required: true), let age = j.int("ageOfConsent", required: true, range: 1...30)
      else { continue }
      if jurisdictions.contains(where: { $0.id == id.value }) {
        bag.error("duplicate jurisdiction \"\(id.value)\"", at: id.position)
      }
      jurisdictions.append(
        Jurisdiction(id: id.value, label: j.string("label", required: true)?.value ?? id.value, ageOfConsent: age.value))
    }
    let defaultJurisdiction = m.string("defaultJurisdiction", required: true)
    if let defaultJurisdiction, !jurisdictions.contains(where: { $0.id == defaultJurisdiction.value }) {
      bag.error("defaultJurisdiction \"\(defaultJurisdiction.value)\" is not one of the jurisdictions",
                at: defaultJurisdiction.position)
    }
    let build = m.mapping("build", required: true, context: "build", allowedKeys: ["thinBelowBMI", "obeseFromBMI", "basis"])
    let thin = build?.double("thinBelowBMI", range: 10...25)
    let obese = build?.double("obeseFromBMI", range: 20...60)
    _ = build?.string("basis", required: true)
    let defaultLevel = m.string("defaultPractitionerLevel", required: true)
    if let defaultLevel, let levels { levels.check(defaultLevel, bag: bag) }
    guard let version, let defaultPolicy, let maxSites, let defaultJurisdiction, let defaultLevel,
      weights.count == Severity.allCases.count, !jurisdictions.isEmpty
    else { return nil }
    return ScoringConfig(
      version: version.value, passMark: passMark?.value ?? 80, weights: weights,
      hintPenalty: m.double("hintPenalty", range: 0...100)?.value ?? 5, defaultPolicy: defaultPolicy.value,
      policies: policies, minimalDoseSites: maxSites.value, jurisdictions: jurisdictions,
      defaultJurisdiction: defaultJurisdiction.value, defaultPractitionerLevel: defaultLevel.value,
      thinBelowBMI: thin?.value ?? 18.5, obeseFromBMI: obese?.value ?? 30)
  }

  static func readRiskFactors(_ node: YNode, bag: DiagnosticBag, catalog: Catalog, ruleIDs: Set<String>)
    -> [RiskFactor]
  {
    guard let m = MappingReader(node, bag: bag, context: "risk factors file", allowedKeys: ["riskFactors"]) else {
      return []
    }
    return m.list("riskFactors", required: true).compactMap { item in
      guard
        let f = MappingReader(
          item, bag: bag, context: "risk factor", allowedKeys: ["id", "label", "article", "refs", "rules"]),
        let id = f.string("id", required: true)
      else { return nil }
      let refs = f.strings("refs")
      for ref in refs { catalog.checkReference(ref, bag: bag) }
      let rules = f.strings("rules", required: true)
      for rule in rules where !ruleIDs.contains(rule.value) {
        bag.error("unknown rule \"\(rule.value)\"\(Suggestions.hint(for: rule.value, in: ruleIDs))", at: rule.position)
      }
      return RiskFactor(
        id: id.value, label: f.string("label", required: true)?.value ?? id.value,
        article: f.string("article")?.value ?? "", refs: refs.map(\.value), rules: rules.map(\.value))
    }
  }
}
