import Foundation

/// Runs a program on a pseudo-terminal, so tests can type keys (Tab, Ctrl-C, Ctrl-D) and read the screen.
///
/// The child is spawned with `POSIX_SPAWN_SETSID` and opens the pty's slave side itself, which makes the pty its
/// controlling terminal: Ctrl-C written to the master then reaches it as SIGINT.
public final class PseudoTerminal {
  public let pid: pid_t
  private let master: Int32
  var masterDescriptor: Int32 { master }
  public private(set) var transcript = ""
  /// Output received but not yet returned by ``read(until:timeout:)`` (after its last match).
  private var unread: [UInt8] = []

  public init(executable: String, arguments: [String], environment: [String: String]) throws {
    var master: Int32 = -1
    var slave: Int32 = -1
    var nameBuffer = [CChar](repeating: 0, count: 256)
    guard openpty(&master, &slave, &nameBuffer, nil, nil) == 0 else { throw POSIXError(.EIO) }
    let name = String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    close(slave)
    _ = fcntl(master, F_SETFD, FD_CLOEXEC)
    self.master = master

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // POSIX_SPAWN_SETSID (0x80) is not exported to Swift; SETSIGDEF and SETSIGMASK reset what the runner changed.
    posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var child: pid_t = 0
    let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
    guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
    pid = child
  }

  deinit {
    close(master)
    kill(pid, SIGKILL)
    var status: Int32 = 0
    waitpid(pid, &status, WNOHANG)
  }

  public func send(_ text: String) {
    _ = text.utf8CString.dropLast().withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  /// Reads until `text` appears (or the timeout passes) and returns the output up to and including it. Output
  /// after the match is kept for the next call, so a prompt that arrived in the same chunk is not lost.
  @discardableResult
  public func read(until text: String, timeout: TimeInterval = 30) -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var buffer = [UInt8](repeating: 0, count: 4096)
    while Date() < deadline, !Self.clean(String(decoding: unread, as: UTF8.self)).contains(text) {
      var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      guard poll(&descriptor, 1, 100) > 0 else { continue }
      let count = Foundation.read(master, &buffer, buffer.count)
      if count <= 0 { break }  // EIO once the child has gone
      unread += buffer[0..<count]
    }
    let output = Self.clean(String(decoding: unread, as: UTF8.self))
    unread = []
    guard let match = output.range(of: text) else {
      transcript += output
      return output
    }
    let taken = String(output[..<match.upperBound])
    unread = Array(output[match.upperBound...].utf8)
    transcript += taken
    return taken
  }

  /// Waits for the child to exit and returns its status.
  public func waitForExit(timeout: TimeInterval = 30) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xFF }
      read(until: "\u{0}", timeout: 0.1)
    }
    return nil
  }

  /// Removes carriage returns, bells and backspace redraws so assertions can look at plain text.
  public static func clean(_ text: String) -> String {
    text.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\u{7}", with: "")
      .replacingOccurrences(of: "\u{8}", with: "")
  }
}

extension PseudoTerminal {
  /// Changes the terminal size, as a window resize does (the kernel sends SIGWINCH to the foreground job).
  public func resize(columns: UInt16, rows: UInt16) {
    var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(masterDescriptor, UInt(TIOCSWINSZ), &size)
    kill(pid, SIGWINCH)
  }
}
