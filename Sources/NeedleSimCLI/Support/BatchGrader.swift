import ArgumentParser
import Foundation
import SafetyScoring
import ScenarioKit

/// Grades a stream of JSON plans, one per line, writing one JSON report (or error) per line in order.
struct BatchGrader {
  let evaluator: Evaluator
  let library: CaseLibrary
  /// Records each graded plan when `--save` is given.
  let recorder: Recorder?

  struct LineError: Encodable {
    var line: Int
    var error: String
  }

  func run(path: String) throws {
    let handle: FileHandle
    if path == "-" {
      handle = .standardInput
    } else {
      guard let opened = FileHandle(forReadingAtPath: path) else {
        Output.err("error: cannot read \(path)")
        throw ExitCode.failure
      }
      handle = opened
    }
    let cases = Dictionary(library.cases.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var expectedCache: [String: Expected] = [:]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var output = Data()
    var lineNumber = 0
    let out = FileHandle.standardOutput
    for line in ChunkedLines(handle: handle) {
      lineNumber += 1
      if line.allSatisfy(\.isWhitespace) { continue }
      let bag = DiagnosticBag(path: path == "-" ? "<stdin>" : path)
      let encoded: Data
      if let node = JSONLine.parse(line, lineNumber: lineNumber, bag: bag),
        let plan = PlanReader.read(node, bag: bag, catalog: evaluator.guidance.catalog)
      {
        if let scenario = cases[plan.scenario] {
          let expected = expectedCache[plan.scenario] ?? evaluator.expected(for: scenario)
          expectedCache[plan.scenario] = expected
          let report = evaluator.grade(plan, for: scenario, expected: expected)
          try recorder?.record(plan, report: report)
          encoded = try encoder.encode(report)
        } else {
          encoded = try encoder.encode(LineError(line: lineNumber, error: "no case \"\(plan.scenario)\""))
        }
      } else {
        let message = bag.diagnostics.first { $0.severity == .error }.map { "\($0.column): \($0.message)" }
        encoded = try encoder.encode(LineError(line: lineNumber, error: message ?? "cannot read the plan"))
      }
      output.append(encoded)
      output.append(0x0A)
      if output.count > 1 << 16 {
        out.write(output)
        output.removeAll(keepingCapacity: true)
      }
    }
    out.write(output)
  }
}

/// Reads a file handle line by line in large chunks.
struct ChunkedLines: Sequence, IteratorProtocol {
  let handle: FileHandle
  private var buffer = Data()
  private var finished = false

  init(handle: FileHandle) { self.handle = handle }

  mutating func next() -> String? {
    while true {
      if let newline = buffer.firstIndex(of: 0x0A) {
        let line = buffer[buffer.startIndex..<newline]
        buffer.removeSubrange(buffer.startIndex...newline)
        return String(decoding: line, as: UTF8.self)
      }
      if finished {
        guard !buffer.isEmpty else { return nil }
        defer { buffer.removeAll() }
        return String(decoding: buffer, as: UTF8.self)
      }
      let chunk = handle.readData(ofLength: 1 << 16)
      if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
    }
  }
}

/// Turns one JSON line into a ``YNode`` so that batch plans go through the same checks as plan files.
enum JSONLine {
  static func parse(_ line: String, lineNumber: Int, bag: DiagnosticBag) -> YNode? {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
    } catch {
      bag.error("not valid JSON", line: lineNumber, column: 1)
      return nil
    }
    return node(object, at: Position(line: lineNumber, column: 1))
  }

  static func node(_ value: Any, at position: Position) -> YNode {
    switch value {
    case let dictionary as [String: Any]:
      let pairs = dictionary.keys.sorted().map { key in
        YNode.Pair(key: YNode(kind: .scalar(key, plain: false), position: position),
                   value: node(dictionary[key] as Any, at: position))
      }
      return YNode(kind: .mapping(pairs), position: position)
    case let array as [Any]:
      return YNode(kind: .sequence(array.map { node($0, at: position) }), position: position)
    case let string as String:
      return YNode(kind: .scalar(string, plain: false), position: position)
    case is NSNull:
      return YNode(kind: .scalar("null", plain: true), position: position)
    case let flag as Bool:
      return YNode(kind: .scalar(flag ? "true" : "false", plain: true), position: position)
    case let number as NSNumber:
      return YNode(kind: .scalar(number.stringValue, plain: true), position: position)
    default:
      return YNode(kind: .scalar(String(describing: value), plain: false), position: position)
    }
  }
}
