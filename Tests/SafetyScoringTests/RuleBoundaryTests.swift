import Foundation
import NeedleSimTestSupport
import SafetyScoring
import ScenarioKit
import Testing

/// Each rule fires exactly at its boundary and not beside it.
@Suite("Rules at their boundaries")
struct RuleBoundaryTests {
  func fires(_ rule: String, policy: String? = nil, age: Int = 40, sex: String = "male",
             _ configure: (inout PatientFacts) -> Void = { _ in }) -> Bool {
    Synthetic.firedRules(Synthetic.scenario(age: age, sex: sex, configure), policy: policy).contains(rule)
  }

  @Test func aHealthyPatientTriggersOnlyUniversalRules() {
    // At the advanced level: the entry level's advanced-site rule applies to every patient too, by design.
    let evaluator = Evaluator(guidance: Bundled.guidance, practitionerLevel: "advanced")
    let expected = evaluator.expected(for: Synthetic.scenario())
    #expect(expected.factRules.allSatisfy { $0.when.isAlways })
    #expect(expected.decision.preferred == .needle)
  }

  @Test func childRuleAtEighteen() {
    #expect(fires("child", age: 17))
    #expect(!fires("child", age: 18))
    #expect(!fires("child", age: 15) {
      $0.consent.guardianConsent = true
      $0.consent.assent = true
      $0.practitioner.paediatric = true
    })
  }

  @Test func childRulesFollowTheJurisdictionsAgeOfConsent() {
    func fired(_ age: Int, _ jurisdiction: String?) -> Set<String> {
      let evaluator = Evaluator(guidance: Bundled.guidance, jurisdiction: jurisdiction)
      return Set(evaluator.expected(for: Synthetic.scenario(age: age)).factRules.map(\.id))
    }
    #expect(fired(17, nil).contains("child"))
    #expect(fired(17, "age-18").contains("child"))
    #expect(!fired(17, "age-16").contains("child"))
    #expect(!fired(16, "age-16").contains("child"))
    #expect(fired(15, "age-16").contains("child"))
  }

  @Test func aReportRecordedBeforeProfilesReadsAsTheDefaults() throws {
    let report = Evaluator(guidance: Bundled.guidance, jurisdiction: "age-16", practitionerLevel: "advanced")
      .grade(Plan(scenario: "synthetic", decision: .defer), for: Synthetic.scenario())
    #expect(report.jurisdiction == "age-16" && report.practitionerLevel == "advanced")
    var object = try #require(try JSONSerialization.jsonObject(with: Data(report.jsonUTF8(pretty: false))) as? [String: Any])
    object["jurisdiction"] = nil
    object["practitionerLevel"] = nil
    let old = try JSONDecoder().decode(Report.self, from: JSONSerialization.data(withJSONObject: object))
    #expect(old.jurisdiction == "age-18" && old.practitionerLevel == "entry")
  }

  @Test func pregnancyTrimesterBoundary() {
    #expect(fires("pregnancy-first-trimester", sex: "female") { $0.pregnancyWeeks = 13 })
    #expect(!fires("pregnancy-first-trimester", sex: "female") { $0.pregnancyWeeks = 14 })
    #expect(fires("pregnancy-later", sex: "female") { $0.pregnancyWeeks = 14 })
    #expect(!fires("pregnancy-later", sex: "female") { $0.pregnancyWeeks = 13 })
    #expect(!fires("pregnancy-later", sex: "female"))
  }

  @Test func sideLyingFromTwentyWeeks() {
    #expect(!fires("pregnancy-side-lying", sex: "female") { $0.pregnancyWeeks = 19 })
    #expect(fires("pregnancy-side-lying", sex: "female") { $0.pregnancyWeeks = 20 })
    #expect(!fires("pregnancy-side-lying", sex: "female"))
  }

  @Test func pregnancyScreeningBand() {
    #expect(fires("screening-pregnancy", age: 12, sex: "female"))
    #expect(fires("screening-pregnancy", age: 55, sex: "female"))
    #expect(!fires("screening-pregnancy", age: 56, sex: "female"))
    #expect(!fires("screening-pregnancy", age: 11, sex: "female"))
    #expect(!fires("screening-pregnancy", age: 30, sex: "male"))
  }

  @Test func hoursSinceMealThreshold() {
    #expect(!fires("hungry-dehydrated-exhausted") { $0.hoursSinceMeal = 6 })
    #expect(fires("hungry-dehydrated-exhausted") { $0.hoursSinceMeal = 6.5 })
    #expect(!fires("hungry-dehydrated-exhausted"))
    let insulin = Medication(name: "Insulin", drugClass: "insulin", dose: nil)
    #expect(fires("diabetic-not-eaten") {
      $0.hoursSinceMeal = 8
      $0.medications = [insulin]
    })
    #expect(fires("diabetic-not-eaten") {
      $0.hoursSinceMeal = 8
      $0.medications = [Medication(name: "Gliclazide", drugClass: "sulfonylurea", dose: nil)]
    })
    #expect(!fires("diabetic-not-eaten") {
      $0.hoursSinceMeal = 6
      $0.medications = [insulin]
    })
    // Diet-controlled diabetes, or metformin alone, does not carry the risk of a low.
    #expect(!fires("diabetic-not-eaten") {
      $0.hoursSinceMeal = 8
      $0.conditions = [LocalFact(code: "diabetes")]
      $0.medications = [Medication(name: "Metformin", drugClass: "oral-hypoglycaemic", dose: nil)]
    })
  }

  @Test(arguments: ["none", "mild"]) func calmPatientsAreNotAnxious(level: String) {
    #expect(!fires("anxious-patient") { $0.anxiety = level })
  }

  @Test(arguments: ["moderate", "severe"]) func anxiousPatients(level: String) {
    #expect(fires("anxious-patient") { $0.anxiety = level })
  }

  @Test func needleFearVersusPhobia() {
    #expect(fires("anxious-patient") { $0.needleFear = "moderate" })
    #expect(!fires("needle-phobia") { $0.needleFear = "moderate" })
    #expect(fires("needle-phobia") { $0.needleFear = "phobia" })
  }

  @Test func bleedingRulesFireOnMedicationClass() {
    let anticoagulated: (inout PatientFacts) -> Void = {
      $0.medications = [Medication(name: "Apixaban", drugClass: "anticoagulant", dose: nil)]
    }
    #expect(fires("anticoagulant-non-compressible", anticoagulated))
    #expect(fires("bleeding-risk-precautions", anticoagulated))
    #expect(!fires("anticoagulant-non-compressible") {
      $0.medications = [Medication(name: "Paracetamol", drugClass: "analgesic", dose: nil)]
    })
  }

  @Test func firstTreatmentFiresOnlyWithoutPreviousNeedling() {
    #expect(fires("first-treatment") { $0.previousNeedling = false })
    #expect(!fires("first-treatment"))
  }

  @Test func consentAndCapacity() {
    #expect(fires("consent-refused") { $0.consent.willing = false })
    #expect(!fires("consent-refused"))
    #expect(fires("no-capacity") { $0.consent.capacity = "impaired" })
    #expect(!fires("no-capacity") {
      $0.consent.capacity = "impaired"
      $0.consent.guardianConsent = true
    })
    #expect(fires("interpreter-needed") { $0.consent.interpreterNeeded = true })
    #expect(!fires("interpreter-needed") {
      $0.consent.interpreterNeeded = true
      $0.consent.interpreterAvailable = true
    })
  }

  @Test func redFlagsFireOnAnyFlag() {
    #expect(fires("red-flags") { $0.redFlags = ["night-pain"] })
    #expect(!fires("red-flags"))
  }

  @Test func disputedRuleDiffersByPolicy() {
    let scenario = Synthetic.scenario(sex: "female") { $0.pregnancyWeeks = 9 }
    let conservative = Evaluator(guidance: Bundled.guidance, policy: "conservative").expected(for: scenario)
    let liberal = Evaluator(guidance: Bundled.guidance, policy: "liberal").expected(for: scenario)
    #expect(!conservative.decision.allowed.contains(.needle))
    #expect(liberal.decision.allowed.contains(.needle))
    #expect(conservative.decision.governing?.disputed?.id == "D-01")
  }
}

