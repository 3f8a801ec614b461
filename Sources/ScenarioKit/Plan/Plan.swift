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
  /// The seed that draws the treatment's events; nil for none drawn (only a case's scripted events happen).
  public var seed: Int?
  /// Which events the treatment can bring; nil for the default (random with a seed, else scripted).
  public var eventMode: EventMode?
  /// The student's responses to the events of the treatment.
  public var events: [EventResponse]

  public init(
    scenario: String, screening: [String] = [], decision: Decision? = nil, referTo: String? = nil,
    precautions: [String] = [], sites: [SiteChoice] = [], position: String? = nil, seed: Int? = nil,
    eventMode: EventMode? = nil, events: [EventResponse] = []
  ) {
    self.scenario = scenario
    self.screening = screening
    self.decision = decision
    self.referTo = referTo
    self.precautions = precautions
    self.sites = sites
    self.position = position
    self.seed = seed
    self.eventMode = eventMode
    self.events = events
  }

  /// The events the treatment can bring: as chosen, else random when a seed is given, else only scripted ones.
  public var effectiveEventMode: EventMode { eventMode ?? (seed == nil ? .scripted : .random) }

  /// The responses the plan gives to `event`.
  public func responses(to event: String) -> [String] { events.first { $0.event == event }?.responses ?? [] }

  /// The position a site is needled in: its own, else the session's.
  public func position(of choice: SiteChoice) -> String? { choice.position ?? position }
}

extension Plan {
  private enum Keys: String, CodingKey {
    case scenario, screening, decision, referTo, precautions, sites, position, seed, eventMode, events
  }

  /// Reads a plan; one stored before events existed has none.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(
      scenario: try c.decode(String.self, forKey: .scenario), screening: try c.decode([String].self, forKey: .screening),
      decision: try c.decodeIfPresent(Decision.self, forKey: .decision),
      referTo: try c.decodeIfPresent(String.self, forKey: .referTo),
      precautions: try c.decode([String].self, forKey: .precautions), sites: try c.decode([SiteChoice].self, forKey: .sites),
      position: try c.decodeIfPresent(String.self, forKey: .position), seed: try c.decodeIfPresent(Int.self, forKey: .seed),
      eventMode: try c.decodeIfPresent(EventMode.self, forKey: .eventMode),
      events: try c.decodeIfPresent([EventResponse].self, forKey: .events) ?? [])
  }
}
