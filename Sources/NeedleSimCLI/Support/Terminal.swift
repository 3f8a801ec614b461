import Foundation
import LineEditing
import PracticeREPL

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
  static func out(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }

  static func err(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  /// Writes `bytes` to standard output as they are, straight from the array (no `Data` copy).
  static func write(_ bytes: [UInt8]) throws {
    var written = 0
    while written < bytes.count {
      let result = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + written, $0.count - written) }
      if result < 0 {
        if errno == EINTR { continue }
        throw CLIError.cannotWrite(path: "standard output", reason: String(cString: strerror(errno)))
      }
      written += result
    }
  }
}
