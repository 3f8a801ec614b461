import YAMLReading

/// A build category from the BMI, which decides the longest safe needle over lung and spine.
public enum Build: String, Sendable, CaseIterable, Codable {
  case thin, average, obese
}

/// What inspection and palpation show: build, spinal alignment, the skin and muscles over the sites, and
/// region-specific measures (`examination:` in a case file).
public struct Examination: Sendable, Equatable {
  public var heightCm: Double
  public var weightKg: Double
  /// Vocabulary alignment findings (scoliosis, kyphosis, rotation); empty when the spine looks straight.
  public var alignment: [String]
  /// One sentence each: the skin and any swelling over the candidate sites, what palpation finds.
  public var findings: [String]
  /// Forearm circumference and length, for choosing a needle at the pronator teres and forearm ([S13]).
  public var forearmCircumferenceCm: Double?
  public var forearmLengthCm: Double?

  public init(
    heightCm: Double, weightKg: Double, alignment: [String] = [], findings: [String] = [],
    forearmCircumferenceCm: Double? = nil, forearmLengthCm: Double? = nil
  ) {
    self.heightCm = heightCm
    self.weightKg = weightKg
    self.alignment = alignment
    self.findings = findings
    self.forearmCircumferenceCm = forearmCircumferenceCm
    self.forearmLengthCm = forearmLengthCm
  }

  /// The screening topic that examining the patient answers (`examine`, or `ask examination`).
  public static let topic = "examination"

  /// Body mass index, kg/m².
  public var bmi: Double { weightKg / ((heightCm / 100) * (heightCm / 100)) }
}

extension Examination {
  /// Reads an `examination:` mapping, checking ranges and alignment codes.
  static func read(_ node: YNode, bag: DiagnosticBag, vocabulary: Vocabulary) -> Examination? {
    guard
      let m = MappingReader(
        node, bag: bag, context: "examination", allowedKeys: ["heightCm", "weightKg", "alignment", "findings", "forearm"])
    else { return nil }
    // Both are required: the build they give decides the needle over lung and spine.
    let height = m.value("heightCm", required: true).flatMap { _ in m.double("heightCm", range: 40...230) }
    let weight = m.value("weightKg", required: true).flatMap { _ in m.double("weightKg", range: 2...350) }
    let alignment = m.strings("alignment")
    for code in alignment { vocabulary.alignmentFindings.check(code, bag: bag) }
    var examination = Examination(
      heightCm: height?.value ?? 170, weightKg: weight?.value ?? 70, alignment: alignment.map(\.value),
      findings: m.strings("findings").map(\.value))
    if let forearm = m.mapping("forearm", context: "forearm", allowedKeys: ["circumferenceCm", "lengthCm"]) {
      examination.forearmCircumferenceCm = forearm.double("circumferenceCm", range: 10...60)?.value
      examination.forearmLengthCm = forearm.double("lengthCm", range: 10...50)?.value
    }
    return height != nil && weight != nil ? examination : nil
  }
}
