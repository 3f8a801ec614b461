import Foundation

/// Whole-file reads with `open`, `fstat` and `read`. Start-up reads every guidance and case file, and Foundation's
/// `attributesOfItem` and `Data(contentsOf:)` cost more than the reading itself. Any failure is left to the
/// Foundation calls, which give the messages users see.
enum FileBytes {
  enum Outcome {
    case bytes(Data)
    case tooLarge
    case failed
  }

  static func contents(of path: String, maxBytes: Int) -> Outcome {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failed }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .failed }
    let size = Int(info.st_size)
    if size > maxBytes { return .tooLarge }
    var data = Data(count: size)
    let complete = data.withUnsafeMutableBytes { buffer -> Bool in
      var done = 0
      while done < size {
        let n = read(fd, buffer.baseAddress! + done, size - done)
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { return false }
        done += n
      }
      return true
    }
    return complete ? .bytes(data) : .failed
  }
}
