import Foundation
import NeedleSimTestSupport
import Testing

/// Records through the real binary: saving from several processes, exports, rescoring, and an LRS.
@Suite("Records commands", .serialized)
struct RecordsCommandTests {
  let directory: URL
  let db: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-rec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    db = directory.appendingPathComponent("records.sqlite").path
  }

  func plans(_ count: Int, prefix: String) -> String {
    (0..<count).map { index in
      let decision = index % 3 == 0 ? "decline" : "needle"
      return #"{"scenario":"courier-calf-tightness","screening":["medications"],"decision":"\#(decision)","precautions":["informed-consent"],"sites":[{"site":"gastrocnemius","side":"left"}]}"#
    }.joined(separator: "\n") + "\n"
  }

  @Test func severalProcessesRecordingAtOnceLoseNothing() throws {
    let processes = 8
    let each = 100
    let results = ConcurrentResults()
    DispatchQueue.concurrentPerform(iterations: processes) { index in
      let result = try? Run.needlesim(
        ["grade", "--batch", "-", "--save", "--trainee", "p\(index)", "--db", db], stdin: plans(each, prefix: "p\(index)"))
      results.add(result?.status ?? -1)
    }
    #expect(results.statuses == Array(repeating: 0, count: processes))
    let scores = try Run.needlesim(["scores", "--json", "--db", db])
    let object = try JSONSerialization.jsonObject(with: Data(scores.stdout.utf8)) as? [String: Any]
    let totals = object?["totals"] as? [[String: Any]] ?? []
    #expect(totals.count == processes)
    #expect(totals.reduce(0) { $0 + ($1["attempts"] as? Int ?? 0) } == processes * each)
  }

  @Test func exportsOpenAsDescribed() throws {
    _ = try Run.needlesim(["grade", "--batch", "-", "--save", "--trainee", "=HYPERLINK(\"x\")", "--db", db], stdin: plans(3, prefix: ""))
    let csv = try Run.needlesim(["export", "--format", "csv", "--db", db])
    #expect(csv.status == 0)
    #expect(csv.stdout.hasPrefix("trainee,case,attempt,started,submitted,kind,subject,verdict,severity,points,maxPoints,rule,policy,jurisdiction,practitionerLevel,seed,exam,seal\r\n"))
    #expect(csv.stdout.contains("\"'=HYPERLINK(\"\"x\"\")\""))
    let out = directory.appendingPathComponent("grades.csv")
    let gradebook = try Run.needlesim(["export", "--format", "gradebook", "--out", out.path, "--db", db])
    #expect(gradebook.status == 0)
    #expect(try String(contentsOf: out, encoding: .utf8).hasPrefix("username,courier-calf-tightness (%),Feedback"))
    let json = try Run.needlesim(["export", "--format", "json", "--db", db, "--since", "2000-01-01"])
    let attempts = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
    #expect(attempts?.count == 3)
    let none = try Run.needlesim(["export", "--format", "json", "--db", db, "--since", "2999-01-01"])
    #expect(none.stdout == "[]\n")
    let bad = try Run.needlesim(["export", "--format", "json", "--db", db, "--since", "yesterday"])
    #expect(bad.status == 64)
  }

  @Test func rescoreAfterARuleChangeReportsExactlyTheAffectedAttempts() throws {
    // Two attempts that differ only in gloves; then gloves stop being expected.
    let withGloves = #"{"scenario":"courier-calf-tightness","screening":["medications"],"decision":"needle","precautions":["informed-consent","gloves"],"sites":[{"site":"gastrocnemius","side":"left"}]}"#
    let without = #"{"scenario":"courier-calf-tightness","screening":["medications"],"decision":"needle","precautions":["informed-consent"],"sites":[{"site":"gastrocnemius","side":"left"}]}"#
    let declined = #"{"scenario":"accountant-low-back-pain","decision":"decline"}"#
    _ = try Run.needlesim(["grade", "--batch", "-", "--save", "--trainee", "r1", "--db", db],
                          stdin: [withGloves, without, declined].joined(separator: "\n") + "\n")
    let guidance = directory.appendingPathComponent("Scoring")
    try FileManager.default.copyItem(at: Repo.scoring, to: guidance)
    let universal = guidance.appendingPathComponent("rules/universal.yaml")
    let text = try String(contentsOf: universal, encoding: .utf8)
    let edited = text.replacingOccurrences(
      of: "  - id: gloves\n    title: Wear sterile gloves\n    refs: [PR-22]\n    sources: [\"1\"]\n    severity: minor\n    when: {always: true}",
      with: "  - id: gloves\n    title: Wear sterile gloves\n    refs: [PR-22]\n    sources: [\"1\"]\n    severity: minor\n    when: {age: {gt: 150}}")
    #expect(edited != text)
    try edited.write(to: universal, atomically: true, encoding: .utf8)

    let dry = try Run.needlesim(["rescore", "--dry-run", "--json", "--db", db, "--guidance", guidance.path])
    #expect(dry.status == 0, "\(dry.stderr)")
    let summary = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any]
    let changed = summary?["changed"] as? [[String: Any]] ?? []
    #expect(summary?["attempts"] as? Int == 3)
    #expect(changed.count == 2, "both needling attempts had a gloves item; the declined one did not")
    #expect(changed.allSatisfy { ($0["items"] as? [[String: Any]])?.first?["subject"] as? String == "gloves" })

    _ = try Run.needlesim(["rescore", "--db", db, "--guidance", guidance.path])
    let again = try Run.needlesim(["rescore", "--json", "--db", db, "--guidance", guidance.path])
    let second = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
    #expect((second?["changed"] as? [Any])?.isEmpty == true, "a second rescore under the same guidance changes nothing")
    let original = try Run.needlesim(["export", "--format", "json", "--db", db])
    #expect(original.stdout.contains("\"subject\":\"gloves\""), "original reports are kept")
  }

  @Test func theProfileIsRecordedExportedAndUsedByRescore() throws {
    // A 16-year-old who comes without a guardian: under an age of consent of 16 she consents for herself, so the
    // child rule (which makes needling her a critical error under 18) does not apply.
    let library = directory.appendingPathComponent("cases")
    try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
    let original = try String(
      contentsOf: Repo.root.appendingPathComponent("Scenarios/teenage-runner-calf-tightness.yaml"), encoding: .utf8)
    let alone = original.replacingOccurrences(
      of: "consent: {guardianConsent: true, assent: true}", with: "consent: {guardianConsent: false, assent: true}")
    #expect(alone != original)
    try alone.write(to: library.appendingPathComponent("teenage-runner-calf-tightness.yaml"), atomically: true, encoding: .utf8)
    let plan = #"{"scenario":"teenage-runner-calf-tightness","decision":"needle","precautions":["informed-consent"],"sites":[{"site":"gastrocnemius","side":"left"}]}"#
    let graded = try Run.needlesim(
      ["grade", "--batch", "-", "--save", "--trainee", "p1", "--jurisdiction", "age-16", "--level", "advanced",
       "--library", library.path, "--db", db], stdin: plan + "\n")
    #expect(graded.status == 0, "\(graded.stderr)")
    #expect(graded.stdout.contains(#""jurisdiction":"age-16""#) && graded.stdout.contains(#""practitionerLevel":"advanced""#))
    let json = try Run.needlesim(["export", "--format", "json", "--db", db])
    #expect(json.stdout.contains(#""jurisdiction":"age-16""#))
    let csv = try Run.needlesim(["export", "--format", "csv", "--db", db])
    #expect(csv.stdout.contains(",conservative,age-16,advanced,,,\r\n"))
    let xapi = try Run.needlesim(["export", "--format", "xapi", "--db", db])
    #expect(xapi.stdout.contains(#"/ext/jurisdiction":"age-16""#))
    // Rescore keeps each attempt's own profile; a different jurisdiction brings the child rules back.
    func changedSubjects(_ extra: [String]) throws -> [String] {
      let run = try Run.needlesim(["rescore", "--dry-run", "--json", "--library", library.path, "--db", db] + extra)
      let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
      let changed = summary?["changed"] as? [[String: Any]] ?? []
      return changed.flatMap { ($0["items"] as? [[String: Any]] ?? []).compactMap { $0["subject"] as? String } }
    }
    #expect(try changedSubjects([]).isEmpty)
    #expect(try changedSubjects(["--jurisdiction", "age-18"]).contains("needle"))
    let unknown = try Run.needlesim(["answer", "teenage-runner-calf-tightness", "--jurisdiction", "age-12"])
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("no jurisdiction \"age-12\"; choose one of: age-18, age-16"))
    let level = try Run.needlesim(["answer", "teenage-runner-calf-tightness", "--level", "expert"])
    #expect(level.stderr.contains("no practitioner level \"expert\"; choose one of: entry, advanced"))
  }

  /// A template case's variant follows the plan's seed everywhere: grading, the saved attempt, every export, rescoring.
  @Test func theVariantOfATemplateIsGradedRecordedExportedAndRescored() throws {
    // Seed 2 draws the retired engineer without a blood thinner, seed 0 on apixaban; psoas is forbidden only on it.
    func plan(_ seed: Int) -> String {
      #"{"scenario":"retired-engineer-hip-pain","decision":"needle","sites":["psoas right"],"seed":\#(seed),"eventMode":"off"}"#
    }
    let graded = try Run.needlesim(["grade", "--batch", "-", "--save", "--trainee", "v1", "--db", db],
                                   stdin: plan(2) + "\n" + plan(0) + "\n")
    #expect(graded.status == 0, "\(graded.stderr)")
    let lines = graded.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(!lines[0].contains("anticoagulant-non-compressible") && lines[0].contains(#""value":"none""#))
    #expect(lines[1].contains(#""rule":"anticoagulant-non-compressible""#) && lines[1].contains(#""value":"apixaban""#))
    #expect(lines[1].contains(#""variant":{"seed":0,"values":[{"name":"age","value":"70"}"#))
    let csv = try Run.needlesim(["export", "--format", "csv", "--db", db])
    #expect(csv.stdout.contains(",conservative,age-18,entry,2,,\r\n") && csv.stdout.contains(",conservative,age-18,entry,0,,\r\n"))
    let xapi = try Run.needlesim(["export", "--format", "xapi", "--db", db])
    #expect(xapi.stdout.contains(#"/ext/variant":{"age":"70","blood-thinner":"apixaban"}"#))
    let rescore = try Run.needlesim(["rescore", "--dry-run", "--json", "--db", db])
    let summary = try JSONSerialization.jsonObject(with: Data(rescore.stdout.utf8)) as? [String: Any]
    #expect((summary?["changed"] as? [Any])?.isEmpty == true, "the same seed draws the same variant on rescoring")
    // show and answer take the seed too; the values stay hidden in `show`.
    let shown = try Run.needlesim(["show", "retired-engineer-hip-pain", "--seed", "2", "--json"])
    #expect(shown.stdout.contains(#""seed" : 2"#) && !shown.stdout.contains("blood-thinner"))
    let answer = try Run.needlesim(["answer", "retired-engineer-hip-pain", "--seed", "2"])
    #expect(answer.stdout.contains("# Variant: seed 2 (age=70, blood-thinner=none)"))
    #expect(!answer.stdout.contains("light-technique"), "no bleeding precautions without a blood thinner")
  }

  /// `mastery` replays the records through the Leitner schedule: two right reviews put a rule in box 3, one wrong
  /// review sends it back to box 1, due at once.
  @Test func masteryReportsBoxesAndWhatIsDue() throws {
    let right = #"{"scenario":"retired-engineer-hip-pain","decision":"needle","sites":["gluteus-medius right"],"seed":2,"eventMode":"off"}"#
    let wrong = #"{"scenario":"retired-engineer-hip-pain","decision":"needle","sites":["psoas right"],"seed":0,"eventMode":"off"}"#
    for (trainee, plan) in [("m1", right), ("m1", right), ("m2", wrong)] {
      let graded = try Run.needlesim(["grade", "--batch", "-", "--save", "--trainee", trainee, "--db", db], stdin: plan + "\n")
      #expect(graded.status == 0, "\(graded.stderr)")
    }
    let result = try Run.needlesim(["mastery", "--json", "--as-of", "2100-01-01", "--db", db])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let trainees = try #require(document["trainees"] as? [[String: Any]])
    #expect(trainees.compactMap { $0["trainee"] as? String } == ["m1", "m2"])
    func rule(_ trainee: Int, _ id: String) -> [String: Any]? {
      (trainees[trainee]["rules"] as? [[String: Any]])?.first { $0["rule"] as? String == id }
    }
    // Both of m1's plans needle without screening or hygiene: screening-core was wrong twice, box 1.
    #expect(rule(0, "screening-core")?["box"] as? Int == 1 && rule(0, "screening-core")?["reviews"] as? Int == 2)
    #expect(rule(1, "anticoagulant-non-compressible")?["box"] as? Int == 1)
    #expect(rule(1, "anticoagulant-non-compressible")?["isDue"] as? Bool == true)
    let families = try #require(trainees[1]["families"] as? [[String: Any]])
    #expect(families.contains { $0["family"] as? String == "bleeding" && ($0["due"] as? Int ?? 0) >= 1 })
    let text = try Run.needlesim(["mastery", "--trainee", "m2", "--db", db])
    #expect(text.stdout.contains("Bleeding and blood thinners") && text.stdout.contains("anticoagulant-non-compressible (box 1)"))
  }

  /// A seeded plan's events and responses go everywhere the plan goes: the saved attempt, every export, rescoring.
  @Test func eventsAndResponsesAreRecordedExportedAndRescored() throws {
    let plan = #"{"scenario":"dancer-upper-back-pain","decision":"needle","sites":["rhomboids right 15mm tangential"],"#
      + #""seed":42,"eventMode":"scripted","events":[{"event":"chest-symptoms","responses":["reassure-and-continue"]}]}"#
    let graded = try Run.needlesim(["grade", "--batch", "-", "--save", "--trainee", "e1", "--db", db], stdin: plan + "\n")
    #expect(graded.status == 0, "\(graded.stderr)")
    #expect(graded.stdout.contains(#""subject":"chest-symptoms/reassure-and-continue","verdict":"unsafe""#))
    #expect(graded.stdout.contains(#""events":[{"event":"chest-symptoms""#))
    let csv = try Run.needlesim(["export", "--format", "csv", "--db", db])
    #expect(csv.stdout.contains(",event,chest-symptoms/urgent-medical-assessment,missed,critical,"))
    let json = try Run.needlesim(["export", "--format", "json", "--db", db])
    #expect(json.stdout.contains(#""seed":42"#) && json.stdout.contains(#""responses":["reassure-and-continue"]"#))
    let xapi = try Run.needlesim(["export", "--format", "xapi", "--db", db])
    #expect(xapi.stdout.contains(#"/ext/seed":42"#))
    #expect(xapi.stdout.contains(#"/ext/event":"https://needlesim.example/xapi/event/chest-symptoms""#))
    #expect(xapi.stdout.contains(#"/ext/responses":["reassure-and-continue"]"#))
    let rescore = try Run.needlesim(["rescore", "--dry-run", "--json", "--db", db])
    let summary = try JSONSerialization.jsonObject(with: Data(rescore.stdout.utf8)) as? [String: Any]
    #expect((summary?["changed"] as? [Any])?.isEmpty == true, "the same seed brings the same event on rescoring")
  }

  @Test func xapiExportIsAcceptedByARealLRSAndReadBack() throws {
    #expect(RalphServer.installed, "Ralph is installed by `make test` (make ralph); run the README's test command")
    guard RalphServer.installed else { return }
    _ = try Run.needlesim(["grade", "--batch", "-", "--save", "--trainee", "lrs-1", "--db", db], stdin: plans(2, prefix: ""))
    let export = try Run.needlesim(["export", "--format", "xapi", "--db", db, "--homepage", "https://example.org/programme"])
    #expect(export.status == 0)
    let statements = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [[String: Any]])
    let ralph = try RalphServer()
    defer { ralph.stop() }
    let posted = try RalphServer.request(
      "\(ralph.endpoint)statements", method: "POST", body: Data(export.stdout.utf8), user: RalphServer.user,
      password: RalphServer.password)
    #expect(posted.status == 200, "\(String(decoding: posted.body, as: UTF8.self))")
    let stored = try ralph.allStatements()
    #expect(Set(stored.compactMap { $0["id"] as? String }) == Set(statements.compactMap { $0["id"] as? String }))
    let verbs = Set(stored.compactMap { ($0["verb"] as? [String: Any])?["id"] as? String })
    #expect(verbs.contains("http://adlnet.gov/expapi/verbs/answered"))
    #expect(verbs.contains("http://adlnet.gov/expapi/verbs/passed") || verbs.contains("http://adlnet.gov/expapi/verbs/failed"))
  }
}

final class ConcurrentResults: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [Int32] = []
  func add(_ status: Int32) {
    lock.lock()
    values.append(status)
    lock.unlock()
  }
  var statuses: [Int32] {
    lock.lock()
    defer { lock.unlock() }
    return values
  }
}
