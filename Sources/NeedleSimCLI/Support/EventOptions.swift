import ArgumentParser
import ScenarioKit

extension EventMode: ExpressibleByArgument {}

/// `--seed` and `--events`: which events a treatment brings, reproducibly.
struct EventOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The seed that draws the treatment's events (recorded with the attempt).", valueName: "n"))
  var seed: Int?

  @Option(
    name: .customLong("events"),
    help: ArgumentHelp(
      "Which events a treatment can bring: random (drawn from the seed, and any the case scripts), scripted (only the "
        + "case's), or off.", valueName: "mode"))
  var mode: EventMode?

  func validate() throws {
    if let seed, !(0...Int(UInt32.max)).contains(seed) {
      throw ValidationError("--seed must be between 0 and \(UInt32.max).")
    }
  }
}
