import SafetyScoring
import Testing

@Suite("Spliced bytes")
struct SplicedBytesTests {
  @Test func piecesComeInOrderWithoutEmptyOnes() {
    let outside: [UInt8] = Array("<spliced>".utf8)
    outside.withUnsafeBytes { piece in
      var output = SplicedBytes()
      // A splice before anything was written, two at one place, and one at the very end.
      output.splice(piece)
      output.bytes.append(contentsOf: "ab".utf8)
      output.splice(piece)
      output.splice(UnsafeRawBufferPointer(rebasing: piece[0..<0]))
      output.splice(piece)
      output.bytes.append(contentsOf: "c".utf8)
      output.splice(piece)
      let pieces = output.withPieces { $0.map { String(decoding: $0, as: UTF8.self) } }
      #expect(pieces == ["<spliced>", "ab", "<spliced>", "<spliced>", "c", "<spliced>"])
      #expect(String(decoding: output.joined, as: UTF8.self) == pieces.joined())
      output.removeAll()
      #expect(output.joined.isEmpty)
    }
  }
}
