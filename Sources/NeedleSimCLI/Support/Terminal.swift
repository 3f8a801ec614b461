import Foundation
import LineEditing
import PracticeREPL
import SafetyScoring

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

  /// Writes `output` to standard output, its spliced pieces straight from where they are (`writev`).
  static func write(_ output: SplicedBytes) throws {
    try output.withPieces { found in
      var pieces = found.map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
      var next = 0
      while next < pieces.count {
        let count = min(pieces.count - next, 1024)  // IOV_MAX on Linux and macOS
        var result = pieces.withUnsafeBufferPointer { writev(STDOUT_FILENO, $0.baseAddress! + next, Int32(count)) }
        if result <= 0 {
          if result < 0, errno == EINTR { continue }
          let reason = result < 0 ? String(cString: strerror(errno)) : "nothing was written"
          throw CLIError.cannotWrite(path: "standard output", reason: reason)
        }
        // Skip what was written; a piece written in part is finished on the next call.
        while result > 0 {
          if result >= pieces[next].iov_len {
            result -= pieces[next].iov_len
            next += 1
          } else {
            pieces[next].iov_base += result
            pieces[next].iov_len -= result
            result = 0
          }
        }
      }
    }
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
