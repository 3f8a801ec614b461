import Foundation

/// YAML files read and parsed up front on all cores; loaders then take each file's result in their own order,
/// exactly as ``YAMLFile/read(_:path:limits:)`` would have given it.
public struct ParsedYAMLFiles: Sendable {
  private struct File: Sendable {
    var node: YNode?
    var diagnostics: [Diagnostic]
    var bytes: Data
  }

  /// By path: a dictionary keyed by `URL` costs a runtime type lookup at start-up, which this one does not.
  private let files: [String: File]

  /// Reads and parses `urls` in parallel.
  public init(_ urls: [URL], limits: YAMLParser.Limits = .standard) {
    let parsed = ParallelMap.map(urls) { url -> File in
      let bag = DiagnosticBag(path: DisplayPath.of(url))
      let (node, bytes) = YAMLFile.read(url, bag: bag, limits: limits)
      return File(node: node, diagnostics: bag.diagnostics, bytes: bytes)
    }
    files = Dictionary(zip(urls.map(\.path), parsed), uniquingKeysWith: { first, _ in first })
  }

  /// The tree of `url` and a bag holding its parse diagnostics, for the reader to add its own to. A file that was
  /// not among those parsed up front is read now.
  public func read(_ url: URL) -> (YNode?, DiagnosticBag) {
    guard let file = files[url.path] else { return YAMLFile.read(url, path: DisplayPath.of(url)) }
    let bag = DiagnosticBag(path: DisplayPath.of(url))
    bag.append(contentsOf: file.diagnostics)
    return (file.node, bag)
  }

  /// The bytes of `url` as they were read for parsing (nil if it was not among the files parsed up front).
  public func bytes(_ url: URL) -> Data? { files[url.path]?.bytes }
}
