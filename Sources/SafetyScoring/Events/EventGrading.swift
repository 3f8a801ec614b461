import ScenarioKit

extension Evaluator {
  /// Judges the plan's responses to the events that happened: each expected response correct or missed, each wrong
  /// response given unsafe; and the timeline the debrief shows.
  func judgeEvents(_ occurred: [OccurredEvent], plan: Plan) -> (items: [ReportItem], timeline: [ReportEvent]) {
    var items: [ReportItem] = []
    var timeline: [ReportEvent] = []
    let actions = guidance.events.actions
    for happened in occurred {
      guard let event = guidance.events.event(happened.event) else { continue }
      let given = plan.responses(to: event.id)
      for rule in event.expect {
        let done = given.contains(rule.action)
        items.append(
          ReportItem(
            kind: .event, subject: rule.id, verdict: done ? .correct : .missed, severity: rule.severity,
            points: done ? weight(rule.severity) : 0, maxPoints: weight(rule.severity), rule: rule.id,
            explanation: (done ? "" : "Not done: \(actions.label(rule.action).lowercased()). ") + rule.explanation,
            sources: rule.sources, disputed: nil))
      }
      for rule in event.unsafeResponses where given.contains(rule.action) {
        items.append(
          ReportItem(
            kind: .event, subject: rule.id, verdict: .unsafe, severity: rule.severity, points: 0,
            maxPoints: weight(rule.severity), rule: rule.id,
            explanation: "Wrong here: \(actions.label(rule.action).lowercased()). " + rule.explanation,
            sources: rule.sources, disputed: nil))
      }
      timeline.append(
        ReportEvent(
          event: event.id, name: event.name, moment: happened.moment, site: happened.site?.description,
          scripted: happened.scripted, responses: given, expected: event.modelResponses, realRate: event.likelihood.real))
    }
    return (items, timeline)
  }
}
