/// How soon a patient with a red flag needs medical assessment, most urgent first.
public enum Urgency: String, Sendable, CaseIterable, Comparable {
  /// Now: the emergency department (or an ambulance), not an appointment.
  case emergency
  /// Medical assessment today.
  case sameDay = "same-day"
  /// An urgent appointment within days.
  case urgent

  /// How the debrief says it, after the flags: "… — emergency: send the patient for emergency assessment now".
  public var phrase: String {
    switch self {
    case .emergency: return "emergency: send the patient for emergency assessment now"
    case .sameDay: return "same day: the patient needs medical assessment today"
    case .urgent: return "urgent: the patient needs a medical review within days"
    }
  }

  private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
  /// More urgent sorts first.
  public static func < (lhs: Urgency, rhs: Urgency) -> Bool { lhs.rank < rhs.rank }
}

/// What a red flag calls for: how soon, to whom, and on what authority (`Scoring/vocabulary.yaml`).
public struct RedFlagTriage: Sendable, Equatable {
  public var urgency: Urgency
  /// Referral targets that fit, best first.
  public var referTo: [String]
  /// Sources (ids in `sources.yaml`) for the flag and its urgency.
  public var sources: [String]

  public init(urgency: Urgency, referTo: [String], sources: [String]) {
    self.urgency = urgency
    self.referTo = referTo
    self.sources = sources
  }
}

/// The referral a patient's red flags call for together: the most urgent flags set it.
public struct Triage: Sendable, Equatable {
  public var urgency: Urgency
  /// The red flags at that urgency, in the patient's order.
  public var flags: [String]
  public var referTo: [String]
  public var sources: [String]
}

extension Vocabulary {
  /// The referral that `flags` call for: the most urgent flags set the urgency and their targets (in order, without
  /// repeats) are the right ones. Nil when no flag is present.
  public func triage(_ flags: [String]) -> Triage? {
    let known = flags.compactMap { flag in redFlagTriage[flag].map { (flag, $0) } }
    guard let urgency = known.map(\.1.urgency).min() else { return nil }
    var result = Triage(urgency: urgency, flags: [], referTo: [], sources: [])
    for (flag, triage) in known where triage.urgency == urgency {
      result.flags.append(flag)
      for target in triage.referTo where !result.referTo.contains(target) { result.referTo.append(target) }
      for source in triage.sources where !result.sources.contains(source) { result.sources.append(source) }
    }
    return result
  }
}
