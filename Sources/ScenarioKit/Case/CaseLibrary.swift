import Foundation

/// A folder of case files, loaded in parallel, with duplicate ids reported.
public struct CaseLibrary: Sendable {
  public var cases: [Case]

  public func find(_ id: String) -> Case? { cases.first { $0.id == id } }
  public var ids: [String] { cases.map(\.id) }

  /// The case files under `urls` (files as given, folders searched recursively), sorted by path.
  public static func caseFiles(in urls: [URL]) -> [URL] {
    var files: [URL] = []
    let fm = FileManager.default
    for url in urls {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        files.append(url)  // reported as unreadable by the loader
        continue
      }
      if !isDirectory.boolValue {
        files.append(url)
        continue
      }
      let enumerator = fm.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
      while let item = enumerator?.nextObject() as? URL {
        let name = item.lastPathComponent
        if name.hasPrefix(".") {
          enumerator?.skipDescendants()
          continue
        }
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { files.append(item) }
      }
    }
    // Each URL's path is worked out once: `URL.path` is too costly to call in every comparison.
    return files.map { ($0.path, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// Loads every case file under `urls`, taking unchanged files' parsed trees from `cache`. Cases with errors are
  /// left out; their diagnostics say why.
  public static func load(_ urls: [URL], catalog: Catalog, cache: ParseCache? = nil) -> (CaseLibrary, [Diagnostic]) {
    var cases: [Case] = []
    var diagnostics: [Diagnostic] = []
    stream(urls, catalog: catalog, cache: cache) { chunk, chunkDiagnostics in
      cases += chunk
      diagnostics += chunkDiagnostics
    }
    return (CaseLibrary(cases: cases), diagnostics)
  }

  /// Loads the case files under `urls` a chunk at a time (in parallel within a chunk) and hands each chunk to
  /// `body`, so a caller that does not keep the cases (lint) uses memory bounded by the chunk size, however many
  /// files there are. Duplicate ids are reported across the whole run.
  public static func stream(
    _ urls: [URL], catalog: Catalog, cache: ParseCache? = nil, chunkSize: Int = 512,
    _ body: ([Case], [Diagnostic]) -> Void
  ) {
    let files = caseFiles(in: urls)
    var seen: [String: String] = [:]
    var start = 0
    while start < files.count {
      let slice = Array(files[start..<min(start + chunkSize, files.count)])
      start += chunkSize
      let results = ParallelMap.map(slice) { CaseReader.load($0, catalog: catalog, cache: cache) }
      var cases: [Case] = []
      var diagnostics: [Diagnostic] = []
      for (loaded, fileDiagnostics) in results {
        diagnostics += fileDiagnostics
        guard let loaded else { continue }
        if let other = seen[loaded.id] {
          diagnostics.append(
            Diagnostic(path: loaded.path, line: loaded.idPosition.line, column: loaded.idPosition.column,
                       severity: .error, message: "duplicate case id \"\(loaded.id)\" (also in \(other))"))
          continue
        }
        seen[loaded.id] = loaded.path
        cases.append(loaded)
      }
      body(cases, diagnostics)
    }
  }
}

/// Maps over an array on all cores, keeping the order.
public enum ParallelMap {
  public static func map<T: Sendable, U: Sendable>(_ items: [T], _ transform: @Sendable (T) -> U) -> [U] {
    if items.count < 2 { return items.map(transform) }
    let results = ResultBox<U>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
      results.set(index, transform(items[index]))
    }
    return results.values()
  }
}

/// Fixed-size storage written from many threads at distinct indices.
private final class ResultBox<U>: @unchecked Sendable {
  private var storage: [U?]
  private let lock = NSLock()
  init(count: Int) { storage = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: U) {
    lock.lock()
    storage[index] = value
    lock.unlock()
  }
  func values() -> [U] { storage.compactMap { $0 } }
}
