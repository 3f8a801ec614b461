import ScenarioKit

/// Writes graded plans' reports as JSON without building `Report` values, for batch grading.
///
/// A report is mostly explanation text that depends on the case and on a few choices in the plan, not on the
/// plan as a whole. So the JSON of each report item, and of each piece of advice, is written once per case (by
/// the same code that writes a `Report`) the first time a plan needs it, and reports are put together from those
/// fragments. The bytes are those of `Evaluator.grade` followed by `Report.appendCompactJSON`; a test compares
/// them.
///
/// A writer keeps its fragments to itself and is not safe to share between threads: give each thread its own.
public final class ReportFragmentWriter {
  let evaluator: Evaluator
  private var cases: [ObjectIdentifier: CaseFragments] = [:]
  /// Per-plan lists, kept between plans so that their storage is reused.
  private var items: [Int] = []
  private var advice: [Int] = []

  public init(evaluator: Evaluator) { self.evaluator = evaluator }

  /// Grades `plan` for `prepared` and appends its report's compact JSON to `output`, splicing in the writer's
  /// fragments rather than copying them: `output` must be written before the writer goes.
  public func appendReport(grading plan: Plan, for prepared: PreparedCase, to output: inout SplicedBytes) {
    var out = JSONBytes(&output)
    defer { output = out.spliced() }
    let fragments = fragments(for: prepared)
    var sink = FragmentSink(fragments: fragments, items: items, advice: advice)
    items = []
    advice = []
    sink.items.removeAll(keepingCapacity: true)
    sink.advice.removeAll(keepingCapacity: true)
    evaluator.judge(
      plan, facts: prepared.scenario.facts, expected: prepared.expected, siteRules: prepared.siteRules, into: &sink)
    let (score, passed) = evaluator.result(
      earned: sink.earned, possible: sink.possible, hintsUsed: 0, failed: sink.failures > 0)
    let report = FragmentReport(
      prepared: prepared, evaluator: evaluator, fragments: fragments, items: sink.items, advice: sink.advice,
      passed: passed, scorePercent: score, earned: sink.earned, possible: sink.possible)
    report.appendReportJSON(to: &out, sizeHint: 16_384)
    items = sink.items
    advice = sink.advice
  }

  private func fragments(for prepared: PreparedCase) -> CaseFragments {
    if let found = cases[ObjectIdentifier(prepared)] { return found }
    let made = CaseFragments(prepared, topics: evaluator.topicSlots.count, precautions: evaluator.precautionSlots.count)
    cases[ObjectIdentifier(prepared)] = made
    return made
  }
}

/// The JSON fragments written so far for one case, in memory that does not move (output points at it).
private final class CaseFragments {
  /// Keeps the case alive, so that its identifier, the key of this value, stays its own.
  let prepared: PreparedCase
  private let storage = StableBytes()
  /// Where each fragment is written before it is stored.
  private var scratch: [UInt8] = []
  /// Where each item is in `items`: in `slotsPerBucket` consecutive entries for each bucket (see
  /// `ItemKey.packed`), or hashed for keys without a bucket and for a bucket's extra keys. One flat array of
  /// small entries, not one array of keys per bucket: looking an item up then costs one cache miss rather than
  /// two, and grading is bound by them.
  private var buckets: [BucketEntry]
  private var hashed: [ItemKey: Int] = [:]
  /// A bucket holds a few keys (an item asked or not, chosen or not), rarely more.
  private static let slotsPerBucket = 4
  private let topics: Int
  private let precautions: Int
  var items: [ItemFragment] = []
  /// Each piece of advice written, by its `GradingSink.advice` index.
  var advice: [UnsafeRawBufferPointer?]
  /// The report runs written (see `ReportRun`), by raw value.
  private var runs = [UnsafeRawBufferPointer?](repeating: nil, count: ReportRun.allCases.count)

  struct BucketEntry {
    var variant: UInt64 = 0
    /// Where the item is in `items`; -1 while the entry is free.
    var index: Int32 = -1
  }

  struct ItemFragment {
    var json: UnsafeRawBufferPointer
    /// The item's entry in the report's critical failures, if it is one.
    var failure: UnsafeRawBufferPointer?
    var points: Int
    var maxPoints: Int
  }

  init(_ prepared: PreparedCase, topics: Int, precautions: Int) {
    self.prepared = prepared
    self.topics = topics
    self.precautions = precautions
    buckets = Array(
      repeating: BucketEntry(), count: ItemKey.buckets(topics: topics, precautions: precautions) * Self.slotsPerBucket)
    advice = Array(repeating: nil, count: prepared.expected.advice.count + prepared.expected.planAdvice.count)
  }

