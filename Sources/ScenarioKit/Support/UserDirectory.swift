import Foundation

/// The XDG base directories where needlesim keeps per-user data, configuration and state.
public enum UserDirectory: Sendable {
  case data, config, state

  /// `$XDG_…_HOME` when set, otherwise its standard default under the home folder.
  public static func base(_ kind: UserDirectory, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    let (variable, fallback) =
      switch kind {
      case .data: ("XDG_DATA_HOME", ".local/share")
      case .config: ("XDG_CONFIG_HOME", ".config")
      case .state: ("XDG_STATE_HOME", ".local/state")
      }
    if let value = environment[variable], !value.isEmpty { return value }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/" + fallback
  }
}