/// Sites that rules forbid, judged through the chosen side and region.
@Suite("Site rules")
struct SiteRuleTests {
  // Advanced level, so deep sites (psoas) are judged by the rule under test, not by the advanced-site rule.
  let evaluator = Evaluator(guidance: Bundled.guidance, practitionerLevel: "advanced")

  func forbidden(_ scenario: Case, _ site: String, _ side: Side?) -> String? {
    guard let found = Bundled.guidance.catalog.site(site) else { return "no such site" }
    return evaluator.expected(for: scenario).forbiddingRule(found, side: side, facts: scenario.facts)?.id
  }

  @Test func lymphoedemaForbidsOnlyTheAffectedLimb() {
    let scenario = Synthetic.scenario {
      $0.conditions = [LocalFact(code: "lymphoedema", side: .left, regions: ["upper-limb"])]
    }
    #expect(forbidden(scenario, "wrist-extensors", .left) == "lymphoedema-limb")
    #expect(forbidden(scenario, "wrist-extensors", .right) == nil)
    #expect(forbidden(scenario, "gastrocnemius", .left) == nil)
  }

  @Test func antiplateletAloneAsksForCareAtNonCompressibleSites() {
    let scenario = Synthetic.scenario {
      $0.medications = [Medication(name: "Clopidogrel", drugClass: "antiplatelet", dose: nil)]
    }
    #expect(forbidden(scenario, "psoas", .right) == nil)
    let psoas = Bundled.guidance.catalog.site("psoas")!
    #expect(evaluator.expected(for: scenario).cautionRule(psoas, side: .right, facts: scenario.facts)?.id
      == "antiplatelet-non-compressible")
    let both = Synthetic.scenario {
      $0.medications = [Medication(name: "Clopidogrel", drugClass: "antiplatelet", dose: nil),
                        Medication(name: "Warfarin", drugClass: "anticoagulant", dose: nil)]
    }
    #expect(forbidden(both, "psoas", .right) == "anticoagulant-non-compressible")
  }

  @Test func anticoagulationForbidsNonCompressibleSites() {
    let scenario = Synthetic.scenario {
      $0.medications = [Medication(name: "Warfarin", drugClass: "anticoagulant", dose: nil)]
    }
    #expect(forbidden(scenario, "psoas", .right) == "anticoagulant-non-compressible")
    #expect(forbidden(scenario, "tibialis-posterior", .left) == "anticoagulant-non-compressible")
    #expect(forbidden(scenario, "gluteus-medius", .left) == nil)
  }

  @Test func trainingScopeLimitsRegions() {
    let scenario = Synthetic.scenario { $0.practitioner.trainedRegions = ["lumbar", "lower-limb"] }
    #expect(forbidden(scenario, "suboccipitals", .left) == "outside-training-scope")
    #expect(forbidden(scenario, "gastrocnemius", .left) == nil)
  }

  @Test func pregnancyForbidsCautionSitesFromTheSecondTrimester() {
    let scenario = Synthetic.scenario(sex: "female") { $0.pregnancyWeeks = 24 }
    #expect(forbidden(scenario, "lumbar-multifidus", .left) == "pregnancy-later")
    #expect(forbidden(scenario, "gluteus-medius", .left) == nil)
  }

  @Test func lymphoedemaAndNodeRemovalCoverTheLimbAndItsQuadrant() {
    let arm = Synthetic.scenario {
      $0.conditions = [LocalFact(code: "lymphoedema", side: .left, regions: ["upper-limb"])]
    }
    for site in ["infraspinatus", "pectoralis-major", "rhomboids"] {
      #expect(forbidden(arm, site, .left) == "lymphoedema-limb", "\(site)")
      #expect(forbidden(arm, site, .right) == nil, "\(site)")
    }
    #expect(forbidden(arm, "gluteus-medius", .left) == nil)
    #expect(forbidden(arm, "cervical-multifidus", .left) == nil)
    let leg = Synthetic.scenario {
      $0.conditions = [LocalFact(code: "lymph-node-removal", side: .right, regions: ["lower-limb"])]
    }
    for site in ["gastrocnemius", "piriformis", "quadratus-lumborum"] {
      #expect(forbidden(leg, site, .right) == "at-risk-limb", "\(site)")
      #expect(forbidden(leg, site, .left) == nil, "\(site)")
    }
    #expect(forbidden(leg, "infraspinatus", .right) == nil)
  }

  @Test func recentSurgeryIsJudgedByHowNearTheSitesAre() {
    let knee = Synthetic.scenario(candidates: [SiteChoice(site: "upper-trapezius", side: .left)]) {
      $0.conditions = [LocalFact(code: "recent-surgery", side: .left, areas: ["knee"])]
    }
    #expect(forbidden(knee, "popliteus", .left) == "recent-surgery")
    #expect(forbidden(knee, "popliteus", .right) == nil)
    // Far from the operation, nothing stops needling today and deferring would withhold care.
    #expect(evaluator.expected(for: knee).decision.allowed == [.needle])
    let nearby = Synthetic.scenario(candidates: [SiteChoice(site: "popliteus", side: .left)]) {
      $0.conditions = [LocalFact(code: "recent-surgery", side: .left, areas: ["knee"])]
    }
    #expect(evaluator.expected(for: nearby).decision.preferred == .defer)
  }

  @Test func sitesOverTheSacrumAndPsoasGetPregnancyCaution() {
    let later = Synthetic.scenario(sex: "female") { $0.pregnancyWeeks = 16 }
    for site in ["piriformis", "gluteus-maximus", "psoas", "lumbar-multifidus"] {
      #expect(forbidden(later, site, .left) == "pregnancy-later", "\(site)")
    }
    // The peroneals' pregnancy caution rests on one low-authority page: not scored.
    #expect(forbidden(later, "fibularis", .left) == nil)
    let early = Synthetic.scenario(sex: "female") { $0.pregnancyWeeks = 13 }
    #expect(forbidden(early, "piriformis", .left) != "pregnancy-later")
  }

  @Test func severeHyperalgesiaForbidsDeepSitesInTheSensitiveArea() {
    let scenario = Synthetic.scenario {
      $0.conditions = [LocalFact(code: "severe-hyperalgesia", side: .left, regions: ["buttock"])]
    }
    #expect(forbidden(scenario, "piriformis", .left) == "severe-hyperalgesia")
    #expect(forbidden(scenario, "gluteus-minimus", .left) == "severe-hyperalgesia")
    #expect(forbidden(scenario, "gluteus-maximus", .left) == nil)
    #expect(forbidden(scenario, "piriformis", .right) == nil)
  }

  @Test func clearedCancerKeepsAsepsisMajorAndTheTumourAreaAsExpertConsensus() {
    let scenario = Synthetic.scenario {
      $0.conditions = [LocalFact(code: "cancer-cleared", side: .right, areas: ["breast"])]
    }
    let rules = evaluator.expected(for: scenario).factRules
    #expect(rules.first { $0.id == "cancer-cleared" }?.severity == .major)
    #expect(rules.first { $0.id == "cancer-cleared-area" }?.severity == .minor)
    #expect(forbidden(scenario, "pectoralis-major", .right) == "cancer-cleared-area")
  }

  @Test func bothSidesOfTheThoraxIsCritical() {
    let scenario = Synthetic.scenario()
    let plan = Plan(
      scenario: "synthetic", screening: [], decision: .needle, precautions: ["informed-consent"],
      sites: [SiteChoice(site: "upper-trapezius", side: .left), SiteChoice(site: "upper-trapezius", side: .right)])
    let report = evaluator.grade(plan, for: scenario)
    #expect(report.criticalFailures.contains { $0.rule == "bilateral-thorax" && $0.subject == "upper-trapezius right" })
  }
}

