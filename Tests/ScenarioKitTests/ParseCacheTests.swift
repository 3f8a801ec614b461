import Foundation
import NeedleSimTestSupport
import Testing

@testable import ScenarioKit

@Suite("Parse cache")
struct ParseCacheTests {
  let directory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("needlesim-cache-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()
  var cacheURL: URL { directory.appendingPathComponent("cache.bin") }

  func encoded(_ node: YNode?) -> [UInt8] {
    var bytes: [UInt8] = []
    if let node { YNodeBinary.append(node, to: &bytes) }
    return bytes
  }

  func parse(_ data: Data, cache: ParseCache?) -> (YNode?, [Diagnostic]) {
    let bag = DiagnosticBag(path: "t.yaml")
    return (YAMLFile.parse(data, bag: bag, limits: .standard, cache: cache), bag.diagnostics)
  }

  @Test func everyBundledFileSurvivesTheBinaryFormat() throws {
    let files = CaseLibrary.caseFiles(in: [Repo.scoring, Repo.scenarios])
    #expect(files.count > 50)
    for url in files {
      let (node, _) = YAMLFile.read(url, path: url.lastPathComponent)
      let bytes = encoded(node)
      let decoded = bytes.withUnsafeBytes { YNodeBinary.decode($0, maxDepth: 64) }
      #expect(decoded != nil && encoded(decoded) == bytes, "\(url.lastPathComponent)")
    }
  }

  @Test func aSavedTreeIsReadBackForTheSameBytesOnly() throws {
    let data = Data("a: 1\nlist: [x, 'y']\n".utf8)
    let first = ParseCache(url: cacheURL)
    let (parsed, diagnostics) = parse(data, cache: first)
    #expect(diagnostics.isEmpty)
    first.save()
    let second = ParseCache(url: cacheURL)
    let cached = second.tree(for: data, maxDepth: 64)
    #expect(cached != nil)
    #expect(encoded(cached) == encoded(parsed))
    #expect(second.tree(for: Data("a: 2\nlist: [x, 'y']\n".utf8), maxDepth: 64) == nil)
  }

  /// Proves a hit really comes from the cache: a tree stored for some bytes is what those bytes then give.
  @Test func aHitSkipsParsing() throws {
    let data = Data("title: real\n".utf8)
    let planted = YNode(kind: .scalar("from the cache", plain: true), position: .start)
    let writer = ParseCache(url: cacheURL)
    writer.store(planted, for: data)
    writer.save()
    let (node, _) = parse(data, cache: ParseCache(url: cacheURL))
    #expect(node?.scalar == "from the cache")
    let (uncached, _) = parse(data, cache: nil)
    #expect(uncached?.scalar == nil)
  }

  /// Files read ahead are handed out once each, as they were when read: here the file is gone by the time it is
  /// asked for, so only the read-ahead copy can answer the first request.
  /// A cache that has read `file` ahead, after which the file is deleted: only what was read ahead can answer.
  func readAheadThenDelete(_ file: URL) throws -> ParseCache {
    let cache = ParseCache(url: cacheURL)
    cache.readAhead { [file] }
    _ = cache.readAhead(of: directory.appendingPathComponent("other.yaml"))  // waits for the reading ahead
    try FileManager.default.removeItem(at: file)
    return cache
  }

  @Test func filesReadAheadAreHandedOutOnce() throws {
    let file = directory.appendingPathComponent("ahead.yaml")
    try Data("a: 1\n".utf8).write(to: file)
    let writer = ParseCache(url: cacheURL)
    _ = YAMLFile.read(file, bag: DiagnosticBag(path: "ahead.yaml"), limits: .standard, cache: writer)
    writer.save()
    let cache = try readAheadThenDelete(file)
    let first = DiagnosticBag(path: "ahead.yaml")
    let (node, bytes) = YAMLFile.read(file, bag: first, limits: .standard, cache: cache)
    #expect(node != nil && bytes == Data("a: 1\n".utf8) && first.diagnostics.isEmpty)
    let second = DiagnosticBag(path: "ahead.yaml")
    #expect(YAMLFile.read(file, bag: second, limits: .standard, cache: cache).node == nil)
    #expect(second.diagnostics.first?.message.hasPrefix("cannot read file") == true)
  }

  /// A file the cache does not know is still read only once: it is parsed from the bytes read ahead.
  @Test func anUncachedFileReadAheadIsParsedFromThoseBytes() throws {
    let file = directory.appendingPathComponent("fresh.yaml")
    try Data("b: [1, 2]\n".utf8).write(to: file)
    let cache = try readAheadThenDelete(file)
    let bag = DiagnosticBag(path: "fresh.yaml")
    let (node, _) = YAMLFile.read(file, bag: bag, limits: .standard, cache: cache)
    #expect(node != nil && bag.diagnostics.isEmpty)
  }

  @Test func devicesAndDirectoriesAreRefusedWithoutReading() {
    let device = DiagnosticBag(path: "zero")
    #expect(YAMLFile.read(URL(fileURLWithPath: "/dev/zero"), bag: device, limits: .standard).node == nil)
    #expect(device.diagnostics.map(\.message) == ["cannot read file: it is not a regular file"])
    let folder = DiagnosticBag(path: "tmp")
    #expect(YAMLFile.read(directory, bag: folder, limits: .standard).node == nil)
    #expect(folder.diagnostics.map(\.message) == ["cannot read file: it is a directory"])
  }

  @Test func filesWithDiagnosticsAreNeverStored() throws {
    let cache = ParseCache(url: cacheURL)
    let broken = Data("a: [1, 2\n".utf8)
    let (node, diagnostics) = parse(broken, cache: cache)
    #expect(node == nil && !diagnostics.isEmpty)
    cache.save()
    #expect(!FileManager.default.fileExists(atPath: cacheURL.path))
  }

  @Test func aDamagedOrForeignCacheIsAMissNotACrash() throws {
    let data = Data("key: value\nother: [1, 2, 3]\n".utf8)
    let cache = ParseCache(url: cacheURL)
    _ = parse(data, cache: cache)
    cache.save()
    let good = try [UInt8](Data(contentsOf: cacheURL))
    var damaged: [[UInt8]] = [Array(good.prefix(good.count - 3)), Array(good.prefix(7)), [], Array(repeating: 0xFF, count: 500)]
    for index in stride(from: 0, to: good.count, by: 3) {
      var flipped = good
      flipped[index] ^= 0x5A
      damaged.append(flipped)
    }
    for bytes in damaged {
      try Data(bytes).write(to: cacheURL)
      let reopened = ParseCache(url: cacheURL)
      // Every byte of an entry is checked (header, hashes, lengths, the source compared whole, the tree hashed).
      #expect(reopened.tree(for: data, maxDepth: 64) == nil)
      // Parsing still works.
      let (node, diagnostics) = parse(data, cache: reopened)
      #expect(node != nil && diagnostics.isEmpty)
    }
  }

  @Test func anUnwritableLocationOnlyMeansNoCache() {
    let cache = ParseCache(url: URL(fileURLWithPath: "/proc/needlesim-no/cache.bin"))
    let (node, _) = parse(Data("a: 1\n".utf8), cache: cache)
    cache.save()
    #expect(node != nil)
  }

  @Test func theLocationFollowsTheEnvironment() {
    let env = ["HOME": "/home/x", "XDG_CACHE_HOME": "/xdg"]
    #expect(ParseCache.standard(environment: { env[$0] })?.url.path == "/xdg/needlesim/parsed-yaml.bin")
    #expect(ParseCache.standard(environment: { ["HOME": "/home/x"][$0] })?.url.path
      == "/home/x/.cache/needlesim/parsed-yaml.bin")
    #expect(ParseCache.standard(environment: { ["NEEDLESIM_CACHE": "off"][$0] }) == nil)
    #expect(ParseCache.standard(environment: { ["NEEDLESIM_CACHE": "/tmp/c.bin"][$0] })?.url.path == "/tmp/c.bin")
  }
}
