/// Which events a treatment can bring.
public enum EventMode: String, Sendable, Codable, CaseIterable {
  /// Drawn from the seed at the guidance's teaching likelihoods, as well as the case's scripted events.
  case random
  /// Only the events the case scripts.
  case scripted
  /// None.
  case off
}

/// The student's responses to one event of the treatment.
public struct EventResponse: Sendable, Equatable, Codable {
  /// The event's id (`Scoring/events.yaml`).
  public var event: String
  /// Response action ids, in the order the student chose them.
  public var responses: [String]

  public init(event: String, responses: [String]) {
    self.event = event
    self.responses = responses
  }
}

/// An event a case scripts for teaching: it happens whenever the plan gives it a place (a needling plan; a chosen
/// site of the right kind, or the named site).
public struct ScriptedEvent: Sendable, Equatable {
  public var event: String
  /// The chosen site it happens at; nil for any site the event's own selector allows.
  public var site: String?
  /// Case-specific signs, replacing the guidance's.
  public var signs: String?

  public init(event: String, site: String? = nil, signs: String? = nil) {
    self.event = event
    self.site = site
    self.signs = signs
  }
}