/// The decision options the rules leave, and what each choice costs.
@Suite("Decision options")
struct DecisionOptionTests {
  let evaluator = Evaluator(guidance: Bundled.guidance)

  func decisionItem(_ scenario: Case, _ decision: Decision, referTo: String? = nil) -> ReportItem? {
    let plan = Plan(scenario: "synthetic", decision: decision, referTo: referTo)
    return evaluator.grade(plan, for: scenario).items.first { $0.kind == .decision }
  }

  /// A lymphoedematous left arm with the problem in the left forearm.
  var lymphoedemaScenario: Case {
    Synthetic.scenario(candidates: [SiteChoice(site: "wrist-extensors", side: .left)]) {
      $0.conditions = [LocalFact(code: "lymphoedema", side: .left, regions: ["upper-limb"])]
    }
  }

  @Test func aRuleThatForbidsTheCandidateSiteLeavesDeferringAndDecliningOpen() {
    let scenario = Synthetic.scenario(
      candidates: [SiteChoice(site: "wrist-extensors", side: .left), SiteChoice(site: "gastrocnemius", side: .left)]
    ) { $0.conditions = [LocalFact(code: "lymphoedema", side: .left, regions: ["upper-limb"])] }
    let decision = evaluator.expected(for: scenario).decision
    #expect(decision.allowed == [.needle, .defer, .decline])
    #expect(decision.preferred == .needle)
    #expect(decisionItem(scenario, .defer)?.verdict == .correct)
    #expect(decisionItem(scenario, .defer)?.points == decisionItem(scenario, .defer)?.maxPoints)
  }

