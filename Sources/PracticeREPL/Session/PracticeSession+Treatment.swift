import YAMLReading
import Foundation
import SafetyScoring
import ScenarioKit

/// The treatment: once begun the plan is fixed, the events the seed brings happen one at a time, and the student
/// responds to each before the treatment goes on; then the debrief.
extension PracticeSession {
  /// A treatment under way.
  struct Treatment {
    /// Everything that will happen, in order.
    var events: [OccurredEvent]
    /// The next event not yet shown.
    var next = 0
    /// The event shown and awaiting the student's responses.
    var active: OccurredEvent?
  }

  /// Whether an event is waiting to be shown. On a terminal it arrives while the student types; on a pipe the REPL
  /// shows it at once.
  public var eventDue: Bool {
    guard let treatment = current?.treatment, treatment.active == nil else { return false }
    return treatment.next < treatment.events.count
  }

  /// Shows the next event: it becomes the one the student must respond to.
  public func showDueEvent() -> String {
    guard var state = current, var treatment = state.treatment, treatment.active == nil,
      treatment.next < treatment.events.count
    else { return "" }
    let happened = treatment.events[treatment.next]
    treatment.next += 1
    treatment.active = happened
    state.treatment = treatment
    if !state.plan.events.contains(where: { $0.event == happened.event }) {
      state.plan.events.append(EventResponse(event: happened.event, responses: []))
    }
    current = state
    return eventView(happened, scenario: state.scenario)
  }

  func eventView(_ happened: OccurredEvent, scenario: Case) -> String {
    guard let event = guidance.events.event(happened.event) else { return "" }
    let place = happened.site.flatMap { choice in
      guidance.catalog.site(choice.site).map { $0.name.lowercased() + (choice.side.map { " (\($0.rawValue))" } ?? "") }
    }
    let signs = (happened.signs ?? event.signs).replacingOccurrences(of: "{site}", with: place ?? "the site")
    let heading = switch happened.moment {
    case .during: "During the treatment" + (place.map { ", at the \($0)" } ?? "") + ":"
    case .end: "As the session ends:"
    case .after: "After the session, \(scenario.patientName) phones you:"
    }
    return style.paint("! " + heading, .bold, .yellow) + "\n" + style.wrap(signs, indent: "  ", first: "  ") + "\n"
      + style.paint("What do you do? `respond ACTION…` (`respond` alone lists the actions), then `continue`.", .dim)
  }

  /// `begin`: fixes the plan and starts the treatment (also what `submit` does for a needling plan not yet begun).
  func begin() -> Reply {
    guard var state = current else { return Reply("No case is open.") }
    if state.submitted != nil { return Reply("Already submitted. `restart` to try this case again, or `next`.") }
    if state.treatment != nil { return Reply("The treatment has begun already.") }
    guard state.plan.decision == .needle else {
      return Reply("Treatment begins only when you decide to needle; otherwise `submit` your decision.")
    }
    guard !state.plan.sites.isEmpty else { return Reply("Choose at least one site first: `treat SITE`.") }
    state.plan.events = []
    let events = evaluator.events(for: state.scenario, plan: state.plan)
    state.treatment = Treatment(events: events)
    current = state
    let sites = state.plan.sites.compactMap { choice in
      guidance.catalog.site(choice.site).map { $0.name.lowercased() + (choice.side.map { " (\($0.rawValue))" } ?? "") }
    }
    let position = state.plan.position.map { "The patient is \(vocabulary.positions.label($0).lowercased())" }
      ?? "You did not say how the patient lies"
    let opening = style.wrap(
      "Treatment begins; your plan is fixed now. \(position); you needle the "
        + sites.joined(separator: ", ") + ".", indent: "", first: "")
    guard !events.isEmpty else { return Reply(opening + "\n" + finish()) }
    return Reply(opening + "\n" + style.paint("The needles are in. The patient rests…", .dim))
  }

  /// `respond ACTION…`: adds responses to the event in front of the student.
  func respond(_ arguments: [String]) -> Reply {
    guard var state = current, let active = state.treatment?.active else {
      return Reply(eventDue ? showDueEvent() : "Nothing needs a response now.")
    }
    let actions = guidance.events.actions
    guard !arguments.isEmpty else {
      var lines = [style.paint("Actions", .bold)]
      let given = Set(state.plan.responses(to: active.event))
      for entry in actions.entries {
        lines.append("  \(entry.id.padded(to: 28))\(entry.label)" + (given.contains(entry.id) ? " (done)" : ""))
      }
      lines.append("Respond with `respond ACTION…`, e.g. `respond \(actions.ids.first ?? "ACTION")`; then `continue`.")
      return Reply(lines.joined(separator: "\n"))
    }
    var added: [String] = []
    for raw in arguments {
      let id = raw.lowercased()
      guard actions.contains(id) else {
        let guess = Suggestions.closest(to: id, in: actions.ids)
        return Reply("No action \"\(raw)\"." + (guess.map { " Did you mean `\($0)`?" } ?? "")
                     + " `respond` lists them." + (added.isEmpty ? "" : " (Nothing was added.)"))
      }
      if !added.contains(id) { added.append(id) }
    }
    guard let index = state.plan.events.firstIndex(where: { $0.event == active.event }) else { return Reply("") }
    let fresh = added.filter { !state.plan.events[index].responses.contains($0) }
    state.plan.events[index].responses += fresh
    current = state
    let done = state.plan.events[index].responses.map { actions.label($0).lowercased() }
    return Reply(style.wrap("You: " + done.joined(separator: "; ") + ".", indent: "     ", first: "") + "\n"
                 + style.paint("More with `respond`, or `continue` when you have done what is needed.", .dim))
  }

  /// `continue`: the event is dealt with; the treatment goes on, or ends with the debrief.
  func carryOn() -> Reply {
    guard var state = current, var treatment = state.treatment else {
      return Reply("Nothing to continue: `begin` starts the treatment once your plan is complete.")
    }
    if treatment.active == nil, eventDue { return Reply(showDueEvent()) }
    guard let active = treatment.active else { return Reply(finish()) }
    treatment.active = nil
    state.treatment = treatment
    current = state
    guard treatment.next < treatment.events.count else { return Reply(finish()) }
    let next = treatment.events[treatment.next]
    let note: String = switch (active.moment, next.moment) {
    case (.during, .during): "The treatment goes on…"
    case (_, .end): "The treatment time is up; you remove the needles…"
    default: "The session ends. You see the patient out."
    }
    return Reply(style.paint(note, .dim))
  }

  /// Ends the treatment and submits the attempt.
  func finish() -> String {
    (style.paint("The treatment is over.", .dim) + "\n\n" + grade().text)
  }
}
