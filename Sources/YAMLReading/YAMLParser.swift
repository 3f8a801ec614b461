import Foundation

/// Parses YAML text into a ``YNode`` tree, turning every parser failure into a located diagnostic.
///
/// Aliases are expanded under a node budget, so an alias bomb ("billion laughs") ends with a clear error instead
/// of exhausting memory.
public enum YAMLParser {
  /// The limits a document must stay within.
  public struct Limits: Sendable, Equatable {
    /// Nodes after alias expansion.
    public var maxNodes: Int
    /// Nesting depth of mappings and sequences.
    public var maxDepth: Int
    /// Bytes of text.
    public var maxBytes: Int
    /// Alias references (`*name`). With at most N aliases a document can expand to about e^(N/e) copies of its
    /// largest anchor, so 16 keeps even a crafted file to a few hundred copies. The limit is applied before
    /// parsing, so a crafted file is refused before any work is spent on it.
    public var maxAliases: Int

    public init(maxNodes: Int = 200_000, maxDepth: Int = 64, maxBytes: Int = 8 * 1024 * 1024, maxAliases: Int = 16) {
      self.maxNodes = maxNodes
      self.maxDepth = maxDepth
      self.maxBytes = maxBytes
      self.maxAliases = maxAliases
    }

    public static let standard = Limits()
  }

  /// Parses `text`; on failure adds a diagnostic to `bag` and returns nil. An empty document yields nil too.
  public static func parse(_ text: String, bag: DiagnosticBag, limits: Limits = .standard) -> YNode? {
    if text.utf8.count > limits.maxBytes {
      bag.error("file is larger than \(limits.maxBytes / 1024 / 1024) MB; split it", at: .start)
      return nil
    }
    let scan = prescan(text, maxDepth: limits.maxDepth, maxAliases: limits.maxAliases)
    if let nul = scan.nul {
      bag.error("file contains a NUL character; is it a binary file?", line: nul.line, column: nul.column)
      return nil
    }
    if let depth = scan.tooDeep {
      bag.error("nesting deeper than \(limits.maxDepth) levels", line: depth.line, column: depth.column)
      return nil
    }
    if let alias = scan.tooManyAliases {
      bag.error(
        "more than \(limits.maxAliases) YAML aliases (*name); case and plan files do not need them",
        line: alias.line, column: alias.column)
      return nil
    }
    do {
      return try YAMLComposer.compose(text, limits: limits)
    } catch let failure as YAMLComposer.Failure {
      bag.error(failure.message, at: failure.position)
      return nil
    } catch {
      bag.error("cannot parse YAML: \(error)", at: .start)
      return nil
    }
  }

  static func lineAndColumn(ofByte offset: Int, in text: String) -> (Int, Int) {
    var line = 1
    var column = 1
    for (index, byte) in text.utf8.enumerated() {
      if index >= offset { break }
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return (line, column)
  }

  struct Prescan {
    var nul: Position?
    var tooDeep: Position?
    var tooManyAliases: Position?
  }

  /// One pass over the text before parsing: finds a NUL byte, flow nesting (`[[[[…`) deeper than the limit and
  /// too many alias references (an `*` that starts a token), so crafted files are refused before any parsing work.
  /// Block nesting is checked again while composing.
  static func prescan(_ text: String, maxDepth: Int, maxAliases: Int) -> Prescan {
    var text = text
    return text.withUTF8 { prescan(bytes: $0, maxDepth: maxDepth, maxAliases: maxAliases) }
  }

  private static func prescan(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, maxAliases: Int) -> Prescan {
    var result = Prescan()
    var depth = 0
    var aliases = 0
    var line = 1
    var column = 0
    var inComment = false
    var quote: UInt8?
    var previous: UInt8 = UInt8(ascii: "\n")
    for byte in bytes {
      column += 1
      defer { previous = byte }
      if byte == 0 {
        result.nul = Position(line: line, column: column)
        return result
      }
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 0
        inComment = false
        quote = nil
        continue
      }
      if inComment { continue }
      if let open = quote {
        if byte == open { quote = nil }
        continue
      }
      switch byte {
      case UInt8(ascii: "#"): inComment = true
      case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        depth += 1
        if depth > maxDepth, result.tooDeep == nil { result.tooDeep = Position(line: line, column: column) }
      case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
      case UInt8(ascii: "*"):
        let startsToken = " \t\n[{,?:-".utf8.contains(previous)
        if startsToken {
          aliases += 1
          if aliases > maxAliases, result.tooManyAliases == nil {
            result.tooManyAliases = Position(line: line, column: column)
          }
        }
      default: break
      }
    }
    return result
  }
}
