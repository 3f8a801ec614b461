import YAMLReading
import ArgumentParser
import Foundation
import Presentation
import SafetyScoring
import ScenarioKit

extension NeedleSim {
  /// Checks case files and the guidance, and replays every case.
  struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "lint",
      abstract: "Check case files and guidance; replay each case's model plan and unsafe plans.",
      discussion: """
        With no PATH, checks the bundled Scenarios/ and Scoring/. A PATH may be a case file, a folder of cases,
        or a guidance folder (one holding vocabulary.yaml). Prints `path:line:col: error|warning: message`
        and exits 1 if there is any error.
        """)

    @OptionGroup var options: LibraryOptions
    @Argument(help: "Case files or folders, or a guidance folder.") var paths: [String] = []
    @Flag(help: "Print the diagnostics as JSON.") var json = false

    struct Summary: Encodable {
      var diagnostics: [Diagnostic]
      var errors: Int
      var warnings: Int
      var cases: Int
    }

    func run() throws {
      var guidanceURL = options.guidanceURL
      var caseURLs: [URL] = []
      for path in paths {
        let url = URL(fileURLWithPath: path)
        if let folder = Self.guidanceFolder(containing: url) {
          guidanceURL = folder
        } else {
          caseURLs.append(url)
        }
      }
      if caseURLs.isEmpty { caseURLs = [options.libraryURL] }
      var diagnostics: [Diagnostic] = []
      let (guidance, guidanceDiagnostics) = GuidanceLoader.load(directory: guidanceURL)
      diagnostics += guidanceDiagnostics
      var checked = 0
      if let guidance {
        if let policy = options.policy, guidance.policy(policy) == nil {
          throw CLIError.unknownPolicy(policy, known: guidance.config.policies.map(\.id))
        }
        let checker = CaseChecker(evaluator: options.evaluator(guidance))
        CaseLibrary.stream(caseURLs, catalog: guidance.catalog) { cases, loadDiagnostics in
          diagnostics += loadDiagnostics
          diagnostics += ParallelMap.map(cases) { checker.check($0) }.flatMap { $0 }
          checked += cases.count
        }
      } else if !guidanceDiagnostics.contains(where: { $0.severity == .error }) {
        diagnostics.append(
          Diagnostic(path: DisplayPath.of(guidanceURL), line: 1, column: 1, severity: .error,
                     message: "cannot load the guidance"))
      }
      let sorted = DiagnosticPrinter.sorted(diagnostics)
      let errors = sorted.filter { $0.severity == .error }.count
      let warnings = sorted.count - errors
      if json {
        Output.out(try JSON.encode(Summary(diagnostics: sorted, errors: errors, warnings: warnings, cases: checked)))
      } else {
        DiagnosticPrinter.print(sorted)
        let style = OutputStyle.standardError
        let summary = "\(checked) case(s) checked: \(errors) error(s), \(warnings) warning(s)"
        Output.err(errors == 0 ? style.paint(summary, .green) : style.paint(summary, .bold, .red))
      }
      if errors > 0 { throw ExitCode.failure }
    }

    /// The guidance folder `url` is, or lies in (a folder holding vocabulary.yaml), if any.
    static func guidanceFolder(containing url: URL) -> URL? {
      let fm = FileManager.default
      var candidate = url.standardizedFileURL
      for _ in 0..<3 {
        if fm.fileExists(atPath: candidate.appendingPathComponent(CatalogLoader.vocabularyFile).path) {
          return candidate
        }
        candidate = candidate.deletingLastPathComponent()
      }
      return nil
    }
  }
}
