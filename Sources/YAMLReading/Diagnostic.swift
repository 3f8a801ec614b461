/// How serious a problem in a user file is.
public enum DiagnosticSeverity: String, Sendable, Codable, Comparable {
  case error
  case warning

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs == .warning && rhs == .error }
}

/// A problem found in a user file, located by 1-based line and column.
///
/// Rendered compiler-style as `path:line:col: error: message`, so editors and CI can jump to it.
public struct Diagnostic: Sendable, Codable, Equatable, CustomStringConvertible {
  public var path: String
  public var line: Int
  public var column: Int
  public var severity: DiagnosticSeverity
  public var message: String

  public init(path: String, line: Int, column: Int, severity: DiagnosticSeverity, message: String) {
    self.path = path
    self.line = line
    self.column = column
    self.severity = severity
    self.message = message
  }

  public var description: String { "\(path):\(line):\(column): \(severity.rawValue): \(message)" }
}

/// Collects the diagnostics of one file while it is read, so that every problem is reported in one run.
public final class DiagnosticBag {
  public let path: String
  public private(set) var diagnostics: [Diagnostic] = []

  public init(path: String) { self.path = path }

  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

  public func error(_ message: String, line: Int, column: Int) {
    diagnostics.append(Diagnostic(path: path, line: line, column: column, severity: .error, message: message))
  }

  public func warning(_ message: String, line: Int, column: Int) {
    diagnostics.append(Diagnostic(path: path, line: line, column: column, severity: .warning, message: message))
  }

  public func error(_ message: String, at position: Position) {
    error(message, line: position.line, column: position.column)
  }

  public func warning(_ message: String, at position: Position) {
    warning(message, line: position.line, column: position.column)
  }

  public func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }
}

/// A 1-based line and column in a source file.
public struct Position: Sendable, Hashable, Codable {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
  public static let start = Position(line: 1, column: 1)
}

/// A value read from a file, with the position it was read at.
public struct Located<Value: Sendable>: Sendable {
  public var value: Value
  public var position: Position
  public init(_ value: Value, at position: Position) {
    self.value = value
    self.position = position
  }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
