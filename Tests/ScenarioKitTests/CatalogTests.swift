import Foundation
import NeedleSimTestSupport
import ScenarioKit
import Testing
import YAMLReading

@Suite("Bundled vocabulary")
struct CatalogTests {
  let catalog: Catalog
  let diagnostics: [Diagnostic]

  init() throws {
    let (catalog, diagnostics) = CatalogLoader.load(directory: Repo.scoring)
    self.catalog = try #require(catalog)
    self.diagnostics = diagnostics
  }

  @Test func loadsWithoutProblems() {
    #expect(diagnostics.isEmpty, "\(diagnostics)")
  }

  @Test func everyReferenceItemOfTheGuidanceIsPresent() {
    let ids = Set(catalog.references.map(\.id))
    for n in 1...11 { #expect(ids.contains(String(format: "AC-%02d", n))) }
    for n in 1...20 { #expect(ids.contains(String(format: "RC-%02d", n))) }
    for n in 1...43 { #expect(ids.contains(String(format: "PR-%02d", n))) }
    for n in 1...13 { #expect(ids.contains(String(format: "D-%02d", n))) }
  }

  @Test func everyNumberedSourceIsPresent() {
    let ids = Set(catalog.sources.map(\.id))
    for n in 1...25 where n != 7 { #expect(ids.contains(String(n))) }
    for letter in ["a", "b", "c", "d", "e"] { #expect(ids.contains("7\(letter)")) }
    for n in 1...37 { #expect(ids.contains("S\(n)")) }
  }

  @Test func everyConditionPointsAtAnExistingReference() {
    for entry in catalog.vocabulary.conditions.entries {
      #expect(entry.ref.flatMap { catalog.reference($0) } != nil, "condition \(entry.id)")
    }
  }

  @Test func theHighRiskSitesOfTheHazardCatalogueExist() {
    let required = [
      "upper-trapezius", "levator-scapulae", "rhomboids", "intercostals", "sternal-region", "infraspinatus",
      "supraspinatus", "scalenes", "sternocleidomastoid", "suboccipitals", "cervical-multifidus",
      "thoracolumbar-multifidus", "longissimus-thoracis", "latissimus-dorsi", "quadratus-lumborum",
      "abdominal-wall", "psoas", "piriformis", "tibialis-posterior", "popliteus", "gastrocnemius", "pronator-teres",
      "supinator",
    ]
    for id in required { #expect(catalog.site(id) != nil, "site \(id)") }
  }

  @Test func theDeepMusclesThatPressureCannotReachAreNonCompressible() {
    // AHPCSA names psoas and tibialis posterior; the others lie as deep: iliacus beside psoas, the long toe flexors
    // beside tibialis posterior in the deep posterior compartment, lateral pterygoid in the infratemporal fossa.
    let nonCompressible = catalog.sites.filter { !$0.compressible }.map(\.id).sorted()
    #expect(nonCompressible == [
      "flexor-digitorum-longus", "flexor-hallucis-longus", "iliacus", "lateral-pterygoid", "psoas", "tibialis-posterior",
    ])
  }

  @Test func entryLevelTrainingExcludesTheAdvancedSites() {
    let advanced = catalog.sites.filter(\.advanced).map(\.id).sorted()
    #expect(advanced == [
      "iliacus", "intercostals", "lateral-pterygoid", "pectoralis-minor", "psoas", "scalenes", "suboccipitals",
      "thoracic-multifidus", "tibialis-posterior",
    ])
    #expect(catalog.sites.allSatisfy { !$0.anatomy.beneath.isEmpty && !$0.anatomy.sources.isEmpty })
  }

  @Test func thoracicSitesCarryTheLungHazard() {
    for site in catalog.sites where site.thorax {
      #expect(site.hazards.contains("lung"), "site \(site.id)")
    }
  }

  @Test func sitesResolveByAliasAndName() {
    #expect(catalog.resolveSite("QL")?.id == "quadratus-lumborum")
    #expect(catalog.resolveSite("Upper Trapezius")?.id == "upper-trapezius")
    #expect(catalog.resolveSite("upper trapezius")?.id == "upper-trapezius")
  }

  @Test func everyPrecautionGroupIsUsed() {
    for group in catalog.precautionGroups {
      #expect(catalog.precautions.contains { $0.group == group }, "group \(group)")
    }
  }
}

/// A folder with very many case files is read in bounded chunks, so lint's memory does not grow with the folder.
@Suite("Large folders")
struct LargeFolderTests {
  @Test func casesAreStreamedInBoundedChunks() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("many-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = try String(contentsOf: Repo.root.appendingPathComponent("Tests/Fixtures/valid/minimal-neck.yaml"), encoding: .utf8)
    for index in 0..<1_200 {
      let id = "case-\(index)"
      try text.replacingOccurrences(of: "id: minimal-neck", with: "id: \(id)")
        .write(to: folder.appendingPathComponent("\(id).yaml"), atomically: false, encoding: .utf8)
    }
    let catalog = try #require(CatalogLoader.load(directory: Repo.scoring).0)
    var chunks: [Int] = []
    var errors = 0
    CaseLibrary.stream([folder], catalog: catalog, chunkSize: 500) { cases, diagnostics in
      chunks.append(cases.count)
      errors += diagnostics.filter { $0.severity == .error }.count
    }
    #expect(chunks == [500, 500, 200])
    #expect(errors == 0)
  }
}

@Suite("Red-flag triage data")
struct RedFlagTriageDataTests {
  /// Copies the bundled Scoring folder with one edit to vocabulary.yaml.
  func load(replacing old: String, with new: String) throws -> [Diagnostic] {
    let scratch = try ScratchGuidance()
    defer { scratch.remove() }
    let file = scratch.folder.appendingPathComponent(CatalogLoader.vocabularyFile)
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(old))
    try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
    return CatalogLoader.load(directory: scratch.folder).1
  }

  @Test func everyRedFlagHasATriage() throws {
    let catalog = try #require(CatalogLoader.load(directory: Repo.scoring).0)
    for flag in catalog.vocabulary.redFlags.ids {
      let triage = try #require(catalog.vocabulary.redFlagTriage[flag], "\(flag)")
      #expect(!triage.referTo.isEmpty && !triage.sources.isEmpty, "\(flag)")
    }
  }

  @Test func anUnknownUrgencyIsALocatedError() throws {
    let diagnostics = try load(replacing: "urgency: emergency, referTo: [emergency], sources: [A6]",
                               with: "urgency: immediate, referTo: [emergency], sources: [A6]")
    let error = try #require(diagnostics.first { $0.severity == .error })
    #expect(error.message.contains("urgency of red flag \"thunderclap-headache\" must be one of emergency, same-day, urgent"))
    #expect(error.path.hasSuffix("vocabulary.yaml") && error.line > 0)
  }

  @Test func anUnknownTargetOrSourceIsALocatedError() throws {
    let diagnostics = try load(replacing: "referTo: [emergency], sources: [A6]", with: "referTo: [casualty], sources: [A99]")
    let messages = diagnostics.filter { $0.severity == .error }.map(\.message)
    #expect(messages.contains { $0.contains("unknown referral target \"casualty\"") })
    #expect(messages.contains { $0.contains("A99") })
  }
}
