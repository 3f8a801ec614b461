import ArgumentParser
import Presentation
import SafetyScoring
import ScenarioKit

extension NeedleSim {
  /// Shows a case as the student first sees it.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a case as the student first sees it (no hidden facts).",
      discussion: """
        A template case (one with parameters) is shown as written, or as the variant --seed draws; the values drawn \
        are not shown, since finding them out is part of the case.
        """)

    @OptionGroup var options: LibraryOptions
    @Argument(help: "The case id (see `needlesim list`).") var id: String
    @OptionGroup var seedOption: SeedOption
    @Flag(help: "Print JSON, with candidate sites in plan-file syntax under candidateSites.") var json = false

    struct Patient: Encodable {
      var name: String
      var age: Int
      var sex: String
      var occupation: String
    }

    struct View: Encodable {
      var id, title, difficulty, complaint, history, revision: String
      var version: Int
      var tags: [String]
      var patient: Patient
      var candidateSites: [SiteChoice]
      var screeningTopics: [String]
      /// The seed of a template case's variant (its values stay hidden: they are what the student must find out).
      var seed: Int?
    }

    func run() throws {
      let guidance = try options.loadGuidance()
      let scenario = try options.findCase(id, in: options.loadLibrary(guidance, quiet: true), seed: seedOption.seed)
      if json {
        let view = View(
          id: scenario.id, title: scenario.title, difficulty: scenario.difficulty, complaint: scenario.complaint,
          history: scenario.history, revision: scenario.revision, version: scenario.version, tags: scenario.tags,
          patient: Patient(name: scenario.patientName, age: scenario.facts.age, sex: scenario.facts.sex,
                           occupation: scenario.occupation),
          candidateSites: scenario.candidateSites,
          screeningTopics: guidance.catalog.vocabulary.screeningTopics.ids, seed: scenario.variant?.seed)
        Output.out(try JSON.encode(view))
        return
      }
      Output.out(CaseRenderer.render(scenario, catalog: guidance.catalog, style: OutputStyle.standardOutput))
    }
  }
}
