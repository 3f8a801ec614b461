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
      let chunk = handle.availableData
      if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
    }
  }
}
