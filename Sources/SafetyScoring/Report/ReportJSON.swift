/// Reports as JSON: the one writer of the `grade --json` contract, indented for a single plan and on one line for
/// each plan of a batch. Written by hand because Foundation's JSONEncoder took ten times as long as grading the plan
/// (a batch of 100,000 plans went from about 6 s to over 50 s); the text is what JSONEncoder writes with sorted keys
/// and unescaped slashes, which a test checks against JSONEncoder for every bundled case.
extension Report {
  /// The report as JSON text; `pretty` indents it as JSONEncoder's `.prettyPrinted` does.
  public func json(pretty: Bool) -> String { String(decoding: jsonUTF8(pretty: pretty), as: UTF8.self) }

  /// The UTF-8 bytes of ``json(pretty:)``, for writing many reports without making a string of each.
  public func jsonUTF8(pretty: Bool) -> [UInt8] {
    // Room for the texts and some for the punctuation of each item, so that the buffer is allocated once.
    let texts = items.reduce(0) { $0 + $1.explanation.utf8.count + $1.subject.utf8.count + 16 * $1.sources.count }
      + advice.reduce(0) { $0 + $1.explanation.utf8.count + $1.title.utf8.count }
      + criticalFailures.reduce(0) { $0 + $1.explanation.utf8.count }
    var out = JSONText(pretty: pretty, capacity: texts + 256 * (items.count + advice.count + 4))
    out.open(.object)
    out.key("advice")
    out.open(.array)
    for advice in advice {
      out.element()
      out.open(.object)
      out.field("explanation", advice.explanation)
      out.field("rule", advice.rule)
      out.field("title", advice.title)
      out.close(.object)
    }
    out.close(.array)
    out.key("criticalFailures")
    out.open(.array)
    for failure in criticalFailures {
      out.element()
      out.open(.object)
      out.field("explanation", failure.explanation)
      out.field("kind", failure.kind.rawValue)
      out.field("rule", failure.rule)
      out.field("subject", failure.subject)
      out.close(.object)
    }
    out.close(.array)
    out.field("earned", earned)
    out.key("events")
    out.open(.array)
    for event in events {
      out.element()
      out.open(.object)
      out.field("event", event.event)
      out.field("expected", event.expected)
      out.field("moment", event.moment.rawValue)
      out.field("name", event.name)
      out.field("realRate", event.realRate)
      out.field("responses", event.responses)
      out.key("scripted")
      out.literal(event.scripted ? "true" : "false")
      if let site = event.site { out.field("site", site) }
      out.close(.object)
    }
    out.close(.array)
    out.key("expected")
    out.open(.object)
    out.field("allowed", expected.allowed.map(\.rawValue))
    out.field("preferred", expected.preferred.rawValue)
    out.field("referTo", expected.referTo)
    out.close(.object)
    out.field("guidanceVersion", guidanceVersion)
    out.field("hintsUsed", hintsUsed)
    out.key("items")
    out.open(.array)
    for item in items {
      out.element()
      item.write(to: &out)
    }
    out.close(.array)
    out.field("jurisdiction", jurisdiction)
    out.key("passed")
    out.literal(passed ? "true" : "false")
    out.field("policy", policy)
    out.field("possible", possible)
    out.field("practitionerLevel", practitionerLevel)
    out.field("scenario", scenario)
    out.field("scenarioRevision", scenarioRevision)
    out.key("scorePercent")
    // Whole numbers without a fraction (`100`, not `100.0`), as JSONEncoder writes them.
    out.literal(scorePercent == scorePercent.rounded() && abs(scorePercent) < 1e15
      ? String(Int(scorePercent)) : String(scorePercent))
    if let variant {
      out.key("variant")
      out.open(.object)
      if let seed = variant.seed { out.field("seed", seed) }
      out.key("values")
      out.open(.array)
      for value in variant.values {
        out.element()
        out.open(.object)
        out.field("name", value.name)
        out.field("value", value.value)
        out.close(.object)
      }
      out.close(.array)
      out.close(.object)
    }
    out.close(.object)
    return out.bytes
  }
}

extension ReportItem {
  fileprivate func write(to out: inout JSONText) {
    out.open(.object)
    if let disputed {
      out.key("disputed")
      out.open(.object)
      out.field("alternative", disputed.alternative)
      out.field("id", disputed.id)
      out.close(.object)
    }
    out.field("explanation", explanation)
    out.field("kind", kind.rawValue)
    out.field("maxPoints", maxPoints)
    out.field("points", points)
    if let rule { out.field("rule", rule) }
    out.field("severity", severity.rawValue)
    out.field("sources", sources)
    out.field("subject", subject)
    out.field("verdict", verdict.rawValue)
    out.close(.object)
  }
}

