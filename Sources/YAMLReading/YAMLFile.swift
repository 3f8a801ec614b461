import Foundation

/// Reading YAML files from disk with every failure reported as a diagnostic on that file.
public enum YAMLFile {
  /// Reads and parses the file at `url`. `path` is how diagnostics name it.
  public static func read(_ url: URL, path: String, limits: YAMLParser.Limits = .standard) -> (YNode?, DiagnosticBag) {
    let bag = DiagnosticBag(path: path)
    return (read(url, bag: bag, limits: limits).node, bag)
  }

  /// Reads and parses the file at `url`, adding problems to `bag`; returns the tree and the bytes read.
  public static func read(_ url: URL, bag: DiagnosticBag, limits: YAMLParser.Limits) -> (node: YNode?, bytes: Data) {
    let data: Data
    switch FileBytes.contents(of: url.path, maxBytes: limits.maxBytes) {
    case .bytes(let bytes): data = bytes
    case .tooLarge:
      bag.error("file is larger than \(limits.maxBytes / 1024 / 1024) MB; split it", at: .start)
      return (nil, Data())
    case .notRegularFile(let what):
      bag.error("cannot read file: it is \(what)", at: .start)
      return (nil, Data())
    case .failed:
      do {
        data = try Data(contentsOf: url)
      } catch {
        bag.error("cannot read file: \(describe(error))", at: .start)
        return (nil, Data())
      }
    }
    return (parse(data, bag: bag, limits: limits), data)
  }

  /// Parses the bytes of a file (or of anything read as one, such as a line of a batch).
  public static func parse(_ data: Data, bag: DiagnosticBag, limits: YAMLParser.Limits = .standard) -> YNode? {
    guard let text = decodeUTF8(data, bag: bag) else { return nil }
    return YAMLParser.parse(text, bag: bag, limits: limits)
  }

  /// Decodes UTF-8, reporting the position of the first invalid byte.
  public static func decodeUTF8(_ data: Data, bag: DiagnosticBag) -> String? {
    if let text = String(data: data, encoding: .utf8) {
      // A byte-order mark is legal but not part of the content.
      return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }
    let offset = firstInvalidUTF8Offset(data)
    let valid = String(decoding: data.prefix(offset), as: UTF8.self)
    let (line, column) = YAMLParser.lineAndColumn(ofByte: valid.utf8.count, in: valid + " ")
    bag.error("file is not valid UTF-8 (invalid byte at offset \(offset))", line: line, column: column)
    return nil
  }

  static func firstInvalidUTF8Offset(_ data: Data) -> Int {
    let bytes = [UInt8](data)
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      let length: Int
      switch b {
      case 0x00...0x7F: length = 1
      case 0xC2...0xDF: length = 2
      case 0xE0...0xEF: length = 3
      case 0xF0...0xF4: length = 4
      default: return i
      }
      if i + length > bytes.count { return i }
      for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
      i += length
    }
    return bytes.count
  }

  /// A short, user-facing description of a file-system error (no Foundation domain codes).
  public static func describe(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
      let message = strerror(Int32(underlying.code))
    {
      return String(cString: message).lowercased()
    }
    if nsError.domain == NSCocoaErrorDomain {
      switch nsError.code {
      case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
      case NSFileReadNoPermissionError: return "permission denied"
      case NSFileReadCorruptFileError: return "the file is corrupt"
      default: break
      }
    }
    return nsError.localizedDescription
  }
}

/// How paths are shown in messages: relative to the working directory when inside it.
public enum DisplayPath {
  /// needlesim never changes its working directory, so it is looked up once (it is a system call each time).
  private static let workingDirectory = FileManager.default.currentDirectoryPath

  public static func of(_ url: URL) -> String {
    // Standardizing a URL is costly and is only needed when the path has `.` or `..` parts or doubled slashes.
    let raw = url.path
    var plain = true
    var previous: UInt8 = 0
    for byte in raw.utf8 {
      if previous == UInt8(ascii: "/"), byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") { plain = false }
      previous = byte
    }
    let path = plain ? raw : url.standardizedFileURL.path
    let cwd = workingDirectory
    let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
    if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
    return path
  }
}
