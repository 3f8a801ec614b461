/// Reports as JSON: the one writer of the `grade --json` contract, indented for a single plan and on one line for
/// each plan of a batch. Written by hand because Foundation's JSONEncoder took ten times as long as grading the plan
/// (a batch of 100,000 plans went from about 5 s to over 50 s); the text is what JSONEncoder writes with sorted keys
/// and unescaped slashes, which a test checks against JSONEncoder for every bundled case.
extension Report {
  /// The report as JSON text; `pretty` indents it as JSONEncoder's `.prettyPrinted` does.
  public func json(pretty: Bool) -> String { String(decoding: jsonUTF8(pretty: pretty), as: UTF8.self) }

  /// The UTF-8 bytes of ``json(pretty:)``, for writing many reports without making a string of each.
  public func jsonUTF8(pretty: Bool) -> [UInt8] {
    var out = JSONText(pretty: pretty)
    out.object { out in
      out.key("advice")
      out.array(advice) { out, advice in
        out.object { out in
          out.field("explanation", advice.explanation)
          out.field("rule", advice.rule)
          out.field("title", advice.title)
        }
      }
      out.key("criticalFailures")
      out.array(criticalFailures) { out, failure in
        out.object { out in
          out.field("explanation", failure.explanation)
          out.field("kind", failure.kind.rawValue)
          out.field("rule", failure.rule)
          out.field("subject", failure.subject)
        }
      }
      out.field("earned", earned)
      out.key("expected")
      out.object { out in
        out.field("allowed", expected.allowed.map(\.rawValue))
        out.field("preferred", expected.preferred.rawValue)
        out.field("referTo", expected.referTo)
      }
      out.field("guidanceVersion", guidanceVersion)
      out.field("hintsUsed", hintsUsed)
      out.key("items")
      out.array(items) { out, item in item.write(to: &out) }
      out.key("passed")
      out.literal(passed ? "true" : "false")
      out.field("policy", policy)
      out.field("possible", possible)
      out.field("scenario", scenario)
      out.field("scenarioRevision", scenarioRevision)
      out.key("scorePercent")
      // Whole numbers without a fraction (`100`, not `100.0`), as JSONEncoder writes them.
      out.literal(scorePercent == scorePercent.rounded() && abs(scorePercent) < 1e15
        ? String(Int(scorePercent)) : String(scorePercent))
    }
    return out.bytes
  }
}

extension ReportItem {
  fileprivate func write(to out: inout JSONText) {
    out.object { out in
      if let disputed {
        out.key("disputed")
        out.object { out in
          out.field("alternative", disputed.alternative)
          out.field("id", disputed.id)
        }
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
    }
  }
}

/// JSON text built as UTF-8 bytes, compact or indented as JSONEncoder indents (two spaces, `"key" : value`, an empty
/// array as a blank line between its brackets).
struct JSONText {
  private(set) var bytes: [UInt8] = []
  let pretty: Bool
  private var depth = 0
  /// Whether the container being written has no member yet.
  private var empty = true

  init(pretty: Bool) {
    self.pretty = pretty
    bytes.reserveCapacity(8192)
  }

  mutating func object(_ members: (inout JSONText) -> Void) { container(UInt8(ascii: "{"), UInt8(ascii: "}"), members) }

  mutating func array<Elements: Collection>(_ elements: Elements, _ element: (inout JSONText, Elements.Element) -> Void) {
    container(UInt8(ascii: "["), UInt8(ascii: "]")) { out in
      for value in elements {
        out.startMember()
        element(&out, value)
      }
    }
  }

  /// Starts the member `name` of an object; its value follows.
  mutating func key(_ name: StaticString) {
    startMember()
    bytes.append(0x22)
    bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    bytes.append(0x22)
    literal(pretty ? " : " : ":")
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
    array(values) { out, value in out.string(value) }
  }

  /// Appends `text` as it is: numbers, `true`, `false`, punctuation.
  mutating func literal(_ text: String) { bytes.append(contentsOf: text.utf8) }

  /// Appends `text` as a JSON string literal.
  mutating func string(_ text: String) {
    bytes.append(0x22)
    // Most texts need no escaping, and appending them whole is far cheaper than byte by byte.
    var text = text
    let plain = text.withUTF8 { utf8 in
      guard !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
      bytes.append(contentsOf: utf8)
      return true
    }
    if plain {
      bytes.append(0x22)
      return
    }
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
    bytes.append(0x22)
  }

  private mutating func container(_ open: UInt8, _ close: UInt8, _ members: (inout JSONText) -> Void) {
    bytes.append(open)
    let outer = empty
    depth += 1
    empty = true
    members(&self)
    depth -= 1
    if pretty { newline(blank: empty) }
    bytes.append(close)
    empty = outer
  }

  private mutating func startMember() {
    if !empty { bytes.append(0x2C) }
    empty = false
    if pretty { newline(blank: false) }
  }

  /// A line break and the current indentation (after a blank line when `blank`).
  private mutating func newline(blank: Bool) {
    bytes.append(0x0A)
    if blank { bytes.append(0x0A) }
    bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
  }
}
