import Foundation
import NeedleSimTestSupport
import Testing

/// What only a real terminal shows: readline completion, history, Ctrl-C and Ctrl-D.
@Suite("REPL on a pseudo-terminal", .serialized)
struct TerminalTests {
  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-pty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  func launch(_ arguments: [String] = [], environment extra: [String: String] = [:]) throws -> PseudoTerminal {
    try PseudoTerminal(
      executable: Repo.binary.path, arguments: arguments,
      environment: [
        "TERM": "dumb", "INPUTRC": "/dev/null", "LANG": "C.UTF-8", "HOME": directory.path,
        "NEEDLESIM_STATE_DIR": directory.appendingPathComponent("state").path,
        "NEEDLESIM_DB": directory.appendingPathComponent("records.sqlite").path,
        "NEEDLESIM_TRAINEE": "pty-tester", "PATH": "/usr/bin:/bin",
      ].merging(extra) { _, new in new })
  }

  /// During a treatment an event arrives while the student is typing: it is printed above the prompt, the prompt
  /// comes back with the half-typed line intact, and Ctrl-C while the event waits for a response does not skip it.
  @Test func anEventArrivingWhileTypingRedrawsThePromptAndCtrlCDoesNotSkipIt() throws {
    let terminal = try launch(
      ["--scenario", "dancer-upper-back-pain", "--events", "scripted"], environment: ["NEEDLESIM_EVENT_DELAY": "1.5"])
    let prompt = "dancer-upper-back-pain> "
    terminal.read(until: prompt)
    terminal.send("decide needle\n")
    terminal.read(until: prompt)
    terminal.send("treat rhomboids right 15mm tangential prone\n")
    terminal.read(until: prompt)
    terminal.send("begin\n")
    terminal.read(until: "The patient rests")
    terminal.read(until: "(treatment)> ")
    terminal.send("respond remove-all")  // typed, not entered, before the event arrives
    terminal.read(until: "respond remove-all")
    let event = terminal.read(until: "What do you do?", timeout: 15)
    #expect(event.contains("big pulse in my chest"), "the event arrived while the line was being typed")
    let redrawn = terminal.read(until: "respond remove-all", timeout: 10)
    #expect(redrawn.contains("(treatment)> respond remove-all"), "the prompt is redrawn with the half-typed line")
    terminal.send("-needles\n")
    #expect(terminal.read(until: "More with `respond`").contains("remove every needle"))
    terminal.read(until: "(treatment)> ")
    terminal.send("continue but not yet\u{03}")  // Ctrl-C: the line is dropped, the event stays
    terminal.read(until: "(treatment)> ")
    terminal.send("plan\n")
    #expect(!terminal.read(until: "(treatment)> ").contains("PASSED"), "Ctrl-C did not skip the event")
    terminal.send("respond urgent-medical-assessment assess-breathing document-and-report\n")
    terminal.read(until: "(treatment)> ")
    terminal.send("continue\n")
    let debrief = terminal.read(until: "Learning objectives", timeout: 15)
    #expect(debrief.contains("Treatment timeline"))
    #expect(debrief.contains("Responses to events"), "the responses were scored")
    #expect(!debrief.contains("[UNSAFE] event"), "every critical response was given")
    terminal.read(until: prompt)
    terminal.send("quit\n")
    #expect(terminal.waitForExit() == 0)
  }

