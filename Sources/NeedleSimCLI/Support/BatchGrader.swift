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
          encoded = Data(report.compactJSON().utf8)
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
