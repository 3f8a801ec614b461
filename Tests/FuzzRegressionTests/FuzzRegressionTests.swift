import Foundation
import NeedleSimFuzzing
import NeedleSimTestSupport
import Testing

/// Replays the fuzzers' seed corpora and every crasher they ever found: each must be handled without a crash.
@Suite("Fuzz corpora and crashers")
struct FuzzRegressionTests {
  static func files(_ folder: String) -> [String] {
    let url = Repo.root.appendingPathComponent("Fuzz/\(folder)")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map { url.appendingPathComponent($0).path }
  }

  @Test func caseCorpusAndCrashers() throws {
    let paths = Self.files("corpus/case") + Self.files("crashers").filter { $0.contains("case-") }
    #expect(paths.count > 40)
    for path in paths {
      let data = try #require(FileManager.default.contents(atPath: path))
      #expect(FuzzEntry.caseFile(data) >= 0, "\(path)")
    }
  }

  @Test func planCorpusAndCrashers() throws {
    let paths = Self.files("corpus/plan") + Self.files("crashers").filter { $0.contains("plan-") }
    #expect(paths.count > 5)
    for path in paths {
      let data = try #require(FileManager.default.contents(atPath: path))
      #expect(FuzzEntry.planFile(data) >= 0, "\(path)")
    }
  }

  @Test func hostileInputsAreHandled() {
    let hostile: [Data] = [
      Data(), Data([0xFF, 0xFE, 0x00]), Data(String(repeating: "[", count: 100_000).utf8),
      Data(String(repeating: "a: &a [*a]\n", count: 10).utf8), Data("id: x\nid: y\n".utf8),
      Data("scenario: courier-calf-tightness\ndecision: needle\nsites: [psoas]\n".utf8),
      Data(#"{"scenario":"courier-calf-tightness","decision":"needle","sites":[{"site":"psoas","side":"up"}]}"#.utf8),
    ]
    for data in hostile {
      #expect(FuzzEntry.caseFile(data) >= 0)
      #expect(FuzzEntry.planFile(data) >= 0)
    }
  }
}
