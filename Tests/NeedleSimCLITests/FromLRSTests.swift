import Foundation
import GRDB
import NeedleSimTestSupport
import Testing

/// `--from-lrs`: three trainees' databases synced to a real Ralph LRS, read back, give the same answers as the union
/// of the three databases; and failures of the LRS leave no output file.
@Suite("Reading from the LRS", .serialized)
struct FromLRSTests {
  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-from-lrs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

  func environment(_ url: String, password: String = RalphServer.password) -> [String: String] {
    ["NEEDLESIM_LRS_URL": url, "NEEDLESIM_LRS_USER": RalphServer.user, "NEEDLESIM_LRS_PASSWORD": password,
     "NEEDLESIM_DB": path("unused.sqlite")]
  }

  /// Each trainee's own database: a template variant, a scripted event and an ordinary case.
  func recordAndSync(_ trainee: String, seed: Int, to ralph: RalphServer) throws {
    let plans = [
      #"{"scenario":"retired-engineer-hip-pain","decision":"needle","sites":["psoas right"],"seed":\#(seed),"eventMode":"off"}"#,
      #"{"scenario":"courier-calf-tightness","screening":["medications"],"decision":"needle","precautions":["informed-consent"],"sites":[{"site":"gastrocnemius","side":"left"}]}"#,
      #"{"scenario":"dancer-upper-back-pain","decision":"needle","sites":["rhomboids right 15mm tangential"],"seed":42,"eventMode":"scripted","events":[{"event":"chest-symptoms","responses":["reassure-and-continue"]}]}"#,
    ]
    let graded = try Run.needlesim(["grade", "--batch", "-", "--save", "--trainee", trainee, "--db", path("\(trainee).sqlite")],
                                   stdin: plans.joined(separator: "\n") + "\n")
    #expect(graded.status == 0, "\(graded.stderr)")
    let synced = try Run.needlesim(["sync", "--db", path("\(trainee).sqlite")], environment: environment(ralph.endpoint))
    #expect(synced.status == 0, "\(synced.stderr)")
  }

  /// The union of the trainees' databases, made by copying their rows into one.
  func merge(_ trainees: [String]) throws -> String {
    let merged = path("merged.sqlite")
    #expect(try Run.needlesim(["scores", "--db", merged]).status == 0)  // creates the schema
    let pool = try DatabasePool(path: merged)
    for trainee in trainees {
      try pool.writeWithoutTransaction { db in
        try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [path("\(trainee).sqlite")])
        try db.inTransaction {
          try db.execute(sql: "INSERT INTO attempt SELECT * FROM source.attempt")
          try db.execute(sql: "INSERT INTO attemptItem SELECT * FROM source.attemptItem")
          return .commit
        }
        try db.execute(sql: "DETACH DATABASE source")
      }
    }
    try pool.close()
    return merged
  }

  @Test func threeDatabasesReadBackFromRalphGiveTheSameAnswers() throws {
    try #require(RalphServer.installed, "run `make test`, which installs Ralph")
    let ralph = try RalphServer()
    let trainees = ["t1", "t2", "t3"]
    for (index, trainee) in trainees.enumerated() { try recordAndSync(trainee, seed: index * 2, to: ralph) }
    let merged = try merge(trainees)
    let commands: [[String]] = [
      ["scores", "--json"], ["stats", "--json"], ["stats", "--json", "--scenario", "courier-calf-tightness"],
      ["export", "--format", "csv"], ["export", "--format", "json"], ["export", "--format", "gradebook"],
      ["export", "--format", "xapi"], ["export", "--format", "csv", "--trainee", "t2"],
    ]
    for command in commands {
      let local = try Run.needlesim(command + ["--db", merged])
      let remote = try Run.needlesim(command + ["--from-lrs"], environment: environment(ralph.endpoint))
      #expect(local.status == 0 && remote.status == 0, "\(command): \(remote.stderr)")
      #expect(!local.stdout.isEmpty)
      #expect(remote.stdout == local.stdout, "\(command.joined(separator: " ")) differs from the merged records")
    }
    // The HTML report too, but for its header (where the records came from, and when).
    func body(_ html: String) -> String {
      html.replacingOccurrences(of: #"<p class="meta">[^\n]*</p>"#, with: "", options: .regularExpression)
    }
    let pages = [path("local.html"), path("remote.html")]
    #expect(try Run.needlesim(["report", "--html", pages[0], "--db", merged]).status == 0)
    #expect(try Run.needlesim(["report", "--html", pages[1], "--from-lrs"], environment: environment(ralph.endpoint)).status == 0)
    let local = try String(contentsOfFile: pages[0], encoding: .utf8)
    #expect(body(try String(contentsOfFile: pages[1], encoding: .utf8)) == body(local) && local.contains("Exam") == false)
    // A second sync of the same records changes nothing: statements are stored once and read once.
    #expect(try Run.needlesim(["sync", "--db", path("t1.sqlite")], environment: environment(ralph.endpoint)).status == 0)
    let again = try Run.needlesim(["scores", "--json", "--from-lrs"], environment: environment(ralph.endpoint))
    #expect(again.stdout == (try Run.needlesim(["scores", "--json", "--db", merged])).stdout)
  }

  @Test func aFailingLRSGivesAClearErrorAndNoOutputFile() throws {
    try #require(RalphServer.installed, "run `make test`, which installs Ralph")
    let out = path("grades.csv")
    // Nothing listening.
    let down = try Run.needlesim(["export", "--format", "csv", "--from-lrs", "--out", out],
                                 environment: environment("http://127.0.0.1:\(RalphServer.freePort())/xAPI/"))
    #expect(down.status != 0 && down.stderr.contains("cannot read from the LRS") && down.stderr.contains("connection refused"))
    #expect(!down.stderr.contains("Fatal") && !FileManager.default.fileExists(atPath: out))
    // Wrong password.
    let ralph = try RalphServer()
    let refused = try Run.needlesim(["export", "--format", "csv", "--from-lrs", "--out", out],
                                    environment: environment(ralph.endpoint, password: "wrong-password"))
    #expect(refused.status != 0 && refused.stderr.contains("refused the credentials (HTTP 401)"), "\(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
    // A page that is not xAPI: a plain web server answering every path with a file.
    let site = directory.appendingPathComponent("site/xAPI")
    try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
    try "<html>not statements</html>".write(to: site.appendingPathComponent("statements"), atomically: true, encoding: .utf8)
    let port = RalphServer.freePort()
    let server = Process()
    server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    server.arguments = ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory",
                        directory.appendingPathComponent("site").path]
    server.standardOutput = FileHandle.nullDevice
    server.standardError = FileHandle.nullDevice
    try server.run()
    defer { server.terminate() }
    var malformed = try Run.needlesim(["stats", "--from-lrs"], environment: environment("http://127.0.0.1:\(port)/xAPI/"))
    for _ in 0..<50 where malformed.stderr.contains("connection refused") {
      Thread.sleep(forTimeInterval: 0.1)
      malformed = try Run.needlesim(["stats", "--from-lrs"], environment: environment("http://127.0.0.1:\(port)/xAPI/"))
    }
    #expect(malformed.status != 0 && malformed.stderr.contains("not an xAPI StatementResult"), "\(malformed.stderr)")
    // No LRS configured.
    let none = try Run.needlesim(["scores", "--from-lrs"], environment: ["NEEDLESIM_LRS_URL": "", "XDG_CONFIG_HOME": path("no-config")])
    #expect(none.status != 0 && none.stderr.contains("--from-lrs needs an LRS"), "\(none.stderr)")
  }
}
