/// The four choices a practitioner has for a session.
public enum Decision: String, Sendable, Codable, CaseIterable {
  case needle, `defer`, refer, decline
}

/// A trainee's plan for a case: what they asked, decided, chose to do, and where they would needle.
///
/// The same value comes from a plan file or from the practice REPL.
public struct Plan: Sendable, Equatable, Codable {
  public var scenario: String
  public var screening: [String]
  public var decision: Decision?
  public var referTo: String?
  public var precautions: [String]
  public var sites: [SiteChoice]
  /// The patient's position for the session (vocabulary code), which a site may override.
  public var position: String?

  public init(
    scenario: String, screening: [String] = [], decision: Decision? = nil, referTo: String? = nil,
    precautions: [String] = [], sites: [SiteChoice] = [], position: String? = nil
  ) {
    self.scenario = scenario
    self.screening = screening
    self.decision = decision
    self.referTo = referTo
    self.precautions = precautions
    self.sites = sites
    self.position = position
  }

  /// The position a site is needled in: its own, else the session's.
  public func position(of choice: SiteChoice) -> String? { choice.position ?? position }
}
