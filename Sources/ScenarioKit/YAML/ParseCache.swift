import Foundation

/// Parsed trees of YAML files from earlier runs, so that start-up does not parse the unchanged guidance and case
/// files again (parsing is most of what start-up costs; see docs/performance.md).
///
/// One file holds every entry: a file's exact bytes and its tree. A lookup hashes the bytes, then compares them
/// in full, so an edited file is always parsed afresh; only files that parsed without any diagnostic are stored.
/// The cache is tied to the executable that wrote it, since trees depend on the parser's build. Anything
/// unexpected in it (damage, another build, a different format) makes it empty, never an error: it is only a
/// shortcut. Writes go to a temporary file renamed into place, so concurrent runs never see half a file.
public final class ParseCache: @unchecked Sendable {
  /// Where the cache lives: `NEEDLESIM_CACHE` (a file path, or `off`), else `$XDG_CACHE_HOME/needlesim/`.
  public static func standard(environment: (String) -> String? = { getenv($0).map { String(cString: $0) } })
    -> ParseCache?
  {
    location(environment: environment).map(ParseCache.init(url:))
  }

  /// The file ``standard(environment:)`` opens; nil when the cache is off.
  public static func location(environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> URL? {
    if let value = environment("NEEDLESIM_CACHE"), !value.isEmpty {
      return value == "off" ? nil : URL(fileURLWithPath: value)
    }
    let base = environment("XDG_CACHE_HOME").flatMap { $0.isEmpty ? nil : $0 }
      ?? (environment("HOME") ?? NSHomeDirectory()) + "/.cache"
    return URL(fileURLWithPath: base + "/needlesim/parsed-yaml.bin")
  }

  /// Entries beyond these limits are dropped when the cache is written, least recently used first.
  static let maxEntries = 4096
  static let maxBytes = 64 << 20

  private static let magic: [UInt8] = Array("NSYC\u{1}".utf8)

  public let url: URL
  /// The cache file as read at start, mapped rather than copied: a run reads only the entries it needs.
  private let stored: MappedFile?
  private let producer: [UInt8]
  /// Where each entry of `stored` is, by the hash of its source bytes.
  private let index: [Int: Entry]
  private let lock = NSLock()
  /// Entries of `stored` used in this run, and entries added by it, in the order met.
  private var used: [Int: Bool] = [:]
  private var added: [(hash: Int, source: [UInt8], tree: [UInt8])] = []
  private var unsaved = false
  /// Files read ahead (see ``readAhead(_:)``): bytes, and the tree when the cache had it, by path, each handed
  /// out once.
  private var filesReadAhead: [String: (bytes: Data, node: YNode?)] = [:]
  private let readingAhead = DispatchGroup()

  private struct Entry {
    var source: Range<Int>
    var tree: Range<Int>
    var treeHash: Int
  }

  /// Opens the cache file at `url` (a missing or unusable file is an empty cache).
  public init(url: URL) {
    self.url = url
    let producer = Self.magic + Self.executableIdentity()
    self.producer = producer
    let file = MappedFile(path: url.path)
    let index = file.flatMap { Self.index(of: $0.bytes, producer: producer) }
    stored = index == nil ? nil : file
    self.index = index ?? [:]
  }

  /// Starts reading the files `urls` gives, and taking their trees from the cache, on another core: the CLI calls
  /// it before parsing its arguments, which takes as long. Files not in the cache are parsed by whoever asks for
  /// them, from the bytes read here; files that cannot be read are left to be read (and reported) as usual.
  public func readAhead(_ urls: @escaping @Sendable () -> [URL]) {
    readingAhead.enter()
    DispatchQueue.global(qos: .userInitiated).async { [self] in
      let limits = YAMLParser.Limits.standard
      let all = urls()
      // In two halves (every other file), on both cores: reading ahead takes longer than parsing the arguments,
      // so once those are parsed the main thread's core helps instead of waiting.
      let halves = ParallelMap.map([0, 1]) { half in
        stride(from: half, to: all.count, by: 2).compactMap { index -> (String, (bytes: Data, node: YNode?))? in
          let path = all[index].path
          guard case .bytes(let bytes) = FileBytes.contents(of: path, maxBytes: limits.maxBytes) else { return nil }
          return (path, (bytes, tree(for: bytes, maxDepth: limits.maxDepth)))
        }
      }
      let found = Dictionary(halves.joined(), uniquingKeysWith: { first, _ in first })
      lock.lock()
      filesReadAhead = found
      lock.unlock()
      readingAhead.leave()
    }
  }

  /// The bytes (and cached tree) of `url` if they were read ahead, waiting for the reading ahead to finish.
  func readAhead(of url: URL) -> (bytes: Data, node: YNode?)? {
    readingAhead.wait()
    lock.lock()
    defer { lock.unlock() }
    return filesReadAhead.removeValue(forKey: url.path)
  }

  /// The tree parsed from exactly `bytes`, if an earlier run stored it.
  func tree(for bytes: Data, maxDepth: Int) -> YNode? {
    let hash = bytes.withUnsafeBytes(Self.hash)
    guard let entry = index[hash], let all = stored?.bytes else { return nil }
    let node: YNode? = {
      let source = UnsafeRawBufferPointer(rebasing: all[entry.source])
      let same = bytes.withUnsafeBytes {
        $0.count == source.count && !source.isEmpty && memcmp($0.baseAddress!, source.baseAddress!, source.count) == 0
      }
      let tree = UnsafeRawBufferPointer(rebasing: all[entry.tree])
      guard same, Self.hash(tree) == entry.treeHash else { return nil }
      return YNodeBinary.decode(tree, maxDepth: maxDepth)
    }()
    if node != nil {
      lock.lock()
      used[hash] = true
      lock.unlock()
    }
    return node
  }

  /// Remembers the tree parsed from `bytes`, to be written by ``save()``.
  func store(_ node: YNode, for bytes: Data) {
    var tree: [UInt8] = []
    YNodeBinary.append(node, to: &tree)
    let hash = bytes.withUnsafeBytes(Self.hash)
    lock.lock()
    added.append((hash, [UInt8](bytes), tree))
    used[hash] = true
    unsaved = true
    lock.unlock()
  }

  /// Writes the cache if this run added to it: new entries and those used first, then older ones while they fit.
  /// Failing to write (a read-only home, a full disk) only means parsing again next time.
  public func save() {
    lock.lock()
    defer { lock.unlock() }
    guard unsaved else { return }
    unsaved = false
    var out = producer
    var written = Set<Int>()
    func write(_ hash: Int, source: ArraySlice<UInt8>, tree: ArraySlice<UInt8>) {
      guard written.count < Self.maxEntries, out.count + source.count + tree.count < Self.maxBytes,
        written.insert(hash).inserted
      else { return }
      withUnsafeBytes(of: hash.littleEndian) { out.append(contentsOf: $0) }
      withUnsafeBytes(of: UInt32(source.count).littleEndian) { out.append(contentsOf: $0) }
      withUnsafeBytes(of: UInt32(tree.count).littleEndian) { out.append(contentsOf: $0) }
      let treeHash = tree.withUnsafeBytes(Self.hash)
      withUnsafeBytes(of: treeHash.littleEndian) { out.append(contentsOf: $0) }
      out.append(contentsOf: source)
      out.append(contentsOf: tree)
    }
    for entry in added { write(entry.hash, source: entry.source[...], tree: entry.tree[...]) }
    if let stored {
      let older = index.sorted { $0.value.source.lowerBound < $1.value.source.lowerBound }
      let all = stored.bytes
      for keepUsed in [true, false] {
        for (hash, entry) in older where (used[hash] == true) == keepUsed {
          write(hash, source: ArraySlice(all[entry.source]), tree: ArraySlice(all[entry.tree]))
        }
      }
    }
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(out).write(to: temporary)
      guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
    }
  }

