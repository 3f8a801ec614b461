import ArgumentParser
import Presentation
import SafetyScoring
import ScenarioKit

extension NeedleSim {
  /// Lists the cases in the library.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the practice cases.")

    @OptionGroup var options: LibraryOptions
    @Flag(help: "Print JSON: an array of {id, title, difficulty, tags, version, revision}.") var json = false

    struct Entry: Encodable {
      var id, title, difficulty: String
      var tags: [String]
      var version: Int
      var revision: String
    }

    func run() throws {
      let guidance = try options.loadGuidance()
      let library = options.loadLibrary(guidance)
      let cases = library.cases.sorted { Self.order($0) < Self.order($1) }
      if json {
        Output.out(try JSON.encode(cases.map {
          Entry(id: $0.id, title: $0.title, difficulty: $0.difficulty, tags: $0.tags, version: $0.version,
                revision: $0.revision)
        }))
        return
      }
      let style = OutputStyle.standardOutput
      let idWidth = min(40, (cases.map(\.id.count).max() ?? 10) + 2)
      Output.out(style.paint("\(cases.count) cases", .bold))
      for scenario in cases {
        let level = scenario.difficulty.padded(to: 13)
        Output.out("  \(scenario.id.padded(to: idWidth))\(style.paint(level, .dim))\(scenario.title)")
      }
      Output.out("")
      Output.out("Read a case: needlesim show ID · model answer: needlesim answer ID · check: needlesim lint")
    }

    static func order(_ scenario: Case) -> (Int, String) {
      (Case.difficulties.firstIndex(of: scenario.difficulty) ?? 9, scenario.id)
    }
  }
}
