import YAMLReading
import Foundation
import Presentation
import ScenarioKit

/// Prints diagnostics compiler-style (`path:line:col: error: message`), coloured only on a terminal.
enum DiagnosticPrinter {
  static func render(_ diagnostic: Diagnostic, terminal: TextStyle) -> String {
    let location = "\(diagnostic.path):\(diagnostic.line):\(diagnostic.column):"
    let label =
      diagnostic.severity == .error
      ? terminal.paint("error:", .bold, .red) : terminal.paint("warning:", .bold, .yellow)
    return "\(terminal.paint(location, .bold)) \(label) \(diagnostic.message)"
  }

  /// Prints `diagnostics` to standard error, sorted by file and position.
  static func print(_ diagnostics: [Diagnostic]) {
    let terminal = OutputStyle.standardError
    for diagnostic in sorted(diagnostics) { Output.err(render(diagnostic, terminal: terminal)) }
  }

  static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.sorted { ($0.path, $0.line, $0.column, $0.message) < ($1.path, $1.line, $1.column, $1.message) }
  }
}
