import YAMLReading
import ScenarioKit

/// How graded items move a trainee's mastery of each rule (a Leitner schedule), and the rule families it is reported
/// by: `Scoring/mastery.yaml`.
public struct MasteryModel: Sendable {
  /// A group of rules reported together (bleeding, thorax, pregnancy…).
  public struct Family: Sendable, Codable, Equatable {
    public var id: String
    public var label: String
    /// Its rules; for the adverse-events family, every expected response (`EVENT/ACTION`).
    public var rules: [String]
    /// Takes every response to an event, expected or not (a wrong response is reviewed when it is given).
    public var events = false
  }

  /// Days before a rule in each box is due again (box 1 first).
  public var intervalsDays: [Int]
  /// A rule in this box or higher counts as mastered.
  public var masteredFromBox: Int
  public var families: [Family]
  private var familyOfRule: [String: Int] = [:]

  public init(intervalsDays: [Int], masteredFromBox: Int, families: [Family]) {
    self.intervalsDays = intervalsDays
    self.masteredFromBox = masteredFromBox
    self.families = families
    for (index, family) in families.enumerated() {
      for rule in family.rules where familyOfRule[rule] == nil { familyOfRule[rule] = index }
    }
  }

  /// How many boxes there are.
  public var boxes: Int { intervalsDays.count }

  /// The family `rule` belongs to, if any; any response to an event (`EVENT/ACTION`) belongs to the events family.
  public func family(of rule: String) -> Family? {
    if let index = familyOfRule[rule] { return families[index] }
    return rule.contains("/") ? families.first(where: \.events) : nil
  }

  static let empty = MasteryModel(intervalsDays: [0], masteredFromBox: 1, families: [])
}

/// Reads `Scoring/mastery.yaml` against the rules and the events' response rules, so every rule belongs to exactly
/// one family.
struct MasteryReader {
  let bag: DiagnosticBag
  let ruleIDs: [String]
  let responseRuleIDs: [String]

  func read(_ node: YNode) -> MasteryModel? {
    guard
      let m = MappingReader(node, bag: bag, context: "mastery file",
                            allowedKeys: ["model", "intervalsDays", "masteredFromBox", "families"])
    else { return nil }
    if let model = m.string("model", required: true), model.value != "leitner" {
      bag.error("the only mastery model is \"leitner\", found \"\(model.value)\"", at: model.position)
    }
    var intervals: [Int] = []
    for item in m.list("intervalsDays", required: true) {
      guard let days = MappingReader.int(item, field: "intervalsDays", in: "mastery file", bag: bag)?.value else { continue }
      if days < 0 || days > 3650 { bag.error("an interval is 0 to 3650 days, found \(days)", at: item.position) }
      if let last = intervals.last, days < last {
        bag.error("intervals must not shrink from one box to the next (\(last) then \(days))", at: item.position)
      }
      intervals.append(days)
    }
    if m.value("intervalsDays") != nil, intervals.count < 2 {
      bag.error("a Leitner schedule needs at least two boxes", at: m.keyPosition("intervalsDays") ?? node.position)
    }
    let mastered = m.int("masteredFromBox", required: true, range: 1...max(1, intervals.count))?.value ?? 1
    var families: [MasteryModel.Family] = []
    var owner: [String: String] = [:]
    var eventsFamily = false
    for item in m.list("families", required: true) {
      guard
        let f = MappingReader(item, bag: bag, context: "family", allowedKeys: ["id", "label", "rules", "events"]),
        let id = f.string("id", required: true), let label = f.string("label", required: true)
      else { continue }
      if families.contains(where: { $0.id == id.value }) {
        bag.error("duplicate family \"\(id.value)\"", at: id.position)
        continue
      }
      var rules: [String] = []
      for rule in f.strings("rules") {
        guard ruleIDs.contains(rule.value) else {
          bag.error("unknown rule \"\(rule.value)\"\(Suggestions.hint(for: rule.value, in: ruleIDs))", at: rule.position)
          continue
        }
        if let other = owner[rule.value] {
          bag.error("rule \"\(rule.value)\" is already in family \"\(other)\"", at: rule.position)
          continue
        }
        owner[rule.value] = id.value
        rules.append(rule.value)
      }
      let takesEvents = f.bool("events")?.value ?? false
      if takesEvents {
        if eventsFamily { bag.error("only one family can take the event responses", at: f.keyPosition("events") ?? id.position) }
        eventsFamily = true
        rules += responseRuleIDs
      }
      families.append(MasteryModel.Family(id: id.value, label: label.value, rules: rules, events: takesEvents))
    }
    // A rule added without a family is still reviewed, and shown under "Other rules" until it is given one.
    let missing = ruleIDs.filter { owner[$0] == nil }
    if !missing.isEmpty, m.value("families") != nil {
      bag.warning("rules without a family are shown under \"Other rules\": \(missing.joined(separator: ", "))",
                  at: m.keyPosition("families") ?? node.position)
      families.append(MasteryModel.Family(id: "other", label: "Other rules", rules: missing))
    }
    if !eventsFamily, !responseRuleIDs.isEmpty, m.value("families") != nil {
      bag.error("no family takes the event responses: give one `events: true`", at: m.keyPosition("families") ?? node.position)
    }
    return MasteryModel(intervalsDays: intervals, masteredFromBox: mastered, families: families)
  }
}
