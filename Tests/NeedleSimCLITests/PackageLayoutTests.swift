import Foundation
import NeedleSimTestSupport
import Testing

/// A test folder that Package.swift does not name is never built or run, and nothing says so: this test does.
@Suite("Package layout")
struct PackageLayoutTests {
  @Test func everyTestFolderIsATestTarget() throws {
    let manifest = try String(contentsOf: Repo.root.appendingPathComponent("Package.swift"), encoding: .utf8)
    let folders = try FileManager.default.contentsOfDirectory(atPath: Repo.root.appendingPathComponent("Tests").path)
      .filter { $0.hasSuffix("Tests") }
    #expect(folders.count >= 7)
    for folder in folders {
      let declared = manifest.range(of: #"\.testTarget\(\s*name: "\#(folder)""#, options: .regularExpression) != nil
      #expect(declared, "Tests/\(folder) is not a test target in Package.swift")
    }
  }
}