  func item(_ key: ItemKey, _ make: () -> ReportItem) -> Int {
    var free: Int?
    let packed = key.packed(topics: topics, precautions: precautions)
    if let (bucket, variant) = packed {
      for entry in bucket * Self.slotsPerBucket..<(bucket + 1) * Self.slotsPerBucket {
        let found = buckets[entry]
        if found.index < 0 {
          free = entry
          break
        }
        if found.variant == variant { return Int(found.index) }
      }
    }
    if free == nil, let found = hashed[key] { return found }
    let item = make()
    let json = append { item.appendJSON(to: &$0) }
    let failure = item.isCriticalFailure ? append { CriticalFailure(item).appendJSON(to: &$0) } : nil
    items.append(ItemFragment(json: json, failure: failure, points: item.points, maxPoints: item.maxPoints))
    if let free, let packed {
      buckets[free] = BucketEntry(variant: packed.variant, index: Int32(items.count - 1))
    } else {
      hashed[key] = items.count - 1
    }
    return items.count - 1
  }

  func advice(_ index: Int, _ make: () -> Advice) -> UnsafeRawBufferPointer {
    if let found = advice[index] { return found }
    let range = append { make().appendJSON(to: &$0) }
    advice[index] = range
    return range
  }

  /// Report run `run`, written by `write` the first time it is asked for.
  func run(_ run: ReportRun, _ write: (inout JSONBytes) -> Void) -> UnsafeRawBufferPointer {
    if let found = runs[run.rawValue] { return found }
    let written = append(write)
    runs[run.rawValue] = written
    return written
  }

  /// Stores what `write` writes, returning where it went.
  private func append(_ write: (inout JSONBytes) -> Void) -> UnsafeRawBufferPointer {
    var out = JSONBytes(bytes: scratch)
    scratch = []
    out.bytes.removeAll(keepingCapacity: true)
    write(&out)
    scratch = out.bytes
    return scratch.withUnsafeBytes { storage.store($0) }
  }
}

/// Collects a plan's items and advice as fragments, with the totals the report needs.
private struct FragmentSink: GradingSink {
  let fragments: CaseFragments
  var items: [Int]
  var advice: [Int]
  var earned = 0
  var possible = 0
  var failures = 0

  init(fragments: CaseFragments, items: [Int], advice: [Int]) {
    self.fragments = fragments
    self.items = items
    self.advice = advice
  }

  mutating func item(_ key: ItemKey, _ make: () -> ReportItem) {
    let index = fragments.item(key, make)
    let item = fragments.items[index]
    items.append(index)
    earned += item.points
    possible += item.maxPoints
    if item.failure != nil { failures += 1 }
  }

  mutating func advice(_ index: Int, _ make: () -> Advice) {
    _ = fragments.advice(index, make)
    advice.append(index)
  }
}

/// One report, as `ReportJSONFields` for the shared writer, made of a case's fragments.
private struct FragmentReport: ReportJSONFields {
  let prepared: PreparedCase
  let evaluator: Evaluator
  let fragments: CaseFragments
  let items: [Int]
  let advice: [Int]
  let passed: Bool
  let scorePercent: Double
  let earned: Int
  let possible: Int

  var scenario: String { prepared.scenario.id }
  var scenarioRevision: String { prepared.scenario.revision }
  var guidanceVersion: String { evaluator.guidance.version }
  var policy: String { evaluator.policy }
  var hintsUsed: Int { 0 }
  var expected: ExpectedDecision { prepared.expectedDecision }

  func appendAdvice(to out: inout JSONBytes) {
    out.list(advice.indices) { copy(fragments.advice[advice[$0]], to: &$1) }
  }

  func appendCriticalFailures(to out: inout JSONBytes) {
    var first = true
    for index in items {
      guard let failure = fragments.items[index].failure else { continue }
      if !first { out.bytes.append(0x2C) }
      first = false
      copy(failure, to: &out)
    }
  }

  func appendRun(_ run: ReportRun, to out: inout JSONBytes) {
    out.splice(fragments.run(run) { writeRun(run, to: &$0) })
  }

  func appendItems(to out: inout JSONBytes) {
    out.list(items.indices) { copy(fragments.items[items[$0]].json, to: &$1) }
  }

  private func copy(_ fragment: UnsafeRawBufferPointer?, to out: inout JSONBytes) {
    guard let fragment else { return }
    out.splice(fragment)
  }
}
