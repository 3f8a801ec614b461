import ArgumentParser
import Foundation
import LRSSync
import LineEditing
import PracticeREPL
import SafetyScoring
import ScenarioKit
import TraineeRecords

extension NeedleSim {
  /// The practice REPL.
  struct Practice: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "practice",
      abstract: "Practise cases in an interactive session (the default command).",
      discussion: """
        On a terminal: GNU readline with tab completion and history; Ctrl-C clears the line, Ctrl-D leaves.
        On a pipe: plain lines, echoed, so `needlesim practice --scenario ID < session.txt` gives a transcript.
        History lives in $NEEDLESIM_STATE_DIR (default $XDG_STATE_HOME/needlesim or ~/.local/state/needlesim).
        During a treatment, events arrive on a terminal a few seconds after the prompt appears \
        ($NEEDLESIM_EVENT_DELAY seconds, default 3), while you type; on a pipe, at once.
        """)

    @OptionGroup var options: LibraryOptions
    @OptionGroup var records: RecordsOptions
    @OptionGroup var events: EventOptions
    @Option(help: ArgumentHelp("Open this case straight away.", valueName: "id")) var scenario: String?
    @Option(help: ArgumentHelp("Trainee id (default: $NEEDLESIM_TRAINEE or your login name).", valueName: "id"))
    var trainee: String?

    func run() throws {
      signal(SIGPIPE, SIG_IGN)  // a closed pipe ends the session cleanly instead of killing it
      let lrs = try LRSConfig.resolve()
      // The records database opens on the other core while the guidance and cases load.
      let records = records
      let opening = Background { try records.openStore(xapi: lrs.xapi) }
      let guidance: Guidance
      let library: CaseLibrary
      do {
        guidance = try options.loadGuidance()
        library = options.loadLibrary(guidance)
        if let scenario { _ = try options.findCase(scenario, in: library) }
      } catch {
        _ = try? opening.value()  // never leave while the database is being set up
        throw error
      }
      let store = try opening.value()
      let interactive = LineEditing.Terminal.inputIsTTY
      let style = OutputStyle.standardOutput
      let session = PracticeSession(
        guidance: guidance, policy: options.policy, jurisdiction: options.jurisdiction, practitionerLevel: options.level,
        cases: library.cases, store: store,
        trainee: TraineeIdentity.resolve(trainee), style: style, seed: events.seed, eventMode: events.mode ?? .random)
      let sync = lrs.isConfigured ? BackgroundSync(path: records.path, config: lrs) : nil
      if let sync { session.onAttemptsSaved = { sync.trigger() } }
      defer { sync?.finish(within: 3) }
      guard SessionLoop.say(session.welcome()) else { return }
      if let scenario, !SessionLoop.say(session.handle("start \(scenario)").text) { return }
      SessionLoop(session: session, interactive: interactive, eventDelay: Self.eventDelay()).run()
    }

    /// Seconds before a due event interrupts the student's typing.
    static func eventDelay(environment: [String: String] = ProcessInfo.processInfo.environment) -> Double {
      environment["NEEDLESIM_EVENT_DELAY"].flatMap(Double.init).map { max(0, $0) } ?? 3
    }
  }
}

/// Lets readline's callbacks (completion, and a due event's interruption) reach the session. Readline calls them
/// synchronously on the thread that called `readline()`, which is the thread that owns the session, so no concurrent
/// access can happen.
final class SessionBox: @unchecked Sendable {
  let session: PracticeSession
  init(_ session: PracticeSession) { self.session = session }
}

/// Where per-user state (readline history) lives.
enum StateLocation {
  static func historyPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let dir = environment["NEEDLESIM_STATE_DIR"], !dir.isEmpty { return dir + "/history" }
    return UserDirectory.base(.state, environment: environment) + "/needlesim/history"
  }
}
