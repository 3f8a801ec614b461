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
    out.raw(String(earned))
    out.raw(",\"expected\":{\"allowed\":")
    out.strings(expected.allowed.map(\.rawValue))
    out.raw(",\"preferred\":")
    out.string(expected.preferred.rawValue)
    out.raw(",\"referTo\":")
    out.strings(expected.referTo)
    out.raw("},\"guidanceVersion\":")
    out.string(guidanceVersion)
    out.raw(",\"hintsUsed\":")
    out.raw(String(hintsUsed))
    out.raw(",\"items\":[")
    for (i, item) in items.enumerated() {
      out.raw(i > 0 ? ",{" : "{")
      if let disputed = item.disputed {
        out.raw("\"disputed\":{\"alternative\":")
        out.string(disputed.alternative)
        out.raw(",\"id\":")
        out.string(disputed.id)
        out.raw("},")
      }
      out.raw("\"explanation\":")
      out.string(item.explanation)
      out.raw(",\"kind\":")
      out.string(item.kind.rawValue)
      out.raw(",\"maxPoints\":")
      out.raw(String(item.maxPoints))
      out.raw(",\"points\":")
      out.raw(String(item.points))
      if let rule = item.rule {
        out.raw(",\"rule\":")
        out.string(rule)
      }
      out.raw(",\"severity\":")
      out.string(item.severity.rawValue)
      out.raw(",\"sources\":")
      out.strings(item.sources)
      out.raw(",\"subject\":")
      out.string(item.subject)
      out.raw(",\"verdict\":")
      out.string(item.verdict.rawValue)
      out.raw("}")
    }
    out.raw("],\"passed\":")
    out.raw(passed ? "true" : "false")
    out.raw(",\"policy\":")
    out.string(policy)
    out.raw(",\"possible\":")
    out.raw(String(possible))
    out.raw(",\"scenario\":")
    out.string(scenario)
    out.raw(",\"scenarioRevision\":")
    out.string(scenarioRevision)
    out.raw(",\"scorePercent\":")
    // A score such as `87.5` or `100` (whole numbers without a fraction, as JSONEncoder writes them).
    out.raw(scorePercent == scorePercent.rounded() && abs(scorePercent) < 1e15
      ? String(Int(scorePercent)) : String(scorePercent))
    out.raw("}")
    bytes = out.bytes
  }
}

/// JSON text built as UTF-8 bytes.
struct JSONBytes {
  var bytes: [UInt8]

  /// Appends `text` as it is (punctuation, keys and numbers).
  mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

  /// Appends `text` as a JSON string literal.
  mutating func string(_ text: String) {
    bytes.append(0x22)
    // Most texts need no escaping; appending them whole is far cheaper than byte by byte, and scanning the
    // contiguous UTF-8 directly is far cheaper than through the UTF-8 view's iterator.
    var text = text
    let plain = text.withUTF8 { utf8 in
      for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C { return false }
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
