import Foundation

/// Errors of the command layer, each with a message a user can act on.
public enum CLIError: LocalizedError, Equatable {
  case guidanceUnusable(path: String)
  case unknownCase(String, suggestion: String?)
  case unknownPolicy(String, known: [String])
  case unknownProfile(kind: String, String, known: [String])
  case unknownRule(String, suggestion: String?)
  case cannotWrite(path: String, reason: String)
  case alreadyExists(path: String)
  case invalidID(String)
  case unreadableVariant(String, seed: Int?)
  case noExamKey
  case examAttemptsUsed(exam: String, trainee: String, allowed: Int)
  case resultsWithheld(exam: String, until: String)

  public var errorDescription: String? {
    switch self {
    case .guidanceUnusable(let path):
      return "the guidance in \(path) has errors (above); fix them or point --guidance elsewhere"
    case .unknownCase(let id, let suggestion):
      return "no case \"\(id)\"" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
        + "; `needlesim list` shows the cases"
    case .unknownPolicy(let id, let known):
      return "no policy \"\(id)\"; choose one of: \(known.joined(separator: ", "))"
    case .unknownProfile(let kind, let id, let known):
      return "no \(kind) \"\(id)\"; choose one of: \(known.joined(separator: ", "))"
    case .unknownRule(let id, let suggestion):
      return "no rule \"\(id)\"" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
        + "; `needlesim guidance` lists the rules"
    case .cannotWrite(let path, let reason):
      return "cannot write \(path): \(reason)"
    case .alreadyExists(let path):
      return "\(path) already exists; choose another id or remove it first"
    case .unreadableVariant(let id, let seed):
      return "the variant of \"\(id)\" for \(seed.map { "seed \($0)" } ?? "no seed") cannot be read (above); "
        + "`needlesim lint` checks every variant"
    case .noExamKey:
      return "exam seals need the instructor's key: set NEEDLESIM_EXAM_KEY or give --key-file (docs/exams.md)"
    case .examAttemptsUsed(let exam, let trainee, let allowed):
      return "\(trainee) has sat \(exam) \(allowed) time(s), as many as it allows"
    case .resultsWithheld(let exam, let until):
      return "the results of \(exam) are withheld until \(until)"
    case .invalidID(let id):
      return "\"\(id)\" is not a valid case id: use lower-case letters, digits and hyphens (e.g. warfarin-neck-pain)"
    }
  }
}
