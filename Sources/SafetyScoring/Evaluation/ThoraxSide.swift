import ScenarioKit

/// The one-side-of-the-thorax bookkeeping shared by grading, the model plan and the `thoraxBothSides` condition:
/// the side the first thoracic site took. A site without a side (midline) lies over both sides.
struct ThoraxSide {
  private var taken: Side?

  /// Whether `resolved` keeps the plan on one side of the thorax; records its side when it does.
  mutating func admits(_ resolved: ResolvedSite) -> Bool {
    guard resolved.site.thorax else { return true }
    let side = resolved.choice.side ?? .both
    if let taken, taken != side || side == .both { return false }
    taken = side
    return true
  }
}