  /// The entries of a cache file, or nil when it is not one this executable wrote whole.
  private static func index(of raw: UnsafeRawBufferPointer, producer: [UInt8]) -> [Int: Entry]? {
    guard raw.count >= producer.count, raw[..<producer.count].elementsEqual(producer) else { return nil }
    var index: [Int: Entry] = [:]
    var offset = producer.count
    while offset < raw.count {
      guard raw.count - offset >= 24 else { return nil }
      let hash = Int(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int.self))
      let sourceCount = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)))
      let treeCount = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
      let treeHash = Int(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: Int.self))
      offset += 24
      guard sourceCount + treeCount <= raw.count - offset else { return nil }
      index[hash] = Entry(
        source: offset..<offset + sourceCount, tree: offset + sourceCount..<offset + sourceCount + treeCount,
        treeHash: treeHash)
      offset += sourceCount + treeCount
    }
    return index
  }

  /// A fast 64-bit hash, eight bytes at a time: it only picks the entry to compare, so it need not resist attack.
  /// `Int`, not `UInt64`, so the tables keyed by it use a key type the runtime has already looked up.
  static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
    var offset = 0
    while offset + 8 <= bytes.count {
      h = (h ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 29
      offset += 8
    }
    while offset < bytes.count {
      h = (h ^ UInt64(bytes[offset])) &* 0x100_0000_01B3
      offset += 1
    }
    return Int(truncatingIfNeeded: h ^ (h >> 32))
  }

  /// The running executable's size and modification time: a rebuilt parser must not read an older build's trees.
  private static func executableIdentity() -> [UInt8] {
    #if os(Linux)
      var info = stat()
      if stat("/proc/self/exe", &info) == 0 {
        var identity: [UInt8] = []
        for value in [Int64(info.st_size), Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec), Int64(info.st_ino)] {
          withUnsafeBytes(of: value.littleEndian) { identity.append(contentsOf: $0) }
        }
        return identity
      }
    #endif
    return Array((Bundle.main.executablePath ?? CommandLine.arguments[0]).utf8) + [0]
  }
}

/// A whole file mapped read-only into memory. The cache is only ever replaced by renaming a new file over it, so
/// the mapped file never changes under the reader.
final class MappedFile: @unchecked Sendable {
  let bytes: UnsafeRawBufferPointer

  init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    // MAP_POPULATE maps every page in one go rather than one page fault at a time: a run reads most of them.
    guard fstat(fd, &info) == 0, info.st_size > 0,
      let address = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0),
      address != MAP_FAILED
    else { return nil }
    bytes = UnsafeRawBufferPointer(start: address, count: Int(info.st_size))
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }
}