  @Test func aUniversalSiteRuleThatForbidsNoCandidateLeavesOnlyNeedling() {
    // The training-scope rule applies to everyone but forbids none of this patient's sites.
    let decision = evaluator.expected(for: Synthetic.scenario()).decision
    #expect(decision.allowed == [.needle])
  }

  @Test func whenEveryCandidateSiteIsForbiddenTheExpectedDecisionIsDefer() {
    let expected = evaluator.expected(for: lymphoedemaScenario)
    #expect(!expected.decision.allowed.contains(.needle))
    #expect(expected.decision.preferred == .defer)
    #expect(expected.decision.governing?.id == "lymphoedema-limb")
    #expect(evaluator.modelPlan(for: lymphoedemaScenario).plan.decision == .defer)
    #expect(decisionItem(lymphoedemaScenario, .defer)?.verdict == .correct)
    // Needling regardless is an error of the site rule's making, not a critical decision error.
    let needle = decisionItem(lymphoedemaScenario, .needle)
    #expect(needle?.verdict == .unsafe)
    #expect(needle?.severity == .major)
  }

  @Test func redFlagsWinOverOtherReasonsNotToNeedle() {
    let scenario = Synthetic.scenario {
      $0.needleFear = "phobia"
      $0.redFlags = ["night-pain"]
    }
    let decision = evaluator.expected(for: scenario).decision
    #expect(decision.allowed == [.refer])
    #expect(decision.preferred == .refer)
    #expect(decision.referTo.contains("gp"))
    #expect(decisionItem(scenario, .decline)?.verdict == .missed)
    #expect(decisionItem(scenario, .refer, referTo: "gp")?.verdict == .correct)
  }

  @Test func aChildMayBeDeclined() {
    let scenario = Synthetic.scenario(age: 15)
    #expect(evaluator.expected(for: scenario).decision.allowed.contains(.decline))
    #expect(decisionItem(scenario, .decline)?.verdict == .correct)
  }

  @Test func refusingAHealthyWillingPatientCostsTheMajorWeightAndIsNeverCritical() {
    let item = decisionItem(Synthetic.scenario(), .decline)
    #expect(item?.verdict == .unnecessary)
    #expect(item?.severity == .major)
    #expect((item?.maxPoints ?? 0) - (item?.points ?? 0) == Bundled.guidance.config.weight(.major))
  }
}

/// Screening every patient, and consent and safety-netting at the thorax and the spine.
@Suite("Screening and site consent")
struct ScreeningAndSiteConsentTests {
  let evaluator = Evaluator(guidance: Bundled.guidance, practitionerLevel: "advanced")

  @Test func everyPatientIsScreenedForRedFlagsBleedingHealthSurgeryAndSkin() {
    let expected = evaluator.expected(for: Synthetic.scenario())
    let topics = Dictionary(uniqueKeysWithValues: expected.screening.map { ($0.topic, $0.why) })
    for topic in ["red-flags", "bleeding", "general-health", "surgery-implants", "skin"] {
      #expect(topics[topic]?.severity == .major, "\(topic)")
    }
  }

  func required(_ site: String, _ side: Side?) -> [String: Severity] {
    let plan = Plan(scenario: "synthetic", decision: .needle, sites: [SiteChoice(site: site, side: side)])
    let report = evaluator.grade(plan, for: Synthetic.scenario())
    return Dictionary(
      report.items.filter { $0.kind == .precaution }.map { ($0.subject, $0.severity) }, uniquingKeysWith: max)
  }

