import ArgumentParser
import Foundation
import SafetyScoring
import ScenarioKit

/// Grades a stream of JSON plans, one per line, writing one JSON report (or error) per line in order.
///
/// The lines of each chunk read are decoded and graded on all cores; recording (`--save`) and writing then go
/// through the chunk's results in input order on this thread, so records and output are as a one-line-at-a-time
/// run would leave them.
struct BatchGrader {
  let evaluator: Evaluator
  let library: CaseLibrary
  /// Records each graded plan when `--save` is given.
  let recorder: Recorder?

  struct LineError: Encodable {
    var line: Int
    var error: String
  }

  /// What one input line came to: nothing, a graded plan's report as JSON (with the plan and report when they are
  /// to be recorded), or the error written instead.
  enum Outcome: Sendable {
    case blank
    case graded(record: (plan: Plan, report: Report)?, json: [UInt8])
    case failed(String)
  }

  /// A case and what the guidance expects of it, held by reference so that grading a plan copies neither.
  final class CaseEntry: Sendable {
    let scenario: Case
    let expected: Expected

    init(_ scenario: Case, expected: Expected) {
      self.scenario = scenario
      self.expected = expected
    }
  }

  /// A line after decoding: a plan to grade, or already its outcome.
  enum Decoded: Sendable {
    case plan(Plan)
    case done(Outcome)
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
    var entries: [String: CaseEntry] = [:]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var output = Data()
    var lineNumber = 0
    let out = FileHandle.standardOutput
    let displayPath = path == "-" ? "<stdin>" : path
    let evaluator = evaluator
    // Without --save a report is dropped on the thread that made it, as soon as it is written out as JSON.
    let recording = recorder != nil
    var lines = ChunkedLines(handle: handle)
    while let chunk = lines.nextLines() {
      let first = lineNumber + 1
      lineNumber += chunk.count
      let decoded = ParallelMap.map(Array(chunk.enumerated())) { index, line in
        Self.decode(line, lineNumber: first + index, path: displayPath, catalog: evaluator.guidance.catalog)
      }
      // Expected depends only on the case, so it is derived once per case, before the parallel grading.
      for case .plan(let plan) in decoded where entries[plan.scenario] == nil {
        if let scenario = cases[plan.scenario] {
          entries[plan.scenario] = CaseEntry(scenario, expected: evaluator.expected(for: scenario))
        }
      }
      let known = entries
      let outcomes = ParallelMap.map(decoded) { line -> Outcome in
        switch line {
        case .done(let outcome):
          return outcome
        case .plan(let plan):
          guard let entry = known[plan.scenario] else { return .failed("no case \"\(plan.scenario)\"") }
          let report = evaluator.grade(plan, for: entry.scenario, expected: entry.expected)
          var encoded: [UInt8] = []
          report.appendCompactJSON(to: &encoded)
          return .graded(record: recording ? (plan, report) : nil, json: encoded)
        }
      }
      // Outcomes are read in place: enumerating would copy each one, retaining everything in its report.
      for index in outcomes.indices {
        switch outcomes[index] {
        case .blank:
          continue
        case .graded(let record, let encoded):
          if let recorder, let record { try recorder.record(record.plan, report: record.report) }
          output.append(contentsOf: encoded)
        case .failed(let message):
          output.append(try encoder.encode(LineError(line: first + index, error: message)))
        }
        output.append(0x0A)
        if output.count > 1 << 16 {
          out.write(output)
          output.removeAll(keepingCapacity: true)
        }
      }
    }
    out.write(output)
  }

  /// Reads one line into a plan, or the first error that stops it.
  private static func decode(_ line: String, lineNumber: Int, path: String, catalog: Catalog) -> Decoded {
    if line.allSatisfy(\.isWhitespace) { return .done(.blank) }
    let bag = DiagnosticBag(path: path)
    if let node = JSONLine.parse(line, lineNumber: lineNumber, bag: bag),
      let plan = PlanReader.read(node, bag: bag, catalog: catalog)
    {
      return .plan(plan)
    }
    let message = bag.diagnostics.first { $0.severity == .error }.map { "\($0.column): \($0.message)" }
    return .done(.failed(message ?? "cannot read the plan"))
  }
}
