import Foundation

/// Compact JSON for reports, written by hand: batch grading writes one report per plan, and Foundation's
/// JSONEncoder costs more than grading itself. Keys are sorted, as `JSONEncoder` with `.sortedKeys` writes them;
/// a test checks that both encodings decode to the same report.
extension Report {
  public func compactJSON() -> String {
    var out = "{"
    out.reserveCapacity(256 + items.count * 320)
    out += "\"advice\":["
    for (i, advice) in self.advice.enumerated() {
      if i > 0 { out += "," }
      out += "{\"explanation\":" + JSONText.quote(advice.explanation) + ",\"rule\":" + JSONText.quote(advice.rule)
        + ",\"title\":" + JSONText.quote(advice.title) + "}"
    }
    out += "],\"criticalFailures\":["
    for (i, failure) in criticalFailures.enumerated() {
      if i > 0 { out += "," }
      out += "{\"explanation\":" + JSONText.quote(failure.explanation) + ",\"kind\":\"" + failure.kind.rawValue
        + "\",\"rule\":" + JSONText.quote(failure.rule) + ",\"subject\":" + JSONText.quote(failure.subject) + "}"
    }
    out += "],\"earned\":\(earned),\"expected\":{\"allowed\":["
    out += expected.allowed.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
    out += "],\"preferred\":\"\(expected.preferred.rawValue)\",\"referTo\":["
    out += expected.referTo.map(JSONText.quote).joined(separator: ",")
    out += "]},\"guidanceVersion\":" + JSONText.quote(guidanceVersion) + ",\"hintsUsed\":\(hintsUsed),\"items\":["
    for (i, item) in items.enumerated() {
      if i > 0 { out += "," }
      out += "{"
      if let disputed = item.disputed {
        out += "\"disputed\":{\"alternative\":" + JSONText.quote(disputed.alternative) + ",\"id\":"
          + JSONText.quote(disputed.id) + "},"
      }
      out += "\"explanation\":" + JSONText.quote(item.explanation) + ",\"kind\":\"" + item.kind.rawValue
        + "\",\"maxPoints\":\(item.maxPoints),\"points\":\(item.points),"
      if let rule = item.rule { out += "\"rule\":" + JSONText.quote(rule) + "," }
      out += "\"severity\":\"" + item.severity.rawValue + "\",\"sources\":["
      out += item.sources.map(JSONText.quote).joined(separator: ",")
      out += "],\"subject\":" + JSONText.quote(item.subject) + ",\"verdict\":\"" + item.verdict.rawValue + "\"}"
    }
    out += "],\"passed\":\(passed),\"policy\":" + JSONText.quote(policy) + ",\"possible\":\(possible),"
    out += "\"scenario\":" + JSONText.quote(scenario) + ",\"scenarioRevision\":" + JSONText.quote(scenarioRevision)
    out += ",\"scorePercent\":" + JSONText.number(scorePercent) + "}"
    return out
  }
}

/// JSON string and number literals.
public enum JSONText {
  public static func quote(_ text: String) -> String {
    // Most texts need no escaping; appending them whole is far cheaper than scalar by scalar.
    var plain = true
    for byte in text.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
      plain = false
      break
    }
    if plain { return "\"" + text + "\"" }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{0}"..."\u{1F}": out += String(format: "\\u%04x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// A score such as `87.5` or `100` (whole numbers without a fraction, as JSONEncoder writes them).
  public static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}
