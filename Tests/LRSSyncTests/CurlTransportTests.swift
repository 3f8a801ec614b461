import Foundation
import Testing
import LRSSync
import TraineeRecords

/// The HTTP client below sync: failures below HTTP become plain reasons (the real LRS is exercised by the
/// CLI's sync tests).
@Suite("HTTP through libcurl")
struct CurlTransportTests {
  @Test func aClosedPortIsReportedAsConnectionRefused() throws {
    // Bind a loopback port and close it again, so nothing listens there.
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
    }
    close(socket)
    let port = UInt16(bigEndian: address.sin_port)
    let url = try #require(URL(string: "http://127.0.0.1:\(port)/xAPI/statements"))
    let error = #expect(throws: TransportFailure.self) {
      try CurlTransport(timeout: 2).send(method: "POST", url: url, body: Data("[]".utf8), headers: [:])
    }
    #expect(error?.reason == "connection refused")
  }
}
