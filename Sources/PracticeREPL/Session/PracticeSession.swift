import YAMLReading
import Foundation
import Presentation
import SafetyScoring
import ScenarioKit
import TraineeRecords

/// One practice session as a state machine: lines in, text out. It knows nothing of terminals;
/// `LineEditing` reads the lines and the CLI prints the replies.
public final class PracticeSession {
  let guidance: Guidance
  let evaluator: Evaluator
  let cases: [Case]
  let store: AttemptStore?
  public let trainee: String
  let environment: SessionEnvironment
  let style: TextStyle
  /// The seed for every case's events (`--seed`); nil draws one per case from the environment.
  let seed: Int?
  /// Which events a treatment can bring (`--events`).
  let eventMode: EventMode

  /// The case being worked on.
  var current: CaseState?
  /// Set after Ctrl-D with an unsubmitted plan, so a second Ctrl-D leaves.
  var warnedBeforeLeaving = false
  /// Attempts that could not be saved yet; retried on every later save and before leaving.
  var unsaved: [Attempt] = []
  /// Attempts of this session, so progress works even without a store.
  var sessionAttempts: [Attempt] = []
  /// Why the last save failed, for the warning shown to the student.
  var lastSaveError: String?
  /// The exam being sat, in exam mode (`needlesim exam start`); nil in practice.
  let exam: ExamSitting?
  /// The exam case open now, each exam case's report once submitted, and whether the exam has ended.
  var examIndex: Int?
  var examReports: [Int: Report] = [:]
  var examOver = false
  /// What each case exercises, worked out at the first `next` (see ``exercises()``).
  var exerciseIndex: [Exercise]?
  /// Called after attempts are saved (for example to start an LRS sync in the background).
  public var onAttemptsSaved: (() -> Void)?

  struct CaseState {
    var scenario: Case
    var expected: Expected
    var asked: [String] = []
    var plan: Plan
    var hints = 0
    var startedAt: Date
    var submitted: Report?
    /// Set once treatment begins: the plan is fixed.
    var treatment: Treatment?

    var hasUnsubmittedWork: Bool { submitted == nil && (!asked.isEmpty || plan.decision != nil || !plan.sites.isEmpty) }
  }

  public init(
    guidance: Guidance, policy: String?, jurisdiction: String? = nil, practitionerLevel: String? = nil, cases: [Case],
    store: AttemptStore?, trainee: String, environment: SessionEnvironment = .live, style: TextStyle = .plain,
    seed: Int? = nil, eventMode: EventMode = .random, exam: ExamSitting? = nil
  ) {
    self.exam = exam
    self.seed = seed
    self.eventMode = eventMode
    self.guidance = guidance
    self.evaluator = Evaluator(
      guidance: guidance, policy: policy, jurisdiction: jurisdiction, practitionerLevel: practitionerLevel)
    // An exam keeps its own order.
    self.cases = exam.map { $0.cases.map(\.scenario) } ?? cases.sorted { (Self.level($0), $0.id) < (Self.level($1), $1.id) }
    self.store = store
    self.trainee = trainee
    self.environment = environment
    self.style = style
  }

  static func level(_ scenario: Case) -> Int { Case.difficulties.firstIndex(of: scenario.difficulty) ?? 9 }

  /// The prompt text: the open case's id, or `needlesim`.
  public var prompt: String {
    guard let current else { return examClock + "needlesim> " }
    return examClock + current.scenario.id + (current.treatment != nil && current.submitted == nil ? " (treatment)" : "") + "> "
  }

  /// The case open now, as the variant drawn for it; nil before one is opened.
  public var openScenario: Case? { current?.scenario }

  /// Whether leaving now would abandon a plan that has not been submitted.
  public var hasUnsubmittedPlan: Bool { current?.hasUnsubmittedWork ?? false }

  /// The greeting shown once at the start.
  public func welcome() -> String {
    if let exam { return examWelcome(exam) }
    var lines = [
      style.paint("needlesim — dry-needling safety practice", .bold),
      "Trainee: \(trainee) · policy: \(evaluator.policy) · age of consent \(evaluator.jurisdiction.ageOfConsent) · "
        + "\(evaluator.practitionerLevel) level · \(cases.count) cases",
      "Type `list` to see the cases, `next` to begin, `help` for every command. Tab completes.",
    ]
    if cases.isEmpty { lines.append("No cases were found: check --library or NEEDLESIM_LIBRARY.") }
    return lines.joined(separator: "\n")
  }

