import Foundation
import SafetyScoring
import ScenarioKit

/// Builds the xAPI 1.0.3 statements of an attempt, shaped as cmi5 recommends:
/// `initialized` → `answered` × items → `completed` → `passed` | `failed` → `terminated`, all with the attempt's
/// id as `context.registration`, and ids that are UUIDv5 of (registration, sequence number), so the same attempt
/// always yields the same statement ids.
public struct XAPIStatements: Sendable {
  public let options: XAPIOptions
  static let profile = "profile/v1"

  public init(options: XAPIOptions) { self.options = options }

  /// The statements of `attempt`, each as compact JSON with sorted keys.
  public func statements(for attempt: Attempt) -> [String] { statementsWithIDs(for: attempt).map(\.json) }

  /// The statements of `attempt` with their ids.
  public func statementsWithIDs(for attempt: Attempt) -> [(id: String, json: String)] {
    build(attempt).enumerated().map { index, statement in
      var statement = statement
      statement.id = UUIDv5.make(namespace: UUIDv5.statements, name: "\(registration(attempt))/\(index)")
        .uuidString.lowercased()
      return (statement.id, Self.encode(statement))
    }
  }

  /// The statement ids of `attempt`, in order (what an LRS should hold after delivery).
  public func statementIDs(for attempt: Attempt) -> [String] {
    (0..<build(attempt).count).map {
      UUIDv5.make(namespace: UUIDv5.statements, name: "\(registration(attempt))/\($0)").uuidString.lowercased()
    }
  }

  func registration(_ attempt: Attempt) -> String { attempt.id.uuidString.lowercased() }

  func iri(_ path: String) -> String { "\(options.iriBase)/\(path)" }

  func build(_ attempt: Attempt) -> [Statement] {
    let report = attempt.report
    let actor = Agent(account: Account(homePage: options.homePage, name: attempt.trainee))
    let scenario = iri("scenario/\(attempt.scenario)")
    let caseActivity = Activity(
      id: scenario,
      definition: Definition(
        type: "http://adlnet.gov/expapi/activities/simulation", name: ["en-US": "needlesim case \(attempt.scenario)"],
        description: ["en-US": "Decide whether to needle, which precautions to take and which sites to treat."]))
    let context = Context(
      registration: registration(attempt), revision: attempt.scenarioRevision, platform: options.platform,
      language: "en-GB",
      contextActivities: ContextActivities(parent: nil, category: [Activity(id: iri(Self.profile))]),
      extensions: [
        iri("ext/guidance-version"): .string(attempt.guidanceVersion), iri("ext/policy"): .string(attempt.policy),
        iri("ext/jurisdiction"): .string(attempt.jurisdiction),
        iri("ext/practitioner-level"): .string(attempt.practitionerLevel),
      ].merging(eventContext(attempt)) { first, _ in first })
    let started = Timestamp.iso(attempt.startedAt)
    let submitted = Timestamp.iso(attempt.submittedAt)
    let duration = Timestamp.duration(attempt.duration)
    var statements: [Statement] = []
    func add(_ verb: String, _ object: Activity, result: Result? = nil, context: Context, at: String) {
      statements.append(
        Statement(
          actor: actor, verb: Verb(id: "http://adlnet.gov/expapi/verbs/\(verb)", display: ["en-US": verb]),
          object: object, result: result, context: context, timestamp: at))
    }
    add("initialized", caseActivity, context: context, at: started)
    var itemContext = context
    itemContext.contextActivities.parent = [Activity(id: scenario)]
    for item in report.items {
      var result = answer(item)
      if item.kind == .event, let event = item.subject.split(separator: "/").first.map(String.init) {
        // Which event the response belongs to, and everything the trainee did in it.
        result.extensions?[iri("ext/event")] = .string(iri("event/\(event)"))
        result.extensions?[iri("ext/responses")] = .array(attempt.plan.responses(to: event).map { .string($0) })
      }
      add("answered", interaction(item, scenario: scenario, expected: report.expected), result: result,
          context: itemContext, at: submitted)
    }
    add("completed", caseActivity, result: Result(completion: true, duration: duration), context: context, at: submitted)
    add(report.passed ? "passed" : "failed", caseActivity, result: outcome(attempt, duration: duration), context: context, at: submitted)
    add("terminated", caseActivity, result: Result(duration: duration), context: context, at: submitted)
    return statements
  }