  @Test func aThoracicSiteMakesPneumothoraxConsentAndSafetyNettingCritical() {
    let thoracic = required("rhomboids", .left)
    #expect(thoracic["consent-specific-risks"] == .critical)
    #expect(thoracic["safety-net-pneumothorax"] == .critical)
    let limb = required("gastrocnemius", .left)
    #expect(limb["safety-net-pneumothorax"] == nil)
  }

  @Test func aSiteOverTheNeuraxisNeedsSpinalSafetyNetting() {
    #expect(required("suboccipitals", .left)["safety-net-spinal"] == .major)
    #expect(required("gastrocnemius", .left)["safety-net-spinal"] == nil)
  }
}

/// Rules that rest only on low-authority sources are expert consensus at most.
@Suite("Expert consensus")
struct ExpertConsensusTests {
  @Test func rulesOnLowAuthoritySourcesAloneAreScoredAtMostMinor() throws {
    let guidance = Bundled.guidance
    let consensus = guidance.rules.filter { guidance.isExpertConsensus($0) && !$0.advisory }
    #expect(Set(consensus.map(\.id)).isSuperset(of: ["breast-implant", "child-with-consent"]))
    let evaluator = Evaluator(guidance: guidance)
    for rule in evaluator.rules where guidance.isExpertConsensus(rule) {
      #expect(rule.severity == .minor, "\(rule.id)")
    }
    #expect(!guidance.isExpertConsensus(try #require(guidance.rule("informed-consent"))))
  }
}

/// A minimal dose is a number of sites, not a checkbox.
@Suite("Dose")
struct DoseTests {
  let evaluator = Evaluator(guidance: Bundled.guidance)
  let candidates = ["gastrocnemius", "soleus", "tibialis-anterior", "fibularis"].map { SiteChoice(site: $0, side: .left) }

  func firstTimer(_ candidates: [SiteChoice]) -> Case {
    Synthetic.scenario(candidates: candidates) { $0.previousNeedling = false }
  }

  @Test func moreSitesThanAMinimalDoseAllowsIsAMajorError() {
    let most = Bundled.guidance.config.minimalDoseSites
    #expect(most == 2)
    let scenario = firstTimer(candidates)
    for count in [most, most + 1] {
      var plan = evaluator.modelPlan(for: scenario).plan
      plan.sites = Array(candidates.prefix(count))
      let dose = evaluator.grade(plan, for: scenario).items.first { $0.subject.hasPrefix("dose:") }
      if count > most {
        #expect(dose?.verdict == .unsafe)
        #expect(dose?.severity == .major)
      } else {
        #expect(dose == nil)
      }
    }
    // A returning patient with no reason for a minimal dose may have more.
    var plan = evaluator.modelPlan(for: Synthetic.scenario(candidates: candidates)).plan
    plan.sites = candidates
    #expect(!evaluator.grade(plan, for: Synthetic.scenario(candidates: candidates)).items.contains { $0.subject.hasPrefix("dose:") })
  }

  @Test func theModelPlanNeedlesTheFewestLowestHazardSites() {
    let model = evaluator.modelPlan(for: firstTimer(candidates))
    #expect(model.plan.sites.count == 2)
    #expect(model.excludedSites.count == 2)
    #expect(evaluator.grade(model.plan, for: firstTimer(candidates)).scorePercent == 100)
  }
}

/// Red flags carry an urgency and the services that fit; the most urgent flag present decides the referral.
@Suite("Red-flag triage")
struct RedFlagTriageTests {
  let evaluator = Evaluator(guidance: Bundled.guidance)

  /// Hand-written from the sources behind each flag (reference RC-20 and the added guidelines A2–A9), not read from
  /// the vocabulary: what a tutor expects for each flag.
  static let expectations: [(flag: String, urgency: Urgency, targets: Set<String>)] = [
    ("unexplained-weight-loss", .urgent, ["gp"]),
    ("night-pain", .urgent, ["gp"]),
    ("fever", .sameDay, ["gp"]),
    ("progressive-neurological-deficit", .emergency, ["emergency"]),
    ("saddle-anaesthesia", .emergency, ["emergency"]),
    ("visceral-pattern", .urgent, ["gp"]),
    ("history-of-cancer", .urgent, ["gp", "oncology"]),
    ("exertional-chest-pain", .emergency, ["emergency"]),
    ("unexplained-myalgia", .urgent, ["gp"]),
    ("deep-vein-thrombosis-signs", .sameDay, ["gp", "emergency"]),
    ("cervical-arterial-dysfunction", .emergency, ["emergency"]),
    ("possible-fracture", .sameDay, ["gp", "emergency"]),
    ("thunderclap-headache", .emergency, ["emergency"]),
    ("neutropenic-fever", .emergency, ["emergency", "oncology"]),
  ]

  func referral(_ scenario: Case, to target: String) -> ReportItem? {
    evaluator.grade(Plan(scenario: "synthetic", decision: .refer, referTo: target), for: scenario).items
      .first { $0.kind == .decision && $0.subject.hasPrefix("refer to") }
  }

  @Test func everyFlagIsCovered() {
    #expect(Set(Self.expectations.map(\.flag)) == Set(Bundled.guidance.catalog.vocabulary.redFlags.ids))
  }

