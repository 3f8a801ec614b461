import Foundation
import NeedleSimTestSupport
import Testing

/// Golden transcripts of scripted sessions through a pipe: the non-TTY path students and scripts use.
@Suite("Pipe transcripts", .serialized)
struct TranscriptTests {
  static let scripts = ["safe-needle", "contraindicated", "refer", "red-flag-emergency", "thorax-technique"]

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
    let result = try play(input)
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