  /// The seed and event mode that drew the case's variant and the treatment's events, so the attempt can be
  /// replayed; the variant's values; and, for an exam attempt, the exam and its seal.
  func eventContext(_ attempt: Attempt) -> [String: JSONValue] {
    var extensions: [String: JSONValue] = [:]
    let plan = attempt.plan
    if let seed = plan.seed { extensions[iri("ext/seed")] = .number(Double(seed)) }
    if let mode = plan.eventMode { extensions[iri("ext/event-mode")] = .string(mode.rawValue) }
    if let variant = attempt.report.variant {
      extensions[iri("ext/variant")] = .object(Dictionary(
        variant.values.map { ($0.name, JSONValue.string($0.value)) }, uniquingKeysWith: { first, _ in first }))
    }
    if let exam = attempt.exam { extensions[iri("ext/exam")] = .string(exam) }
    if let seal = attempt.seal { extensions[iri("ext/seal")] = .string(seal) }
    return extensions
  }

  /// The score goes on passed and failed only (cmi5). A failed attempt with a critical error carries no
  /// `score`: LMS grade sync keeps the highest scaled score, so a high but critically failed attempt would
  /// otherwise become the grade. Its ungated score travels in an extension instead.
  ///
  /// It also carries the whole attempt (`ext/attempt`, the JSON export's form as a string), so that `--from-lrs`
  /// rebuilds exactly the attempt the trainee's own records hold.
  func outcome(_ attempt: Attempt, duration: String) -> Result {
    let report = attempt.report
    let score = Score(
      scaled: (report.scorePercent / 100 * 1000).rounded() / 1000, raw: report.earned, min: 0, max: report.possible)
    var extensions: [String: JSONValue] = [
      iri("ext/critical-failures"): .array(report.criticalFailures.map { failure in
        .object([
          "rule": .string(iri("rule/\(failure.rule)")), "kind": .string(failure.kind.rawValue),
          "subject": .string(failure.subject),
        ])
      }),
      iri("ext/pass-rule"): .string("score >= pass mark AND no critical failure"),
      iri("ext/events"): .array(report.events.map { event in
        var fields: [String: JSONValue] = [
          "event": .string(iri("event/\(event.event)")), "moment": .string(event.moment.rawValue),
          "responses": .array(event.responses.map { .string($0) }), "expected": .array(event.expected.map { .string($0) }),
          "scripted": .bool(event.scripted),
        ]
        if let site = event.site { fields["site"] = .string(site) }
        return .object(fields)
      }),
    ]
    let gated = !report.criticalFailures.isEmpty
    if gated { extensions[iri("ext/ungated-score")] = .number(score.scaled) }
    if let json = try? AttemptJSON.encode(attempt) { extensions[iri("ext/attempt")] = .string(String(decoding: json, as: UTF8.self)) }
    return Result(
      score: gated ? nil : score, success: report.passed, completion: true, duration: duration, extensions: extensions)
  }

  func interaction(_ item: ReportItem, scenario: String, expected: ExpectedDecision) -> Activity {
    let slug = item.subject.replacingOccurrences(of: " ", with: "-")
    let name = "\(item.kind.rawValue): \(item.subject)"
    if item.kind == .decision, Decision(rawValue: item.subject) != nil {
      return Activity(
        id: "\(scenario)/item/decision",
        definition: Definition(
          type: "http://adlnet.gov/expapi/activities/cmi.interaction", name: ["en-US": "Decision for this session"],
          interactionType: "choice", correctResponsesPattern: expected.allowed.map(\.rawValue),
          choices: Decision.allCases.map { Choice(id: $0.rawValue, description: ["en-US": $0.rawValue]) }))
    }
    // Screening, precautions, sites and the referral target: did the trainee include it, and should they have?
    let shouldInclude = item.verdict == .unnecessary || item.verdict == .unsafe ? "false" : "true"
    return Activity(
      id: "\(scenario)/item/\(item.kind.rawValue)/\(slug)",
      definition: Definition(
        type: "http://adlnet.gov/expapi/activities/cmi.interaction", name: ["en-US": name],
        interactionType: "true-false", correctResponsesPattern: [shouldInclude]))
  }

