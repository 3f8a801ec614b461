import Foundation
import Yams

/// Parses YAML text into a ``YNode`` tree, turning every parser failure into a located diagnostic.
///
/// Aliases are expanded while the tree is copied, under a node budget, so an alias bomb
/// ("billion laughs") ends with a clear error instead of exhausting memory.
public enum YAMLParser {
  /// The limits a document must stay within.
  public struct Limits: Sendable {
    /// Nodes after alias expansion.
    public var maxNodes: Int
    /// Nesting depth of mappings and sequences.
    public var maxDepth: Int
    /// Bytes of text.
    public var maxBytes: Int
    /// Alias references (`*name`). With at most N aliases a document can expand to about e^(N/e) copies of its
    /// largest anchor, so 16 keeps even a crafted file to a few hundred copies. The limit is applied before
    /// parsing because the parser itself walks expanded aliases (when it checks mapping keys for duplicates).
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
    if let (line, column) = firstNul(in: text) {
      bag.error("file contains a NUL character; is it a binary file?", line: line, column: column)
      return nil
    }
    let scan = prescan(text, maxDepth: limits.maxDepth, maxAliases: limits.maxAliases)
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
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      report(error, text: text, bag: bag)
      return nil
    } catch {
      bag.error("cannot parse YAML: \(error)", at: .start)
      return nil
    }
    guard let root else { return nil }
    var budget = limits.maxNodes
    do {
      return try convert(root, depth: 0, limits: limits, budget: &budget)
    } catch let failure as ConversionFailure {
      bag.error(failure.message, at: failure.position)
      return nil
    } catch {
      bag.error("cannot read YAML: \(error)", at: .start)
      return nil
    }
  }

  private struct ConversionFailure: Error {
    var message: String
    var position: Position
  }

  private static func position(_ node: Node) -> Position {
    guard let mark = node.mark else { return .start }
    return Position(line: mark.line, column: mark.column)
  }

  private static func convert(_ node: Node, depth: Int, limits: Limits, budget: inout Int) throws -> YNode {
    budget -= 1
    if budget < 0 {
      throw ConversionFailure(
        message: "document expands to more than \(limits.maxNodes) nodes (too many aliases or values)",
        position: position(node))
    }
    if depth > limits.maxDepth {
      throw ConversionFailure(message: "nesting deeper than \(limits.maxDepth) levels", position: position(node))
    }
    switch node {
    case .scalar(let scalar):
      return YNode(kind: .scalar(scalar.string, plain: scalar.style == .plain), position: position(node))
    case .mapping(let mapping):
      var pairs: [YNode.Pair] = []
      pairs.reserveCapacity(mapping.count)
      for (key, value) in mapping {
        let k = try convert(key, depth: depth + 1, limits: limits, budget: &budget)
        let v = try convert(value, depth: depth + 1, limits: limits, budget: &budget)
        pairs.append(YNode.Pair(key: k, value: v))
      }
      return YNode(kind: .mapping(pairs), position: position(node))
    case .sequence(let sequence):
      var items: [YNode] = []
      items.reserveCapacity(sequence.count)
      for item in sequence {
        items.append(try convert(item, depth: depth + 1, limits: limits, budget: &budget))
      }
      return YNode(kind: .sequence(items), position: position(node))
    case .alias:
      // Yams resolves aliases while composing; an unresolved alias node has no value to read.
      throw ConversionFailure(message: "unresolved YAML alias", position: position(node))
    }
  }

  private static func report(_ error: YamlError, text: String, bag: DiagnosticBag) {
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      var message = "YAML syntax: \(problem)"
      if let context { message += " \(context.text)" }
      bag.error(message, line: mark.line, column: mark.column)
    case .reader(let problem, let offset, _, _):
      let place = offset.map { lineAndColumn(ofByte: $0, in: text) } ?? (1, 1)
      bag.error("cannot read text: \(problem)", line: place.0, column: place.1)
    default:
      bag.error("cannot parse YAML: \(error)", at: .start)
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

  private static func firstNul(in text: String) -> (Int, Int)? {
    guard let index = text.utf8.firstIndex(of: 0) else { return nil }
    return lineAndColumn(ofByte: text.utf8.distance(from: text.utf8.startIndex, to: index), in: text)
  }

  struct Prescan {
    var tooDeep: Position?
    var tooManyAliases: Position?
  }

  /// One pass over the text before parsing. Flow collections (`[[[[…`) are parsed recursively by the composer, so
  /// deep ones are refused here; block nesting is bounded by the indentation a file can hold and checked again
  /// while converting. Alias references are counted (an `*` that starts a token).
  static func prescan(_ text: String, maxDepth: Int, maxAliases: Int) -> Prescan {
    var result = Prescan()
    var depth = 0
    var aliases = 0
    var line = 1
    var column = 0
    var inComment = false
    var quote: UInt8?
    var previous: UInt8 = UInt8(ascii: "\n")
    for byte in text.utf8 {
      column += 1
      defer { previous = byte }
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
