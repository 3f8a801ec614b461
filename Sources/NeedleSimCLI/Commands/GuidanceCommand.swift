import YAMLReading
import ArgumentParser
import Presentation
import SafetyScoring
import ScenarioKit

extension NeedleSim {
  /// Lists the guidance rules, or shows one with its sources.
  struct GuidanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "guidance", abstract: "List the safety rules, or show one rule with its sources' citations.",
      discussion: "An event id (`chest-symptoms`) or an event's response rule (`chest-symptoms/urgent-medical-assessment`, "
        + "as reports name them) shows the event: its signs, likelihood and the responses expected.")

    @OptionGroup var options: LibraryOptions
    @Argument(help: "A rule id (or event, or EVENT/ACTION) to show in full.") var rule: String?
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
      if !json, let event = guidance.events.event(String(id.split(separator: "/").first ?? "")) {
        show(event, guidance, style: style)
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
      sources(found.sources, guidance, style: style)
    }

    func sources(_ ids: [String], _ guidance: Guidance, style: TextStyle) {
      Output.out(style.paint("Sources", .bold))
      for id in ids {
        let citation = guidance.catalog.source(id)?.citation ?? "(unknown source)"
        Output.out(style.wrap(citation, indent: "      ", first: "  [\(id)] "))
      }
    }

    /// An event of `Scoring/events.yaml`: what the student sees, how likely it is, and each response's worth.
    func show(_ event: ClinicalEvent, _ guidance: Guidance, style: TextStyle) {
      let actions = guidance.events.actions
      Output.out(style.paint("\(event.id): \(event.name)", .bold))
      Output.out(style.paint("event · \(event.moment.rawValue) · tier \(event.tier) · \(event.refs.joined(separator: ", "))", .dim))
      Output.out("")
      Output.out(style.wrap(event.signs))
      Output.out("")
      Output.out(style.paint("Likelihood", .bold))
      Output.out(style.wrap("In the simulator \(ReportRenderer.format(event.likelihood.teaching * 100))% of treatments "
                            + "before factors (raised for teaching). In practice: \(event.likelihood.real)", indent: "  ", first: "  "))
      for factor in event.likelihood.factors {
        Output.out(style.wrap("× \(ReportRenderer.format(factor.times)): \(factor.basis)", indent: "    ", first: "  "))
      }
      for (title, rules) in [("Expected responses", event.expect), ("Wrong responses", event.unsafeResponses)] where !rules.isEmpty {
        Output.out("")
        Output.out(style.paint(title, .bold))
        for rule in rules {
          Output.out(style.wrap("\(actions.label(rule.action)) (`\(rule.action)`, \(rule.severity.rawValue)): \(rule.explanation)",
                                indent: "      ", first: "  - "))
        }
      }
      Output.out("")
      sources(event.sources, guidance, style: style)
    }
  }
}
