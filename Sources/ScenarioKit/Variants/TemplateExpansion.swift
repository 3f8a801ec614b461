import YAMLReading

/// Puts drawn values into a template's tree: whole-value placeholders become the value itself (a number stays a
/// number, a list stays a list), placeholders inside text become text, and a list item that stands for a list is
/// spliced in. Unknown placeholders are reported where they are written.
struct TemplateExpansion {
  /// Each parameter's drawn value: the node `{name}` alone becomes, its text, and its option's fields.
  struct Value {
    var node: YNode
    var text: String
    var fields: [String: YNode]
  }

  let values: [String: Value]
  let bag: DiagnosticBag

  /// The top-level keys that are never expanded: the identity of the case and the parameters themselves.
  static let verbatimKeys: Set<String> = ["id", "parameters", "constraints"]

  /// `{site}` in a scripted event's signs names the site where it happens: it is not a parameter.
  static let eventSite = Placeholder(Substring("site"))!

  func expandDocument(_ root: YNode) -> YNode {
    guard case .mapping(let pairs) = root.kind else { return root }
    let expanded = pairs.map { pair in
      Self.verbatimKeys.contains(pair.key.scalar ?? "") ? pair : YNode.Pair(key: pair.key, value: expand(pair.value))
    }
    return YNode(kind: .mapping(expanded), position: root.position)
  }

  /// `node` with its placeholders filled in. An option's field may hold placeholders of other parameters (the side
  /// of a site in an unsafe plan), so a value is expanded in turn; `within` names the parameters being expanded, so
  /// a field that refers back to its own parameter is reported instead of looping.
  func expand(_ node: YNode, within: Set<String> = []) -> YNode {
    if let placeholder = Placeholder.bare(node), values[placeholder.name] != nil {
      return resolve(placeholder, at: node.position, within: within) ?? node
    }
    switch node.kind {
    case .scalar(let text, let plain):
      guard text.contains("{") || text.contains("}") else { return node }
      if let placeholder = Placeholder.whole(text), placeholder != Self.eventSite || values["site"] != nil {
        return resolve(placeholder, at: node.position, within: within) ?? node
      }
      return YNode(kind: .scalar(substitute(text, at: node.position, within: within), plain: plain), position: node.position)
    case .mapping(let pairs):
      return YNode(
        kind: .mapping(pairs.map { YNode.Pair(key: $0.key, value: expand($0.value, within: within)) }),
        position: node.position)
    case .sequence(let items):
      var expanded: [YNode] = []
      for item in items {
        let value = expand(item, within: within)
        // A list item that stood for a list is spliced into this one.
        if isPlaceholder(item), case .sequence(let spliced) = value.kind {
          expanded += spliced
        } else {
          expanded.append(value)
        }
      }
      return YNode(kind: .sequence(expanded), position: node.position)
    }
  }

  private func isPlaceholder(_ node: YNode) -> Bool {
    if Placeholder.bare(node) != nil { return true }
    return node.scalar.flatMap(Placeholder.whole) != nil
  }

  /// The node a whole-value placeholder stands for, expanded; nil (reported) when unknown.
  private func resolve(_ placeholder: Placeholder, at position: Position, within: Set<String>) -> YNode? {
    guard !within.contains(placeholder.name) else {
      bag.error("a field of parameter \"\(placeholder.name)\" refers to \"\(placeholder.name)\" itself", at: position)
      return nil
    }
    guard let value = values[placeholder.name] else {
      bag.error("unknown parameter \"\(placeholder.name)\"\(Suggestions.hint(for: placeholder.name, in: values.keys.sorted()))",
                at: position)
      return nil
    }
    guard let field = placeholder.field else { return YNode(kind: value.node.kind, position: position) }
    guard let node = value.fields[field] else {
      bag.error("parameter \"\(placeholder.name)\" has no field \"\(field)\"\(Suggestions.hint(for: field, in: value.fields.keys.sorted()))",
                at: position)
      return nil
    }
    return expand(node, within: within.union([placeholder.name]))
  }

  /// `text` with each placeholder replaced by its value's text; `{{` and `}}` are literal braces.
  private func substitute(_ text: String, at position: Position, within: Set<String>) -> String {
    var result = ""
    var rest = Substring(text)
    while let brace = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
      result += rest[..<brace]
      let after = rest.index(after: brace)
      if after < rest.endIndex, rest[after] == rest[brace] {
        result.append(rest[brace])
        rest = rest[rest.index(after: after)...]
        continue
      }
      guard rest[brace] == "{", let close = rest[after...].firstIndex(of: "}"),
        let placeholder = Placeholder(rest[after..<close])
      else {
        bag.error("a brace in text must open a placeholder such as {side}; write {{ or }} for a brace itself", at: position)
        return text
      }
      if values[placeholder.name] == nil, placeholder == Self.eventSite {
        result += "{site}"  // a scripted event's own placeholder, filled in when the event happens
      } else if let node = resolve(placeholder, at: position, within: within) {
        if let scalar = node.scalar {
          result += scalar
        } else {
          bag.error("{\(rest[after..<close])} is \(node.describedKind) and cannot go inside text", at: position)
        }
      }
      rest = rest[rest.index(after: close)...]
    }
    return result + rest
  }
}
