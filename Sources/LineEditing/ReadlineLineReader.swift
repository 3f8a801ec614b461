@preconcurrency import CReadline
import Foundation
import Synchronization

/// Supplies completions: given the whole line typed so far and the text of the word being completed,
/// returns the candidate words.
public typealias CompletionProvider = @Sendable (_ line: String, _ word: String) -> [String]

/// Process-wide readline state. Readline's callbacks are C functions that cannot capture context,
/// so what they need lives here; only one ``ReadlineLineReader`` may exist at a time.
private let completionProvider = Mutex<CompletionProvider?>(nil)
private let interruptPending = Atomic<Bool>(false)
/// The interruption of the line being read and when it is due (seconds since the epoch); nil when none is pending.
private let scheduledInterruption = Mutex<(due: Double, interruption: Interruption)?>(nil)
// Allocated once and never freed or written: readline keeps the pointer for the whole process.
nonisolated(unsafe) private let readlineName: UnsafeMutablePointer<CChar>? = strdup("needlesim")

/// GNU readline on a terminal: editing, persistent history, context-aware tab completion, and Ctrl-C that
/// clears the line instead of killing the program.
public final class ReadlineLineReader: LineReader {
  private let historyPath: String?
  private let colour: Bool
  private let historyLimit: Int32 = 1000
  private var lastLine: String?

  /// - Parameters:
  ///   - historyPath: file for persistent history (created if missing); nil for no history.
  ///   - colour: whether the prompt may be coloured.
  ///   - completions: the candidates for tab completion.
  public init(historyPath: String?, colour: Bool, completions: @escaping CompletionProvider) {
    self.historyPath = historyPath
    self.colour = colour
    completionProvider.withLock { $0 = completions }
    rl_readline_name = UnsafePointer(readlineName)
    rl_catch_signals = 0
    rl_getc_function = interruptibleGetc
    rl_attempted_completion_function = attemptCompletion
    rl_completion_append_character = 32  // a space after a completed word
    using_history()
    if let historyPath {
      let directory = (historyPath as NSString).deletingLastPathComponent
      try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      if !FileManager.default.fileExists(atPath: historyPath) {
        FileManager.default.createFile(atPath: historyPath, contents: nil, attributes: [.posixPermissions: 0o600])
      }
      read_history(historyPath)
    }
    stifle_history(historyLimit)
    Self.installInterruptHandler()
  }

  deinit {
    if let historyPath { history_truncate_file(historyPath, historyLimit) }
    completionProvider.withLock { $0 = nil }
    signal(SIGINT, SIG_DFL)
  }

  public func read(prompt: Prompt) -> LineInput { read(prompt: prompt, interruption: nil) }

  public func read(prompt: Prompt, interruption: Interruption?) -> LineInput {
    scheduledInterruption.withLock { $0 = interruption.map { (Date().timeIntervalSince1970 + $0.after, $0) } }
    defer { scheduledInterruption.withLock { $0 = nil } }
    interruptPending.store(false, ordering: .relaxed)
    guard let raw = readline(prompt.forReadline(colour: colour)) else { return .endOfInput }
    let line = String(cString: raw)
    free(raw)
    if interruptPending.exchange(false, ordering: .relaxed) { return .interrupted }
    remember(line)
    return .line(line)
  }

  /// Adds a non-blank line that differs from the previous one to history, and appends it to the file at once,
  /// so history survives a crash.
  private func remember(_ line: String) {
    guard !line.trimmingCharacters(in: .whitespaces).isEmpty, line != lastLine else { return }
    lastLine = line
    add_history(line)
    if let historyPath { append_history(1, historyPath) }
  }

  private static func installInterruptHandler() {
    // Touch the global first: lazy initialisation is not async-signal-safe.
    interruptPending.store(false, ordering: .relaxed)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in interruptPending.store(true, ordering: .relaxed) }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0  // no SA_RESTART: read() must return EINTR so the line can be abandoned
    sigaction(SIGINT, &action, nil)
  }
}

