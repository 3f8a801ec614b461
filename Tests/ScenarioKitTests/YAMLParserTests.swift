import Foundation
import ScenarioKit
import Testing
import YAMLReading

@Suite("YAML parsing with positions")
struct YAMLParserTests {
  func parse(_ text: String, limits: YAMLParser.Limits = .standard) -> (YNode?, [Diagnostic]) {
    let bag = DiagnosticBag(path: "t.yaml")
    let node = YAMLParser.parse(text, bag: bag, limits: limits)
    return (node, bag.diagnostics)
  }

  @Test func keysAndValuesCarryLineAndColumn() throws {
    let (node, diagnostics) = parse("a: 1\nlist:\n  - x\n  - {site: psoas}\n")
    #expect(diagnostics.isEmpty)
    guard case .mapping(let pairs)? = node?.kind else {
      Issue.record("expected a mapping")
      return
    }
    #expect(pairs[1].key.position == Position(line: 2, column: 1))
    guard case .sequence(let items) = pairs[1].value.kind else {
      Issue.record("expected a list")
      return
    }
    #expect(items[1].position == Position(line: 4, column: 5))
  }

  @Test func syntaxErrorIsLocated() {
    let (node, diagnostics) = parse("a: [1, 2\nb: 3\n")
    #expect(node == nil)
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.message.hasPrefix("YAML syntax:") == true)
  }

  @Test func aliasBombStopsAtTheNodeBudget() {
    var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h"].enumerated() {
      let previous = i == 0 ? "a" : ["b", "c", "d", "e", "f", "g"][i - 1]
      text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
    }
    let (node, diagnostics) = parse(text)
    #expect(node == nil)
    #expect(diagnostics.first?.message.contains("more than 16 YAML aliases") == true)
    // With the alias limit lifted, the node budget still stops the expansion.
    let (budgeted, budgetDiagnostics) = parse(text, limits: YAMLParser.Limits(maxNodes: 10_000, maxAliases: 10_000))
    #expect(budgeted == nil)
    #expect(budgetDiagnostics.first?.message.contains("more than 10000 nodes") == true)
  }

  /// Found by the fuzzer: an alias used as a mapping key made the parser hash an exponentially expanded tree
  /// while checking for duplicate keys, before any node budget could apply.
  @Test func aliasAsMappingKeyInABombIsRefusedQuickly() {
    var text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    text += "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    text += "c: &c [*b, *b, *b, *b, *b, ?*b, *b, *b, *b]\n"
    text += "c: [*c, *c, *c]\n"
    let (node, diagnostics) = parse(text)
    #expect(node == nil)
    #expect(diagnostics.first?.message.contains("YAML aliases") == true)
  }

  @Test func duplicateKeyIsReportedAtTheSecondOccurrence() {
    let (node, diagnostics) = parse("title: a\nage: 3\ntitle: b\n")
    #expect(node == nil)
    #expect(diagnostics.map(\.message) == ["duplicate key \"title\" (first at line 1)"])
    #expect(diagnostics.first?.line == 3 && diagnostics.first?.column == 1)
  }

  @Test func aliasesExpandToTheAnchoredValue() throws {
    let (node, diagnostics) = parse("base: &b {site: psoas, side: left}\ncopy: *b\nlist: [&x one, *x]\n")
    #expect(diagnostics.isEmpty)
    guard case .mapping(let pairs)? = node?.kind, case .mapping(let copied) = pairs[1].value.kind,
      case .sequence(let items) = pairs[2].value.kind
    else {
      Issue.record("expected a mapping with a copied mapping and a list")
      return
    }
    #expect(copied.map { $0.key.scalar } == ["site", "side"])
    #expect(items.map(\.scalar) == ["one", "one"])
  }

  @Test func undefinedAliasAndSecondDocumentAreLocated() {
    let (_, undefined) = parse("a: 1\nb: *nowhere\n")
    #expect(undefined.first?.message == "YAML syntax: found undefined alias \"nowhere\"")
    #expect(undefined.first?.line == 2)
    let (_, twoDocuments) = parse("a: 1\n---\nb: 2\n")
    #expect(twoDocuments.first?.message.contains("second document") == true)
    #expect(twoDocuments.first?.line == 2)
  }

  @Test func scalarsKeepTheirTextAndWhetherTheyWerePlain() {
    let (node, _) = parse("a: 'yes'\nb: yes\nc: |\n  two\n  lines\nd: ~\n")
    guard case .mapping(let pairs)? = node?.kind else {
      Issue.record("expected a mapping")
      return
    }
    let kinds = pairs.map { pair -> String in
      guard case .scalar(let text, let plain) = pair.value.kind else { return "?" }
      return "\(text)|\(plain)"
    }
    #expect(kinds == ["yes|false", "yes|true", "two\nlines\n|false", "~|true"])
    #expect(pairs[3].value.isNull)
  }

  @Test func deepFlowNestingIsRefusedBeforeParsing() {
    let text = "a: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
    let (node, diagnostics) = parse(text)
    #expect(node == nil)
    #expect(diagnostics.first?.message.contains("nesting deeper than 64") == true)
  }

  @Test func aFileOverTheSizeLimitIsRefusedBeforeReading() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).yaml")
    defer { try? FileManager.default.removeItem(at: url) }
    let line = Data(("history: " + String(repeating: "x", count: 1000) + "\n").utf8)
    var data = Data()
    while data.count <= 9 * 1024 * 1024 { data.append(line) }
    try data.write(to: url)
    let (node, bag) = YAMLFile.read(url, path: "big.yaml")
    #expect(node == nil)
    #expect(bag.diagnostics.first?.message.contains("larger than 8 MB") == true)
  }

  @Test func nulByteIsReported() {
    let (node, diagnostics) = parse("a: b\u{0}c\n")
    #expect(node == nil)
    #expect(diagnostics.first?.message.contains("NUL") == true)
  }

  @Test func invalidUTF8IsReportedWithItsPosition() {
    let bag = DiagnosticBag(path: "t.yaml")
    let text = YAMLFile.decodeUTF8(Data([0x61, 0x3A, 0x20, 0x0A, 0x62, 0xFF]), bag: bag)
    #expect(text == nil)
    #expect(bag.diagnostics.first?.line == 2)
    #expect(bag.diagnostics.first?.message.contains("not valid UTF-8") == true)
  }

  @Test func unknownKeysGetSuggestionsAndNoDuplicateMissingError() {
    let bag = DiagnosticBag(path: "t.yaml")
    let (node, _) = parse("titel: x\n")
    let reader = node.flatMap { MappingReader($0, bag: bag, context: "case", allowedKeys: ["title"]) }
    _ = reader?.string("title", required: true)
    #expect(bag.diagnostics.map(\.message) == ["unknown key \"titel\" in case (did you mean \"title\"?)"])
  }
}

