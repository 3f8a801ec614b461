import ScenarioKit

/// When in a treatment an event happens.
public enum EventMoment: String, Sendable, Codable, CaseIterable {
  /// While the needles are in.
  case during
  /// As the session ends.
  case end
  /// Afterwards: the patient phones the next day.
  case after
}

/// One response the guidance expects to an event, or one it counts as wrong, as a scored rule.
public struct ResponseRule: Sendable {
  /// `EVENT/ACTION`, the rule id shown in reports.
  public let id: String
  public let action: String
  public let severity: Severity
  public let explanation: String
  public let sources: [String]
}

/// A setting that makes an event likelier when its condition holds.
public struct LikelihoodFactor: Sendable {
  public let when: Condition
  public let times: Double
  /// Why, with its source.
  public let basis: String
}

/// How likely an event is in the simulator, and how likely it is in practice.
public struct Likelihood: Sendable {
  /// The chance per treatment the simulator starts from (raised above real rates, for teaching).
  public let teaching: Double
  /// The rate the reference reports, with its denominator.
  public let real: String
  public let sources: [String]
  public let factors: [LikelihoodFactor]
}

/// An adverse event of `Scoring/events.yaml`: what the student sees, when it can happen, and how to respond.
public struct ClinicalEvent: Sendable {
  public let id: String
  public let name: String
  public let moment: EventMoment
  /// The severity tier of reference §5.1 (0 expected … 3 serious).
  public let tier: Int
  /// The chosen sites it can happen at; nil when it is not tied to a site.
  public let at: SiteSelector?
  /// When it can happen at all.
  public let when: Condition
  /// What the student sees and hears; `{site}` stands for the site's name.
  public let signs: String
  public let likelihood: Likelihood
  public let refs: [String]
  public let sources: [String]
  /// Responses that are missed when not given.
  public let expect: [ResponseRule]
  /// Responses that are wrong when given.
  public let unsafeResponses: [ResponseRule]

  /// The expected actions, in the guidance's order: the model response.
  public var modelResponses: [String] { expect.map(\.action) }
}

/// The events and the response actions.
public struct EventCatalogue: Sendable {
  public var actions: CodeList
  /// What each action is, in a sentence.
  public var actionDescriptions: [String: String]
  public var events: [ClinicalEvent]
  private let index: [String: Int]

  public init(actions: CodeList, actionDescriptions: [String: String] = [:], events: [ClinicalEvent]) {
    self.actions = actions
    self.actionDescriptions = actionDescriptions
    self.events = events
    index = Dictionary(events.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  public static let empty = EventCatalogue(actions: CodeList(kind: "response action", entries: []), events: [])

  public func event(_ id: String) -> ClinicalEvent? { index[id].map { events[$0] } }
}

/// An event that happened in a treatment.
public struct OccurredEvent: Sendable, Equatable {
  public var event: ClinicalEvent.ID
  public var moment: EventMoment
  /// The chosen site it happened at, as the plan names it ("rhomboids left"); nil when not tied to a site.
  public var site: SiteChoice?
  /// Scripted by the case rather than drawn.
  public var scripted: Bool
  /// The case's own signs, when it scripts them.
  public var signs: String?
}

extension ClinicalEvent: Identifiable {}
