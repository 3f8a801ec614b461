import ScenarioKit
import Testing

@Suite("ID table")
struct IDTableTests {
  @Test func findsEveryIDAtItsPositionAndNothingElse() {
    for count in [0, 1, 7, 8, 9, 100, 1000] {
      let ids = (0..<count).map { "id-\($0 * 7919 % 10007)-é" }
      let table = IDTable(ids)
      for (position, id) in ids.enumerated() { #expect(table[id] == position) }
      for other in ["", "id", "id-1", "id-0-e", "ID-0-é", String(repeating: "x", count: 40)] where !ids.contains(other) {
        #expect(table[other] == nil, "\(count): \(other)")
      }
    }
  }

  @Test func equalIDsMatchWhateverTheirStorage() {
    let table = IDTable(["dry-needling-consent-confirmed", "pregnancy"])
    // Built at run time (not literals), so that they are stored apart from the table's own.
    #expect(table[["dry-needling", "consent", "confirmed"].joined(separator: "-")] == 0)
    #expect(table[String("pregnancy".reversed().reversed())] == 1)
    // Ids of every length around the eight-byte steps of the hash.
    let lengths = (0...20).map { String(repeating: "a", count: $0) }
    let byLength = IDTable(lengths)
    for (position, id) in lengths.enumerated() { #expect(byLength[id] == position) }
    #expect(byLength[String(repeating: "a", count: 21)] == nil)
  }

  @Test func aRepeatedIDMapsToItsFirstPosition() {
    let table = IDTable(["a", "b", "a", "c", "b"])
    #expect(table["a"] == 0)
    #expect(table["b"] == 1)
    #expect(table["c"] == 3)
  }
}
