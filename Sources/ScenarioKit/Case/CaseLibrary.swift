import YAMLReading
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

  /// Loads every case file under `urls`. Cases with errors are left out; their diagnostics say why.
  public static func load(_ urls: [URL], catalog: Catalog) -> (CaseLibrary, [Diagnostic]) {
    var cases: [Case] = []
    var diagnostics: [Diagnostic] = []
    stream(urls, catalog: catalog) { chunk, chunkDiagnostics in
      cases += chunk
      diagnostics += chunkDiagnostics
    }
    return (CaseLibrary(cases: cases), diagnostics)
  }

  /// Loads the case files under `urls` a chunk at a time (in parallel within a chunk) and hands each chunk to
  /// `body`, so a caller that does not keep the cases (lint) uses memory bounded by the chunk size, however many
  /// files there are. Duplicate ids are reported across the whole run.
  public static func stream(
    _ urls: [URL], catalog: Catalog, chunkSize: Int = 512,
    _ body: ([Case], [Diagnostic]) -> Void
  ) {
    let files = caseFiles(in: urls)
    var seen: [String: String] = [:]
    var start = 0
    while start < files.count {
      let slice = Array(files[start..<min(start + chunkSize, files.count)])
      start += chunkSize
      let results = ParallelMap.map(slice) { CaseReader.load($0, catalog: catalog) }
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