/// JSON text built as UTF-8 bytes, compact or indented as JSONEncoder indents (two spaces, `"key" : value`, an empty
/// array as a blank line between its brackets). Containers are opened and closed in turn; each member of an object
/// starts with ``key(_:)`` and each element of an array with ``element()``.
struct JSONText {
  enum Container: UInt8 {
    case object = 0x7B, array = 0x5B

    var closing: UInt8 { rawValue + 2 }  // `}` and `]`
  }

  private(set) var bytes: [UInt8] = []
  let pretty: Bool
  private var depth = 0
  /// Whether the container being written has no member yet.
  private var empty = true

  /// Reserving `capacity` bytes at once spares copying the text as it grows.
  init(pretty: Bool, capacity: Int) {
    self.pretty = pretty
    bytes.reserveCapacity(capacity)
  }

  mutating func open(_ container: Container) {
    bytes.append(container.rawValue)
    depth += 1
    empty = true
  }

  mutating func close(_ container: Container) {
    depth -= 1
    if pretty { newline(blank: empty) }
    bytes.append(container.closing)
    // A container is only ever closed as a member of its parent, which is therefore not empty.
    empty = false
  }

  /// Starts an element of an array.
  mutating func element() {
    if !empty { bytes.append(0x2C) }
    empty = false
    if pretty { newline(blank: false) }
  }

  /// Starts the member `name` of an object; its value follows.
  mutating func key(_ name: StaticString) {
    element()
    bytes.append(0x22)
    bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    bytes.append(0x22)
    if pretty { bytes.append(0x20) }
    bytes.append(0x3A)
    if pretty { bytes.append(0x20) }
  }

  mutating func field(_ name: StaticString, _ value: String) {
    key(name)
    string(value)
  }

  mutating func field(_ name: StaticString, _ value: Int) {
    key(name)
    literal(String(value))
  }

  mutating func field(_ name: StaticString, _ values: [String]) {
    key(name)
    open(.array)
    for value in values {
      element()
      string(value)
    }
    close(.array)
  }

  /// Appends `text` as it is: numbers, `true`, `false`.
  mutating func literal(_ text: String) { bytes.append(contentsOf: text.utf8) }

  /// Appends `text` as a JSON string literal.
  mutating func string(_ text: String) {
    bytes.append(0x22)
    // Most texts need no escaping, and appending them whole is far cheaper than byte by byte.
    var text = text
    let plain = text.withUTF8 { utf8 in
      guard !Self.mayNeedEscaping(utf8) else { return false }
      bytes.append(contentsOf: utf8)
      return true
    }
    if !plain {
      for byte in text.utf8 {
        switch byte {
        case 0x22: literal("\\\"")
        case 0x5C: literal("\\\\")
        case 0x08: literal("\\b")
        case 0x0C: literal("\\f")
        case 0x0A: literal("\\n")
        case 0x0D: literal("\\r")
        case 0x09: literal("\\t")
        case 0..<0x20:
          let hex = Array("0123456789abcdef".utf8)
          literal("\\u00")
          bytes.append(hex[Int(byte >> 4)])
          bytes.append(hex[Int(byte & 0xF)])
        default: bytes.append(byte)
        }
      }
    }
    bytes.append(0x22)
  }

  /// Whether `utf8` may hold a byte that JSON escapes (a control character, `"` or `\\`); false means it holds none.
  /// Eight bytes are tested at a time: reports are mostly long explanations that need no escaping.
  static func mayNeedEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    // The classic "has a byte less than n" test: a byte below 0x20, or one that is zero after xor with `"` or `\\`.
    func flagged(_ word: UInt64) -> Bool {
      let quote = word ^ (ones &* 0x22)
      let backslash = word ^ (ones &* 0x5C)
      let control = (word &- ones &* 0x20) & ~word
      return (control | (quote &- ones) & ~quote | (backslash &- ones) & ~backslash) & highs != 0
    }
    let raw = UnsafeRawBufferPointer(utf8)
    var offset = 0
    while offset + 8 <= raw.count {
      if flagged(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return true }
      offset += 8
    }
    return utf8[offset...].contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
  }

  /// A line break and the current indentation (after a blank line when `blank`).
  private mutating func newline(blank: Bool) {
    bytes.append(0x0A)
    if blank { bytes.append(0x0A) }
    bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
  }
}
