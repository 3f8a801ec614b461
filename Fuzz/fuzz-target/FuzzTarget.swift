// The libFuzzer targets and their replayer. `Fuzz/build.sh` compiles this file twice with -sanitize=fuzzer,address:
// with -D FUZZ_CASE (case loader + lint) and with -D FUZZ_PLAN (plan reader + grading); libFuzzer supplies main.
// In an ordinary build it is `needlesim-fuzz-replay case|plan FILE…`, which reproduces a crasher without a fuzzer.
import Foundation
import NeedleSimFuzzing

#if FUZZ_CASE || FUZZ_PLAN
  #if FUZZ_CASE
    let entry: (Data) -> Int = FuzzEntry.caseFile
  #else
    let entry: (Data) -> Int = FuzzEntry.planFile
  #endif

  /// Loads the guidance and cases once, before fuzzing, so each input measures only its own work.
  @_cdecl("LLVMFuzzerInitialize")
  public func fuzzInitialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
  ) -> CInt {
    FuzzEntry.warmUp()
    return 0
  }

  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    _ = entry(Data(bytes: data, count: size))
    return 0
  }
#else
  @main
  struct Replay {
    static func main() {
      let arguments = CommandLine.arguments.dropFirst()
      guard let kind = arguments.first, kind == "case" || kind == "plan" else {
        FileHandle.standardError.write(Data("usage: needlesim-fuzz-replay case|plan FILE…\n".utf8))
        exit(64)
      }
      for path in arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else { continue }
        let count = kind == "case" ? FuzzEntry.caseFile(data) : FuzzEntry.planFile(data)
        print("\(path): \(count) diagnostics")
      }
    }
  }
#endif
