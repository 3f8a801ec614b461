import Foundation
import Synchronization
import SafetyScoring
import ScenarioKit

/// Decodes and grades runs of batch lines on one thread at a time, writing each line's report or error into its
/// own buffer.
final class BatchWorker {
  let evaluator: Evaluator
  let cases: PreparedCases
  let path: String
  /// The output of the last run: one line per input line that is not blank. Reports splice in the writer's
  /// fragments, so it must be written before the next run.
  private(set) var output = SplicedBytes()
  /// The plans graded in the last run with their reports, when they are to be recorded (`--save`); otherwise
  /// reports are written straight from fragments and never built.
  private(set) var records: [(plan: Plan, report: Report)] = []
  private let recording: Bool
  private var known: [String: PreparedCase] = [:]

  struct LineError: Encodable {
    var line: Int
    var error: String
  }

  init(evaluator: Evaluator, cases: PreparedCases, path: String, recording: Bool) {
    self.evaluator = evaluator
    self.cases = cases
    self.path = path
    self.recording = recording
  }

  /// Grades lines `lines` of `block`, the first of which is line `firstLine` of the input, writing reports with
  /// `writer`'s fragments (which the output points at until it is written).
  func grade(_ lines: Range<Int>, of block: LineBlock, firstLine: Int, writer: ReportFragmentWriter) {
    output.removeAll()
    records.removeAll(keepingCapacity: true)
    // Bound once per run: reaching it through the evaluator for each line would copy it (a retain for each of
    // its many tables) each time.
    let catalog = evaluator.guidance.catalog
    for index in lines {
      let lineNumber = firstLine + index - lines.lowerBound
      let decoded = block.withLine(index) { line -> Decoded? in
        LineBlock.isBlank(line) ? nil : decode(line, lineNumber: lineNumber, catalog: catalog)
      }
      switch decoded {
      case nil: continue
      case .failed(let message):
        fail(message, lineNumber: lineNumber)
      case .plan(let plan):
        if let prepared = prepared(plan.scenario) {
          write(plan, for: prepared, writer: writer)
        } else {
          fail("no case \"\(plan.scenario)\"", lineNumber: lineNumber)
        }
      }
      output.bytes.append(0x0A)
    }
  }

  /// Grades `plan` and writes its report.
  private func write(_ plan: Plan, for prepared: PreparedCase, writer: ReportFragmentWriter) {
    if recording {
      let report = evaluator.grade(plan, for: prepared)
      report.appendCompactJSON(to: &output.bytes)
      records.append((plan, report))
    } else {
      writer.appendReport(grading: plan, for: prepared, to: &output)
    }
  }

  private func prepared(_ id: String) -> PreparedCase? {
    if let found = known[id] { return found }
    let found = cases.prepared(id)
    known[id] = found
    return found
  }

  private func fail(_ message: String, lineNumber: Int) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding two plain fields cannot fail.
    output.bytes.append(contentsOf: (try? encoder.encode(LineError(line: lineNumber, error: message))) ?? Data())
  }

  private enum Decoded {
    case plan(Plan)
    case failed(String)
  }

  /// Reads one line into a plan, or the first error that stops it.
  private func decode(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int, catalog: Catalog) -> Decoded {
    let bag = DiagnosticBag(path: path)
    if let node = JSONLine.parse(line, lineNumber: lineNumber, bag: bag),
      let plan = PlanReader.read(node, bag: bag, catalog: catalog)
    {
      return .plan(plan)
    }
    let message = bag.diagnostics.first { $0.severity == .error }.map { "\($0.column): \($0.message)" }
    return .failed(message ?? "cannot read the plan")
  }
}

/// The library's cases, each prepared for grading the first time a plan names it, shared by all threads.
final class PreparedCases: Sendable {
  private let evaluator: Evaluator
  private let byID: [String: Case]
  private let prepared = Mutex<[String: PreparedCase]>([:])

  init(_ cases: [Case], evaluator: Evaluator) {
    self.evaluator = evaluator
    byID = Dictionary(cases.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// The case `id` prepared, or nil when the library has no such case.
  func prepared(_ id: String) -> PreparedCase? {
    guard let scenario = byID[id] else { return nil }
    if let found = prepared.withLock({ $0[id] }) { return found }
    // Prepared outside the lock, so that a thread preparing one case does not hold up the others; two threads
    // that both prepare it keep whichever was stored first.
    let made = PreparedCase(scenario, evaluator: evaluator)
    return prepared.withLock { table in
      if let found = table[id] { return found }
      table[id] = made
      return made
    }
  }
}

/// One report fragment writer for each thread that grades. A thread keeps the fragments it wrote, which stay in its
/// core's cache; a writer tied to a run instead was picked up by whichever thread took the run, and grading spent
/// its time fetching fragments from the other core.
final class ThreadWriters: @unchecked Sendable {
  private let evaluator: Evaluator
  private let lock = NSLock()
  private var writers: [pthread_t: ReportFragmentWriter] = [:]

  init(evaluator: Evaluator) { self.evaluator = evaluator }

  /// The calling thread's writer. A thread grades one run at a time, so no writer is used by two at once.
  func current() -> ReportFragmentWriter {
    let thread = pthread_self()
    lock.lock()
    defer { lock.unlock() }
    if let found = writers[thread] { return found }
    let made = ReportFragmentWriter(evaluator: evaluator)
    writers[thread] = made
    return made
  }
}
