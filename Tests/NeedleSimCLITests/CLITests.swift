import Foundation
import NeedleSimTestSupport
import SafetyScoring
import Testing

/// Replaces values that change with every guidance edit, so golden files show only meaningful change.
func stable(_ text: String) -> String { Golden.stable(text) }

func golden(_ name: String) -> URL {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
}

@Suite("lint on broken fixtures", .serialized)
struct LintFixtureTests {
  static let fixtures = [
    "syntax-error", "unknown-key", "unknown-site", "unknown-precaution", "wrong-type", "missing-field",
    "side-on-unsided", "unknown-topic", "unknown-rule", "unknown-code", "unsafe-plan-passes", "alias-bomb",
  ]

  @Test(arguments: fixtures) func brokenFixtureReportsItsError(name: String) throws {
    let result = try Run.needlesim(["lint", "Tests/Fixtures/broken/\(name).yaml"])
    #expect(result.status == 1)
    Golden.check(result.stderr, against: golden("lint/\(name).txt"))
  }

  @Test func duplicateIdsAcrossFiles() throws {
    let result = try Run.needlesim(["lint", "Tests/Fixtures/broken/duplicate"])
    #expect(result.status == 1)
    Golden.check(result.stderr, against: golden("lint/duplicate.txt"))
  }

  @Test func validFixtureIsClean() throws {
    let result = try Run.needlesim(["lint", "Tests/Fixtures/valid"])
    #expect(result.status == 0, "\(result.stderr)")
  }

  @Test func jsonOutputForTools() throws {
    let result = try Run.needlesim(["lint", "--json", "Tests/Fixtures/broken/unknown-site.yaml"])
    #expect(result.status == 1)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let diagnostics = object?["diagnostics"] as? [[String: Any]]
    #expect(diagnostics?.first?["line"] as? Int == 31)
    #expect(diagnostics?.first?["column"] as? Int == 12)
    #expect(object?["errors"] as? Int == 1)
  }

  @Test func bundledLibraryAndGuidanceLintClean() throws {
    let result = try Run.needlesim(["lint"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stderr.contains("warning:"), "\(result.stderr)")
  }

  @Test func lintWarnsAboutAMajorRuleThatRestsOnlyOnLowAuthoritySources() throws {
    let scratch = try ScratchGuidance()
    defer { scratch.remove() }
    try scratch.addRules("planted.yaml", """
      rules:
        - id: planted-consensus
          title: A course page's advice, scored as major
          refs: [RC-08]
          sources: ["S30"]
          severity: major
          when:
            minor: true
          expect:
            precautions:
              required: [recumbent]
          explanation: Planted by a test.
      """)
    let result = try Run.needlesim(["lint", "--guidance", scratch.folder.path])
    #expect(result.stderr.contains("planted.yaml:2:5: warning: rule \"planted-consensus\" rests only on low-authority [L] sources"),
            "\(result.stderr)")
  }

  @Test func plantedErrorInACopiedCaseIsFoundAtItsLineAndColumn() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let original = try String(contentsOf: Repo.scenarios.appendingPathComponent("retired-engineer-hip-pain.yaml"), encoding: .utf8)
    var lines = original.components(separatedBy: "\n")
    let index = try #require(lines.firstIndex { $0.contains("class: anticoagulant") })
    let column = try #require(lines[index].range(of: "anticoagulant")).lowerBound.utf16Offset(in: lines[index]) + 1
    lines[index] = lines[index].replacingOccurrences(of: "anticoagulant", with: "anticoagulent")
    let copy = directory.appendingPathComponent("retired-engineer-hip-pain.yaml")
    try lines.joined(separator: "\n").write(to: copy, atomically: true, encoding: .utf8)
    let result = try Run.needlesim(["lint", copy.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains(
      "\(copy.path):\(index + 1):\(column): error: unknown medication class \"anticoagulent\" (did you mean \"anticoagulant\"?)"),
      "\(result.stderr)")
  }
}

@Suite("Commands", .serialized)
struct CommandTests {
  @Test(arguments: ["retired-engineer-hip-pain", "accountant-low-back-pain"]) func showGolden(id: String) throws {
    let result = try Run.needlesim(["show", id])
    #expect(result.status == 0)
    Golden.check(stable(result.stdout), against: golden("show/\(id).txt"))
  }

