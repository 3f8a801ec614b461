import YAMLReading
import Foundation

/// Reads plans (from plan files, batch lines and case files) and checks every code against the catalogue.
public enum PlanReader {
  public static let keys = [
    "scenario", "screening", "decision", "referTo", "precautions", "sites", "position", "seed", "eventMode", "events",
  ]

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
    let position = map.string("position")
    if let position { vocabulary.positions.check(position, bag: bag) }
    let precautions = map.strings("precautions")
    for precaution in precautions { catalog.checkPrecaution(precaution, bag: bag) }
    var sites: [SiteChoice] = []
    for item in map.list("sites") {
      if let choice = siteChoice(item, bag: bag, catalog: catalog) { sites.append(choice) }
    }
    checkDuplicates(screening, what: "screening topic", bag: bag)
    checkDuplicates(precautions, what: "precaution", bag: bag)
    let seed = map.int("seed", range: 0...Int(UInt32.max))
    var eventMode: EventMode?
    if let text = map.string("eventMode") {
      eventMode = EventMode(rawValue: text.value)
      if eventMode == nil {
        let modes = EventMode.allCases.map(\.rawValue)
        bag.error("unknown eventMode \"\(text.value)\"\(Suggestions.hint(for: text.value, in: modes)); use "
                  + modes.joined(separator: ", "), at: text.position)
      }
    }
    let events = map.list("events").compactMap { eventResponse($0, bag: bag, catalog: catalog) }
    checkDuplicates(events.map(\.event), what: "event", bag: bag)
    if bag.diagnostics[errorsBefore...].contains(where: { $0.severity == .error }) { return nil }
    return Plan(
      scenario: scenario, screening: screening.map(\.value), decision: decision, referTo: referTo?.value,
      precautions: precautions.map(\.value), sites: sites, position: position?.value, seed: seed?.value,
      eventMode: eventMode, events: events.map { EventResponse(event: $0.event.value, responses: $0.responses) })
  }

  /// Reads `{event: ID, responses: [ACTION, …]}`, checking the event and every action against the guidance.
  static func eventResponse(_ node: YNode, bag: DiagnosticBag, catalog: Catalog)
    -> (event: Located<String>, responses: [String])?
  {
    guard let m = MappingReader(node, bag: bag, context: "event response", allowedKeys: ["event", "responses"]),
      let event = m.string("event", required: true)
    else { return nil }
    let responses = m.strings("responses", required: true)
    guard catalog.events.check(event, bag: bag) else { return nil }
    guard responses.allSatisfy({ catalog.responseActions.check($0, bag: bag) }) else { return nil }
    checkDuplicates(responses, what: "response", bag: bag)
    return (event, responses.map(\.value))
  }

  /// Reads `{site: id, side: left, needle: 30, approach: tangential, position: prone}` or the short form
  /// `id left 30mm tangential` (side, length, approach and position in any order after the site), checking every code,
  /// that the side fits the site, and that the needle is a standard length.
  public static func siteChoice(_ node: YNode, bag: DiagnosticBag, catalog: Catalog) -> SiteChoice? {
    let vocabulary = catalog.vocabulary
    var siteText: Located<String>?
    var sideText: Located<String>?
    var needle: Located<Int>?
    var approach: Located<String>?
    var position: Located<String>?
    switch node.kind {
    case .scalar(let text, _):
      let words = text.split(separator: " ").map(String.init)
      siteText = words.first.map { Located($0, at: node.position) }
      for word in words.dropFirst() {
        let located = Located(word, at: node.position)
        if Side(rawValue: word) != nil, sideText == nil {
          sideText = located
        } else if word.hasSuffix("mm"), let length = Int(word.dropLast(2)), needle == nil {
          needle = Located(length, at: node.position)
        } else if vocabulary.approaches.contains(word), approach == nil {
          approach = located
        } else if vocabulary.positions.contains(word), position == nil {
          position = located
        } else {
          bag.error(
            "\"\(word)\" is not a side, a needle length (such as 30mm), an approach or a position; a site is written "
              + "\"SITE [left|right] [LENGTHmm] [APPROACH] [POSITION]\"", at: node.position)
          return nil
        }
      }
    default:
      guard
        let m = MappingReader(
          node, bag: bag, context: "site choice", allowedKeys: ["site", "side", "needle", "approach", "position"])
      else { return nil }
      siteText = m.string("site", required: true)
      sideText = m.string("side")
      needle = m.int("needle")
      approach = m.string("approach")
      position = m.string("position")
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
    if let needle, !vocabulary.needleLengths.contains(needle.value) {
      let lengths = vocabulary.needleLengths.map(String.init).joined(separator: ", ")
      bag.error("needle length \(needle.value) mm is not a standard length (\(lengths))", at: needle.position)
      return nil
    }
    if let approach, !vocabulary.approaches.check(approach, bag: bag) { return nil }
    if let position, !vocabulary.positions.check(position, bag: bag) { return nil }
    return SiteChoice(
      site: siteText.value, side: side, needle: needle?.value, approach: approach?.value, position: position?.value)
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