  @Test(arguments: expectations.indices) func eachFlagRefersAsUrgentlyAsItDemands(index: Int) {
    let (flag, urgency, targets) = Self.expectations[index]
    let scenario = Synthetic.scenario { $0.redFlags = [flag] }
    let decision = evaluator.expected(for: scenario).decision
    #expect(decision.allowed == [.refer], "\(flag)")
    #expect(decision.triage?.urgency == urgency, "\(flag)")
    #expect(Set(decision.referTo) == targets, "\(flag)")
    for target in Bundled.guidance.catalog.vocabulary.referralTargets.ids {
      let item = referral(scenario, to: target)
      #expect(item?.verdict == (targets.contains(target) ? .correct : .missed), "\(flag) → \(target)")
      // The wrong service for an emergency delays emergency care: a critical error; elsewhere a minor one.
      #expect(item?.severity == (urgency == .emergency ? .critical : .minor), "\(flag) → \(target)")
      #expect(item?.explanation.contains(urgency.phrase) == true, "\(flag)")
    }
  }

  @Test func theMostUrgentFlagDecides() {
    let scenario = Synthetic.scenario { $0.redFlags = ["unexplained-weight-loss", "saddle-anaesthesia"] }
    let decision = evaluator.expected(for: scenario).decision
    #expect(decision.triage?.flags == ["saddle-anaesthesia"])
    #expect(decision.referTo == ["emergency"])
    #expect(referral(scenario, to: "gp")?.verdict == .missed)
    #expect(evaluator.modelPlan(for: scenario).plan.referTo == "emergency")
  }

  @Test func anEmergencyFlagNarrowsAnotherRulesTargets() {
    // The acute-medical-condition rule accepts the GP; exertional chest pain makes it an emergency.
    let scenario = Synthetic.scenario {
      $0.conditions = [LocalFact(code: "acute-medical-condition")]
      $0.redFlags = ["exertional-chest-pain"]
    }
    #expect(evaluator.expected(for: scenario).decision.referTo == ["emergency"])
    let alone = Synthetic.scenario { $0.conditions = [LocalFact(code: "acute-medical-condition")] }
    #expect(evaluator.expected(for: alone).decision.referTo == ["emergency", "gp"])
  }

  @Test func aWrongServiceForAnEmergencyFailsTheAttempt() {
    let scenario = Synthetic.scenario { $0.redFlags = ["thunderclap-headache"] }
    let item = referral(scenario, to: "gp")
    #expect(item?.maxPoints == Bundled.guidance.config.weight(.critical))
    let report = evaluator.grade(Plan(scenario: "synthetic", decision: .refer, referTo: "gp"), for: scenario)
    #expect(!report.passed && report.criticalFailures.contains { $0.subject == "refer to gp" })
    #expect(item?.points == 0)
    #expect(item?.sources.contains("A6") == true)
  }
}

/// The practitioner level: the profile's, unless the case sets its own; rules can test it.
@Suite("Practitioner level")
struct PractitionerLevelTests {
  @Test func rulesSeeTheProfilesLevelUnlessTheCaseSetsOne() throws {
    let scratch = try ScratchGuidance()
    defer { scratch.remove() }
    try scratch.addRules("level.yaml", """
      rules:
        - id: entry-level-note
          title: Entry level
          refs: [PR-01]
          sources: ["7a"]
          severity: minor
          when:
            practitioner: {level: entry}
          expect:
            precautions:
              required: [confirm-scope]
          explanation: Test rule.
      """)
    let (loaded, diagnostics) = GuidanceLoader.load(directory: scratch.folder)
    let guidance = try #require(loaded, "\(diagnostics)")
    func fires(_ level: String?, caseLevel: String? = nil) -> Bool {
      let scenario = Synthetic.scenario { $0.practitioner.level = caseLevel }
      return Evaluator(guidance: guidance, practitionerLevel: level).expected(for: scenario).factRules
        .contains { $0.id == "entry-level-note" }
    }
    #expect(fires(nil))
    #expect(fires("entry"))
    #expect(!fires("advanced"))
    #expect(!fires("entry", caseLevel: "advanced"))
    #expect(fires("advanced", caseLevel: "entry"))
  }
}


/// The codes added for the anatomy and content audit, each at its boundary.
@Suite("New vocabulary rules")
struct NewVocabularyRuleTests {
  let evaluator = Evaluator(guidance: Bundled.guidance)

  func expected(_ configure: (inout PatientFacts) -> Void) -> Expected {
    evaluator.expected(for: Synthetic.scenario(configure))
  }
  func fired(_ configure: (inout PatientFacts) -> Void) -> Set<String> { Set(expected(configure).factRules.map(\.id)) }
  func forbidden(_ site: String, _ side: Side?, _ configure: (inout PatientFacts) -> Void) -> String? {
    let scenario = Synthetic.scenario(configure)
    let found = Bundled.guidance.catalog.site(site)!
    return evaluator.expected(for: scenario).forbiddingRule(found, side: side, facts: evaluator.facts(of: scenario))?.id
  }

  @Test func neutropeniaDefersAndAsksTheOncologyTeam() {
    let decision = expected { $0.conditions = [LocalFact(code: "neutropenia")] }.decision
    #expect(decision.preferred == .defer)
    #expect(!decision.allowed.contains(.needle))
    #expect(decision.referTo == ["oncology"])
    #expect(!fired { _ in }.contains("neutropenia"))
  }

