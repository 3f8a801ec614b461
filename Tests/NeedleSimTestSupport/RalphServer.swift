import Foundation

/// A real Ralph LRS (file-system backend) on loopback, started for one test in its own folder.
///
/// Installed by `make ralph` into `.venv-ralph` (PyPI `ralph-malph`). Ralph's fs backend answers 500 to a
/// second POST into the same folder, so tests that deliver more than once start a fresh server or folder.
public final class RalphServer {
  /// `stock`: Ralph as installed (a second POST into the same folder answers 500).
  /// `append`: the fs backend appends, so the LRS accepts any number of POSTs (Tests/ralph/append_lrs.py).
  public enum Mode: Sendable {
    case stock, append
  }

  public let port: Int
  public let directory: URL
  public static let user = "needlesim-test"
  public static let password = "test-secret-not-real"
  private let process: Process

  public var endpoint: String { "http://127.0.0.1:\(port)/xAPI/" }

  public static var installed: Bool {
    FileManager.default.isExecutableFile(atPath: Repo.root.appendingPathComponent(".venv-ralph/bin/ralph").path)
  }

  public init(mode: Mode = .append) throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("ralph-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("lrs"), withIntermediateDirectories: true)
    port = Self.freePort()
    let bin = Repo.root.appendingPathComponent(".venv-ralph/bin")
    var environment = ProcessInfo.processInfo.environment
    environment["RALPH_APP_DIR"] = directory.path
    environment["RALPH_RUNSERVER_BACKEND"] = "fs"
    environment["RALPH_RUNSERVER_AUTH_BACKENDS"] = "basic"
    environment["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = directory.appendingPathComponent("lrs").path

    let auth = Process()
    auth.executableURL = bin.appendingPathComponent("ralph")
    auth.arguments = [
      "auth", "--write-to-disk", "-u", Self.user, "-p", Self.password, "-s", "statements/write", "-s",
      "statements/read", "-M", "mailto:needlesim-lrs@example.org",
    ]
    auth.environment = environment
    auth.standardOutput = FileHandle.nullDevice
    auth.standardError = FileHandle.nullDevice
    auth.currentDirectoryURL = directory
    try auth.run()
    auth.waitUntilExit()

    process = Process()
    switch mode {
    case .stock:
      process.executableURL = bin.appendingPathComponent("uvicorn")
      process.arguments = ["ralph.api:app", "--host", "127.0.0.1", "--port", String(port), "--log-level", "warning"]
    case .append:
      process.executableURL = bin.appendingPathComponent("python")
      process.arguments = [Repo.root.appendingPathComponent("Tests/ralph/append_lrs.py").path, "127.0.0.1", String(port)]
    }
    process.environment = environment
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      if (try? Self.request("http://127.0.0.1:\(port)/__heartbeat__").status) == 200 { return }
      Thread.sleep(forTimeInterval: 0.2)
    }
    stop()
    throw POSIXError(.ETIMEDOUT)
  }

  /// Stops the server: SIGTERM, then SIGKILL if it has not gone within three seconds (a child of the test runner
  /// may inherit a blocked SIGTERM).
  public func stop() {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = Date().addingTimeInterval(3)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  deinit {
    stop()
    try? FileManager.default.removeItem(at: directory)
  }

  /// The raw lines of the LRS's store (one JSON statement per line), to count duplicates exactly.
  public func storedLines() -> [String] {
    let file = directory.appendingPathComponent("lrs/fs_lrs.jsonl")
    let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
  }

  /// Every statement the LRS holds (paging through `more`).
  public func allStatements() throws -> [[String: Any]] {
    var url = "\(endpoint)statements?limit=100"
    var statements: [[String: Any]] = []
    for _ in 0..<1000 {
      let response = try Self.request(url, user: Self.user, password: Self.password)
      let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
      statements += object?["statements"] as? [[String: Any]] ?? []
      guard let more = object?["more"] as? String, !more.isEmpty else { break }
      url = "http://127.0.0.1:\(port)" + more
    }
    return statements
  }

  /// A synchronous HTTP request through curl. (Tests run on Swift's cooperative threads, where blocking on
  /// URLSession's callback can stall; a child process has no such coupling.)
  public static func request(
    _ url: String, method: String = "GET", body: Data? = nil, user: String? = nil, password: String? = nil
  ) throws -> (status: Int, body: Data) {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    var arguments = [
      "-s", "-m", "15", "-o", output.path, "-w", "%{http_code}", "-X", method, "-H", "Content-Type: application/json",
      "-H", "X-Experience-API-Version: 1.0.3",
    ]
    if let user, let password { arguments += ["-u", "\(user):\(password)"] }
    if body != nil { arguments += ["--data-binary", "@-"] }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = arguments + [url]
    let input = Pipe()
    let status = Pipe()
    process.standardInput = input
    process.standardOutput = status
    process.standardError = FileHandle.nullDevice
    try process.run()
    if let body { input.fileHandleForWriting.write(body) }
    try input.fileHandleForWriting.close()
    let code = String(decoding: status.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (Int(code) ?? 0, (try? Data(contentsOf: output)) ?? Data())
  }

  /// A port the kernel says is free right now.
  public static func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
