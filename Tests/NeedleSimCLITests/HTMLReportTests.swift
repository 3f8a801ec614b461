import Foundation
import NeedleSimTestSupport
import Testing

/// `needlesim report --html`: one self-contained page, rendered by a real headless Chromium.
@Suite("HTML report", .serialized)
struct HTMLReportTests {
  let directory: URL
  let db: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-report-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    db = directory.appendingPathComponent("records.sqlite").path
  }

  static var chromium: String? {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Three trainees' attempts (one of them twice, to show progress) and an exam sitting.
  func record() throws {
    let engineer = #"{"scenario":"retired-engineer-hip-pain","decision":"needle","sites":["psoas right"],"seed":0,"eventMode":"off"}"#
    let courier = #"{"scenario":"courier-calf-tightness","screening":["medications"],"decision":"needle","precautions":["informed-consent"],"sites":[{"site":"gastrocnemius","side":"left"}]}"#
    for (trainee, plans) in [("ana", [engineer, courier, courier]), ("ben", [courier]), ("cho", [engineer])] {
      let graded = try Run.needlesim(["grade", "--batch", "-", "--save", "--trainee", trainee, "--db", db],
                                     stdin: plans.joined(separator: "\n") + "\n")
      #expect(graded.status == 0, "\(graded.stderr)")
    }
    let model = try Run.needlesim(["answer", "courier-calf-tightness"]).stdout
    let plan = directory.appendingPathComponent("model.yaml")
    try model.write(to: plan, atomically: true, encoding: .utf8)
    #expect(try Run.needlesim(["grade", "--plan", plan.path, "--save", "--trainee", "ben", "--db", db]).status == 0)
    let input = try String(contentsOf: TranscriptTests.folder("Transcripts/exam.in"), encoding: .utf8)
    let sat = try Run.needlesim(["exam", "start", "Exams/safety-osce-week-6.yaml", "--trainee", "cho", "--db", db],
                                stdin: input, environment: ["NEEDLESIM_EXAM_KEY": "an-instructor-key-of-32-bytes-ok"])
    #expect(sat.status == 0, "\(sat.stderr)")
  }

  @Test func thePageIsSelfContainedAndChromiumRendersItsFigures() throws {
    try record()
    let page = directory.appendingPathComponent("cohort.html")
    let written = try Run.needlesim(["report", "--html", page.path, "--db", db])
    #expect(written.status == 0, "\(written.stderr)")
    let html = try String(contentsOf: page, encoding: .utf8)
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"))
    #expect(!html.contains("src=") && !html.contains("href=\"http"), "nothing is fetched")
    // The numbers behind the charts, from the records' own statistics.
    let stats = try JSONSerialization.jsonObject(with: Data(try Run.needlesim(["stats", "--json", "--db", db]).stdout.utf8)) as? [String: Any]
    let cases = try #require(stats?["cases"] as? [[String: Any]])
    let rules = try #require(stats?["rules"] as? [[String: Any]])

    let browser = try #require(Self.chromium, "run `make test`: `make deps` installs Debian's chromium")
    let profile = directory.appendingPathComponent("chromium-profile").path
    let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--enable-logging=stderr",
                  "--v=0"]
    let dom = try Run.program(browser, common + ["--dump-dom", page.absoluteString])
    #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
    #expect(!dom.stderr.contains("CONSOLE") && !dom.stderr.contains("Uncaught"), "the page loads with no errors")
    for row in cases {
      let scenario = try #require(row["scenario"] as? String)
      let rate = try #require(row["passRate"] as? Double)
      let rendered = rate == rate.rounded() ? String(Int(rate)) : String(rate)
      #expect(dom.stdout.contains("<td>\(scenario)</td><td>\(row["attempts"] ?? "")</td><td>\(row["passed"] ?? "")</td><td>\(rendered)%</td>"),
              "\(scenario) \(rendered)%")
    }
    let top = try #require(rules.first?["rule"] as? String)
    #expect(dom.stdout.contains("<a href=\"#rule-\(top)\">\(top)</a>") && dom.stdout.contains("<article id=\"rule-\(top)\">"))
    for trainee in ["ana", "ben", "cho"] { #expect(dom.stdout.contains("<h3>\(trainee)</h3>")) }
    #expect(dom.stdout.contains("Exam safety-osce-week-6"), "exam results where there are any")
    #expect(dom.stdout.contains("[1] AHPCSA"), "each rule's sources")
    // The screenshot is kept as a test artefact.
    let artefacts = Repo.root.appendingPathComponent(".build/test-artifacts")
    try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
    let shot = artefacts.appendingPathComponent("cohort-report.png")
    try? FileManager.default.removeItem(at: shot)
    let screenshot = try Run.program(browser, common + ["--screenshot=\(shot.path)", "--window-size=1200,2400", page.absoluteString])
    #expect(screenshot.status == 0)
    let png = try Data(contentsOf: shot)
    #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG of the rendered page")
  }

  @Test func aReportForOneCaseSinceADateAndAClearErrorForABadDate() throws {
    try record()
    let page = directory.appendingPathComponent("one.html")
    let written = try Run.needlesim(["report", "--html", page.path, "--db", db, "--scenario", "courier-calf-tightness",
                                     "--since", "2000-01-01"])
    #expect(written.status == 0)
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(html.contains("case courier-calf-tightness") && !html.contains("<td>retired-engineer-hip-pain</td>"))
    let bad = try Run.needlesim(["report", "--html", page.path, "--db", db, "--since", "yesterday"])
    #expect(bad.status != 0 && bad.stderr.contains("--since takes a date"))
    let unwritable = try Run.needlesim(["report", "--html", "/nonexistent-folder/x.html", "--db", db])
    #expect(unwritable.status != 0 && unwritable.stderr.contains("cannot write /nonexistent-folder/x.html"))
  }
}
