import Foundation

/// Finds the bundled `Scenarios/` and `Scoring/` folders from any working directory.
///
/// Order: an explicit path, then an environment variable, then beside an installed binary
/// (`PREFIX/bin/needlesim` → `PREFIX/share/needlesim/NAME`), then the source checkout a build
/// in `.build/` came from, then the working directory.
public enum DataLocator {
  public static func locate(_ name: String, explicit: String?, environment variable: String) -> URL {
    if let explicit { return URL(fileURLWithPath: explicit) }
    if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty {
      return URL(fileURLWithPath: value)
    }
    let fm = FileManager.default
    if let executable = executableURL() {
      let bin = executable.deletingLastPathComponent()
      let installed = bin.deletingLastPathComponent().appendingPathComponent("share/needlesim/\(name)")
      if fm.fileExists(atPath: installed.path) { return installed }
      var directory = bin
      while directory.path != "/" {
        if fm.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
          fm.fileExists(atPath: directory.appendingPathComponent(name).path)
        {
          return directory.appendingPathComponent(name)
        }
        directory = directory.deletingLastPathComponent()
      }
    }
    return URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(name)
  }

  static func executableURL() -> URL? {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    return Bundle.main.executableURL?.resolvingSymlinksInPath()
  }
}
