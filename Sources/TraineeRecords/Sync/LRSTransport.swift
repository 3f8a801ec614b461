import Foundation
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// An HTTP answer from the LRS.
public struct HTTPResponse: Sendable {
  public var status: Int
  public var body: Data
  public var text: String { String(decoding: body.prefix(2000), as: UTF8.self) }

  public init(status: Int, body: Data) {
    self.status = status
    self.body = body
  }
}

/// A failure below HTTP: refused connection, time-out, DNS.
public struct TransportFailure: Error, Sendable {
  public var reason: String
}

/// Sends requests to an LRS. A protocol so that sync logic can be tested without a network.
public protocol LRSTransport: Sendable {
  func send(method: String, url: URL, body: Data?, headers: [String: String]) throws -> HTTPResponse
}

/// HTTP through URLSession, synchronously (sync runs on the command's own thread).
public final class URLSessionTransport: LRSTransport {
  private let session: URLSession
  private let timeout: TimeInterval

  public init(timeout: TimeInterval) {
    self.timeout = timeout
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = timeout
    configuration.timeoutIntervalForResource = timeout * 2
    session = URLSession(configuration: configuration)
  }

  public func send(method: String, url: URL, body: Data?, headers: [String: String]) throws -> HTTPResponse {
    var request = URLRequest(url: url, timeoutInterval: timeout)
    request.httpMethod = method
    request.httpBody = body
    for (key, value) in headers { request.setValue(value, forHTTPHeaderField: key) }
    let done = DispatchSemaphore(value: 0)
    let box = Box()
    session.dataTask(with: request) { data, response, error in
      box.set(data, response as? HTTPURLResponse, error)
      done.signal()
    }.resume()
    guard done.wait(timeout: .now() + timeout * 2 + 1) == .success else {
      throw TransportFailure(reason: "timed out after \(Int(timeout))s")
    }
    let (data, response, error) = box.get()
    if let error { throw TransportFailure(reason: Self.describe(error)) }
    guard let response else { throw TransportFailure(reason: "no HTTP response") }
    return HTTPResponse(status: response.statusCode, body: data ?? Data())
  }

  static func describe(_ error: Error) -> String {
    let code = (error as? URLError)?.code
    switch code {
    case .cannotConnectToHost?: return "connection refused"
    case .timedOut?: return "timed out"
    case .cannotFindHost?, .dnsLookupFailed?: return "host not found"
    case .networkConnectionLost?: return "connection lost"
    default: return error.localizedDescription
    }
  }

  private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, HTTPURLResponse?, Error?) = (nil, nil, nil)
    func set(_ data: Data?, _ response: HTTPURLResponse?, _ error: Error?) {
      lock.lock()
      value = (data, response, error)
      lock.unlock()
    }
    func get() -> (Data?, HTTPURLResponse?, Error?) {
      lock.lock()
      defer { lock.unlock() }
      return value
    }
  }
}
