import Foundation

/// The lines of a file or pipe, handed out as soon as they are complete: a program that writes plans one at a
/// time into a pipe gets each report back without waiting for the end of its input.
struct InputLines {
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var finished = false

  init(handle: FileHandle) { self.handle = handle }

  /// Every complete line read so far (reading more only when there is none), without their newlines; the last
  /// line may lack its newline. Nil at the end of the input.
  mutating func next() -> [Data]? {
    while true {
      var lines: [Data] = []
      var start = 0
      while let newline = buffer[start...].firstIndex(of: 0x0A) {
        lines.append(Data(buffer[start..<newline]))
        start = newline + 1
      }
      buffer.removeFirst(start)
      if !lines.isEmpty { return lines }
      if finished {
        guard !buffer.isEmpty else { return nil }
        defer { buffer = [] }
        return [Data(buffer)]
      }
      read()
    }
  }

  /// Reads what is there, up to 256 KB: `read(2)` returns as soon as a pipe has something, and from a file a chunk
  /// of about a thousand plans, enough to keep every core grading and few enough to keep memory flat.
  private mutating func read() {
    let size = 1 << 18
    let kept = buffer.count
    buffer += repeatElement(0, count: size)
    var received: Int
    repeat {
      received = buffer.withUnsafeMutableBytes { Glibc.read(handle.fileDescriptor, $0.baseAddress! + kept, size) }
    } while received < 0 && errno == EINTR
    buffer.removeLast(size - max(received, 0))
    if received <= 0 { finished = true }
  }
}
