// needlesim-bench: data generators and baselines for `make bench` (Benchmarks/run.py).
//
//   parse DIR…              parse every YAML file under the folders with libyaml, one thread (lint's baseline)
//   decode FILE             read a JSON-lines plan file and decode each plan on all cores with the reader
//                           `grade --batch` uses, no scoring (batch grading's baseline)
//   generate-cases N DIR    write N case files, variants of the bundled cases
//   generate-plans N FILE   write N JSON plans over the bundled cases
//   fill-db ITEMS PATH      record attempts through the real store (items, outbox and all) until the database
//                           holds at least ITEMS decision items; prints the exact count
import Foundation
import SafetyScoring
import ScenarioKit
import TraineeRecords
import YAMLReading

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("needlesim-bench: \(message)\n".utf8))
  exit(64)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("usage: see the header of Benchmarks/NeedleSimBench/main.swift") }

/// Loads the bundled guidance and cases as needlesim does.
func bundled() -> (Guidance, [Case]) {
  let guidanceURL = DataLocator.locate("Scoring", explicit: nil, environment: "NEEDLESIM_GUIDANCE")
  guard let guidance = GuidanceLoader.load(directory: guidanceURL).0 else { fail("cannot load the guidance") }
  let cases = CaseLibrary.load(
    [DataLocator.locate("Scenarios", explicit: nil, environment: "NEEDLESIM_LIBRARY")], catalog: guidance.catalog
  ).0.cases
  return (guidance, cases)
}

func count(_ index: Int) -> Int {
  guard arguments.count > index, let n = Int(arguments[index]), n > 0 else { fail("\(command) needs a count") }
  return n
}

switch command {
case "parse":
  guard arguments.count > 1 else { fail("parse DIR…") }
  var nodes = 0
  for url in CaseLibrary.caseFiles(in: arguments.dropFirst().map { URL(fileURLWithPath: $0) }) {
    let (node, _) = YAMLFile.read(url, path: url.lastPathComponent)
    if node != nil { nodes += 1 }
  }
  print("parsed \(nodes)")

case "decode":
  guard arguments.count > 1, let data = FileManager.default.contents(atPath: arguments[1]) else { fail("decode FILE") }
  let (guidance, _) = bundled()
  // Decoded as `grade --batch` decodes: PlanFile's line reader, blocks of lines on all cores.
  let catalog = guidance.catalog
  let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)
  var plans = 0
  for start in stride(from: 0, to: lines.count, by: 4096) {
    let block = Array(lines[start..<min(start + 4096, lines.count)])
    plans += ParallelMap.map(block) { PlanFile.read(line: $0, path: "plans", catalog: catalog).0 != nil }
      .filter { $0 }.count
  }
  print("decoded \(plans)")

case "generate-cases":
  let n = count(1)
  guard arguments.count > 2 else { fail("generate-cases N DIR") }
  let directory = URL(fileURLWithPath: arguments[2])
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let sources = CaseLibrary.caseFiles(in: [DataLocator.locate("Scenarios", explicit: nil, environment: "NEEDLESIM_LIBRARY")])
    .filter { $0.pathExtension == "yaml" }
  let texts = try sources.map { try String(contentsOf: $0, encoding: .utf8) }
  let ids = sources.map { $0.deletingPathExtension().lastPathComponent }
  for i in 0..<n {
    let k = i % texts.count
    let id = "\(ids[k])-v\(i)"
    let text = texts[k].replacingOccurrences(of: "id: \(ids[k])\n", with: "id: \(id)\n")
    try text.write(to: directory.appendingPathComponent("\(id).yaml"), atomically: false, encoding: .utf8)
  }

case "generate-plans":
  let n = count(1)
  guard arguments.count > 2 else { fail("generate-plans N FILE") }
  let (guidance, cases) = bundled()
  let evaluator = Evaluator(guidance: guidance)
  let models = cases.map { evaluator.modelPlan(for: $0).plan }
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  var out = Data()
  for i in 0..<n {
    var plan = models[i % models.count]
    // Vary the plans: drop a precaution, skip a question, or add a candidate site.
    if i % 3 == 1, !plan.precautions.isEmpty { plan.precautions.remove(at: i % plan.precautions.count) }
    if i % 5 == 2, !plan.screening.isEmpty { plan.screening.removeLast() }
    if i % 7 == 3, let extra = cases[i % cases.count].candidateSites.last, plan.scenario == cases[i % cases.count].id {
      plan.sites.append(extra)
    }
    out.append(try encoder.encode(plan))
    out.append(0x0A)
  }
  try out.write(to: URL(fileURLWithPath: arguments[2]))

case "fill-db":
  let target = count(1)
  guard arguments.count > 2 else { fail("fill-db ITEMS PATH") }
  let (guidance, cases) = bundled()
  let evaluator = Evaluator(guidance: guidance)
  let store = try SQLiteAttemptStore(path: arguments[2])
  let start = Date(timeIntervalSince1970: 1_790_000_000)
  var recorded = 0
  var i = 0
  while recorded < target {
    defer { i += 1 }
    let scenario = cases[i % cases.count]
    var plan = evaluator.modelPlan(for: scenario).plan
    if i % 2 == 1, !plan.precautions.isEmpty { plan.precautions.removeFirst() }
    let report = evaluator.grade(plan, for: scenario)
    let at = start.addingTimeInterval(Double(i) * 60)
    try store.save(Attempt(id: UUID(), trainee: "trainee-\(i % 200)", source: "grade", startedAt: at,
                           submittedAt: at.addingTimeInterval(300), plan: plan, hintsUsed: 0, report: report))
    recorded += report.items.count
  }
  var items = 0
  try store.forEachItem(AttemptFilter()) { _ in items += 1 }
  print("items \(items)")

default:
  fail("unknown command \(command)")
}
