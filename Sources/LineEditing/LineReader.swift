/// What one read from the user produced.
public enum LineInput: Sendable, Equatable {
  case line(String)
  /// Ctrl-C: the line was abandoned.
  case interrupted
  /// Ctrl-D on an empty line, or the end of piped input.
  case endOfInput
}

/// A source of input lines: readline on a terminal, plain reading on a pipe, a script in tests.
public protocol LineReader: AnyObject {
  /// Shows `prompt` and reads one line.
  func read(prompt: Prompt) -> LineInput
  /// Shows `prompt` and reads one line; if no line is complete `after` seconds in, prints the interruption's message
  /// above the prompt and redraws the prompt with what has been typed so far. Readers that cannot interrupt a line
  /// ignore it (the caller shows the message itself).
  func read(prompt: Prompt, interruption: Interruption?) -> LineInput
}

extension LineReader {
  public func read(prompt: Prompt, interruption: Interruption?) -> LineInput { read(prompt: prompt) }
}

/// Something that happens while the user is typing (on a terminal): after a delay, a message is shown.
public struct Interruption: Sendable {
  public var after: Double
  /// Called once, when the delay has passed, on the thread reading the line.
  public var message: @Sendable () -> String

  public init(after: Double, message: @escaping @Sendable () -> String) {
    self.after = after
    self.message = message
  }
}

/// A prompt with an optional colour, rendered so that readline can still measure its width.
public struct Prompt: Sendable, Equatable {
  public var text: String
  /// An ANSI SGR code such as "1;36", applied only where colour is allowed.
  public var colour: String?

  public init(_ text: String, colour: String? = nil) {
    self.text = text
    self.colour = colour
  }

  /// For readline: escape sequences wrapped in \u{1}…\u{2} (RL_PROMPT_START/END_IGNORE) so wrapping stays right.
  func forReadline(colour allowed: Bool) -> String {
    guard allowed, let colour else { return text }
    return "\u{1}\u{1B}[\(colour)m\u{2}\(text)\u{1}\u{1B}[0m\u{2}"
  }
}

/// Feeds lines from an array: for tests and scripted sessions.
public final class ScriptedLineReader: LineReader {
  private var lines: [LineInput]
  public private(set) var prompts: [String] = []

  public init(_ lines: [String]) { self.lines = lines.map { .line($0) } }
  public init(inputs: [LineInput]) { self.lines = inputs }

  public func read(prompt: Prompt) -> LineInput {
    prompts.append(prompt.text)
    return lines.isEmpty ? .endOfInput : lines.removeFirst()
  }
}
