import Foundation
import ScenarioKit

/// Where the records database lives: `--db`, then `NEEDLESIM_DB`, then `$XDG_DATA_HOME/needlesim/records.sqlite`
/// (falling back to `~/.local/share/needlesim/records.sqlite`).
public enum RecordsLocation {
  public static func path(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    if let explicit, !explicit.isEmpty { return explicit }
    if let value = environment["NEEDLESIM_DB"], !value.isEmpty { return value }
    return UserDirectory.base(.data, environment: environment) + "/needlesim/records.sqlite"
  }
}
