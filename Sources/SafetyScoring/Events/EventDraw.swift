import ScenarioKit

extension Evaluator {
  /// The events a treatment brings: none unless the plan needles; the case's scripted events (unless events are
  /// off); then, in random mode, at most one drawn event for each moment the script leaves free. The same case,
  /// plan and seed always give the same events.
  ///
  /// Each moment's events can happen when their condition holds and the plan has a site of the kind they need; each
  /// has its teaching chance, multiplied by every factor that holds. The chances of a moment are summed (scaled down
  /// to 1 if they exceed it) and one draw picks an event or none.
  /// A template case brings the events of the variant the plan's seed draws.
  public func events(for given: Case, plan: Plan) -> [OccurredEvent] {
    let scenario = given.variant(seed: plan.seed).0 ?? given
    let mode = plan.effectiveEventMode
    guard plan.decision == .needle, mode != .off else { return [] }
    let facts = facts(of: scenario)
    let sites = resolve(plan.sites).map { resolved in
      var placed = resolved
      placed.choice.position = plan.position(of: resolved.choice)
      return placed
    }
    guard !sites.isEmpty else { return [] }
    let precautions = Set(plan.precautions)
    let catalogue = guidance.events
    var occurred: [OccurredEvent] = []
    for moment in EventMoment.allCases {
      var random = SeededRandom(seed: UInt64(plan.seed ?? 0), streams: [scenario.id, moment.rawValue])
      if let script = scenario.events.lazy.compactMap({ script -> OccurredEvent? in
        guard let event = catalogue.event(script.event), event.moment == moment,
          event.when.holds(for: facts, sites: sites, precautions: precautions)
        else { return nil }
        let places = sites.filter { resolved in
          (script.site.map { $0 == resolved.site.id } ?? true) && (event.at?.matches(resolved, facts: facts) ?? true)
        }
        if event.at != nil || script.site != nil, places.isEmpty { return nil }
        let site = places.isEmpty ? nil : places[random.index(below: places.count)].choice
        return OccurredEvent(event: event.id, moment: moment, site: site, scripted: true, signs: script.signs)
      }).first {
        occurred.append(script)
        continue
      }
      guard mode == .random else { continue }
      let candidates: [(event: ClinicalEvent, places: [ResolvedSite], chance: Double)] = catalogue.events.compactMap { event in
        guard event.moment == moment, event.when.holds(for: facts, sites: sites, precautions: precautions) else { return nil }
        let places = event.at.map { selector in sites.filter { selector.matches($0, facts: facts) } } ?? []
        if event.at != nil, places.isEmpty { return nil }
        let chance = event.likelihood.factors.reduce(event.likelihood.teaching) { chance, factor in
          factor.when.holds(for: facts, sites: sites, precautions: precautions) ? chance * factor.times : chance
        }
        return (event, places, min(1, chance))
      }
      let total = candidates.reduce(0) { $0 + $1.chance }
      var draw = random.unit() * max(1, total)
      for candidate in candidates {
        guard draw < candidate.chance else {
          draw -= candidate.chance
          continue
        }
        let site = candidate.places.isEmpty ? nil : candidate.places[random.index(below: candidate.places.count)].choice
        occurred.append(OccurredEvent(event: candidate.event.id, moment: moment, site: site, scripted: false, signs: nil))
        break
      }
    }
    return occurred
  }
}
