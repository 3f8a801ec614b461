import ArgumentParser
import Foundation
import SafetyScoring
import ScenarioKit

/// Grades a stream of JSON plans, one per line, writing one JSON report (or error) per line in order.
///
/// Each chunk of lines read is cut into a few runs of consecutive lines, decoded and graded on all cores, each
/// run into its own buffer; recording (`--save`) and writing then go through the runs in input order on this
/// thread, so records and output are as a one-line-at-a-time run would leave them.
struct BatchGrader {
  let evaluator: Evaluator
  let library: CaseLibrary
  /// Records each graded plan when `--save` is given.
  let recorder: Recorder?

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
    let cases = PreparedCases(library.cases, evaluator: evaluator)
    let displayPath = path == "-" ? "<stdin>" : path
    // Two runs per core, so that a core that finishes early can take another.
    let workers = (0..<2 * ProcessInfo.processInfo.activeProcessorCount).map { _ in
      BatchWorker(evaluator: evaluator, cases: cases, path: displayPath, recording: recorder != nil)
    }
    let shared = Workers(workers)
    let writers = ThreadWriters(evaluator: evaluator)
    var lineNumber = 0
    var lines = ChunkedLines(handle: handle)
    while let block = lines.nextBlock() {
      let first = lineNumber + 1
      lineNumber += block.count
      let runs = workers.indices.map { part in
        block.count * part / workers.count..<block.count * (part + 1) / workers.count
      }
      _ = ParallelMap.map(Array(runs.enumerated())) { part, run in
        shared.workers[part].grade(run, of: block, firstLine: first + run.lowerBound, writer: writers.current())
      }
      for worker in workers {
        if let recorder {
          for record in worker.records { try recorder.record(record.plan, report: record.report) }
        }
        try Output.write(worker.output)
      }
    }
  }
}

/// The workers of one run, handed to the threads that grade: during a chunk, worker `i` is used only by the
/// thread grading run `i`, and between chunks only by the thread that writes.
private final class Workers: @unchecked Sendable {
  let workers: [BatchWorker]
  init(_ workers: [BatchWorker]) { self.workers = workers }
}
