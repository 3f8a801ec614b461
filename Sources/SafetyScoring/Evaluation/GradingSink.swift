import ScenarioKit

/// What one report item is made from, apart from the case: two items of one case with equal keys are equal.
enum ItemKey: Hashable {
  case decision(Decision)
  case referral(String?)
  case screening(slot: Int, rule: Int, severity: Severity, asked: Bool)
  /// Rules and sites are numbered as in `Need`.
  case required(slot: Int, rule: Int, severity: Severity, site: Int?, side: Side?, chosen: Bool)
  case recommended(slot: Int, rule: Int, chosen: Bool)
  case needless(slot: Int)
  case noSite
  /// A chosen site; `otherThoraxSide` when it is judged for crossing to the other side of the thorax.
  case site(SiteChoice, otherThoraxSide: Bool)

  /// A small number shared only by keys of the same kind and slot (nil for referrals and sites), given how many
  /// screening topic and precaution slots there are: lets a table of items be an array searched by slot rather
  /// than hashed, as hashing a key costs more than judging the item.
  func bucket(topics: Int, precautions: Int) -> Int? {
    switch self {
    case .noSite: return 0
    case .decision(let decision):
      switch decision {
      case .needle: return 1
      case .defer: return 2
      case .refer: return 3
      case .decline: return 4
      }
    case .screening(let slot, _, _, _): return 5 + slot
    case .required(let slot, _, _, _, _, _): return 5 + topics + slot
    case .recommended(let slot, _, _): return 5 + topics + precautions + slot
    case .needless(let slot): return 5 + topics + 2 * precautions + slot
    case .referral, .site: return nil
    }
  }

  /// How many numbers `bucket` uses.
  static func buckets(topics: Int, precautions: Int) -> Int { 5 + topics + 3 * precautions }
}

/// Receives what `Evaluator.judge` finds in a plan, in report order.
protocol GradingSink {
  /// A report item; `make` builds it, and builds equal items for equal keys within one case.
  mutating func item(_ key: ItemKey, _ make: () -> ReportItem)
  /// A piece of advice: `index` counts the case's `Expected.advice`, then its `planAdvice`.
  mutating func advice(_ index: Int, _ make: () -> Advice)
}

/// The items and advice of one report, built in full.
struct ReportParts: GradingSink {
  var items: [ReportItem] = []
  var advice: [Advice] = []

  mutating func item(_ key: ItemKey, _ make: () -> ReportItem) { items.append(make()) }
  mutating func advice(_ index: Int, _ make: () -> Advice) { advice.append(make()) }
}

extension ReportItem {
  /// A critical error: it fails the attempt whatever the score.
  var isCriticalFailure: Bool { severity == .critical && (verdict == .missed || verdict == .unsafe) }
}

extension CriticalFailure {
  init(_ item: ReportItem) {
    self.init(rule: item.rule ?? "", kind: item.kind, subject: item.subject, explanation: item.explanation)
  }
}
