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

  /// Where the key goes in a table of items searched by slot rather than hashed (hashing a key costs more than
  /// judging the item), given how many screening topic and precaution slots there are: a bucket shared only by
  /// keys of the same kind and slot, and a number that tells apart the keys of one bucket. Nil for referrals,
  /// sites, and numbers too large to pack.
  func packed(topics: Int, precautions: Int) -> (bucket: Int, variant: UInt64)? {
    switch self {
    case .noSite: return (0, 0)
    case .decision(let decision):
      switch decision {
      case .needle: return (1, 0)
      case .defer: return (2, 0)
      case .refer: return (3, 0)
      case .decline: return (4, 0)
      }
    case .screening(let slot, let rule, let severity, let asked):
      return Self.pack(rule: rule, site: nil, side: nil, severity: severity, flag: asked).map { (5 + slot, $0) }
    case .required(let slot, let rule, let severity, let site, let side, let chosen):
      return Self.pack(rule: rule, site: site, side: side, severity: severity, flag: chosen)
        .map { (5 + topics + slot, $0) }
    case .recommended(let slot, let rule, let chosen):
      return Self.pack(rule: rule, site: nil, side: nil, severity: .minor, flag: chosen)
        .map { (5 + topics + precautions + slot, $0) }
    case .needless(let slot): return (5 + topics + 2 * precautions + slot, 0)
    case .referral, .site: return nil
    }
  }

  /// How many buckets `packed` uses.
  static func buckets(topics: Int, precautions: Int) -> Int { 5 + topics + 3 * precautions }

  /// Rule in bits 32–63, site + 1 in bits 8–31, side in bits 4–6, severity in bits 1–2, the flag in bit 0.
  private static func pack(rule: Int, site: Int?, side: Side?, severity: Severity, flag: Bool) -> UInt64? {
    let siteCode = (site ?? -1) + 1
    guard (0..<(1 << 31)).contains(rule), (0..<(1 << 24)).contains(siteCode) else { return nil }
    let sideCode = UInt64(side.code)
    let severityCode: UInt64
    switch severity {
    case .minor: severityCode = 0
    case .major: severityCode = 1
    case .critical: severityCode = 2
    }
    return UInt64(rule) << 32 | UInt64(siteCode) << 8 | sideCode << 4 | severityCode << 1 | (flag ? 1 : 0)
  }
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
