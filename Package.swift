// swift-tools-version:6.0
import PackageDescription

// Linux only: the code uses Glibc, and only Linux builds are tested.
let package = Package(
  name: "needlesim",
  products: [
    .executable(name: "needlesim", targets: ["needlesim"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    // The executable and its commands.
    .executableTarget(name: "needlesim", dependencies: ["NeedleSimCLI"]),
    .target(
      name: "NeedleSimCLI",
      dependencies: [
        "YAMLReading", "ScenarioKit", "SafetyScoring", "TraineeRecords", "LRSSync", "Presentation", "PracticeREPL",
        "LineEditing", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // The practice session (lines in, text out) and the only code that touches the terminal.
    .target(name: "PracticeREPL", dependencies: ["Presentation", "TraineeRecords", "SafetyScoring", "ScenarioKit"]),
    .target(name: "LineEditing", dependencies: ["CReadline"]),
    .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),

    // Text for people: cases, plans, reports and debriefs, with or without colour.
    .target(name: "Presentation", dependencies: ["SafetyScoring", "ScenarioKit"]),

    // Records: the SQLite attempt store, re-scoring, exports and the xAPI outbox; and sending it to an LRS.
    .target(
      name: "TraineeRecords",
      dependencies: [
        "SafetyScoring", "ScenarioKit", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]
    ),
    .target(name: "LRSSync", dependencies: ["TraineeRecords", "ScenarioKit", "CCurl"]),
    // libcurl, loaded with dlopen when a request is first made (see CurlTransport).
    .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),

    // The scoring core: guidance rules, the evaluator and the report. Pure: no I/O beyond loading its files.
    .target(name: "SafetyScoring", dependencies: ["ScenarioKit", "YAMLReading", .product(name: "Crypto", package: "swift-crypto")]),
    // The case model, the coded vocabulary and plans.
    .target(name: "ScenarioKit", dependencies: ["YAMLReading", .product(name: "Crypto", package: "swift-crypto")]),
    // YAML files read into located trees, and the located diagnostics every user-file problem becomes.
    .target(name: "YAMLReading", dependencies: ["CYAML"]),
    .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),

    // Fuzzing, benchmarks and tests.
    .target(name: "NeedleSimFuzzing", dependencies: ["SafetyScoring", "ScenarioKit", "YAMLReading"], path: "Fuzz/NeedleSimFuzzing"),
    .executableTarget(name: "needlesim-fuzz-replay", dependencies: ["NeedleSimFuzzing"], path: "Fuzz/fuzz-target"),
    .executableTarget(
      name: "needlesim-bench", dependencies: ["YAMLReading", "ScenarioKit", "SafetyScoring", "TraineeRecords"],
      path: "Benchmarks/NeedleSimBench"
    ),
    .target(
      name: "NeedleSimTestSupport", dependencies: ["YAMLReading", "ScenarioKit", "SafetyScoring", "TraineeRecords"],
      path: "Tests/NeedleSimTestSupport"
    ),
    .testTarget(name: "ScenarioKitTests", dependencies: ["ScenarioKit", "YAMLReading", "NeedleSimTestSupport"]),
    .testTarget(
      name: "SafetyScoringTests", dependencies: ["SafetyScoring", "ScenarioKit", "YAMLReading", "NeedleSimTestSupport"],
      // The tutor's table is read from the source tree by path, like the bundled cases.
      exclude: ["clinical-expectations.yaml"]
    ),
    .testTarget(
      name: "PracticeREPLTests", dependencies: ["PracticeREPL", "Presentation", "LineEditing", "NeedleSimTestSupport"]
    ),
    .testTarget(
      name: "TraineeRecordsTests",
      dependencies: ["TraineeRecords", "NeedleSimTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
      exclude: ["Golden"]
    ),
    .testTarget(name: "LRSSyncTests", dependencies: ["LRSSync", "TraineeRecords", "NeedleSimTestSupport"]),
    .testTarget(
      name: "NeedleSimCLITests",
      dependencies: ["NeedleSimCLI", "NeedleSimTestSupport"],
      exclude: ["Golden", "Transcripts"]
    ),
    .testTarget(name: "FuzzRegressionTests", dependencies: ["NeedleSimFuzzing", "NeedleSimTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
