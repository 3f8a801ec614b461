import ScenarioKit

/// The order in which a report lists screening topics or precautions: the catalogue's order, then any id the
/// rules name that the catalogue lacks, by id. Tables of expected items are arrays indexed by slot, so grading a
/// plan neither hashes nor sorts the ids.
struct Slots: Sendable {
  /// The id in each slot.
  let ids: [String]
  /// The slot of each id.
  let index: IDTable

  init(catalogue: [String], referenced: [String]) {
    var ids: [String] = []
    var seen: Set<String> = []
    for id in catalogue + Set(referenced).subtracting(catalogue).sorted() where seen.insert(id).inserted {
      ids.append(id)
    }
    self.ids = ids
    index = IDTable(ids)
  }

  var count: Int { ids.count }

  /// An empty table, one entry per slot.
  func table<Entry>() -> [Entry?] { Array(repeating: nil, count: count) }

  /// Which slots `ids` name (ids without a slot cannot match any expected item).
  func flags(_ ids: [String]) -> [Bool] {
    var flags = Array(repeating: false, count: count)
    for id in ids { if let slot = index[id] { flags[slot] = true } }
    return flags
  }

  /// The filled slots of `table` in order, with their ids.
  func entries<Entry>(_ table: [Entry?]) -> [(String, Entry)] {
    table.indices.compactMap { slot in table[slot].map { (ids[slot], $0) } }
  }
}

/// Why an item is expected, as grading keeps it: the rule (by its place among the evaluator's rules), the severity
/// and, for a site's technique precautions, the site (by its place in the catalogue) and side. Plain numbers and no
/// references, so that copying a table, which grading does for every plan, copies bytes and retains nothing.
struct Need: Sendable {
  var rule: Int
  var severity: Severity
  var site: Int?
  var side: Side?

  init(_ shared: SharedRule, severity: Severity, site: Int? = nil, side: Side? = nil) {
    rule = shared.index
    self.severity = severity
    self.site = site
    self.side = side
  }
}

/// The screening topics and precautions expected, each with the most severe reason, in tables indexed by slot.
struct ItemTables: Sendable {
  var screening: [Need?]
  var required: [Need?]
  var recommended: [Need?]

  init(topics: Slots, precautions: Slots) {
    screening = topics.table()
    required = precautions.table()
    recommended = precautions.table()
  }

  /// Adds what `shared` expects, keeping the earlier reason for an item unless this one is more severe.
  mutating func add(_ shared: SharedRule) {
    let severity = shared.rule.severity
    for slot in shared.screening { Self.keepMostSevere(&screening, slot, Need(shared, severity: severity)) }
    for slot in shared.required { Self.keepMostSevere(&required, slot, Need(shared, severity: severity)) }
    for slot in shared.recommended { Self.keepMostSevere(&recommended, slot, Need(shared, severity: .minor)) }
  }

  /// Drops the recommendations that are also required.
  mutating func settle() {
    // Only where there is something to drop: assigning copies the table, which is often shared with `Expected`.
    for slot in required.indices where required[slot] != nil && recommended[slot] != nil { recommended[slot] = nil }
  }

  static func keepMostSevere(_ table: inout [Need?], _ slot: Int, _ why: Need) {
    if let existing = table[slot], existing.severity >= why.severity { return }
    table[slot] = why
  }
}
