import ArgumentParser
import Presentation
import SafetyScoring
import ScenarioKit

extension NeedleSim {
  /// Prints the guidance-derived model plan of a case.
  struct Answer: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "answer",
      abstract: "Print the model plan of a case in plan-file form, each line commented with why.",
      discussion: """
        A template case is answered as written, or as the variant --seed draws. With --seed, the plan also lists the events that seed brings to the model plan's treatment, each with the \
        responses the guidance expects; without it, only the events the case scripts.
        """)

    @OptionGroup var options: LibraryOptions
    @OptionGroup var events: EventOptions
    @Argument(help: "The case id.") var id: String

    func run() throws {
      let guidance = try options.loadGuidance()
      let scenario = try options.findCase(id, in: options.loadLibrary(guidance, quiet: true), seed: events.seed)
      let evaluator = options.evaluator(guidance)
      let model = evaluator.modelPlan(for: scenario, seed: events.seed, eventMode: events.mode)
      Output.out("# Model plan for \(scenario.id) (policy \(evaluator.policy), guidance \(guidance.version))")
      if let variant = scenario.variant { Output.out("# Variant: \(variant.description)") }
      Output.out(PlanRenderer.yaml(model.plan, reasons: model.reasons,
                                   excluded: model.excludedSites.map { ($0.choice, "\($0.rule.title) (\($0.rule.id))") }))
    }
  }
}
