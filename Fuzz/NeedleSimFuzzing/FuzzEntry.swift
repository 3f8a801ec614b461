import Foundation
import SafetyScoring
import ScenarioKit
import YAMLReading

/// The code paths the fuzzers drive, as plain functions, so that regression tests can replay every committed
/// corpus and crasher file without a fuzzing build.
public enum FuzzEntry {
  /// The bundled guidance, loaded once.
  static let guidance: Guidance? = {
    let url = DataLocator.locate("Scoring", explicit: nil, environment: "NEEDLESIM_GUIDANCE")
    return GuidanceLoader.load(directory: url).0
  }()

  /// Loads the bundled guidance and cases now rather than on the first input.
  public static func warmUp() {
    _ = guidance
    _ = library
  }

  /// Loads `data` as a case file and, when it loads, lints it (replaying its model plan and unsafe plans).
  /// Returns the number of diagnostics; must never crash, hang or leak, whatever the bytes.
  @discardableResult
  public static func caseFile(_ data: Data) -> Int {
    guard let guidance else { return -1 }
    let bag = DiagnosticBag(path: "fuzz.yaml")
    guard let node = YAMLFile.parse(data, bag: bag) else {
      return bag.diagnostics.count
    }
    let loaded = CaseReader.read(node, bag: bag, catalog: guidance.catalog, path: "fuzz.yaml", revision: "sha256:fuzz")
    guard let scenario = loaded, !bag.hasErrors else { return bag.diagnostics.count }
    return bag.diagnostics.count + CaseChecker(evaluator: Evaluator(guidance: guidance)).check(scenario).count
  }

  /// Reads `data` as a plan (a plan file's bytes or a batch line: one reader for both), and grades it when it names
  /// a bundled case.
  @discardableResult
  public static func planFile(_ data: Data) -> Int {
    guard let guidance else { return -1 }
    let (plan, diagnostics) = PlanFile.read(line: data, path: "fuzz-plan", catalog: guidance.catalog)
    return diagnostics.count + (plan.map { grade($0, guidance) } ?? 0)
  }

  static let library: CaseLibrary? = guidance.map {
    CaseLibrary.load([DataLocator.locate("Scenarios", explicit: nil, environment: "NEEDLESIM_LIBRARY")],
                     catalog: $0.catalog).0
  }

  static func grade(_ plan: Plan, _ guidance: Guidance) -> Int {
    guard let scenario = library?.find(plan.scenario) else { return 0 }
    return Evaluator(guidance: guidance).grade(plan, for: scenario).items.count
  }
}
