import Foundation
import LineEditing
import Presentation

/// The text style an output stream allows, from LineEditing's terminal facts (colour and symbols only on a TTY,
/// never with NO_COLOR or TERM=dumb).
enum OutputStyle {
  static func style(for fd: Int32) -> TextStyle {
    TextStyle(
      colour: LineEditing.Terminal.allowsColour(fd), symbols: LineEditing.Terminal.allowsSymbols(fd),
      width: LineEditing.Terminal.width(fd))
  }

  static var standardOutput: TextStyle { style(for: STDOUT_FILENO) }
  static var standardError: TextStyle { style(for: STDERR_FILENO) }
}

/// Writes whole lines to standard output or standard error.
enum Output {
  static func out(_ text: String) { line(text, to: STDOUT_FILENO) }

  static func err(_ text: String) { line(text, to: STDERR_FILENO) }

  /// Writes `text` and a line break straight from the string's bytes. A failed write (standard output closed by
  /// `| head`) is ignored: there is nowhere left to report it.
  private static func line(_ text: String, to fd: Int32) {
    var line = text + "\n"
    line.withUTF8 { try? write(UnsafeRawBufferPointer($0), to: fd) }
  }

  /// Writes `bytes` to standard output as they are, reporting a failed write (a full disk behind a redirection).
  static func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0, to: STDOUT_FILENO) }
  }

  private static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) throws {
    var written = 0
    while written < bytes.count {
      let result = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
      if result < 0 {
        if errno == EINTR { continue }
        throw CLIError.cannotWrite(
          path: fd == STDOUT_FILENO ? "standard output" : "standard error", reason: String(cString: strerror(errno)))
      }
      written += result
    }
  }
}
