import ArgumentParser
import Foundation
import Presentation
import SafetyScoring
import ScenarioKit

extension NeedleSim {
  /// Shows which rules and risk factors the bundled cases exercise.
  struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "coverage",
      abstract: "Show which rules each case triggers, which rules no case triggers, and risk-factor coverage.")

    @OptionGroup var options: LibraryOptions
    @Flag(help: "Print JSON: {\"rules\": [{\"id\", \"cases\"}], \"cases\": [...], \"riskFactors\": [...]}.") var json = false
    @Flag(help: "Print the Markdown coverage matrix used for Scenarios/README.md.") var markdown = false

    struct RuleRow: Encodable {
      var id: String
      var cases: [String]
    }
    struct CaseRow: Encodable {
      var id, decision: String
      var rules, riskFactors, refs: [String]
    }
    struct FactorRow: Encodable {
      var id, label: String
      var needleCases, otherCases: [String]
    }
    struct Document: Encodable {
      var rules: [RuleRow]
      var cases: [CaseRow]
      var riskFactors: [FactorRow]
    }

    func run() throws {
      let guidance = try options.loadGuidance()
      let library = options.loadLibrary(guidance, quiet: json || markdown)
      let coverage = Coverage(evaluator: options.evaluator(guidance), cases: library.cases)
      let factors = guidance.riskFactors.map { factor in
        let rows = coverage.cases.filter { $0.factors.contains(factor.id) }
        return FactorRow(
          id: factor.id, label: factor.label, needleCases: rows.filter { $0.decision == .needle }.map(\.id),
          otherCases: rows.filter { $0.decision != .needle }.map(\.id))
      }
      let document = Document(
        rules: coverage.rules.map { RuleRow(id: $0.id, cases: $0.cases) },
        cases: coverage.cases.map {
          CaseRow(id: $0.id, decision: $0.decision.rawValue, rules: $0.rules, riskFactors: $0.factors, refs: $0.refs)
        },
        riskFactors: factors)
      if json {
        Output.out(try JSON.encode(document))
      } else if markdown {
        Output.out(CoverageMarkdown.render(document: document, guidance: guidance, cases: library.cases))
      } else {
        render(document, guidance: guidance)
      }
    }

    func render(_ document: Document, guidance: Guidance) {
      let style = OutputStyle.standardOutput
      let width = (document.rules.map(\.id.count).max() ?? 20) + 2
      Output.out(style.paint("Rules (cases that trigger each)", .bold))
      for rule in document.rules {
        let count = String(rule.cases.count).padded(to: 4)
        let mark = rule.cases.isEmpty ? style.paint("never triggered", .yellow) : rule.cases.prefix(4).joined(separator: ", ")
          + (rule.cases.count > 4 ? ", …" : "")
        Output.out("  \(rule.id.padded(to: width))\(count)\(mark)")
      }
      let unused = document.rules.filter { $0.cases.isEmpty }.map(\.id)
      Output.out("")
      Output.out(unused.isEmpty ? "Every rule is triggered by at least one case."
                 : "\(unused.count) rule(s) no case triggers: \(unused.joined(separator: ", "))")
      Output.out("")
      Output.out(style.paint("Risk factors of the source article (needle cases / other decisions)", .bold))
      for factor in document.riskFactors {
        let ok = !factor.needleCases.isEmpty && !factor.otherCases.isEmpty
        Output.out("  \(factor.label.padded(to: 34))\(factor.needleCases.count) / \(factor.otherCases.count)"
                   + (ok ? "" : style.paint("  needs both kinds", .yellow)))
      }
    }
  }
}
