/// The order in which a report lists screening topics or precautions: the catalogue's order, then any id the
/// rules name that the catalogue lacks, by id. Tables of expected items are arrays indexed by slot, so grading a
/// plan neither hashes nor sorts the ids.
struct Slots: Sendable {
  /// The id in each slot.
  let ids: [String]
  /// The slot of each id.
  let index: [String: Int]

  init(catalogue: [String], referenced: [String]) {
    var ids: [String] = []
    var index: [String: Int] = [:]
    for id in catalogue + Set(referenced).subtracting(catalogue).sorted() where index[id] == nil {
      index[id] = ids.count
      ids.append(id)
    }
    self.ids = ids
    self.index = index
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

/// The screening topics and precautions expected, each with the most severe reason, in tables indexed by slot.
struct ItemTables: Sendable {
  var screening: [Attribution?]
  var required: [Attribution?]
  var recommended: [Attribution?]

  init(topics: Slots, precautions: Slots) {
    screening = topics.table()
    required = precautions.table()
    recommended = precautions.table()
  }

  /// Adds what `shared` expects, keeping the earlier reason for an item unless this one is more severe.
  mutating func add(_ shared: SharedRule) {
    let severity = shared.rule.severity
    for slot in shared.screening { Self.keepMostSevere(&screening, slot, Attribution(shared, severity: severity)) }
    for slot in shared.required { Self.keepMostSevere(&required, slot, Attribution(shared, severity: severity)) }
    for slot in shared.recommended { Self.keepMostSevere(&recommended, slot, Attribution(shared, severity: .minor)) }
  }

  /// Drops the recommendations that are also required.
  mutating func settle() {
    // Only where there is something to drop: assigning copies the table, which is often shared with `Expected`.
    for slot in required.indices where required[slot] != nil && recommended[slot] != nil { recommended[slot] = nil }
  }

  static func keepMostSevere(_ table: inout [Attribution?], _ slot: Int, _ why: Attribution) {
    if let existing = table[slot], existing.severity >= why.severity { return }
    table[slot] = why
  }
}
