import Foundation

/// Facts about the process's terminal, and unbuffered writing to standard output.
public enum Terminal {
  /// Whether standard input is a terminal (readline is used only then).
  public static var inputIsTTY: Bool { isatty(STDIN_FILENO) == 1 }

  public static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// Colour is allowed on a terminal unless NO_COLOR is set or TERM=dumb.
  public static func allowsColour(_ fd: Int32) -> Bool {
    let env = ProcessInfo.processInfo.environment
    return isTTY(fd) && env["TERM"] != "dumb" && (env["NO_COLOR"] ?? "").isEmpty
  }

  /// Symbols (✓ ✗) are used on a terminal that is not dumb; pipes get plain words.
  public static func allowsSymbols(_ fd: Int32) -> Bool {
    isTTY(fd) && ProcessInfo.processInfo.environment["TERM"] != "dumb"
  }

  /// Columns of the terminal on `fd`, clamped to a readable range; 80 when not a terminal.
  public static func width(_ fd: Int32) -> Int {
    guard isTTY(fd) else { return 80 }
    var size = winsize()
    guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 else { return 80 }
    return min(Int(size.ws_col), 100)
  }

  /// Writes `text` to standard output immediately (pipes are otherwise fully buffered).
  /// Returns false when the reader has gone (EPIPE), so callers can stop.
  @discardableResult
  public static func write(_ text: String) -> Bool {
    Array(text.utf8).withUnsafeBytes { buffer -> Bool in
      guard let base = buffer.baseAddress else { return true }
      var offset = 0
      while offset < buffer.count {
        let written = Foundation.write(STDOUT_FILENO, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += written
      }
      return true
    }
  }
}
