import Foundation
import Testing

@testable import ScenarioKit

/// The hand-written plan-line reader must build exactly the nodes JSONSerialization's path builds, or leave the
/// line to that path.
@Suite("Plan JSON lines")
struct PlanJSONReaderTests {
  /// A node written out in full: kind, text, plainness and position of every node.
  func dump(_ node: YNode?) -> String {
    guard let node else { return "nil" }
    let at = "@\(node.position.line):\(node.position.column)"
    switch node.kind {
    case .scalar(let text, let plain): return "\(plain ? "plain" : "quoted")(\(text.unicodeScalars.map(\.value)))\(at)"
    case .sequence(let items): return "[" + items.map(dump).joined(separator: ",") + "]\(at)"
    case .mapping(let pairs): return "{" + pairs.map { dump($0.key) + ":" + dump($0.value) }.joined(separator: ",") + "}\(at)"
    }
  }

  func foundation(_ line: String) -> (node: String, diagnostics: [Diagnostic]) {
    let bag = DiagnosticBag(path: "plans")
    let node = JSONLine.foundationParse(line, lineNumber: 7, bag: bag)
    return (dump(node), bag.diagnostics)
  }

  /// Lines the reader must read itself, each exactly as JSONSerialization's path reads it.
  static let handled = [
    #"{"scenario":"accountant-low-back-pain","decision":"needle","precautions":["gloves"],"sites":[{"side":"right","site":"deltoid"}]}"#,
    #"  {"b" : "x" , "a" : [ ] , "c" : { } }  "#, "{}\r", "[]", #""fragment""#, "true", "false", "null",
    #"{"a":[true,false,null,"",[[]],{"k":{}}]}"#,
    #"{"e":"quote \" backslash \\ slash \/ \b\f\n\r\t end"}"#,
    #"{"u":"\u0041\u00e9\u20AC\u2028\uFFFF \ud83d\ude00 \uD834\uDD1E"}"#, #"{"nul":"a\u0000b\u001f"}"#,
    "{\"raw\":\"café — 😀 \u{7F}\"}", "{\"é\":1,\"e\u{301}x\":2,\"Z\":3,\"a\":4,\"\":5}".replacingOccurrences(of: ":1", with: ":\"1\"")
      .replacingOccurrences(of: ":2", with: ":\"2\"").replacingOccurrences(of: ":3", with: ":\"3\"")
      .replacingOccurrences(of: ":4", with: ":\"4\"").replacingOccurrences(of: ":5", with: ":\"5\""),
    String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
  ]

  /// Lines the reader must leave to JSONSerialization (which may accept or refuse them).
  static let declined = [
    "", "not json", "{", "}", "[1]", #"{"a":1}"#, #"{"a":-0.5e3}"#, #"{"a":"x"} x"#, #"{"a":"x",}"#, "[,]", "[\"a\",]",
    #"{"a":"x","a":"y"}"#, "{\"é\":\"1\",\"e\u{301}\":\"2\"}", #"{"a":"\ud83d"}"#, #"{"a":"\ude00"}"#, #"{"a":"\ud83d\u0041"}"#,
    #"{"a":"\x"}"#, #"{"a":"\u00"}"#, #"{"a":"\u00G0"}"#, "{\"a\":\"tab\there\"}", "\u{FEFF}{}", "{\"a\":\"x\"}\u{0}", "tru", "nul",
    "truex", "[true false]", #"{"a" "x"}"#, #"{a:"x"}"#, "{\"a\":\"unterminated", "\u{A0}{}",
    String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
  ]

  @Test func handledLinesReadAsJSONSerializationReadsThem() {
    for line in Self.handled {
      let ours = Self.fast(line)
      #expect(ours != nil, "\(line)")
      let reference = foundation(line)
      #expect(dump(ours) == reference.node, "\(line)")
      #expect(reference.diagnostics.isEmpty, "\(line)")
    }
  }

  @Test func otherLinesAreLeftToJSONSerialization() {
    for line in Self.declined {
      #expect(Self.fast(line) == nil, "\(line)")
      let bag = DiagnosticBag(path: "plans")
      let parsed = JSONLine.parse(line, lineNumber: 7, bag: bag)
      let reference = foundation(line)
      #expect(dump(parsed) == reference.node, "\(line)")
      #expect(bag.diagnostics == reference.diagnostics, "\(line)")
    }
  }

  /// The fast reader on `line`'s bytes, as batch grading calls it.
  static func fast(_ line: String) -> YNode? {
    var line = line
    return line.withUTF8 { PlanJSONReader.node($0, at: Position(line: 7, column: 1)) }
  }
}
