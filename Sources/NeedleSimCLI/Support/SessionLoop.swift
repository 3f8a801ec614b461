import Foundation
import LineEditing
import PracticeREPL

/// Runs a session until it ends: readline with completion and interruptions on a terminal, echoed plain lines on a
/// pipe. Practice and exams share it.
struct SessionLoop {
  let session: PracticeSession
  let interactive: Bool
  let eventDelay: Double

  func run() {
    let box = SessionBox(session)
    let reader: LineReader
    if interactive {
      reader = ReadlineLineReader(
        historyPath: StateLocation.historyPath(), colour: OutputStyle.standardOutput.colour,
        completions: { line, word in box.session.completions(line: line, word: word) })
    } else {
      reader = PlainLineReader(echo: true)
    }
    while !session.isFinished {
      // An event due during a treatment: on a terminal it interrupts the line being typed; on a pipe it is shown at
      // once, so a scripted session reads as a transcript. An exam's time running out interrupts the same way.
      var interruption: Interruption?
      if session.eventDue {
        if interactive {
          interruption = Interruption(after: eventDelay) { box.session.showDueEvent() }
        } else if !Self.say(session.showDueEvent()) {
          return
        }
      } else if interactive, let left = session.examSecondsLeft {
        interruption = Interruption(after: left) { box.session.endExam(timeUp: true).text }
      }
      let input = reader.read(prompt: Prompt(session.prompt, colour: "1;36"), interruption: interruption)
      // The exam's end interrupted the line: it has said goodbye already.
      if session.isFinished { return }
      let reply: Reply
      switch input {
      case .line(let line): reply = session.handle(line)
      case .interrupted: continue
      case .endOfInput: reply = session.endOfInput(interactive: interactive)
      }
      guard Self.say(reply.text), !reply.quit else { return }
    }
  }

  /// Prints a reply; false when standard output has gone away.
  static func say(_ text: String) -> Bool {
    text.isEmpty ? true : LineEditing.Terminal.write(text + "\n")
  }
}