  @Test func aDiagnosedClotKeepsNeedlesOutOfThatLimb() {
    let clot: (inout PatientFacts) -> Void = {
      $0.conditions = [LocalFact(code: "deep-vein-thrombosis", side: .left, regions: ["lower-limb"])]
    }
    #expect(forbidden("gastrocnemius", .left, clot) == "deep-vein-thrombosis")
    #expect(forbidden("gastrocnemius", .right, clot) == nil)
  }

  @Test func recentImmobilisationAsksForADVTScreen() {
    let rules = expected { $0.conditions = [LocalFact(code: "recent-immobilisation")] }
    #expect(rules.required.contains { $0.id == "dvt-screen" })
    #expect(!expected { _ in }.required.contains { $0.id == "dvt-screen" })
  }

  @Test func aDialysisFistulaArmIsNeverNeedled() {
    let fistula: (inout PatientFacts) -> Void = {
      $0.conditions = [LocalFact(code: "dialysis-fistula", side: .right, regions: ["upper-limb"])]
    }
    #expect(forbidden("wrist-extensors", .right, fistula) == "dialysis-fistula")
    #expect(forbidden("wrist-extensors", .left, fistula) == nil)
    #expect(Bundled.guidance.rule("dialysis-fistula")?.severity == .critical)
  }

  @Test func obesityAsksForNeedleLengthAndAnExamination() {
    let rules = expected { $0.conditions = [LocalFact(code: "obesity")] }
    #expect(rules.factRules.first { $0.id == "obesity" }?.expect.technique == [.stated])
    #expect(rules.screening.contains { $0.topic == "examination" })
  }

  @Test func noNeedlingWhereThePatientCannotFeel() {
    let numb: (inout PatientFacts) -> Void = {
      $0.conditions = [LocalFact(code: "sensory-loss", side: .left, areas: ["ankle-foot", "calf"])]
    }
    #expect(forbidden("tibialis-anterior", .left, numb) == "sensory-loss")
    #expect(forbidden("vastus-lateralis", .left, numb) == nil)
  }

  @Test func acutePsychosisDefers() {
    let decision = expected { $0.conditions = [LocalFact(code: "severe-mental-illness")] }.decision
    #expect(decision.preferred == .defer && !decision.allowed.contains(.needle))
    #expect(decision.referTo.contains("mental-health"))
  }

  @Test(arguments: ["chlorhexidine", "alcohol", "adhesive"]) func skinPreparationAllergies(kind: String) {
    let required = expected { $0.allergies = [Allergy(kind: kind, reaction: nil)] }.required
    let why = required.first { $0.id == "allergy-free-products" }?.why
    // Chlorhexidine has caused anaphylaxis: leaving it in the plan fails; alcohol and adhesive cost the major weight.
    #expect(why?.severity == (kind == "chlorhexidine" ? .critical : .major))
  }

  @Test func longTermSteroidsCountAsCompromisedImmunity() {
    #expect(fired { $0.medications = [Medication(name: "Prednisolone", drugClass: "corticosteroid", dose: nil)] }
      .contains("immunocompromised"))
  }

  @Test func hypermobilityIsExpertConsensusAtMinor() {
    let rule = expected { $0.conditions = [LocalFact(code: "hypermobility")] }.factRules.first { $0.id == "hypermobility" }
    #expect(rule?.severity == .minor)
    #expect(Bundled.guidance.isExpertConsensus(rule!))
  }

  @Test func possiblyPregnantAvoidsPregnancyCautionSites() {
    let maybe: (inout PatientFacts) -> Void = { $0.conditions = [LocalFact(code: "possibly-pregnant")] }
    #expect(forbidden("lumbar-multifidus", .left, maybe) == "possibly-pregnant")
    #expect(forbidden("gluteus-medius", .left, maybe) == nil)
  }

  @Test func cancerOfUnknownStatusIsReferredFirst() {
    let decision = expected {
      $0.conditions = [LocalFact(code: "cancer-status-unknown", side: .left, areas: ["breast"])]
    }.decision
    #expect(decision.preferred == .refer && decision.referTo.contains("oncology"))
    #expect(decision.allowed.contains(.defer) && !decision.allowed.contains(.needle))
  }

  @Test func aFreshJointReplacementIsAvoided() {
    let knee: (inout PatientFacts) -> Void = {
      $0.conditions = [LocalFact(code: "recent-joint-replacement", side: .right, areas: ["knee"])]
    }
    #expect(forbidden("popliteus", .right, knee) == "recent-joint-replacement")
    #expect(forbidden("popliteus", .left, knee) == nil)
    #expect(expected(knee).required.contains { $0.id == "enhanced-asepsis" })
  }
}


