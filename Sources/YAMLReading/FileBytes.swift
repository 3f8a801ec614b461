import Foundation

/// Whole-file reads with `open`, `fstat` and `read`. Start-up reads every guidance and case file, and Foundation's
/// `attributesOfItem` and `Data(contentsOf:)` cost more than the reading itself. Anything that is not a regular file
/// (a device such as /dev/zero, a pipe) is refused before reading. Other failures are left to Foundation's
/// `Data(contentsOf:)`, whose errors give the messages users see.
enum FileBytes {
  enum Outcome {
    case bytes(Data)
    case tooLarge
    /// What the path is instead: "a directory", or "not a regular file".
    case notRegularFile(String)
    case failed
  }

  static func contents(of path: String, maxBytes: Int) -> Outcome {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failed }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return .failed }
    guard info.st_mode & S_IFMT == S_IFREG else {
      return .notRegularFile(info.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file")
    }
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
