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
        A template case (one with parameters) is checked as written and then variant by variant: all of them when
        there are at most --variants, else a sample of that many drawn from the seeds counted up from
        --variant-seed. A variant's problem names its seed and values; `needlesim show ID --seed N` opens it.
        """)

    @OptionGroup var options: LibraryOptions
    @Argument(help: "Case files or folders, or a guidance folder.") var paths: [String] = []
    @Flag(help: "Print the diagnostics as JSON.") var json = false
    @Option(help: ArgumentHelp("How many variants of each template case to check (all when it has no more).",
                               valueName: "n"))
    var variants = 50
    @Option(help: ArgumentHelp("The first seed of the sample of a larger template's variants.", valueName: "n"))
    var variantSeed = 0

    func validate() throws {
      if variants < 1 { throw ValidationError("--variants must be at least 1.") }
      if !(0...Int(UInt32.max)).contains(variantSeed) {
        throw ValidationError("--variant-seed must be between 0 and \(UInt32.max).")
      }
    }

    struct Summary: Encodable {
      var diagnostics: [Diagnostic]
      var errors: Int
      var warnings: Int
      var cases: Int
      /// Variants of template cases checked beyond each case as written.
      var variants: Int
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
      var variantsChecked = 0
      if let guidance {
        if let policy = options.policy, guidance.policy(policy) == nil {
          throw CLIError.unknownPolicy(policy, known: guidance.config.policies.map(\.id))
        }
        let checker = CaseChecker(evaluator: options.evaluator(guidance))
        CaseLibrary.stream(caseURLs, catalog: guidance.catalog) { cases, loadDiagnostics in
          diagnostics += loadDiagnostics
          let results = ParallelMap.map(cases) { scenario in
            let own = checker.check(scenario)
            let variants = checker.checkVariants(scenario, asWritten: own, limit: variants, firstSeed: variantSeed)
            return (own + variants.diagnostics, variants.checked)
          }
          diagnostics += results.flatMap(\.0)
          variantsChecked += results.reduce(0) { $0 + $1.1 }
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
        Output.out(try JSON.encode(Summary(diagnostics: sorted, errors: errors, warnings: warnings, cases: checked, variants: variantsChecked)))
      } else {
        DiagnosticPrinter.print(sorted)
        let style = OutputStyle.standardError
        let summary = "\(checked) case(s) checked"
          + (variantsChecked > 0 ? " (and \(variantsChecked) variant(s) of template cases)" : "")
          + ": \(errors) error(s), \(warnings) warning(s)"
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
