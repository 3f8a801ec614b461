#!/usr/bin/env bash
# Builds the libFuzzer targets: the libraries are compiled by SwiftPM with sanitizer instrumentation into
# .build-fuzz, then each harness is linked by swiftc so that libFuzzer, not SwiftPM's entry point, owns main.
set -euo pipefail
cd "$(dirname "$0")/.."
B=.build-fuzz/debug
swift build -c debug --scratch-path .build-fuzz --target NeedleSimFuzzing -Xswiftc -sanitize=fuzzer,address
# The objects of NeedleSimFuzzing and of what it depends on: the scoring core, the YAML reader, swift-crypto.
modules="NeedleSimFuzzing SafetyScoring ScenarioKit YAMLReading Crypto CryptoBoringWrapper CCryptoBoringSSL
  CCryptoBoringSSLShims CXKCP CXKCPShims"
objects=$(for m in $modules; do find "$B/$m.build" -name '*.o'; done)
for target in case plan; do
  define=$(echo "FUZZ_$target" | tr a-z A-Z)
  rm -f "$B/needlesim-fuzz-$target"  # so that a failed link cannot pass for the binary of an earlier build
  swiftc -sanitize=fuzzer,address -parse-as-library -D "$define" -I "$B/Modules" \
    -Xcc -fmodule-map-file=Sources/CYAML/module.modulemap \
    Fuzz/fuzz-target/FuzzTarget.swift $objects -lyaml -lstdc++ -o "$B/needlesim-fuzz-$target" 2>&1 \
    | grep -v 'Cannot export' || true
  test -x "$B/needlesim-fuzz-$target"
done
