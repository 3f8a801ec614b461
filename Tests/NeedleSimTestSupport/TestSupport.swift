import Foundation
import SafetyScoring
import ScenarioKit
import Testing

/// Paths into the source checkout, found from this file's location so tests run from any directory.
public enum Repo {
  public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  public static var scoring: URL { root.appendingPathComponent("Scoring") }
  public static var scenarios: URL { root.appendingPathComponent("Scenarios") }
  public static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures") }

  /// The built `needlesim` binary, next to the test bundle.
  public static var binary: URL {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
    if directory.lastPathComponent.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
    return directory.appendingPathComponent("needlesim")
  }
}

/// The bundled guidance and library, loaded once per test process.
public enum Bundled {
  public static let guidance: Guidance = {
    let (guidance, diagnostics) = GuidanceLoader.load(directory: Repo.scoring)
    guard let guidance else { fatalError("bundled guidance does not load: \(diagnostics)") }
    return guidance
  }()

  public static let library: CaseLibrary = {
    CaseLibrary.load([Repo.scenarios], catalog: guidance.catalog).0
  }()

  public static func scenario(_ id: String) -> Case {
    guard let found = library.find(id) else { fatalError("no bundled case \(id)") }
    return found
  }

  /// The first seed (counting from 0) whose variant of template `scenario` has every value in `values`, and that
  /// variant; nil when none of the first thousand seeds draws it.
  public static func variant(of scenario: Case, with values: [String: String]) -> (seed: Int, scenario: Case)? {
    guard let template = scenario.template else { return nil }
    for seed in 0..<1000 {
      guard let drawn = template.values(seed: seed),
        values.allSatisfy({ wanted in drawn.contains { $0.name == wanted.key && $0.value == wanted.value } }),
        let variant = template.variant(seed: seed).0
      else { continue }
      return (seed, variant)
    }
    return nil
  }
}

/// Golden-file comparison. Set NEEDLESIM_RECORD=1 to (re)write the golden files instead of comparing.
public enum Golden {
  /// `text` with the guidance version (any content hash of the bundled guidance's version number) and case revisions
  /// replaced by placeholders: they change with every edit, and the pattern is read from the guidance, so goldens
  /// survive a change of version number too.
  public static func stable(_ text: String, guidance: String = "<hash>", revision: String = "<hash>") -> String {
    let version = NSRegularExpression.escapedPattern(for: Bundled.guidance.config.version) + #"\+[0-9a-f]{12}"#
    return text.replacingOccurrences(of: version, with: guidance, options: .regularExpression)
      .replacingOccurrences(of: #"sha256:[0-9a-f]{64}"#, with: revision, options: .regularExpression)
  }


  public static func check(_ actual: String, against url: URL, sourceLocation: SourceLocation = #_sourceLocation) {
    let text = actual.hasSuffix("\n") ? actual : actual + "\n"
    if ProcessInfo.processInfo.environment["NEEDLESIM_RECORD"] != nil {
      try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? text.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record("missing golden file \(url.path); run with NEEDLESIM_RECORD=1 to create it",
                   sourceLocation: sourceLocation)
      return
    }
    if expected != text {
      Issue.record(
        "output differs from \(url.lastPathComponent) (re-record with NEEDLESIM_RECORD=1):\n\(diff(expected, text))",
        sourceLocation: sourceLocation)
    }
  }

  /// The first differing lines, enough to see what changed.
  static func diff(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(a.count, b.count) where out.count < 12 {
      let left = i < a.count ? String(a[i]) : "<none>"
      let right = i < b.count ? String(b[i]) : "<none>"
      if left != right { out.append("line \(i + 1):\n  - \(left)\n  + \(right)") }
    }
    return out.joined(separator: "\n")
  }
}

/// Runs the built binary and captures its output.
public struct CommandResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

public enum Run {
  /// The binary with the same environment as ``needlesim(_:stdin:environment:in:)``, not started yet: for tests
  /// that start several processes side by side and set up their standard streams themselves.
  public static func process(
    _ arguments: [String], environment: [String: String] = [:], in directory: URL = Repo.root
  ) -> Process {
    let process = Process()
    process.executableURL = Repo.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["LANG"] = "C.UTF-8"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    return process
  }

  public static func needlesim(
    _ arguments: [String], stdin: String = "", environment: [String: String] = [:], in directory: URL = Repo.root
  ) throws -> CommandResult {
    try capture(Self.process(arguments, environment: environment, in: directory), stdin: stdin)
  }

  /// Runs another program (a browser, say) and captures its output.
  public static func program(_ path: String, _ arguments: [String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    return try capture(process, stdin: "")
  }

  private static func capture(_ process: Process, stdin: String) throws -> CommandResult {
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a full stderr cannot block the child.
    let errorData = ErrorCollector(error.fileHandleForReading)
    let out = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: errorData.wait(), as: UTF8.self))
  }
}

/// Reads a pipe to the end on a background thread.
final class ErrorCollector: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      data = handle.readDataToEndOfFile()
      done.signal()
    }
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}

/// Cases built in code, for rule tests at exact boundaries.
public enum Synthetic {
  public static func scenario(
    age: Int = 40, sex: String = "male", candidates: [SiteChoice] = [SiteChoice(site: "levator-scapulae", side: .right)],
    _ configure: (inout PatientFacts) -> Void = { _ in }
  ) -> Case {
    var facts = PatientFacts(age: age, sex: sex)
    facts.previousNeedling = true
    configure(&facts)
    return Case(
      id: "synthetic", title: "Synthetic", version: 1, difficulty: "introductory", tags: [], objectives: ["test"],
      patientName: "Test Patient", occupation: "Tester", complaint: "", history: "", facts: facts, interview: [:],
      candidateSites: candidates, unsafePlans: [], path: "synthetic.yaml", idPosition: .start,
      revision: "sha256:test")
  }

  /// The ids of the scored rules that fire on `scenario`'s facts under `policy`.
  public static func firedRules(_ scenario: Case, policy: String? = nil) -> Set<String> {
    let evaluator = Evaluator(guidance: Bundled.guidance, policy: policy)
    return Set(evaluator.expected(for: scenario).factRules.map(\.id))
  }
}

/// A scratch copy of the bundled `Scoring/` folder for tests that plant or edit guidance; removed by `remove()`.
public struct ScratchGuidance {
  public let folder: URL

  public init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("scoring-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: Repo.scoring, to: folder)
  }

  /// Adds a rules file `name` holding `text`.
  public func addRules(_ name: String, _ text: String) throws {
    try text.write(to: folder.appendingPathComponent("rules/\(name)"), atomically: true, encoding: .utf8)
  }

  public func remove() { try? FileManager.default.removeItem(at: folder) }
}
