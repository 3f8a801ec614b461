import Foundation
import SafetyScoring
import ScenarioKit
import TraineeRecords

/// Deterministic attempts for record and export tests.
public enum RecordsFixtures {
  /// A fresh database path in a new temporary folder.
  public static func databasePath() -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-db-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("records.sqlite").path
  }

  /// An attempt at `scenario` with a fixed id and times; `modify` changes the model plan first.
  public static func attempt(
    _ scenario: String, trainee: String, number: Int, modify: (inout Plan) -> Void = { _ in }
  ) -> Attempt {
    let evaluator = Evaluator(guidance: Bundled.guidance)
    let found = Bundled.scenario(scenario)
    var plan = evaluator.modelPlan(for: found).plan
    modify(&plan)
    let report = evaluator.grade(plan, for: found)
    let started = Date(timeIntervalSince1970: 1_795_000_000 + Double(number) * 3600)
    let id = UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", number)) ?? UUID()
    return Attempt(
      id: id, trainee: trainee, source: "practice", startedAt: started, submittedAt: started.addingTimeInterval(750),
      plan: plan, hintsUsed: 0, report: report)
  }

  /// Three trainees' attempts: passes, a missed precaution, a critical failure, and a spreadsheet-hostile name.
  public static func cohort() -> [Attempt] {
    [
      attempt("courier-calf-tightness", trainee: "s001", number: 1),
      attempt("courier-calf-tightness", trainee: "s002", number: 2) { $0.precautions.removeAll { $0 == "hand-hygiene" } },
      attempt("retired-engineer-hip-pain", trainee: "s001", number: 3) {
        $0.sites.append(SiteChoice(site: "psoas", side: .right))
      },
      attempt("accountant-low-back-pain", trainee: "=HYPERLINK(\"http://x\",\"click\")", number: 4),
      attempt("retired-engineer-hip-pain", trainee: "s001", number: 5),
    ]
  }
}
