import YAMLReading
import ArgumentParser
import Foundation
import SafetyScoring
import ScenarioKit
import Synchronization

/// Grades a stream of plans, one per line, writing one JSON report (or error) per line in input order.
///
/// The lines read together are graded on all cores; recording (`--save`) and writing then go through them in input
/// order, so records and output are as a one-line-at-a-time run would leave them.
struct BatchGrader {
  let evaluator: Evaluator
  let library: CaseLibrary
  /// Records each graded plan when `--save` is given.
  let recorder: Recorder?

  /// What one line gave: its JSON line (a report or an error) and, when recording, the plan and its report; nil for
  /// a blank line.
  struct Outcome: Sendable {
    var json: [UInt8]
    var record: (plan: Plan, report: Report)?
  }

  /// The output for a line that could not be graded.
  struct LineError: Encodable, Sendable {
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
    let displayPath = path == "-" ? "<stdin>" : path
    let cases = ExpectedCases(library, evaluator: evaluator)
    var lines = InputLines(handle: handle)
    var lineNumber = 0
    // One buffer for the whole run: a fresh one for each block faulted in new pages for every report.
    var output: [UInt8] = []
    while let block = lines.next() {
      let numbered = block.enumerated().map { (number: lineNumber + $0.offset + 1, text: $0.element) }
      lineNumber += block.count
      let outcomes = ParallelMap.map(numbered) { grade($0.text, lineNumber: $0.number, path: displayPath, cases: cases) }
      output.removeAll(keepingCapacity: true)
      for case let outcome? in outcomes {
        if let (plan, report) = outcome.record { try recorder?.record(plan, report: report) }
        output += outcome.json
        output.append(0x0A)
      }
      try Output.write(output)
    }
  }

  /// Reads, grades and writes one line (on any thread: the JSON is written here too, so that it is written on all
  /// cores).
  private func grade(_ line: Data, lineNumber: Int, path: String, cases: ExpectedCases) -> Outcome? {
    if line.allSatisfy({ $0 == 0x20 || (0x09...0x0D).contains($0) }) { return nil }
    let (plan, diagnostics) = PlanFile.read(line: line, path: path, catalog: evaluator.guidance.catalog)
    func failed(_ message: String) -> Outcome {
      // Encoding two plain fields cannot fail.
      Outcome(json: Array(((try? JSON.encode(LineError(line: lineNumber, error: message), pretty: false)) ?? "").utf8))
    }
    guard let plan else {
      let first = diagnostics.first { $0.severity == .error }
      return failed(first.map { "\($0.column): \($0.message)" } ?? "cannot read the plan")
    }
    let scenario: Case
    let expected: Expected
    switch cases.find(plan.scenario, seed: plan.seed) {
    case .none: return failed("no case \"\(plan.scenario)\"")
    case .unreadable(let problem): return failed(problem)
    case .found(let found, let made):
      scenario = found
      expected = made
    }
    let report = evaluator.grade(plan, for: scenario, expected: expected)
    // The report is kept only to be recorded: freeing it here frees it on all cores.
    return Outcome(json: report.jsonUTF8(pretty: false), record: recorder == nil ? nil : (plan, report))
  }
}

/// The library's cases (each variant of a template apart), each with what the guidance expects of it, worked out
/// the first time a plan names it.
private final class ExpectedCases: Sendable {
  enum Lookup {
    case none
    case unreadable(String)
    case found(Case, Expected)
  }

  /// How many cases and variants are kept at most, beyond which a variant is read again for each plan.
  static let variantsKept = 4096

  private let evaluator: Evaluator
  private let byID: [String: Case]
  /// By case id, and by id and seed for a template's variants.
  private let expected = Mutex<[String: (Case, Expected)]>([:])

  init(_ library: CaseLibrary, evaluator: Evaluator) {
    self.evaluator = evaluator
    byID = Dictionary(library.cases.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  func find(_ id: String, seed: Int?) -> Lookup {
    guard let scenario = byID[id] else { return .none }
    let key = scenario.template == nil ? id : "\(id)#\(seed.map(String.init) ?? "")"
    if let found = expected.withLock({ $0[key] }) { return .found(found.0, found.1) }
    let (variant, diagnostics) = scenario.variant(seed: seed)
    guard let variant else {
      let first = diagnostics.first { $0.severity == .error }
      return .unreadable("the variant of \"\(id)\" for seed \(seed.map(String.init) ?? "none") cannot be read: "
                         + (first.map { "\($0.path):\($0.line):\($0.column): \($0.message)" } ?? "unknown problem"))
    }
    let made = (variant, evaluator.expected(for: variant))
    // Every case as written is kept; a template's variants only up to a bound, so a batch of plans with a different
    // seed each does not keep them all.
    expected.withLock { if scenario.template == nil || $0.count < Self.variantsKept { $0[key] = made } }
    return .found(made.0, made.1)
  }
}
