import ArgumentParser
import Foundation
import SafetyScoring
import ScenarioKit
import YAMLReading

/// An exam file read against the guidance and the library: its profile ids known, each fixed variant readable.
struct LoadedExam {
  let guidance: Guidance
  let library: CaseLibrary
  let exam: ExamFile

  /// Reads and checks the exam at `path`; its diagnostics (with warnings) are returned, and nil when it has errors.
  static func check(_ path: String, options: LibraryOptions) throws -> (LoadedExam?, [Diagnostic]) {
    let guidance = try options.loadGuidance()
    let library = options.loadLibrary(guidance, quiet: true)
    let (exam, read) = ExamFile.load(URL(fileURLWithPath: path), library: library)
    guard let exam else { return (nil, read) }
    let bag = DiagnosticBag(path: exam.path)
    let config = guidance.config
    if let policy = exam.policy, guidance.policy(policy.value) == nil {
      bag.error("no policy \"\(policy.value)\"\(Suggestions.hint(for: policy.value, in: config.policies.map(\.id)))",
                at: policy.position)
    }
    if let jurisdiction = exam.jurisdiction, config.jurisdiction(jurisdiction.value) == nil {
      bag.error("no jurisdiction \"\(jurisdiction.value)\"\(Suggestions.hint(for: jurisdiction.value, in: config.jurisdictions.map(\.id)))",
                at: jurisdiction.position)
    }
    if let level = exam.level {
      guidance.catalog.vocabulary.practitionerLevels.check(level, bag: bag)
    }
    for item in exam.cases {
      guard case .seed(let seed) = item.variant, let scenario = library.find(item.scenario.value) else { continue }
      let (variant, problems) = scenario.variant(seed: seed)
      if variant == nil {
        bag.error("seed \(seed) draws a variant of \"\(scenario.id)\" that cannot be read: "
                  + (problems.first { $0.severity == .error }?.message ?? "see `needlesim lint`"), at: item.scenario.position)
      }
    }
    let diagnostics = read + bag.diagnostics
    return (bag.hasErrors ? nil : LoadedExam(guidance: guidance, library: library, exam: exam), diagnostics)
  }

  /// Reads the exam at `path`, printing its problems; throws when it has errors.
  static func load(_ path: String, options: LibraryOptions) throws -> LoadedExam {
    let (loaded, diagnostics) = try check(path, options: options)
    DiagnosticPrinter.print(diagnostics)
    guard let loaded else { throw ExitCode.failure }
    return loaded
  }

  /// The evaluator of the exam's own profile (the guidance's defaults where it sets none).
  var evaluator: Evaluator {
    Evaluator(guidance: guidance, policy: exam.policy?.value, jurisdiction: exam.jurisdiction?.value,
              practitionerLevel: exam.level?.value)
  }
}
