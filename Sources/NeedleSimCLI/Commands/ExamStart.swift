import ArgumentParser
import Foundation
import LRSSync
import LineEditing
import PracticeREPL
import ScenarioKit
import TraineeRecords

extension NeedleSim {
  /// Sits an exam in the REPL.
  struct ExamStart: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "start",
      abstract: "Sit an exam in the REPL: its cases in order, a clock on the prompt, hints off, each attempt sealed.",
      discussion: """
        Needs the instructor's key ($NEEDLESIM_EXAM_KEY or --key-file) to seal the attempts; run it where the \
        trainee cannot read the key (docs/exams.md). The exam file fixes the policy, jurisdiction and level. When \
        the time is up, the open plan is graded as it stands.
        """)

    @OptionGroup var options: LibraryOptions
    @OptionGroup var records: RecordsOptions
    @OptionGroup var key: ExamKeyOption
    @Argument(help: "The exam file.") var file: String
    @Option(help: ArgumentHelp("Trainee id (default: $NEEDLESIM_TRAINEE or your login name).", valueName: "id"))
    var trainee: String?

    func validate() throws {
      if options.policy != nil || options.jurisdiction != nil || options.level != nil {
        throw ValidationError("an exam fixes its policy, jurisdiction and level in the exam file")
      }
    }

    func run() throws {
      signal(SIGPIPE, SIG_IGN)
      let loaded = try LoadedExam.load(file, options: options)
      let exam = loaded.exam
      guard let key = try ExamKey.resolve(keyFile: key.keyFile) else { throw CLIError.noExamKey }
      let lrs = try LRSConfig.resolve()
      let store = try records.openStore(xapi: lrs.xapi)
      let trainee = TraineeIdentity.resolve(trainee)
      let sittings = try store.examSittings(exam: exam.id, trainee: trainee)
      guard sittings < exam.attempts else {
        throw CLIError.examAttemptsUsed(exam: exam.id, trainee: trainee, allowed: exam.attempts)
      }
      var cases: [(scenario: Case, seed: Int?)] = []
      for item in exam.cases {
        let seed = exam.seed(of: item, trainee: trainee)
        cases.append((try options.findCase(item.scenario.value, in: loaded.library, seed: seed), seed))
      }
      let releaseAt: Date? = if case .withheldUntil(let date) = exam.debrief { date } else { nil }
      let sitting = ExamSitting(
        id: exam.id, title: exam.title, sitting: sittings + 1, cases: cases,
        deadline: Date().addingTimeInterval(exam.timeLimitMinutes * 60), releaseAt: releaseAt, key: key)
      let session = PracticeSession(
        guidance: loaded.guidance, policy: exam.policy?.value, jurisdiction: exam.jurisdiction?.value,
        practitionerLevel: exam.level?.value, cases: loaded.library.cases, store: store, trainee: trainee,
        style: OutputStyle.standardOutput, eventMode: exam.events, exam: sitting)
      let sync = lrs.isConfigured ? BackgroundSync(path: records.path, config: lrs) : nil
      if let sync { session.onAttemptsSaved = { sync.trigger() } }
      defer { sync?.finish(within: 3) }
      guard SessionLoop.say(session.welcome()) else { return }
      SessionLoop(session: session, interactive: LineEditing.Terminal.inputIsTTY, eventDelay: Practice.eventDelay()).run()
    }
  }
}
