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
}
