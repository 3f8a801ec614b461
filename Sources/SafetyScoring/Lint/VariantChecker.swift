import YAMLReading
import ScenarioKit

extension CaseChecker {
  /// What checking a template's variants found: the problems (each naming the variant's seed and values) and how
  /// many distinct variants were checked.
  public struct VariantCheck: Sendable {
    public var diagnostics: [Diagnostic]
    public var checked: Int
  }

  /// Checks the variants of a template case as ``check(_:)`` checks a case: every variant when there are at most
  /// `limit`, else a sample of `limit` distinct variants drawn from the seeds counted up from `firstSeed`. Each
  /// problem names the seed that draws the variant, so `show ID --seed N` opens it; one already in `asWritten` (the
  /// case's own diagnostics) is not repeated. Nothing for a fixed case.
  public func checkVariants(_ scenario: Case, asWritten: [Diagnostic] = [], limit: Int = 50, firstSeed: Int = 0)
    -> VariantCheck
  {
    guard let template = scenario.template, limit > 0 else { return VariantCheck(diagnostics: [], checked: 0) }
    let wanted = min(limit, template.size)
    var seen: Set<[VariantValue]> = []
    var diagnostics: [Diagnostic] = []
    func key(_ diagnostic: Diagnostic) -> String { "\(diagnostic.line):\(diagnostic.column):\(diagnostic.message)" }
    var reported = Set(asWritten.map(key))
    // Constraints may leave fewer variants than the product of the parameters; a bound on the seeds tried ends the
    // search for ones that do not exist.
    var seed = firstSeed
    while seen.count < wanted, seed < firstSeed + 20 * wanted + 100, seed <= Int(UInt32.max) {
      defer { seed += 1 }
      guard let values = template.values(seed: seed) else {
        diagnostics.append(
          Diagnostic(path: scenario.path, line: scenario.idPosition.line, column: scenario.idPosition.column,
                     severity: .error, message: "no values satisfy the constraints (seed \(seed))"))
        break
      }
      guard seen.insert(values).inserted else { continue }
      let (variant, readDiagnostics) = template.variant(seed: seed)
      let found = readDiagnostics + (variant.map(check) ?? [])
      let name = Variant(seed: seed, values: values).description
      for diagnostic in found {
        // A problem every variant shares (a warning of the case as written) is reported once.
        guard reported.insert(key(diagnostic)).inserted else { continue }
        var named = diagnostic
        named.message = "\(name): \(diagnostic.message)"
        diagnostics.append(named)
      }
    }
    return VariantCheck(diagnostics: diagnostics, checked: seen.count)
  }
}
