// libFuzzer entry for the plan reader (built by `make fuzz` with -DFUZZING and -sanitize=fuzzer,address).
// In an ordinary build it replays files given as arguments, so a crasher can be reproduced without a fuzzer.
import Foundation
import NeedleSimFuzzing

#if FUZZING
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzEntry.planFile(Data(bytes: data, count: size))
    return 0
  }
#else
  @main
  struct Replay {
    static func main() {
      for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else { continue }
        print("\(path): \(FuzzEntry.planFile(data)) diagnostics")
      }
    }
  }
#endif
