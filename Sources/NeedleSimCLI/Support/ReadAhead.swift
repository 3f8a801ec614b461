import ArgumentParser
import SafetyScoring
import ScenarioKit

/// A command that loads the guidance and the case library through ``LibraryOptions``.
protocol LoadsLibrary {}

extension NeedleSim {
  /// When the command about to run loads the library, starts reading the bundled guidance and case files (and their
  /// cached trees) on another core while the arguments are parsed, which takes about as long. A command given
  /// other folders (`--library`, `--guidance`) simply reads its own; the files read ahead then go unused.
  public static func readAheadLibrary(arguments: [String] = CommandLine.arguments) {
    let name = arguments.dropFirst().first
    let command =
      name == nil
      ? configuration.defaultSubcommand
      : configuration.subcommands.first { $0.configuration.commandName == name }
    guard let command, let cache = LibraryOptions.parseCache else { return }
    cache.readAhead {
      // Checked here, on the other core: a protocol-conformance check costs the runtime a search of every
      // conformance in the program.
      guard command is LoadsLibrary.Type else { return [] }
      return GuidanceLoader.files(in: LibraryOptions.guidanceURL(explicit: nil))
        + CaseLibrary.caseFiles(in: [LibraryOptions.libraryURL(explicit: nil)])
    }
  }
}