  /// Handles one line of input.
  public func handle(_ line: String) -> Reply {
    let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
    guard let first = words.first?.lowercased() else { return Reply("") }
    let arguments = Array(words.dropFirst())
    if let exam {
      if examOver { return Reply("The exam is over. Goodbye.", quit: true) }
      if examTimeIsUp { return endExam(timeUp: true) }
      if let refusal = Self.refusedInExam[first] { return Reply(refusal) }
      switch first {
      case "quit", "exit", "q": return examQuit()
      case "next": return examNext()
      case "start": return examStart(arguments)
      case "list", "cases": return Reply(examList(exam))
      default: break
      }
    }
    warnedBeforeLeaving = false
    guard let command = CommandCatalog.find(first) else {
      let names = CommandCatalog.all.map(\.name)
      let guess = Suggestions.closest(to: first, in: names)
      return Reply("Unknown command \"\(first)\"." + (guess.map { " Did you mean `\($0)`?" } ?? "")
                   + " Type `help` for the commands.")
    }
    if command.needsCase, current == nil {
      return Reply("Open a case first: `list`, then `start CASE-ID` (or `next`).")
    }
    if let state = current, let treatment = state.treatment, state.submitted == nil {
      // An event that arrived before it could be shown comes first; the command waits.
      if eventDue, command.name != "quit" {
        return Reply(showDueEvent() + "\n" + style.paint("(`\(first)` was not carried out: the patient needs you first.)", .dim))
      }
      if CommandCatalog.fixedInTreatment.contains(command.name) {
        return Reply("Your plan is fixed: the treatment has begun."
                     + (treatment.active != nil ? " Respond to what is happening (`respond ACTION…`), then `continue`." : ""))
      }
    }
    switch command.name {
    case "list": return Reply(listCases())
    case "start": return start(arguments)
    case "random": return openCase(cases.isEmpty ? nil : cases[environment.random(cases.count)])
    case "next": return openNext()
    case "case": return Reply(caseView())
    case "ask": return ask(arguments)
    case "decide": return decide(arguments)
    case "precaution": return precaution(arguments)
    case "precautions": return Reply(precautionList())
    case "treat": return treat(arguments)
    case "position": return setPosition(arguments)
    case "examine": return examine(arguments)
    case "untreat": return untreat(arguments)
    case "sites": return Reply(siteList(all: arguments.first == "all"))
    case "plan": return Reply(planView())
    case "hint": return hint()
    case "submit": return submit()
    case "begin": return begin()
    case "respond": return respond(arguments)
    case "continue": return carryOn()
    case "restart": return restart()
    case "progress": return Reply(progressView())
    case "help": return Reply(help(arguments.first))
    case "quit": return leave()
    default: return Reply("")
    }
  }

  /// Ctrl-D or the end of piped input. With an unsubmitted plan, the first Ctrl-D only warns.
  public func endOfInput(interactive: Bool) -> Reply {
    // The end of an exam's input ends the exam (on a terminal, Ctrl-D warns first, as `quit` does).
    if exam != nil, !examOver { return interactive ? examQuit() : endExam(timeUp: examTimeIsUp) }
    if interactive, hasUnsubmittedPlan, !warnedBeforeLeaving {
      warnedBeforeLeaving = true
      return Reply("You have an unsubmitted plan for \(current?.scenario.id ?? "this case"). "
                   + "Press Ctrl-D again to leave without submitting, or type `submit`.")
    }
    return leave()
  }

  func leave() -> Reply {
    var text = "Goodbye."
    if !unsaved.isEmpty {
      retryUnsaved()
      if !unsaved.isEmpty {
        text = "Warning: \(unsaved.count) attempt(s) could not be saved to the records database. "
          + "Your scores for them were shown above." + "\n" + text
      }
    }
    return Reply(text, quit: true)
  }

  // MARK: Choosing a case

  func bestScores() -> [String: Double] {
    var best: [String: Double] = [:]
    for attempt in allAttempts() {
      best[attempt.scenario] = max(best[attempt.scenario] ?? 0, attempt.report.scorePercent)
    }
    return best
  }

  /// Stored attempts of this trainee plus this session's unsaved ones.
  func allAttempts() -> [Attempt] {
    let stored = (try? store?.attempts(trainee: trainee)) ?? nil
    guard let stored else { return sessionAttempts }
    let ids = Set(stored.map(\.id))
    return stored + sessionAttempts.filter { !ids.contains($0.id) }
  }

  func listCases() -> String {
    let best = bestScores()
    var lines = [style.paint("Cases (\(cases.count))", .bold)]
    let width = min(40, (cases.map(\.id.count).max() ?? 10) + 2)
    for scenario in cases {
      let score = best[scenario.id].map { "best \(ReportRenderer.format($0))%" } ?? "not tried"
      lines.append("  \(scenario.id.padded(to: width))\(scenario.difficulty.padded(to: 13))\(score.padded(to: 11))"
                   + style.paint(scenario.tags.joined(separator: ", "), .dim))
    }
    lines.append("Open one with `start CASE-ID`, or `next`.")
    return lines.joined(separator: "\n")
  }

  func start(_ arguments: [String]) -> Reply {
    guard let id = arguments.first else { return Reply("Usage: start CASE-ID (`list` shows the ids).") }
    guard let scenario = cases.first(where: { $0.id == id }) else {
      let guess = Suggestions.closest(to: id, in: cases.map(\.id))
      return Reply("No case \"\(id)\"." + (guess.map { " Did you mean `start \($0)`?" } ?? "") + " `list` shows them.")
    }
    return openCase(scenario)
  }

  /// Opens `scenario` as the variant `seed` draws (else the session's seed, else a fresh one).
  func openCase(_ scenario: Case?, seed chosen: Int? = nil) -> Reply {
    guard let scenario else { return Reply("There are no cases to open.") }
    var note = ""
    if let current, current.hasUnsubmittedWork, current.scenario.id != scenario.id {
      note = "(Your unsubmitted plan for \(current.scenario.id) was set aside.)\n\n"
    }
    // One seed draws the case's variant (for a template) and the treatment's events.
    let drawn = chosen ?? seed ?? environment.random(Int(UInt32.max))
    guard let variant = scenario.variant(seed: drawn).0 else {
      return Reply("The case \(scenario.id) cannot be opened for seed \(drawn): run `needlesim lint` for the details.")
    }
    current = CaseState(
      scenario: variant, expected: evaluator.expected(for: variant),
      plan: Plan(scenario: variant.id, seed: drawn, eventMode: eventMode), startedAt: environment.now())
    return Reply(note + caseView() + "\n\n"
                 + "Ask screening questions (`ask` lists topics), then `decide`, add `precaution`s and `treat` "
                 + "sites; `begin` the treatment (or `submit` a decision not to needle).")
  }

  func restart() -> Reply {
    guard let state = current else { return Reply("No case is open.") }
    current = nil
    return openCase(state.scenario, seed: state.plan.seed)
  }
}
