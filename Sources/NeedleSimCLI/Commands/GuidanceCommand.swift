import YAMLReading
import ArgumentParser
import Presentation
import SafetyScoring
import ScenarioKit

extension NeedleSim {
  /// Lists the guidance rules, or shows one with its sources.
  struct GuidanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "guidance", abstract: "List the safety rules, or show one rule with its sources' citations.")

    @OptionGroup var options: LibraryOptions
    @Argument(help: "A rule id to show in full.") var rule: String?
    @Flag(help: "Print JSON.") var json = false

    struct RuleView: Encodable {
      struct Cited: Encodable {
        var id: String
        var citation: String
      }
      var id, title, severity, explanation, file: String
      var refs: [String]
      var sources: [Cited]
      var advisory: Bool
      var disputed: Disputed?
      var policies: [String]
    }

    func view(_ rule: Rule, _ guidance: Guidance) -> RuleView {
      RuleView(
        id: rule.id, title: rule.title, severity: rule.severity.rawValue, explanation: rule.explanation,
        file: "\(rule.path):\(rule.position.line)", refs: rule.refs,
        sources: rule.sources.map { .init(id: $0, citation: guidance.catalog.source($0)?.citation ?? "") },
        advisory: rule.advisory, disputed: rule.disputed, policies: rule.policies.keys.sorted())
    }

    func run() throws {
      let guidance = try options.loadGuidance()
      let style = OutputStyle.standardOutput
      guard let id = rule else {
        if json {
          Output.out(try JSON.encode(guidance.rules.map { view($0, guidance) }))
          return
        }
        Output.out(style.paint("\(guidance.rules.count) rules · guidance \(guidance.version)", .bold))
        let width = (guidance.rules.map(\.id.count).max() ?? 20) + 2
        for rule in guidance.rules {
          let severity = rule.advisory ? "advisory" : rule.severity.rawValue
          let flag = rule.disputed != nil ? " (disputed)" : ""
          Output.out("  \(rule.id.padded(to: width))\(style.paint(severity.padded(to: 10), .dim))\(rule.title)\(flag)")
        }
        Output.out("")
        Output.out("Show one rule with its sources: needlesim guidance RULE-ID")
        return
      }
      guard let found = guidance.rule(id) else {
        throw CLIError.unknownRule(id, suggestion: Suggestions.closest(to: id, in: guidance.rules.map(\.id)))
      }
      if json {
        Output.out(try JSON.encode(view(found, guidance)))
        return
      }
      Output.out(style.paint("\(found.id): \(found.title)", .bold))
      Output.out(style.paint(
        "\(found.advisory ? "advisory (not scored)" : found.severity.rawValue) · \(found.path):\(found.position.line)",
        .dim))
      Output.out("")
      Output.out(style.wrap(found.explanation))
      if let disputed = found.disputed {
        Output.out("")
        Output.out(style.wrap("Disputed (\(disputed.id)): \(disputed.alternative)"))
        Output.out(style.wrap("Policies that change it: \(found.policies.keys.sorted().joined(separator: ", "))"))
      }
      Output.out("")
      Output.out(style.paint("Reference items", .bold))
      for ref in found.refs {
        let title = guidance.catalog.reference(ref)?.title ?? ""
        Output.out("  \(ref)  \(title)")
      }
      Output.out("")
      Output.out(style.paint("Sources", .bold))
      for id in found.sources {
        let citation = guidance.catalog.source(id)?.citation ?? "(unknown source)"
        Output.out(style.wrap(citation, indent: "      ", first: "  [\(id)] "))
      }
    }
  }
}
