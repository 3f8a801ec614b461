import SafetyScoring

/// Mastery by rule family as chart lines, for `progress` in the REPL and `needlesim mastery`.
public enum MasteryRenderer {
  /// One line per family the trainee has met: a bar of its percentage, then what is met, mastered and due.
  public static func lines(_ families: [FamilyMastery], style: TextStyle) -> [String] {
    let met = families.filter { $0.seen > 0 }
    let width = min(40, (met.map(\.label.count).max() ?? 10) + 2)
    return met.map { family in
      "  \(family.label.padded(to: width))\(style.bar(family.percent)) \(String(format: "%5.1f%%", family.percent))  "
        + "\(family.seen)/\(family.rules) met, \(family.mastered) mastered, \(family.due) due"
    }
  }
}
