import ArgumentParser
import Testing

@testable import NeedleSimCLI

@Suite("Read-ahead")
struct ReadAheadTests {
  /// The bundled data is read ahead for exactly the commands that load it through `LibraryOptions`; `lint`, which
  /// declares the options but always parses, is the one exception.
  @Test func theLibraryCommandsAreThoseThatLoadTheLibrary() {
    for command in NeedleSim.configuration.subcommands {
      let declaresLibrary = Mirror(reflecting: command.init()).children.contains {
        type(of: $0.value) == OptionGroup<LibraryOptions>.self
      }
      let expected = declaresLibrary && command != NeedleSim.Lint.self
      #expect(NeedleSim.libraryCommands.contains { $0 == command } == expected, "\(command)")
    }
  }
}
