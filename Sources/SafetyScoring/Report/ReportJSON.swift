/// Compact JSON for reports, written by hand: batch grading writes one report per plan, and Foundation's
/// JSONEncoder costs more than grading itself. Keys are sorted, as `JSONEncoder` with `.sortedKeys` writes them;
/// a test checks that both encodings decode to the same report.
extension Report {
  public func compactJSON() -> String {
    var bytes: [UInt8] = []
    appendCompactJSON(to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the bytes of ``compactJSON()`` to `bytes`: building them as bytes, not by string concatenation,
  /// keeps batch grading from spending its time on string growth.
  public func appendCompactJSON(to bytes: inout [UInt8]) {
    appendReportJSON(to: &bytes, sizeHint: 512 + items.count * 512)
  }
}

extension Report: ReportJSONFields {
  func appendAdvice(to out: inout JSONBytes) { out.list(advice.indices) { advice[$0].appendJSON(to: &$1) } }

  func appendCriticalFailures(to out: inout JSONBytes) {
    out.list(criticalFailures.indices) { criticalFailures[$0].appendJSON(to: &$1) }
  }

  func appendItems(to out: inout JSONBytes) { out.list(items.indices) { items[$0].appendJSON(to: &$1) } }
}

/// What a report's JSON is written from: a `Report`, or batch grading's per-case fragments, which are themselves
/// the JSON of the elements below. Writing both through ``appendReportJSON(to:sizeHint:)`` keeps one definition
/// of the report's shape.
protocol ReportJSONFields {
  var scenario: String { get }
  var scenarioRevision: String { get }
  var guidanceVersion: String { get }
  var policy: String { get }
  var passed: Bool { get }
  var scorePercent: Double { get }
  var earned: Int { get }
  var possible: Int { get }
  var hintsUsed: Int { get }
  var expected: ExpectedDecision { get }
  /// Each writes the elements of its array, comma-separated, without the brackets.
  func appendAdvice(to out: inout JSONBytes)
  func appendCriticalFailures(to out: inout JSONBytes)
  func appendItems(to out: inout JSONBytes)
  /// Writes one of the runs that the fields above fix for a case; the default writes it with ``writeRun(_:to:)``.
  func appendRun(_ run: ReportRun, to out: inout JSONBytes)
}

/// The runs of a report's JSON between the fields that vary from plan to plan: they depend only on the case, the
/// policy and the hints used, so batch grading writes each once per case.
enum ReportRun: Int, CaseIterable {
  /// From `"expected"` to the opening of `"items"`.
  case expectedToItems
  /// `"policy"`, to the key of `"possible"`.
  case policy
  /// `"scenario"` and `"scenarioRevision"`, to the key of `"scorePercent"`.
  case scenario
}

extension ReportJSONFields {
  func appendReportJSON(to bytes: inout [UInt8], sizeHint: Int) {
    // Move the caller's bytes into the writer (and back at the end) so that appending never copies them.
    var out = JSONBytes(bytes: bytes)
    bytes = []
    appendReportJSON(to: &out, sizeHint: sizeHint)
    bytes = out.bytes
  }

  /// The same into `out`, which may splice in bytes rather than copy them (see ``SplicedBytes``).
  func appendReportJSON(to out: inout JSONBytes, sizeHint: Int) {
    // Grown at least twofold: reserving exactly what each report needs would copy a buffer that many reports
    // share on every report.
    if out.bytes.capacity - out.bytes.count < sizeHint {
      out.bytes.reserveCapacity(max(out.bytes.count + sizeHint, 2 * out.bytes.capacity))
    }
    out.raw("{\"advice\":[")
    appendAdvice(to: &out)
    out.raw("],\"criticalFailures\":[")
    appendCriticalFailures(to: &out)
    out.raw("],\"earned\":")
    out.number(earned)
    appendRun(.expectedToItems, to: &out)
    appendItems(to: &out)
    out.raw("],\"passed\":")
    out.raw(passed ? "true" : "false" as StaticString)
    appendRun(.policy, to: &out)
    out.number(possible)
    appendRun(.scenario, to: &out)
    // A score such as `87.5` or `100` (whole numbers without a fraction, as JSONEncoder writes them).
    if scorePercent == scorePercent.rounded() && abs(scorePercent) < 1e15 {
      out.number(Int(scorePercent))
    } else {
      out.bytes.append(contentsOf: String(scorePercent).utf8)
    }
    out.raw("}")
  }

  func appendRun(_ run: ReportRun, to out: inout JSONBytes) { writeRun(run, to: &out) }

  /// Writes `run` from the fields.
  func writeRun(_ run: ReportRun, to out: inout JSONBytes) {
    switch run {
    case .expectedToItems:
      out.raw(",\"expected\":{\"allowed\":")
      out.strings(expected.allowed.map(\.rawValue))
      out.raw(",\"preferred\":")
      out.string(expected.preferred.rawValue)
      out.raw(",\"referTo\":")
      out.strings(expected.referTo)
      out.raw("},\"guidanceVersion\":")
      out.string(guidanceVersion)
      out.raw(",\"hintsUsed\":")
      out.number(hintsUsed)
      out.raw(",\"items\":[")
    case .policy:
      out.raw(",\"policy\":")
      out.string(policy)
      out.raw(",\"possible\":")
    case .scenario:
      out.raw(",\"scenario\":")
      out.string(scenario)
      out.raw(",\"scenarioRevision\":")
      out.string(scenarioRevision)
      out.raw(",\"scorePercent\":")
    }
  }
}

extension Advice {
  func appendJSON(to out: inout JSONBytes) {
    out.raw("{\"explanation\":")
    out.string(explanation)
    out.raw(",\"rule\":")
    out.string(rule)
    out.raw(",\"title\":")
    out.string(title)
    out.raw("}")
  }
}

extension CriticalFailure {
  func appendJSON(to out: inout JSONBytes) {
    out.raw("{\"explanation\":")
    out.string(explanation)
    out.raw(",\"kind\":")
    out.string(kind.rawValue)
    out.raw(",\"rule\":")
    out.string(rule)
    out.raw(",\"subject\":")
    out.string(subject)
    out.raw("}")
  }
}

extension ReportItem {
  func appendJSON(to out: inout JSONBytes) {
    out.raw("{")
    if let disputed {
      out.raw("\"disputed\":{\"alternative\":")
      out.string(disputed.alternative)
      out.raw(",\"id\":")
      out.string(disputed.id)
      out.raw("},")
    }
    out.raw("\"explanation\":")
    out.string(explanation)
    out.raw(",\"kind\":")
    out.string(kind.rawValue)
    out.raw(",\"maxPoints\":")
    out.number(maxPoints)
    out.raw(",\"points\":")
    out.number(points)
    if let rule {
      out.raw(",\"rule\":")
      out.string(rule)
    }
    out.raw(",\"severity\":")
    out.string(severity.rawValue)
    out.raw(",\"sources\":")
    out.strings(sources)
    out.raw(",\"subject\":")
    out.string(subject)
    out.raw(",\"verdict\":")
    out.string(verdict.rawValue)
    out.raw("}")
  }
}

/// JSON text built as UTF-8 bytes.
struct JSONBytes {
  var bytes: [UInt8]
  /// Where bytes are inserted without copying them (see ``SplicedBytes``): only ``spliced()`` hands them on.
  var splices: [SplicedBytes.Splice] = []

  init(bytes: [UInt8]) { self.bytes = bytes }

  /// Takes over `output`'s bytes and splices, without copying them; ``spliced()`` gives them back.
  init(_ output: inout SplicedBytes) {
    (bytes, splices) = output.take()
  }

  /// The bytes written and spliced.
  mutating func spliced() -> SplicedBytes {
    let output = SplicedBytes(bytes: bytes, splices: splices)
    bytes = []
    splices = []
    return output
  }

  /// Inserts `piece` after the bytes written so far, without copying it.
  mutating func splice(_ piece: UnsafeRawBufferPointer) {
    splices.append(SplicedBytes.Splice(at: bytes.count, bytes: piece))
  }

  /// Appends `text` as it is (punctuation and keys).
  mutating func raw(_ text: StaticString) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Appends `number` in decimal.
  mutating func number(_ number: Int) { bytes.append(contentsOf: String(number).utf8) }

  /// Appends `text` as a JSON string literal.
  mutating func string(_ text: String) {
    bytes.append(0x22)
    // Most texts need no escaping; appending them whole is far cheaper than byte by byte, and scanning the
    // contiguous UTF-8 directly is far cheaper than through the UTF-8 view's iterator.
    var text = text
    let plain = text.withUTF8 { utf8 in
      guard !Self.mayNeedEscaping(utf8) else { return false }
      bytes.append(contentsOf: utf8)
      return true
    }
    if !plain {
      for byte in text.utf8 {
        switch byte {
        case 0x22: raw("\\\"")
        case 0x5C: raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0..<0x20:
          // \u00XX with lowercase hex digits, as String(format: "\\u%04x") writes it.
          let low = byte & 0xF
          raw("\\u00")
          bytes.append(0x30 + byte >> 4)
          bytes.append(low < 10 ? 0x30 + low : 0x57 + low)
        default: bytes.append(byte)
        }
      }
    }
    bytes.append(0x22)
  }

  /// Whether `utf8` may hold a byte that JSON escapes (a control character, `"` or `\\`); false means it holds
  /// none. Eight bytes are tested at a time, as reports are mostly long explanations that need no escaping.
  static func mayNeedEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    /// Whether a byte of `word` is below 0x20, or is zero after xor with `"` or `\\` in every byte: the classic
    /// "has a byte less than n" test, exact about whether one exists.
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

  /// Appends a JSON array of strings.
  mutating func strings(_ texts: [String]) {
    bytes.append(0x5B)
    list(texts.indices) { $1.string(texts[$0]) }
    bytes.append(0x5D)
  }

  /// Appends an element for each of `indices`, comma-separated (the brackets are the caller's).
  mutating func list(_ indices: Range<Int>, _ element: (Int, inout JSONBytes) -> Void) {
    for i in indices {
      if i > indices.lowerBound { bytes.append(0x2C) }
      element(i, &self)
    }
  }
}
