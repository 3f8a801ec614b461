/// A technique check a rule can ask for (`expect: technique: [...]`); the site catalogue's technique data and the
/// plan's position, needle and approach decide each one.
public enum TechniqueCheck: String, Sendable, CaseIterable {
  /// The patient lies down (prone, supine or side-lying) for every site: never seated or standing (PR-10).
  case lyingDown = "lying-down"
  /// The patient lies on one side for every site: never supine, nor prone (from 20 weeks of pregnancy).
  case sideLying = "side-lying"
  /// Never standing (PR-10).
  case notStanding = "not-standing"
  /// At a site with a safe length for the patient's build, the needle is no longer (PR-13, PR-05).
  case needleLength = "needle-length"
  /// At a site with approaches acceptable over the hazard, one of them (PR-14, D-08).
  case approach = "approach"
  /// At a site over lung or spinal canal, the needle and approach are stated (PR-13, PR-14).
  case stated = "stated"
  /// Each site in a position its technique data gives a margin in (PR-11).
  case regionPosition = "region-position"
  /// At a forearm site with a length by forearm size, no longer a needle (PR-13, [S13]).
  case forearmNeedle = "forearm-needle"

  /// Checks judged per site (the others judge the session's positions).
  var perSite: Bool { [.needleLength, .approach, .stated, .regionPosition, .forearmNeedle].contains(self) }
}
