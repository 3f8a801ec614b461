import ScenarioKit

extension Evaluator {
  /// The events a treatment brings: none unless the plan needles; the case's scripted events (unless events are
  /// off); then, in random mode, at most one drawn event for each moment the script leaves free. The same case,
  /// plan and seed always give the same events.
  ///
  /// Each moment's events can happen when their condition holds and the plan has a site of the kind they need; each
  /// has its teaching chance, multiplied by every factor that holds. The chances of a moment are summed (scaled down
  /// to 1 if they exceed it) and one draw picks an event or none.
  public func events(for scenario: Case, plan: Plan) -> [OccurredEvent] {
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
      var random = EventRandom(seed: UInt64(plan.seed ?? 0), streams: [scenario.id, moment.rawValue])
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

/// A seeded stream of random numbers (SplitMix64), the same on every platform and run. Each stream mixes the seed with
/// names (the case and the moment), so adding an event to one moment never changes another's draw.
struct EventRandom {
  private var state: UInt64

  init(seed: UInt64, streams: [String]) {
    var state = seed
    for name in streams { state = state &* 0x100_0000_01B3 ^ Self.fnv1a(name) }
    self.state = state
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

  /// An index in 0..<count.
  mutating func index(below count: Int) -> Int { Int(next() % UInt64(count)) }

  /// FNV-1a over the UTF-8 bytes: a stable hash (Swift's `Hasher` is seeded per process).
  static func fnv1a(_ text: String) -> UInt64 {
    text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
  }
}
