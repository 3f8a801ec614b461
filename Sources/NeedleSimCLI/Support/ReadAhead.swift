import ArgumentParser
import SafetyScoring
import ScenarioKit

extension NeedleSim {
  /// The commands that load the guidance and the case library through ``LibraryOptions``. A list rather than a
  /// marker protocol: checking a type's conformance costs the Swift runtime a search of every conformance in the
  /// program, a quarter of a millisecond at start-up, while comparing types is free. A test keeps it complete.
  static let libraryCommands: [ParsableCommand.Type] = [
    Practice.self, List.self, Show.self, Grade.self, Answer.self, GuidanceCommand.self, CoverageCommand.self,
    Rescore.self,
  ]

  /// When the command about to run loads the library, starts reading the bundled guidance and case files (and their
  /// cached trees) on another core while the arguments are parsed, which takes about as long. A command given
  /// other folders (`--library`, `--guidance`) simply reads its own; the files read ahead then go unused.
  public static func readAheadLibrary(arguments: [String] = CommandLine.arguments) {
    let name = arguments.dropFirst().first
    let command =
      name == nil
      ? configuration.defaultSubcommand
      : configuration.subcommands.first { $0.configuration.commandName == name }
    guard let command, libraryCommands.contains(where: { $0 == command }), let cache = LibraryOptions.parseCache
    else { return }
    cache.readAhead {
      GuidanceLoader.files(in: LibraryOptions.guidanceURL(explicit: nil))
        + CaseLibrary.caseFiles(in: [LibraryOptions.libraryURL(explicit: nil)])
    }
  }
}