  /// On a terminal, an exam's time running out interrupts the student mid-line: the open plan is graded as it stands
  /// and the session ends at the next key, without the student having to submit.
  @Test func anExamsTimeRunningOutInterruptsTheLineBeingTyped() throws {
    let exam = directory.appendingPathComponent("short.yaml")
    try """
      id: short-quiz
      title: A short quiz
      cases: [courier-calf-tightness]
      timeLimitMinutes: 0.05
      """.write(to: exam, atomically: true, encoding: .utf8)
    let terminal = try launch(["exam", "start", exam.path], environment: ["NEEDLESIM_EXAM_KEY": "a-key-of-at-least-16-bytes"])
    terminal.read(until: "needlesim> ")
    terminal.send("next\n")
    terminal.read(until: "courier-calf-tightness> ")
    terminal.send("decide needle\n")
    terminal.read(until: "courier-calf-tightness> ")
    terminal.send("ask medica")  // typed, not entered, when the time runs out
    let end = terminal.read(until: "Goodbye.", timeout: 20)
    #expect(end.contains("Time is up.") && end.contains("graded as it stands") && end.contains("Results"), "\(end)")
    terminal.send("\n")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func tabCompletesCommandsAndCaseIds() throws {
    let terminal = try launch()
    terminal.read(until: "needlesim> ")
    terminal.send("sta\t")
    #expect(terminal.read(until: "start").contains("start"))
    terminal.send("courier-c\t\n")
    #expect(terminal.read(until: "courier-calf-tightness> ").contains("Complaint"))
    terminal.send("ask medicat\t\n")
    #expect(terminal.read(until: "courier-calf-tightness> ").contains("What medicines"))
    terminal.send("quit\n")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func ctrlCClearsTheLineAndCtrlDConfirmsBeforeLeaving() throws {
    let terminal = try launch(["--scenario", "courier-calf-tightness"])
    terminal.read(until: "courier-calf-tightness> ")
    terminal.send("decide needle\n")
    terminal.read(until: "courier-calf-tightness> ")
    terminal.send("some half-typed line")
    terminal.read(until: "half-typed line")
    terminal.send("\u{03}")
    terminal.read(until: "courier-calf-tightness> ")
    terminal.send("plan\n")
    let plan = terminal.read(until: "decision:    needle")
    #expect(plan.contains("decision:    needle"))
    #expect(!plan.contains("Unknown command"), "the half-typed line was cleared")
    terminal.read(until: "courier-calf-tightness> ")
    terminal.send("\u{04}")
    #expect(terminal.read(until: "Press Ctrl-D again").contains("unsubmitted plan"))
    // Only once readline is reading again is Ctrl-D a key: sent earlier, the terminal (still in line mode between
    // prompts) takes it as end-of-file for a read nobody is doing, and it is lost.
    terminal.read(until: "courier-calf-tightness> ")
    terminal.send("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }

  /// Ctrl-C and the next command arrive together, so the signal lands while readline is still busy with the
  /// half-typed line rather than waiting in read(): it must still clear that line only, never the next command.
  @Test func ctrlCTypedAheadOfTheNextCommandCancelsOnlyTheLineItInterrupts() throws {
    let terminal = try launch(["--scenario", "courier-calf-tightness"])
    terminal.read(until: "courier-calf-tightness> ")
    terminal.send("decide needle\n")
    terminal.read(until: "courier-calf-tightness> ")
    for round in 1...5 {
      terminal.send("some half-typed line\u{03}plan\n")
      let plan = terminal.read(until: "decision:    needle", timeout: 10)
      #expect(plan.contains("decision:    needle"), "round \(round): the command after Ctrl-C ran")
      #expect(!plan.contains("Unknown command"), "round \(round): the half-typed line was cleared")
    }
    terminal.send("quit\n")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func historyPersistsAcrossSessions() throws {
    let first = try launch()
    first.read(until: "needlesim> ")
    first.send("help submit\n")
    first.read(until: "needlesim> ")
    first.send("quit\n")
    #expect(first.waitForExit() == 0)
    let history = try String(contentsOf: directory.appendingPathComponent("state/history"), encoding: .utf8)
    #expect(history.contains("help submit"))

    let second = try launch()
    second.read(until: "needlesim> ")
    second.send("\u{1B}[A\u{1B}[A\n")  // up twice: past "quit" to "help submit"
    #expect(second.read(until: "needlesim> ").contains("Scores your plan"))
    second.send("quit\n")
    #expect(second.waitForExit() == 0)
  }

  @Test func survivesATerminalResize() throws {
    let terminal = try launch()
    terminal.read(until: "needlesim> ")
    terminal.resize(columns: 50, rows: 20)
    terminal.send("help hint\n")
    #expect(terminal.read(until: "costs points").contains("costs points"))
    terminal.read(until: "needlesim> ")
    terminal.resize(columns: 120, rows: 40)
    terminal.send("quit\n")
    #expect(terminal.waitForExit() == 0)
  }
}
