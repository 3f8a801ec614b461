import Foundation
import YAMLReading

/// An exam an instructor writes: fixed cases (or variants), a time limit, how many sittings a trainee may have, and
/// when the debrief is shown. Hints are always off in an exam.
public struct ExamFile: Sendable {
  /// Which variant of a case each trainee gets.
  public enum Variant: Sendable, Equatable {
    /// The case as written (a template's defaults).
    case asWritten
    /// The variant (and events) this seed draws, the same for everyone.
    case seed(Int)
    /// Each trainee their own variant, drawn from the exam and trainee ids, so it is the same at every sitting.
    case perTrainee
  }

  public struct Item: Sendable {
    public var scenario: Located<String>
    public var variant: Variant
  }

  /// When the debrief is shown.
  public enum Debrief: Sendable, Equatable {
    /// At the end of the sitting.
    case atEnd
    /// Withheld until this time (`needlesim exam results` shows it afterwards).
    case withheldUntil(Date)
  }

  public var id: String
  public var title: String
  public var cases: [Item]
  public var timeLimitMinutes: Double
  public var attempts: Int
  public var debrief: Debrief
  /// Which events treatments bring (default scripted: every trainee meets the same ones).
  public var events: EventMode
  /// The profile graded under; nil for the guidance's default (an exam fixes it: no flag changes it).
  public var policy: Located<String>?
  public var jurisdiction: Located<String>?
  public var level: Located<String>?
  public var path: String

  static let keys = [
    "id", "title", "cases", "timeLimitMinutes", "attempts", "debrief", "releaseDebriefAt", "events", "policy",
    "jurisdiction", "level",
  ]

  /// The seed of `item` for `trainee`: fixed, drawn from the exam and trainee ids, or none.
  public func seed(of item: Item, trainee: String) -> Int? {
    switch item.variant {
    case .asWritten: nil
    case .seed(let seed): seed
    case .perTrainee: Int(SeededRandom.fnv1a("\(id)/\(trainee)/\(item.scenario.value)") & 0xFFFF_FFFF)
    }
  }

  /// Reads the exam file at `url`; nil with located diagnostics when it has errors. Case ids are checked against
  /// `library`.
  public static func load(_ url: URL, library: CaseLibrary) -> (ExamFile?, [Diagnostic]) {
    let path = DisplayPath.of(url)
    let bag = DiagnosticBag(path: path)
    let (node, _) = YAMLFile.read(url, bag: bag, limits: .standard)
    guard let node else {
      if !bag.hasErrors { bag.error("the exam file is empty", at: .start) }
      return (nil, bag.diagnostics)
    }
    let exam = read(node, bag: bag, library: library, path: path)
    return (bag.hasErrors ? nil : exam, bag.diagnostics)
  }

  static func read(_ node: YNode, bag: DiagnosticBag, library: CaseLibrary, path: String) -> ExamFile? {
    guard let map = MappingReader(node, bag: bag, context: "exam", allowedKeys: keys) else { return nil }
    let id = map.string("id", required: true)
    if let id, !CatalogLoader.isCode(id.value) {
      bag.error("exam id \"\(id.value)\" must be lower-case kebab-case (letters, digits, hyphens)", at: id.position)
    }
    let title = map.string("title", required: true)
    var items: [Item] = []
    for entry in map.list("cases", required: true) {
      if let item = readItem(entry, bag: bag, library: library) { items.append(item) }
    }
    if map.value("cases") != nil, map.list("cases").isEmpty {
      bag.error("an exam needs at least one case", at: map.keyPosition("cases") ?? node.position)
    }
    let minutes = map.double("timeLimitMinutes", required: true, range: 0.01...600)
    let attempts = map.int("attempts", range: 1...100)?.value ?? 1
    var debrief = Debrief.atEnd
    let release = map.string("releaseDebriefAt")
    switch map.string("debrief")?.value {
    case nil, "end":
      if let release { bag.error("releaseDebriefAt goes with `debrief: withheld`", at: release.position) }
    case "withheld":
      if let release {
        if let date = ISOTime.parse(release.value) {
          debrief = .withheldUntil(date)
        } else {
          bag.error("releaseDebriefAt must be a time such as 2027-01-15T09:00:00Z or a date", at: release.position)
        }
      } else {
        bag.error("a withheld debrief needs releaseDebriefAt: when trainees may see it", at: map.keyPosition("debrief") ?? node.position)
      }
    case let other?:
      bag.error("debrief must be end or withheld, found \"\(other)\"", at: map.value("debrief")?.position ?? node.position)
    }
    var events = EventMode.scripted
    if let mode = map.string("events") {
      if let parsed = EventMode(rawValue: mode.value) {
        events = parsed
      } else {
        bag.error("events must be random, scripted or off, found \"\(mode.value)\"", at: mode.position)
      }
    }
    guard let id, let title, let minutes else { return nil }
    return ExamFile(
      id: id.value, title: title.value, cases: items, timeLimitMinutes: minutes.value, attempts: attempts,
      debrief: debrief, events: events, policy: map.string("policy"), jurisdiction: map.string("jurisdiction"),
      level: map.string("level"), path: path)
  }

  private static func readItem(_ node: YNode, bag: DiagnosticBag, library: CaseLibrary) -> Item? {
    let scenario: Located<String>
    var variant = Variant.asWritten
    if let text = node.scalar {
      scenario = Located(text, at: node.position)
    } else {
      guard let m = MappingReader(node, bag: bag, context: "exam case", allowedKeys: ["case", "seed", "variant"]),
        let named = m.string("case", required: true)
      else { return nil }
      scenario = named
      let seed = m.int("seed", range: 0...Int(UInt32.max))
      let perTrainee = m.string("variant")
      if let perTrainee, perTrainee.value != "per-trainee" {
        bag.error("variant must be per-trainee, found \"\(perTrainee.value)\"", at: perTrainee.position)
      }
      switch (seed, perTrainee) {
      case (let seed?, nil): variant = .seed(seed.value)
      case (nil, _?): variant = .perTrainee
      case (_?, let other?): bag.error("give a seed or `variant: per-trainee`, not both", at: other.position)
      case (nil, nil): break
      }
    }
    guard let found = library.find(scenario.value) else {
      bag.error("no case \"\(scenario.value)\"\(Suggestions.hint(for: scenario.value, in: library.ids))", at: scenario.position)
      return nil
    }
    if variant == .perTrainee, found.template == nil {
      bag.warning("\"\(scenario.value)\" has no parameters: every trainee gets the same patient", at: scenario.position)
    }
    return Item(scenario: scenario, variant: variant)
  }
}
