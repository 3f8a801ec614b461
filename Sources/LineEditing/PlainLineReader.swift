import Foundation

/// Reads lines from a pipe or file: no escape codes, the prompt and (optionally) the input echoed,
/// so that a scripted session reads as a transcript.
public final class PlainLineReader: LineReader {
  private let echo: Bool
  /// Lines longer than this are cut, so one enormous line cannot exhaust memory downstream.
  public static let maxLineLength = 4096

  public init(echo: Bool) { self.echo = echo }

  public func read(prompt: Prompt) -> LineInput {
    Terminal.write(prompt.text)
    guard let line = Swift.readLine(strippingNewline: true) else {
      if echo { Terminal.write("\n") }
      return .endOfInput
    }
    let text = line.count > Self.maxLineLength ? String(line.prefix(Self.maxLineLength)) : line
    if echo { Terminal.write(text + "\n") }
    return .line(text)
  }
}
