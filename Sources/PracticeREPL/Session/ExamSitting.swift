import Foundation
import ScenarioKit
import TraineeRecords

/// One sitting of an exam, as the session runs it: the cases in order (each the variant the trainee gets, with its
/// seed), the deadline, when the debrief is shown, and the key every attempt is sealed with.
public struct ExamSitting: Sendable {
  public var id: String
  public var title: String
  /// 1 for a trainee's first sitting.
  public var sitting: Int
  public var cases: [(scenario: Case, seed: Int?)]
  public var deadline: Date
  /// Nil: the debrief is shown at the end; else it is withheld until then.
  public var releaseAt: Date?
  public var key: ExamKey

  public init(id: String, title: String, sitting: Int, cases: [(scenario: Case, seed: Int?)], deadline: Date,
              releaseAt: Date?, key: ExamKey) {
    self.id = id
    self.title = title
    self.sitting = sitting
    self.cases = cases
    self.deadline = deadline
    self.releaseAt = releaseAt
    self.key = key
  }
}
