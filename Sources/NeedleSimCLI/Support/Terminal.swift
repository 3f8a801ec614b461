import Foundation
import PracticeREPL

/// Detects what an output stream can show: colour and symbols only on a TTY, never with NO_COLOR or TERM=dumb.
enum Terminal {
  static func style(for fd: Int32) -> TextStyle {
    let env = ProcessInfo.processInfo.environment
    let tty = isatty(fd) == 1
    let dumb = env["TERM"] == "dumb"
    let noColour = !(env["NO_COLOR"] ?? "").isEmpty
    var width = 80
    if tty {
      var size = winsize()
      if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 { width = min(Int(size.ws_col), 100) }
    }
    return TextStyle(colour: tty && !dumb && !noColour, symbols: tty && !dumb, width: width)
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