/// Reads one byte for readline; on Ctrl-C clears the line and ends it.
///
/// A Ctrl-C may arrive while readline is busy between reads (echoing, redrawing), with the next command typed
/// right behind it. The terminal discards what was queued before the Ctrl-C, so a byte still queued once SIGINT
/// is pending belongs to the next line. SIGINT therefore stays blocked here except inside `pselect`, which
/// unblocks it atomically while waiting, and a pending SIGINT is handled before the next byte is read.
private func interruptibleGetc(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
  var interruptOnly = sigset_t()
  sigemptyset(&interruptOnly)
  sigaddset(&interruptOnly, SIGINT)
  var waitingMask = sigset_t()
  pthread_sigmask(SIG_BLOCK, &interruptOnly, &waitingMask)
  defer { pthread_sigmask(SIG_SETMASK, &waitingMask, nil) }
  sigdelset(&waitingMask, SIGINT)
  while true {
    if interruptPending.load(ordering: .relaxed) {
      rl_replace_line("", 0)
      return 10  // newline: readline returns the (now empty) line
    }
    var readable = fd_set()
    fdSetInsert(STDIN_FILENO, &readable)
    let due = scheduledInterruption.withLock { $0?.due }
    var timeout = timespec()
    if let due {
      let wait = max(0, due - Date().timeIntervalSince1970)
      timeout = timespec(tv_sec: Int(wait), tv_nsec: Int((wait - wait.rounded(.down)) * 1e9))
    }
    let ready = withUnsafePointer(to: &timeout) { pointer in
      pselect(STDIN_FILENO + 1, &readable, nil, nil, due == nil ? nil : pointer, &waitingMask)
    }
    if ready < 0 {
      if errno == EINTR { continue }
      return EOF
    }
    if ready == 0 {
      showInterruption()
      continue
    }
    var pending = sigset_t()
    if sigpending(&pending) == 0, sigismember(&pending, SIGINT) == 1 {
      // Let the handler run (it sets the flag), then block again and clear the line at the top of the loop.
      pthread_sigmask(SIG_SETMASK, &waitingMask, nil)
      pthread_sigmask(SIG_BLOCK, &interruptOnly, nil)
      continue
    }
    var byte: UInt8 = 0
    let count = Foundation.read(STDIN_FILENO, &byte, 1)
    if count == 1 { return Int32(byte) }
    if count < 0, errno == EINTR || errno == EAGAIN { continue }
    return EOF
  }
}

/// Prints the due interruption's message above the prompt, then redraws the prompt and the line typed so far.
private func showInterruption() {
  guard let interruption = scheduledInterruption.withLock({ current -> Interruption? in
    defer { current = nil }
    return current?.interruption
  }) else { return }
  let message = interruption.message()
  guard !message.isEmpty else { return }
  rl_clear_visible_line()
  _ = Terminal.write(message + "\n")
  rl_on_new_line()
  rl_redisplay()
}

/// `FD_SET`, which is a macro in C.
private func fdSetInsert(_ descriptor: Int32, _ set: inout fd_set) {
  let bitsPerWord = MemoryLayout.size(ofValue: set.__fds_bits.0) * 8
  withUnsafeMutableBytes(of: &set) { raw in
    let words = raw.bindMemory(to: Int.self)
    words[Int(descriptor) / bitsPerWord] |= 1 << (Int(descriptor) % bitsPerWord)
  }
}

/// Readline's completion hook: asks the provider for candidates, never falls back to file names.
private func attemptCompletion(
  _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
  rl_attempted_completion_over = 1
  let word = text.map { String(cString: $0) } ?? ""
  let line = rl_line_buffer.map { String(cString: $0) } ?? ""
  let prefix = String(line.utf8.prefix(Int(start))) ?? ""
  let candidates = completionProvider.withLock { $0?(prefix, word) ?? [] }.filter { $0.hasPrefix(word) }
  guard !candidates.isEmpty else { return nil }
  // Readline frees the array and every string in it: allocate with malloc/strdup.
  let common = candidates.count == 1 ? candidates[0] : commonPrefix(candidates)
  let matches = [common] + (candidates.count == 1 ? [] : candidates)
  guard let array = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (matches.count + 1))?
    .assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
  else { return nil }
  for (index, match) in matches.enumerated() { array[index] = strdup(match) }
  array[matches.count] = nil
  return array
}

private func commonPrefix(_ words: [String]) -> String {
  guard var prefix = words.first else { return "" }
  for word in words.dropFirst() {
    while !word.hasPrefix(prefix) { prefix.removeLast() }
  }
  return prefix
}