/// A rule that cautions every candidate site leaves the cautious decisions open too (RC-18: avoid the thorax, or
/// needle it with precautions).
@Suite("Cautioned candidates")
struct CautionedCandidateTests {
  @Test func scoliosisWithOnlyThoracicCandidatesAllowsDeclining() {
    let evaluator = Evaluator(guidance: Bundled.guidance)
    let thoracic = Synthetic.scenario(candidates: [SiteChoice(site: "rhomboids", side: .right)]) {
      $0.conditions = [LocalFact(code: "scoliosis")]
    }
    #expect(evaluator.expected(for: thoracic).decision.allowed == [.needle, .defer, .decline])
    #expect(evaluator.expected(for: thoracic).decision.preferred == .needle)
    let elsewhere = Synthetic.scenario(
      candidates: [SiteChoice(site: "rhomboids", side: .right), SiteChoice(site: "gluteus-medius", side: .right)]
    ) { $0.conditions = [LocalFact(code: "scoliosis")] }
    #expect(evaluator.expected(for: elsewhere).decision.allowed == [.needle])
  }
}


/// Sites that entry-level training excludes.
@Suite("Advanced sites")
struct AdvancedSiteTests {
  @Test func anEntryLevelPractitionerMayNotNeedleAnAdvancedSite() {
    let scenario = Synthetic.scenario(candidates: [SiteChoice(site: "scalenes", side: .right)])
    let plan = Plan(scenario: "synthetic", decision: .needle, sites: [SiteChoice(site: "scalenes", side: .right)])
    let entry = Evaluator(guidance: Bundled.guidance).grade(plan, for: scenario)
    let item = entry.items.first { $0.kind == .site && $0.subject == "scalenes right" }
    #expect(item?.verdict == .unsafe && item?.severity == .major && item?.rule == "advanced-site")
    let advanced = Evaluator(guidance: Bundled.guidance, practitionerLevel: "advanced").grade(plan, for: scenario)
    #expect(advanced.items.first { $0.kind == .site && $0.subject == "scalenes right" }?.verdict == .correct)
    // A case that sets its practitioner's level wins over the run's.
    let own = Synthetic.scenario(candidates: [SiteChoice(site: "scalenes", side: .right)]) {
      $0.practitioner.level = "advanced"
    }
    #expect(Evaluator(guidance: Bundled.guidance).grade(plan, for: own).items
      .first { $0.kind == .site && $0.subject == "scalenes right" }?.verdict == .correct)
  }
}

/// One side of the thorax per session: a midline site counts as both sides; quadratus lumborum overlies the pleura.
@Suite("Thorax sides")
struct ThoraxSideTests {
  let evaluator = Evaluator(guidance: Bundled.guidance)

  func unsafeSites(_ sites: [SiteChoice]) -> [String] {
    let plan = Plan(scenario: "synthetic", decision: .needle, sites: sites)
    return evaluator.grade(plan, for: Synthetic.scenario(candidates: sites)).items
      .filter { $0.kind == .site && $0.verdict == .unsafe }.map(\.subject)
  }

  @Test func aThoracicSiteWithoutASideCountsAsBothSides() {
    // No bundled thoracic site is unsided today; a plan can still leave the side out.
    #expect(unsafeSites([SiteChoice(site: "middle-trapezius", side: nil), SiteChoice(site: "rhomboids", side: .left)])
      == ["rhomboids left"])
    #expect(unsafeSites([SiteChoice(site: "rhomboids", side: .left), SiteChoice(site: "middle-trapezius", side: .left)])
      .isEmpty)
  }

  @Test func quadratusLumborumCountsAsThoracic() throws {
    let site = try #require(Bundled.guidance.catalog.site("quadratus-lumborum"))
    #expect(site.thorax && site.hazards.contains("lung"))
    #expect(unsafeSites([SiteChoice(site: "quadratus-lumborum", side: .right),
                         SiteChoice(site: "rhomboids", side: .left)]) == ["rhomboids left"])
  }
}


/// Examining build and alignment (PR-05) before thoracic, paraspinal and lumbar sites, and the build it gives.
@Suite("Examination")
struct ExaminationTests {
  let evaluator = Evaluator(guidance: Bundled.guidance)

  func screeningItem(_ site: SiteChoice, examined: Bool) -> ReportItem? {
    let plan = Plan(scenario: "synthetic", screening: examined ? ["examination"] : [], decision: .needle, sites: [site])
    return evaluator.grade(plan, for: Synthetic.scenario(candidates: [site])).items
      .first { $0.kind == .screening && $0.subject == "examination" }
  }

  @Test func thoracicAndLumbarSitesNeedAnExamination() {
    #expect(screeningItem(SiteChoice(site: "rhomboids", side: .left), examined: false)?.verdict == .missed)
    #expect(screeningItem(SiteChoice(site: "rhomboids", side: .left), examined: true)?.verdict == .correct)
    #expect(screeningItem(SiteChoice(site: "lumbar-multifidus", side: .left), examined: false)?.verdict == .missed)
    #expect(screeningItem(SiteChoice(site: "gastrocnemius", side: .left), examined: false) == nil)
  }

  @Test func buildFollowsTheWHOThresholds() {
    let config = Bundled.guidance.config
    #expect(config.build(of: Examination(heightCm: 170, weightKg: 53)) == .thin)  // BMI 18.3
    #expect(config.build(of: Examination(heightCm: 170, weightKg: 54)) == .average)  // BMI 18.7
    #expect(config.build(of: Examination(heightCm: 170, weightKg: 86.8)) == .obese)  // BMI 30.03
    #expect(config.build(of: Examination(heightCm: 170, weightKg: 86.4)) == .average)  // BMI 29.9
  }
}
