import Foundation

/// Where one rule stands for one trainee.
public struct RuleMastery: Sendable, Codable, Equatable {
  public var rule: String
  public var family: String
  /// The Leitner box, 1 (just missed) to the last.
  public var box: Int
  /// Graded attempts that reviewed the rule, and how many of them got it right.
  public var reviews: Int
  public var correct: Int
  public var lastReviewed: Date
  /// When it is due for review again.
  public var due: Date
}

/// A family's mastery: how much of it is in the upper boxes, and what is due.
public struct FamilyMastery: Sendable, Codable, Equatable {
  public var family: String
  public var label: String
  public var rules: Int
  public var seen: Int
  public var mastered: Int
  public var due: Int
  /// The mean of each rule's progress through the boxes (box 1: 0, the last box: 1; a rule not yet met: 0), in %.
  public var percent: Double
}

extension MasteryModel {
  /// Replays `history` (each graded attempt's date and items, in any order) through the Leitner schedule: each
  /// attempt reviews every rule behind its items once, up one box when every item of the rule was right, back to box 1
  /// when any was not. Items with no rule are not reviews.
  public func schedule(_ history: [(date: Date, items: [ReportItem])]) -> [String: RuleMastery] {
    var state: [String: RuleMastery] = [:]
    for (date, items) in history.enumerated().sorted(by: { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) })
      .map(\.element)
    {
      var right: [String: Bool] = [:]
      for item in items {
        guard let rule = item.rule else { continue }
        right[rule] = (right[rule] ?? true) && item.verdict == .correct
      }
      for (rule, ok) in right {
        let before = state[rule]?.box ?? 1
        let box = ok ? min(boxes, (state[rule] == nil ? 1 : before) + 1) : 1
        state[rule] = RuleMastery(
          rule: rule, family: family(of: rule)?.id ?? "", box: box, reviews: (state[rule]?.reviews ?? 0) + 1,
          correct: (state[rule]?.correct ?? 0) + (ok ? 1 : 0), lastReviewed: date,
          due: date.addingTimeInterval(Double(intervalsDays[box - 1]) * 86_400))
      }
    }
    return state
  }

  /// The rules due for review at `now`, weakest first: lowest box, then longest overdue, then by id.
  public func due(_ mastery: [String: RuleMastery], at now: Date) -> [RuleMastery] {
    mastery.values.filter { $0.due <= now }.sorted { ($0.box, $0.due, $0.rule) < ($1.box, $1.due, $1.rule) }
  }

  /// Each family's mastery at `now`, in the file's order.
  public func families(_ mastery: [String: RuleMastery], at now: Date) -> [FamilyMastery] {
    families.map { family in
      let met = family.rules.compactMap { mastery[$0] }
      let progress = met.reduce(0.0) { $0 + Double($1.box - 1) / Double(max(1, boxes - 1)) }
      return FamilyMastery(
        family: family.id, label: family.label, rules: family.rules.count, seen: met.count,
        mastered: met.filter { $0.box >= masteredFromBox }.count, due: met.filter { $0.due <= now }.count,
        percent: family.rules.isEmpty ? 0 : (progress * 1000 / Double(family.rules.count)).rounded() / 10)
    }
  }
}
