import CCurl
import Foundation
import TraineeRecords

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

/// The headers every request to the LRS carries: the xAPI version, and Basic auth when credentials are set.
enum XAPIHeaders {
  static func make(user: String?, password: String?) -> [String: String] {
    var headers = ["X-Experience-API-Version": "1.0.3"]
    if let user, let password {
      headers["Authorization"] = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
    return headers
  }
}

/// Sends requests to an LRS. A protocol so that sync logic can be tested without a network.
public protocol LRSTransport: Sendable {
  func send(method: String, url: URL, body: Data?, headers: [String: String]) throws -> HTTPResponse
}

/// HTTP through libcurl, synchronously (sync runs on the command's own thread).
///
/// libcurl is loaded on first use rather than linked: Foundation's URLSession would link it, with some thirty
/// libraries behind it, into every start-up of needlesim, doubling the time to the first prompt.
public struct CurlTransport: LRSTransport {
  private let timeout: Int

  public init(timeout: TimeInterval) {
    self.timeout = max(1, Int(timeout.rounded(.up)))
  }

  public func send(method: String, url: URL, body: Data?, headers: [String: String]) throws -> HTTPResponse {
    let lines = headers.sorted { $0.key < $1.key }.map { strdup("\($0.key): \($0.value)") }
    defer { lines.forEach { free($0) } }
    var result = ccurl_result()
    lines.map { UnsafePointer($0) }.withUnsafeBufferPointer { headerLines in
      if let body {
        // A non-nil pointer even for an empty body, so that it is still sent as a POST.
        var bytes = [UInt8](body)
        if bytes.isEmpty { bytes = [0] }
        bytes.withUnsafeBytes { raw in
          ccurl_perform(method, url.absoluteString, headerLines.baseAddress, headerLines.count, raw.baseAddress,
                        body.count, timeout, &result)
        }
      } else {
        ccurl_perform(method, url.absoluteString, headerLines.baseAddress, headerLines.count, nil, 0, timeout,
                      &result)
      }
    }
    defer { ccurl_result_free(&result) }
    guard result.code == 0 else { throw TransportFailure(reason: Self.describe(result)) }
    let received = result.body.map { Data(bytes: $0, count: result.length) } ?? Data()
    return HTTPResponse(status: result.status, body: received)
  }

  /// Plain words for the failures a trainee can act on; libcurl's own message otherwise.
  static func describe(_ result: ccurl_result) -> String {
    switch result.code {
    case 6: return "host not found"
    case 7: return "connection refused"
    case 28: return "timed out"
    case 52, 55, 56: return "connection lost"
    default:
      return withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
  }
}
