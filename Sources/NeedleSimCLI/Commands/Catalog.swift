import ArgumentParser

extension NeedleSim {
  /// Prints every code and site of the guidance as a Markdown reference (docs/catalog.md).
  struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "catalog",
      abstract: "Print every code (conditions, red flags with their urgency…) and every site as Markdown.")

    @OptionGroup var options: LibraryOptions

    func run() throws {
      let guidance = try options.loadGuidance()
      Output.out(CatalogMarkdown.render(guidance))
    }
  }
}
