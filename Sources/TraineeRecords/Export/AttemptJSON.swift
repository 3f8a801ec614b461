import Foundation
import ScenarioKit

/// An attempt as JSON: sorted keys, times in ISO 8601 to the millisecond. The one form of the JSON export, of the
/// attempt an xAPI `passed`/`failed` statement carries (`ext/attempt`), and of what `--from-lrs` and
/// `exam verify --export` read back.
public enum AttemptJSON {
  public static func encode(_ attempt: Attempt) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(Timestamp.iso(date))
    }
    return try encoder.encode(attempt)
  }

  public static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let text = try decoder.singleValueContainer().decode(String.self)
      guard let date = ISOTime.parse(text) else {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a time: \(text)"))
      }
      return date
    }
    return decoder
  }

  public static func decode(_ data: Data) throws -> Attempt { try decoder().decode(Attempt.self, from: data) }
}
