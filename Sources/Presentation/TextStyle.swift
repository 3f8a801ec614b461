/// How rendered text may be decorated: the REPL and the CLI pass the terminal's abilities in.
public struct TextStyle: Sendable {
  /// ANSI colour allowed.
  public var colour: Bool
  /// Unicode symbols (✓ ✗) allowed; otherwise ASCII words carry the meaning.
  public var symbols: Bool
  public var width: Int

  public init(colour: Bool, symbols: Bool, width: Int) {
    self.colour = colour
    self.symbols = symbols
    self.width = width
  }

  public static let plain = TextStyle(colour: false, symbols: false, width: 80)

  public enum Colour: String, Sendable {
    case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", cyan = "36"
  }

  public func paint(_ text: String, _ colours: Colour...) -> String {
    guard colour, !colours.isEmpty else { return text }
    return "\u{1B}[\(colours.map(\.rawValue).joined(separator: ";"))m\(text)\u{1B}[0m"
  }

  /// Wraps `text` to the width, prefixing continuation lines with `indent`.
  public func wrap(_ text: String, indent: String = "", first: String? = nil) -> String {
    var lines: [String] = []
    var isFirst = true
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = isFirst ? (first ?? indent) : indent
      var hasWord = false
      for word in paragraph.split(separator: " ") {
        if hasWord, line.count + 1 + word.count > width {
          lines.append(line)
          line = indent
          hasWord = false
        }
        line += (hasWord ? " " : "") + word
        hasWord = true
      }
      lines.append(line)
      isFirst = false
    }
    return lines.joined(separator: "\n")
  }

  /// A bar of `cells` cells, `percent` of them filled: blocks where symbols are allowed, `#` and `.` otherwise.
  public func bar(_ percent: Double, cells: Int = 10) -> String {
    let filled = max(0, min(cells, Int((percent / 100 * Double(cells)).rounded())))
    return symbols
      ? String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
      : String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled)
  }
}