  @Test func showJSONHasCandidateSitesInPlanSyntax() throws {
    let result = try Run.needlesim(["show", "retired-engineer-hip-pain", "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let sites = object?["candidateSites"] as? [[String: Any]]
    #expect(sites?.contains { $0["site"] as? String == "psoas" && $0["side"] as? String != nil } == true)
    #expect(object?["facts"] == nil)
  }

  @Test func listJSON() throws {
    let result = try Run.needlesim(["list", "--json"])
    let array = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
    #expect((array?.count ?? 0) >= 30)
    for key in ["id", "title", "difficulty", "tags"] { #expect(array?.first?[key] != nil) }
  }

  @Test(arguments: ["", "lint", "grade", "exam"]) func helpGolden(command: String) throws {
    let result = try Run.needlesim(command.isEmpty ? ["--help"] : [command, "--help"])
    #expect(result.status == 0)
    Golden.check(result.stdout, against: golden("help/\(command.isEmpty ? "needlesim" : command).txt"))
  }

  @Test func unknownCaseSuggests() throws {
    let result = try Run.needlesim(["show", "retired-engineer-hip"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("did you mean \"retired-engineer-hip-pain\""))
  }

  @Test func newWritesASkeletonThatLintsOnceFilled() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try Run.needlesim(["new", "my-first-case", "--dir", directory.path])
    #expect(result.status == 0)
    let lint = try Run.needlesim(["lint", directory.appendingPathComponent("my-first-case.yaml").path])
    #expect(lint.status == 0, "\(lint.stderr)")
    let again = try Run.needlesim(["new", "my-first-case", "--dir", directory.path])
    #expect(again.status != 0)
    let bad = try Run.needlesim(["new", "../escape", "--dir", directory.path])
    #expect(bad.status != 0)
  }
}

@Suite("grade", .serialized)
struct GradeTests {
  func planFile(_ text: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func answerThenGradeScoresFullMarksForEveryCase() throws {
    let list = try Run.needlesim(["list", "--json"])
    let ids = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?
      .compactMap { $0["id"] as? String } ?? []
    #expect(ids.count >= 30)
    for id in ids {
      let answer = try Run.needlesim(["answer", id])
      let url = try planFile(answer.stdout)
      defer { try? FileManager.default.removeItem(at: url) }
      let graded = try Run.needlesim(["grade", "--scenario", id, "--plan", url.path, "--json"])
      #expect(graded.status == 0, "\(id): \(graded.stderr)")
      let report = try JSONSerialization.jsonObject(with: Data(graded.stdout.utf8)) as? [String: Any]
      #expect(report?["passed"] as? Bool == true, "\(id)")
      #expect(report?["scorePercent"] as? Double == 100, "\(id)")
    }
  }

  @Test func unsafePlanReportGolden() throws {
    let url = try planFile("""
      scenario: retired-engineer-hip-pain
      screening: [medical-history, medications]
      decision: needle
      precautions: [informed-consent, hand-hygiene, sterile-single-use-needles, skin-disinfection]
      sites:
        - {site: psoas, side: right}
      """)
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try Run.needlesim(["grade", "--plan", url.path, "--json"])
    #expect(result.status == 0)
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(report?["passed"] as? Bool == false)
    let failures = report?["criticalFailures"] as? [[String: Any]]
    #expect(failures?.contains { $0["rule"] as? String == "anticoagulant-non-compressible" } == true)
    Golden.check(stable(result.stdout), against: golden("grade/apixaban-psoas.json"))
  }

  @Test func badPlanFileGetsLocatedErrors() throws {
    let url = try planFile("scenario: retired-engineer-hip-pain\ndecision: needel\nsites: [{site: psoas}]\n")
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try Run.needlesim(["grade", "--plan", url.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains(":2:11: error: unknown decision \"needel\" (did you mean \"needle\"?)"))
    #expect(result.stderr.contains(":3:16: error: site \"psoas\" needs a side"))
  }

  @Test func batchWritesOneReportPerLine() throws {
    let lines = [
      #"{"scenario":"retired-engineer-hip-pain","screening":["medications"],"decision":"needle","precautions":["informed-consent"],"sites":[{"site":"gluteus-medius","side":"right"}]}"#,
      #"{"scenario":"no-such-case","decision":"defer"}"#,
      "not json",
      #"{"scenario":"accountant-low-back-pain","decision":"decline"}"#,
    ]
    let result = try Run.needlesim(["grade", "--batch", "-"], stdin: lines.joined(separator: "\n") + "\n")
    #expect(result.status == 0)
    let out = result.stdout.split(separator: "\n")
    #expect(out.count == 4)
    #expect(out[0].contains(#""scenario":"retired-engineer-hip-pain""#))
    #expect(out[1].contains(#""error":"no case \"no-such-case\"""#))
    #expect(out[2].contains(#""line":3"#))
    #expect(out[3].contains(#""passed""#))
  }

  /// One reader and one writer: a batch line grades exactly as the same plan in a plan file does.
  @Test func aBatchLineGradesAsThePlanFileDoes() throws {
    let line = #"{"scenario":"retired-engineer-hip-pain","screening":["medications"],"decision":"needle","#
      + #""precautions":["informed-consent"],"sites":[{"site":"gluteus-medius","side":"right"}]}"#
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID()).json")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data(line.utf8).write(to: file)
    let single = try Run.needlesim(["grade", "--plan", file.path, "--json"])
    let batch = try Run.needlesim(["grade", "--batch", "-"], stdin: line + "\n")
    let decoder = JSONDecoder()
    let fromFile = try decoder.decode(Report.self, from: Data(single.stdout.utf8))
    let fromLine = try decoder.decode(Report.self, from: Data(batch.stdout.utf8))
    #expect(fromFile == fromLine)
  }

  /// A raw U+FEFF at the start of a string value is part of the value, whatever else the line holds: once it was
  /// kept or dropped depending on an unrelated duplicate key.
  @Test func aByteOrderMarkInsideAValueIsReadTheSameWayEveryTime() throws {
    let site = "\u{FEFF}psoas"
    let lines = [
      #"{"scenario":"accountant-low-back-pain","decision":"needle","sites":[""# + site + #""]}"#,
      #"{"scenario":"accountant-low-back-pain","decision":"needle","sites":["\ufeffpsoas"]}"#,
      #"{"scenario":"accountant-low-back-pain","decision":"needle","decision":"needle","sites":[""# + site + #""]}"#,
    ]
    let result = try Run.needlesim(["grade", "--batch", "-"], stdin: lines.joined(separator: "\n") + "\n")
    let out = result.stdout.split(separator: "\n").map(String.init)
    #expect(out.count == 3)
    #expect(out[0].contains(#"unknown site \"\#(site)\" (did you mean \"psoas\"?)"#), "\(out[0])")
    #expect(out[1] == out[0].replacingOccurrences(of: #""line":1"#, with: #""line":2"#))
    #expect(out[2].contains(#"duplicate key \"decision\""#), "\(out[2])")
  }
}

@Suite("Generated documents")
struct GeneratedDocumentTests {
  @Test func scenariosReadmeIsTheCurrentCoverageMatrix() throws {
    let result = try Run.needlesim(["coverage", "--markdown"])
    #expect(result.status == 0)
    let committed = try String(contentsOf: Repo.scenarios.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(committed == result.stdout, "Scenarios/README.md is stale: run `make coverage-readme`")
  }

  @Test func catalogDocIsCurrent() throws {
    let result = try Run.needlesim(["catalog"])
    #expect(result.status == 0)
    let committed = try String(contentsOf: Repo.root.appendingPathComponent("docs/catalog.md"), encoding: .utf8)
    #expect(committed == result.stdout, "docs/catalog.md is stale: run `make catalog-doc`")
  }

  @Test func coverageJSONListsEveryRule() throws {
    let result = try Run.needlesim(["coverage", "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let rules = object?["rules"] as? [[String: Any]] ?? []
    #expect(rules.count > 60)
    #expect(rules.allSatisfy { $0["id"] is String && $0["cases"] is [Any] })
  }
}
