// libFuzzer entry for the case reader. `make fuzz` compiles this file with -D FUZZING and
// -sanitize=fuzzer,address against the instrumented library objects (Fuzz/build.sh); libFuzzer supplies main.
// In an ordinary build it replays files given as arguments, so a crasher can be reproduced without a fuzzer.
import Foundation
import NeedleSimFuzzing

#if FUZZING
  /// Loads the guidance and cases once, before fuzzing, so each input measures only its own work.
  @_cdecl("LLVMFuzzerInitialize")
  public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    FuzzEntry.warmUp()
    return 0
  }

  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzEntry.caseFile(Data(bytes: data, count: size))
    return 0
  }
#else
  @main
  struct Replay {
    static func main() {
      for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else { continue }
        print("\(path): \(FuzzEntry.caseFile(data)) diagnostics")
      }
    }
  }
#endif
