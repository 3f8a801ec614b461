// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "needlesim",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "needlesim", targets: ["needlesim"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    .executableTarget(name: "needlesim", dependencies: ["NeedleSimCLI"]),
    .target(name: "NeedleSimFuzzing", dependencies: ["SafetyScoring", "ScenarioKit"], path: "Fuzz/NeedleSimFuzzing"),
    .executableTarget(name: "needlesim-fuzz-replay", dependencies: ["NeedleSimFuzzing"], path: "Fuzz/fuzz-target"),
    .executableTarget(
      name: "needlesim-bench", dependencies: ["ScenarioKit", "SafetyScoring", "TraineeRecords"],
      path: "Benchmarks/NeedleSimBench"
    ),
    .target(
      name: "NeedleSimCLI",
      dependencies: [
        "ScenarioKit", "SafetyScoring", "TraineeRecords", "PracticeREPL", "LineEditing",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Yams brings libyaml (its CYaml module); ScenarioKit composes libyaml's events itself (see YAMLComposer).
    .target(name: "ScenarioKit", dependencies: ["CSHA256", .product(name: "Yams", package: "Yams")]),
    // SHA-256 in C, with the x86 SHA instructions when the CPU has them (start-up hashes every data file).
    .target(name: "CSHA256"),
    .target(name: "SafetyScoring", dependencies: ["ScenarioKit"]),
    .target(
      name: "TraineeRecords",
      dependencies: [
        "SafetyScoring", "ScenarioKit", "CCurl", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]
    ),
    // libcurl, loaded with dlopen when a request is first made (see CurlTransport).
    .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
    .target(name: "PracticeREPL", dependencies: ["TraineeRecords", "SafetyScoring", "ScenarioKit"]),
    .target(name: "LineEditing", dependencies: ["CReadline"]),
    .systemLibrary(
      name: "CReadline",
      pkgConfig: "readline",
      providers: [.apt(["libreadline-dev"])]
    ),
    .target(
      name: "NeedleSimTestSupport", dependencies: ["ScenarioKit", "SafetyScoring", "TraineeRecords"],
      path: "Tests/NeedleSimTestSupport"
    ),
    .testTarget(name: "ScenarioKitTests", dependencies: ["ScenarioKit", "CSHA256", "NeedleSimTestSupport"]),
    .testTarget(name: "SafetyScoringTests", dependencies: ["SafetyScoring", "ScenarioKit", "NeedleSimTestSupport"]),
    .testTarget(
      name: "PracticeREPLTests", dependencies: ["PracticeREPL", "LineEditing", "NeedleSimTestSupport"]
    ),
    .testTarget(
      name: "TraineeRecordsTests",
      dependencies: ["TraineeRecords", "NeedleSimTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
      exclude: ["Golden"]
    ),
    .testTarget(
      name: "NeedleSimCLITests",
      dependencies: ["NeedleSimCLI", "NeedleSimTestSupport"],
      exclude: ["Golden", "Transcripts"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