  func answer(_ item: ReportItem) -> Result {
    let included = !(item.verdict == .missed)
    let response = item.kind == .decision && Decision(rawValue: item.subject) != nil ? item.subject : (included ? "true" : "false")
    var extensions: [String: JSONValue] = [
      iri("ext/verdict"): .string(item.verdict.rawValue), iri("ext/severity"): .string(item.severity.rawValue),
      iri("ext/critical"): .bool(item.severity == .critical && (item.verdict == .missed || item.verdict == .unsafe)),
      iri("ext/points"): .number(Double(item.points)), iri("ext/max-points"): .number(Double(item.maxPoints)),
    ]
    if let rule = item.rule { extensions[iri("ext/rule")] = .string(iri("rule/\(rule)")) }
    return Result(success: item.verdict == .correct, response: response, extensions: extensions)
  }

  static func encode(_ statement: Statement) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(statement)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }
}

// MARK: Statement model (only what needlesim emits)

struct Statement: Encodable {
  var id = ""
  var actor: Agent
  var verb: Verb
  var object: Activity
  var result: Result?
  var context: Context
  var timestamp: String
}

struct Agent: Encodable {
  var objectType = "Agent"
  var account: Account
}

struct Account: Encodable {
  var homePage: String
  var name: String
}

struct Verb: Encodable {
  var id: String
  var display: [String: String]
}

struct Activity: Encodable {
  var objectType = "Activity"
  var id: String
  var definition: Definition?

  init(id: String, definition: Definition? = nil) {
    self.id = id
    self.definition = definition
  }
}

struct Definition: Encodable {
  var type: String
  var name: [String: String]
  var description: [String: String]?
  var interactionType: String?
  var correctResponsesPattern: [String]?
  var choices: [Choice]?

  init(type: String, name: [String: String], description: [String: String]? = nil, interactionType: String? = nil,
       correctResponsesPattern: [String]? = nil, choices: [Choice]? = nil) {
    self.type = type
    self.name = name
    self.description = description
    self.interactionType = interactionType
    self.correctResponsesPattern = correctResponsesPattern
    self.choices = choices
  }
}

struct Choice: Encodable {
  var id: String
  var description: [String: String]
}

struct Score: Encodable {
  var scaled: Double
  var raw: Int
  var min: Int
  var max: Int
}

struct Result: Encodable {
  var score: Score?
  var success: Bool?
  var completion: Bool?
  var response: String?
  var duration: String?
  var extensions: [String: JSONValue]?

  init(score: Score? = nil, success: Bool? = nil, completion: Bool? = nil, response: String? = nil,
       duration: String? = nil, extensions: [String: JSONValue]? = nil) {
    self.score = score
    self.success = success
    self.completion = completion
    self.response = response
    self.duration = duration
    self.extensions = extensions
  }
}

struct Context: Encodable {
  var registration: String
  var revision: String
  var platform: String
  var language: String
  var contextActivities: ContextActivities
  var extensions: [String: JSONValue]
}

struct ContextActivities: Encodable {
  var parent: [Activity]?
  var category: [Activity]
}

/// A JSON value for extensions, whose values are free-form.
enum JSONValue: Encodable {
  case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue])

  func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .string(let value): try container.encode(value)
    case .number(let value):
      if value == value.rounded(), abs(value) < 1e15 { try container.encode(Int(value)) } else { try container.encode(value) }
    case .bool(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }
}
