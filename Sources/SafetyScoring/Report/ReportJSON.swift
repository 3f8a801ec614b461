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
    // Move the caller's bytes into the writer (and back at the end) so that appending never copies them.
    var out = JSONBytes(bytes: bytes)
    bytes = []
    out.bytes.reserveCapacity(out.bytes.count + 512 + items.count * 512)
    out.raw("{\"advice\":[")
    for (i, advice) in self.advice.enumerated() {
      if i > 0 { out.raw(",") }
      out.raw("{\"explanation\":")
      out.string(advice.explanation)
      out.raw(",\"rule\":")
      out.string(advice.rule)
      out.raw(",\"title\":")
      out.string(advice.title)
      out.raw("}")
    }
    out.raw("],\"criticalFailures\":[")
    for (i, failure) in criticalFailures.enumerated() {
      if i > 0 { out.raw(",") }
      out.raw("{\"explanation\":")
      out.string(failure.explanation)
      out.raw(",\"kind\":")
      out.string(failure.kind.rawValue)
      out.raw(",\"rule\":")
      out.string(failure.rule)
      out.raw(",\"subject\":")
      out.string(failure.subject)
      out.raw("}")
    }
    out.raw("],\"earned\":")
    out.number(earned)
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
    // Items are read in place (`for item in items` would copy each one, retaining all its strings).
    for i in items.indices {
      out.raw(i > 0 ? ",{" : "{")
      if let disputed = items[i].disputed {
        out.raw("\"disputed\":{\"alternative\":")
        out.string(disputed.alternative)
        out.raw(",\"id\":")
        out.string(disputed.id)
        out.raw("},")
      }
      out.raw("\"explanation\":")
      out.string(items[i].explanation)
      out.raw(",\"kind\":")
      out.string(items[i].kind.rawValue)
      out.raw(",\"maxPoints\":")
      out.number(items[i].maxPoints)
      out.raw(",\"points\":")
      out.number(items[i].points)
      if let rule = items[i].rule {
        out.raw(",\"rule\":")
        out.string(rule)
      }
      out.raw(",\"severity\":")
      out.string(items[i].severity.rawValue)
      out.raw(",\"sources\":")
      out.strings(items[i].sources)
      out.raw(",\"subject\":")
      out.string(items[i].subject)
      out.raw(",\"verdict\":")
      out.string(items[i].verdict.rawValue)
      out.raw("}")
    }
    out.raw("],\"passed\":")
    out.raw(passed ? "true" : "false" as StaticString)
    out.raw(",\"policy\":")
    out.string(policy)
    out.raw(",\"possible\":")
    out.number(possible)
    out.raw(",\"scenario\":")
    out.string(scenario)
    out.raw(",\"scenarioRevision\":")
    out.string(scenarioRevision)
    out.raw(",\"scorePercent\":")
    // A score such as `87.5` or `100` (whole numbers without a fraction, as JSONEncoder writes them).
    if scorePercent == scorePercent.rounded() && abs(scorePercent) < 1e15 {
      out.number(Int(scorePercent))
    } else {
      out.bytes.append(contentsOf: String(scorePercent).utf8)
    }
    out.raw("}")
    bytes = out.bytes
  }
}

/// JSON text built as UTF-8 bytes.
struct JSONBytes {
  var bytes: [UInt8]

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
    for (i, text) in texts.enumerated() {
      if i > 0 { bytes.append(0x2C) }
      string(text)
    }
    bytes.append(0x5D)
  }
}
