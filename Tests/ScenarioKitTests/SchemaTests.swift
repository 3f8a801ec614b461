import Foundation
import NeedleSimTestSupport
import ScenarioKit
import Testing

/// The published JSON Schema must list exactly the codes the loader accepts, or editors would mislead authors.
@Suite("Case JSON Schema")
struct SchemaTests {
  let definitions: [String: Any]
  let catalog: Catalog

  init() throws {
    let data = try Data(contentsOf: Repo.root.appendingPathComponent("docs/case.schema.json"))
    let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    definitions = try #require(schema["$defs"] as? [String: Any])
    catalog = try #require(CatalogLoader.load(directory: Repo.scoring).0)
  }

  func enumeration(_ name: String) -> [String] {
    ((definitions[name] as? [String: Any])?["enum"] as? [String]) ?? []
  }

  @Test func enumerationsMatchTheVocabulary() {
    let vocabulary = catalog.vocabulary
    let pairs: [(String, [String])] = [
      ("siteId", catalog.siteIDs), ("precautionId", catalog.precautionIDs),
      ("conditionCode", vocabulary.conditions.ids), ("medicationClass", vocabulary.medicationClasses.ids),
      ("allergyKind", vocabulary.allergyKinds.ids), ("skinFinding", vocabulary.skinFindings.ids),
      ("reactionKind", vocabulary.reactionKinds.ids), ("redFlag", vocabulary.redFlags.ids),
      ("screeningTopic", vocabulary.screeningTopics.ids), ("referralTarget", vocabulary.referralTargets.ids),
      ("region", vocabulary.regions.ids), ("area", vocabulary.areas.ids), ("difficulty", Case.difficulties),
    ]
    for (name, expected) in pairs {
      #expect(Set(enumeration(name)) == Set(expected), "$defs.\(name) is out of date")
    }
  }
}
