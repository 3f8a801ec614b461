import YAMLReading
import ArgumentParser
import Foundation
import SafetyScoring
import ScenarioKit

/// Where the cases and the guidance come from, and which policy scores disputed points.
struct LibraryOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("Folder of case files (default: the bundled Scenarios/).", valueName: "path"))
  var library: String?

  @Option(name: .long, help: ArgumentHelp("Guidance folder (default: the bundled Scoring/).", valueName: "path"))
  var guidance: String?

  @Option(name: .long, help: ArgumentHelp("Policy profile for disputed guidance (default: conservative).", valueName: "id"))
  var policy: String?

  @Option(name: .long, help: ArgumentHelp(
    "Age-of-consent setting: age-18 (default) or age-16, where the law lets 16- and 17-year-olds consent.",
    valueName: "id"))
  var jurisdiction: String?

  @Option(name: .long, help: ArgumentHelp(
    "Practitioner level: entry (default) or advanced; a case may set its own.", valueName: "level"))
  var level: String?

  var libraryURL: URL { Self.libraryURL(explicit: library) }
  var guidanceURL: URL { Self.guidanceURL(explicit: guidance) }

  static func libraryURL(explicit: String?) -> URL {
    DataLocator.locate("Scenarios", explicit: explicit, environment: "NEEDLESIM_LIBRARY")
  }

  static func guidanceURL(explicit: String?) -> URL {
    DataLocator.locate("Scoring", explicit: explicit, environment: "NEEDLESIM_GUIDANCE")
  }

  /// Loads the guidance, printing its diagnostics; throws when it is unusable.
  func loadGuidance() throws -> Guidance {
    let (guidance, diagnostics) = GuidanceLoader.load(directory: guidanceURL)
    let errors = diagnostics.filter { $0.severity == .error }
    guard let guidance else {
      DiagnosticPrinter.print(errors.isEmpty ? diagnostics : errors)
      throw CLIError.guidanceUnusable(path: DisplayPath.of(guidanceURL))
    }
    if let policy, guidance.policy(policy) == nil {
      throw CLIError.unknownPolicy(policy, known: guidance.config.policies.map(\.id))
    }
    if let jurisdiction, guidance.config.jurisdiction(jurisdiction) == nil {
      throw CLIError.unknownProfile(
        kind: "jurisdiction", jurisdiction, known: guidance.config.jurisdictions.map(\.id))
    }
    if let level, !guidance.catalog.vocabulary.practitionerLevels.contains(level) {
      throw CLIError.unknownProfile(
        kind: "practitioner level", level, known: guidance.catalog.vocabulary.practitionerLevels.ids)
    }
    return guidance
  }

  func evaluator(_ guidance: Guidance) -> Evaluator {
    Evaluator(guidance: guidance, policy: policy, jurisdiction: jurisdiction, practitionerLevel: level)
  }

  /// Loads the case library; cases with errors are skipped with a one-line note (lint shows the details).
  func loadLibrary(_ guidance: Guidance, quiet: Bool = false) -> CaseLibrary {
    let (library, diagnostics) = CaseLibrary.load([libraryURL], catalog: guidance.catalog)
    let broken = Set(diagnostics.filter { $0.severity == .error }.map(\.path))
    if !quiet, !broken.isEmpty {
      Output.err("note: skipped \(broken.count) case file(s) with errors; run `needlesim lint` for details")
    }
    return library
  }

  /// Finds case `id` in the library, as the variant `seed` draws when it is a template, or throws with a suggestion
  /// (or with the located problems of a variant that cannot be read).
  func findCase(_ id: String, in library: CaseLibrary, seed: Int? = nil) throws -> Case {
    guard let found = library.find(id) else {
      throw CLIError.unknownCase(id, suggestion: Suggestions.closest(to: id, in: library.ids))
    }
    return try Self.variant(of: found, seed: seed)
  }

  /// The variant of `scenario` that `seed` draws, or an error after printing why it cannot be read.
  static func variant(of scenario: Case, seed: Int?) throws -> Case {
    let (variant, diagnostics) = scenario.variant(seed: seed)
    guard let variant else {
      DiagnosticPrinter.print(diagnostics)
      throw CLIError.unreadableVariant(scenario.id, seed: seed)
    }
    return variant
  }
}

/// JSON encoding shared by every `--json` output: sorted keys so the bytes are deterministic.
enum JSON {
  static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}
