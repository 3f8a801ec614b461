import Foundation
import LineEditing
import TraineeRecords

/// Where an export or report goes: standard output, or a file written beside its target and renamed at the end, so a
/// failure never leaves half a file.
enum OutputFile {
  static func write(to out: String?, progress: Bool = false, _ body: (OutputSink) throws -> Void) throws {
    let handle: FileHandle
    var temporary: URL?
    if let out {
      let url = URL(fileURLWithPath: out)
      let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
      guard FileManager.default.createFile(atPath: partial.path, contents: nil),
        let opened = FileHandle(forWritingAtPath: partial.path)
      else { throw CLIError.cannotWrite(path: out, reason: "cannot create the file") }
      handle = opened
      temporary = partial
    } else {
      handle = .standardOutput
    }
    let sink = OutputSink(handle: handle)
    if progress, LineEditing.Terminal.isTTY(STDERR_FILENO) {
      let started = Date()
      sink.onProgress = { count in
        if Date().timeIntervalSince(started) > 1 { FileHandle.standardError.write(Data("\r\(count) exported…".utf8)) }
      }
    }
    do {
      try body(sink)
      if let temporary, let out {
        try handle.close()
        guard rename(temporary.path, out) == 0 else {
          throw CLIError.cannotWrite(path: out, reason: String(cString: strerror(errno)))
        }
      }
    } catch {
      if let temporary { try? FileManager.default.removeItem(at: temporary) }
      throw error
    }
    if sink.onProgress != nil, sink.records >= 1000 { FileHandle.standardError.write(Data("\r\(sink.records) exported\n".utf8)) }
  }
}
