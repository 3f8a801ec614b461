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
  ],
  targets: [
    .executableTarget(name: "needlesim", dependencies: ["NeedleSimCLI"]),
    .target(
      name: "NeedleSimCLI",
      dependencies: [
        "ScenarioKit", "SafetyScoring", "PracticeREPL",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(name: "ScenarioKit", dependencies: [.product(name: "Yams", package: "Yams")]),
    .target(name: "SafetyScoring", dependencies: ["ScenarioKit"]),
    .target(name: "PracticeREPL", dependencies: ["SafetyScoring", "ScenarioKit"]),
    .systemLibrary(
      name: "CReadline",
      pkgConfig: "readline",
      providers: [.apt(["libreadline-dev"])]
    ),
    .testTarget(name: "ScenarioKitTests", dependencies: ["ScenarioKit"]),
    .testTarget(name: "SafetyScoringTests", dependencies: ["SafetyScoring", "ScenarioKit"]),
    .testTarget(
      name: "NeedleSimCLITests",
      dependencies: ["NeedleSimCLI"],
      exclude: ["Golden"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