@Suite("Support")
struct SupportTests {
  @Test func sha256KnownVectors() {
    #expect(ContentHash.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(ContentHash.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let million = Data(repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(ContentHash.sha256(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func devicesAndDirectoriesAreRefusedWithoutReading() {
    let device = DiagnosticBag(path: "zero")
    #expect(YAMLFile.read(URL(fileURLWithPath: "/dev/zero"), bag: device, limits: .standard).node == nil)
    #expect(device.diagnostics.map(\.message) == ["cannot read file: it is not a regular file"])
    let folder = DiagnosticBag(path: "tmp")
    #expect(YAMLFile.read(FileManager.default.temporaryDirectory, bag: folder, limits: .standard).node == nil)
    #expect(folder.diagnostics.map(\.message) == ["cannot read file: it is a directory"])
  }

  @Test(arguments: [
    ("lymphedema", "lymphoedema"), ("hand-hygeine", "hand-hygiene"), ("precations", "precautions"),
  ])
  func suggestions(typo: String, expected: String) {
    #expect(Suggestions.closest(to: typo, in: ["lymphoedema", "hand-hygiene", "precautions", "psoas"]) == expected)
  }

  @Test func noSuggestionForUnrelatedWords() {
    #expect(Suggestions.closest(to: "banana", in: ["psoas", "soleus"]) == nil)
  }

  @Test func kebabCaseCodes() {
    #expect(CatalogLoader.isCode("upper-trapezius"))
    #expect(CatalogLoader.isCode("s1"))
    #expect(!CatalogLoader.isCode("Upper"))
    #expect(!CatalogLoader.isCode("a--b"))
    #expect(!CatalogLoader.isCode("../etc"))
    #expect(!CatalogLoader.isCode("trailing-"))
  }
}
