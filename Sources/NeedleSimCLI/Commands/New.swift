import YAMLReading
import ArgumentParser
import Foundation
import ScenarioKit

extension NeedleSim {
  /// Writes a commented case skeleton.
  struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "new",
      abstract: "Write a commented case skeleton (ID.yaml) that lints clean once filled in.")

    @Argument(help: "The new case id: lower-case words joined by hyphens.") var id: String
    @Option(help: ArgumentHelp("Folder to write into (default: the current folder).", valueName: "path"))
    var dir: String = "."

    func run() throws {
      guard CatalogLoader.isCode(id), id.count <= 80 else { throw CLIError.invalidID(id) }
      let url = URL(fileURLWithPath: dir).appendingPathComponent("\(id).yaml")
      let path = DisplayPath.of(url)
      if FileManager.default.fileExists(atPath: url.path) { throw CLIError.alreadyExists(path: path) }
      do {
        try CaseSkeleton.text(id: id).write(to: url, atomically: true, encoding: .utf8)
      } catch {
        throw CLIError.cannotWrite(path: path, reason: YAMLFile.describe(error))
      }
      Output.out("wrote \(path): fill in the TODO parts, then run `needlesim lint \(path)`")
    }
  }
}
