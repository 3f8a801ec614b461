/// One parameter's value in a variant of a template case.
public struct VariantValue: Sendable, Hashable, Codable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// Which variant of a template case this is: the seed that drew it (nil for the case as written) and the values.
public struct Variant: Sendable, Equatable, Codable {
  public var seed: Int?
  public var values: [VariantValue]

  public init(seed: Int?, values: [VariantValue]) {
    self.seed = seed
    self.values = values
  }

  /// `seed 17 (side=left, age=52)`, or `as written (side=right, age=44)`.
  public var description: String {
    (seed.map { "seed \($0)" } ?? "as written") + " (" + Self.describe(values) + ")"
  }

  /// `side=left, age=52`.
  public static func describe(_ values: [VariantValue]) -> String {
    values.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
  }
}
