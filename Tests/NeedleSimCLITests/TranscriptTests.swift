import Foundation
import NeedleSimTestSupport
import Testing

/// Golden transcripts of scripted sessions through a pipe: the non-TTY path students and scripts use.
@Suite("Pipe transcripts", .serialized)
struct TranscriptTests {
  /// Each script's arguments are in `NAME.args` beside it (one per line): events off for the scripts about planning,
  /// scripted or seeded events for the ones about responding to them.
  static let scripts = [
    "safe-needle", "contraindicated", "refer", "red-flag-emergency", "thorax-technique", "event-chest-reassured",
    "event-faint-managed", "event-next-day-call", "event-seeded",
  ]

  static func folder(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name)
  }

  func play(_ input: String, arguments: [String] = []) throws -> CommandResult {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-t-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try Run.needlesim(
      ["practice"] + arguments, stdin: input,
      environment: [
        "NEEDLESIM_DB": directory.appendingPathComponent("records.sqlite").path, "NEEDLESIM_TRAINEE": "transcript",
        "NEEDLESIM_STATE_DIR": directory.path,
      ])
  }

  @Test(arguments: scripts) func transcriptMatchesGolden(name: String) throws {
    let input = try String(contentsOf: Self.folder("Transcripts/\(name).in"), encoding: .utf8)
    let arguments = try String(contentsOf: Self.folder("Transcripts/\(name).args"), encoding: .utf8)
      .split(separator: "\n").map(String.init)
    let result = try play(input, arguments: arguments)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains("\u{1B}["), "no escape codes on a pipe")
    Golden.check(stable(result.stdout), against: golden("transcripts/\(name).txt"))
  }

  @Test func closedInputLeavesCleanly() throws {
    let result = try play("start courier-calf-tightness\ndecide needle\n")
    #expect(result.status == 0)
    #expect(result.stdout.hasSuffix("Goodbye.\n"))
  }

  @Test func aHugeLineIsHandled() throws {
    let result = try play(String(repeating: "a", count: 1_000_000) + "\nquit\n")
    #expect(result.status == 0)
    #expect(result.stdout.contains("Unknown command"))
  }
}
