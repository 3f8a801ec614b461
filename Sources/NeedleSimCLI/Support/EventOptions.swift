import ArgumentParser
import ScenarioKit

extension EventMode: ExpressibleByArgument {}

/// `--seed`: which variant of a template case, and which events a treatment brings, reproducibly.
struct SeedOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The seed that draws a template case's variant and the treatment's events (recorded with the attempt).",
      valueName: "n"))
  var seed: Int?

  func validate() throws {
    if let seed, !(0...Int(UInt32.max)).contains(seed) {
      throw ValidationError("--seed must be between 0 and \(UInt32.max).")
    }
  }
}

/// `--seed` and `--events`.
struct EventOptions: ParsableArguments {
  @OptionGroup var seedOption: SeedOption

  @Option(
    name: .customLong("events"),
    help: ArgumentHelp(
      "Which events a treatment can bring: random (drawn from the seed, and any the case scripts), scripted (only the "
        + "case's), or off.", valueName: "mode"))
  var mode: EventMode?

  var seed: Int? { seedOption.seed }
}
