import YAMLReading
import Foundation

/// Reads plans (from plan files, batch lines and case files) and checks every code against the catalogue.
public enum PlanReader {
  public static let keys = ["scenario", "screening", "decision", "referTo", "precautions", "sites"]

  /// Reads a plan mapping. `scenario` is required unless `defaultScenario` is given (as inside a case file).
  public static func read(_ node: YNode, bag: DiagnosticBag, catalog: Catalog, defaultScenario: String? = nil)
    -> Plan?
  {
    guard let map = MappingReader(node, bag: bag, context: "plan", allowedKeys: keys) else { return nil }
    let errorsBefore = bag.diagnostics.count
    let scenario = map.string("scenario", required: defaultScenario == nil)?.value ?? defaultScenario ?? ""
    let vocabulary = catalog.vocabulary
    let screening = map.strings("screening")
    for topic in screening { vocabulary.screeningTopics.check(topic, bag: bag) }
    var decision: Decision?
    if let text = map.string("decision", required: true) {
      decision = Decision(rawValue: text.value)
      if decision == nil {
        bag.error(
          "unknown decision \"\(text.value)\"\(Suggestions.hint(for: text.value, in: Decision.allCases.map(\.rawValue)))"
            + "; use needle, defer, refer or decline", at: text.position)
      }
    }
    let referTo = map.string("referTo")
    if let referTo {
      vocabulary.referralTargets.check(referTo, bag: bag)
      if decision != nil, decision != .refer {
        bag.warning("\"referTo\" is ignored unless the decision is refer", at: referTo.position)
      }
    }
    let precautions = map.strings("precautions")
    for precaution in precautions { catalog.checkPrecaution(precaution, bag: bag) }
    var sites: [SiteChoice] = []
    for item in map.list("sites") {
      if let choice = siteChoice(item, bag: bag, catalog: catalog) { sites.append(choice) }
    }
    checkDuplicates(screening, what: "screening topic", bag: bag)
    checkDuplicates(precautions, what: "precaution", bag: bag)
    if bag.diagnostics[errorsBefore...].contains(where: { $0.severity == .error }) { return nil }
    return Plan(
      scenario: scenario, screening: screening.map(\.value), decision: decision, referTo: referTo?.value,
      precautions: precautions.map(\.value), sites: sites)
  }

  /// Reads `{site: id, side: left}` or the short form `id left`, checking the site and that the side fits it.
  public static func siteChoice(_ node: YNode, bag: DiagnosticBag, catalog: Catalog) -> SiteChoice? {
    var siteText: Located<String>?
    var sideText: Located<String>?
    switch node.kind {
    case .scalar(let text, _):
      let words = text.split(separator: " ").map(String.init)
      siteText = words.first.map { Located($0, at: node.position) }
      if words.count > 1 { sideText = Located(words[1], at: node.position) }
      if words.count > 2 { bag.error("a site is written \"SITE [left|right]\"", at: node.position) }
    default:
      guard let m = MappingReader(node, bag: bag, context: "site choice", allowedKeys: ["site", "side"]) else {
        return nil
      }
      siteText = m.string("site", required: true)
      sideText = m.string("side")
    }
    guard let siteText, let sided = catalog.checkSite(siteText, bag: bag)?.sided else { return nil }
    var side: Side?
    if let sideText {
      guard let parsed = Side(rawValue: sideText.value), parsed != .both else {
        bag.error("side must be left or right, found \"\(sideText.value)\"", at: sideText.position)
        return nil
      }
      if !sided {
        bag.error("site \"\(siteText.value)\" has no sides; remove \"\(sideText.value)\"", at: sideText.position)
        return nil
      }
      side = parsed
    } else if sided {
      bag.error("site \"\(siteText.value)\" needs a side (left or right)", at: siteText.position)
      return nil
    }
    return SiteChoice(site: siteText.value, side: side)
  }

  /// Warns about each value listed again.
  private static func checkDuplicates(_ values: [Located<String>], what: String, bag: DiagnosticBag) {
    var seen: Set<String> = []
    for value in values where !seen.insert(value.value).inserted {
      bag.warning("\(what) \"\(value.value)\" is listed twice", at: value.position)
    }
  }
}

/// Plan files on disk and plan lines of a batch (YAML or JSON; JSON is read by the same YAML parser, so a plan
/// reads, and fails, the same way wherever it comes from, and errors carry line and column).
public enum PlanFile {
  public static func load(_ url: URL, catalog: Catalog) -> (Plan?, [Diagnostic]) {
    let (node, bag) = YAMLFile.read(url, path: DisplayPath.of(url))
    return read(node, bag: bag, catalog: catalog, empty: "the plan file is empty")
  }

  /// Reads one line of a batch (`path` names the input, for diagnostics): the same reading as a plan file's.
  public static func read(line: Data, path: String, catalog: Catalog) -> (Plan?, [Diagnostic]) {
    let bag = DiagnosticBag(path: path)
    return read(YAMLFile.parse(line, bag: bag), bag: bag, catalog: catalog, empty: "the line holds no plan")
  }

  private static func read(_ node: YNode?, bag: DiagnosticBag, catalog: Catalog, empty: String) -> (Plan?, [Diagnostic]) {
    guard let node else {
      if !bag.hasErrors { bag.error(empty, at: .start) }
      return (nil, bag.diagnostics)
    }
    return (PlanReader.read(node, bag: bag, catalog: catalog), bag.diagnostics)
  }
}
