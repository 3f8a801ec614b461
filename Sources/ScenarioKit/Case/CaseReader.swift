import YAMLReading
import Foundation

/// Reads a case file into a ``Case``, checking every field and code, and reporting all problems at once.
public enum CaseReader {
  static let topKeys = [
    "id", "title", "version", "difficulty", "tags", "objectives", "patient", "presentation", "examination", "facts",
    "interview", "candidateSites", "unsafePlans", "events", "parameters", "constraints",
  ]
  static let factKeys = [
    "conditions", "medications", "allergies", "anxiety", "needleFear", "pregnancyWeeks", "skin", "consent",
    "redFlags", "hoursSinceMeal", "previousReactions", "previousNeedling", "practitioner",
  ]

  /// Loads the case file at `url`.
  public static func load(_ url: URL, catalog: Catalog) -> (Case?, [Diagnostic]) {
    let path = DisplayPath.of(url)
    let bag = DiagnosticBag(path: path)
    let (node, data) = YAMLFile.read(url, bag: bag, limits: .standard)
    guard let node else {
      if !bag.hasErrors { bag.error("the case file is empty", at: .start) }
      return (nil, bag.diagnostics)
    }
    let revision = "sha256:" + ContentHash.sha256(data)
    let loaded = read(node, bag: bag, catalog: catalog, path: path, revision: revision)
    if let loaded, url.deletingPathExtension().lastPathComponent != loaded.id {
      bag.warning("case id \"\(loaded.id)\" differs from the file name; name the file \(loaded.id).yaml", at: .start)
    }
    return (bag.hasErrors ? nil : loaded, bag.diagnostics)
  }

  /// Reads a case from a parsed document. A template (a case with `parameters`) is read as written, with each
  /// parameter's default; ``Case/variant(seed:)`` reads its other variants.
  public static func read(_ node: YNode, bag: DiagnosticBag, catalog: Catalog, path: String, revision: String)
    -> Case?
  {
    guard case .mapping(let pairs) = node.kind, let declared = pairs.first(where: { $0.key.scalar == "parameters" })
    else { return readCase(node, bag: bag, catalog: catalog, path: path, revision: revision) }
    let parameters = CaseParameter.readAll(declared.value, bag: bag)
    let constraints = pairs.first { $0.key.scalar == "constraints" }
      .map { VariantConstraint.readAll($0.value, parameters: parameters, bag: bag) } ?? []
    guard !bag.hasErrors else { return nil }
    let caseID = pairs.first { $0.key.scalar == "id" }?.value.scalar ?? ""
    let template = CaseTemplate(
      parameters: parameters, constraints: constraints, root: node, catalog: catalog, path: path, revision: revision,
      caseID: caseID)
    return template.read(seed: nil, bag: bag)
  }

  /// Reads a case whose placeholders, if any, are filled in.
  static func readCase(_ node: YNode, bag: DiagnosticBag, catalog: Catalog, path: String, revision: String)
    -> Case?
  {
    guard let map = MappingReader(node, bag: bag, context: "case", allowedKeys: topKeys) else { return nil }
    let vocabulary = catalog.vocabulary
    let id = map.string("id", required: true)
    if let id, !CatalogLoader.isCode(id.value) {
      bag.error("case id \"\(id.value)\" must be lower-case kebab-case (letters, digits, hyphens)", at: id.position)
    }
    let title = map.string("title", required: true)
    let version = map.int("version", required: true, range: 1...1_000_000)
    let difficulty = map.string("difficulty", required: true)
    if let difficulty, !Case.difficulties.contains(difficulty.value) {
      bag.error(
        "difficulty must be one of \(Case.difficulties.joined(separator: ", "))"
          + Suggestions.hint(for: difficulty.value, in: Case.difficulties), at: difficulty.position)
    }
    let tags = map.strings("tags")
    let objectives = map.strings("objectives", required: true)
    if map.value("objectives") != nil, objectives.isEmpty {
      bag.error("a case needs at least one learning objective", at: map.keyPosition("objectives") ?? node.position)
    }

    var patientName = ""
    var occupation = ""
    var facts = PatientFacts(age: 0, sex: "")
    if let patient = map.mapping(
      "patient", required: true, context: "patient", allowedKeys: ["name", "age", "sex", "occupation"])
    {
      patientName = patient.string("name", required: true)?.value ?? ""
      occupation = patient.string("occupation", required: true)?.value ?? ""
      facts.age = patient.int("age", required: true, range: 0...120)?.value ?? 0
      if let sex = patient.string("sex", required: true), vocabulary.sexes.check(sex, bag: bag) {
        facts.sex = sex.value
      }
    }
    var complaint = ""
    var history = ""
    if let presentation = map.mapping(
      "presentation", required: true, context: "presentation", allowedKeys: ["complaint", "history"])
    {
      complaint = presentation.string("complaint", required: true)?.value ?? ""
      history = presentation.string("history", required: true)?.value ?? ""
    }
    if let factMap = map.mapping("facts", required: true, context: "facts", allowedKeys: factKeys) {
      readFacts(factMap, into: &facts, catalog: catalog)
    }
    if facts.sex == "male", let weeks = facts.pregnancyWeeks, weeks > 0 {
      bag.warning("pregnancyWeeks is set for a male patient", at: node.position)
    }

    var interview: [String: String] = [:]
    if let interviewNode = map.value("interview") {
      if let m = MappingReader(
        interviewNode, bag: bag, context: "interview", allowedKeys: vocabulary.screeningTopics.ids)
      {
        for key in m.keys where vocabulary.screeningTopics.contains(key) {
          if let answer = m.string(key) { interview[key] = answer.value }
        }
      }
    }

    var candidates: [SiteChoice] = []
    let candidateNodes = map.list("candidateSites", required: true)
    for item in candidateNodes {
      guard let choice = PlanReader.siteChoice(item, bag: bag, catalog: catalog) else { continue }
      if candidates.contains(choice) {
        bag.warning("candidate site \"\(choice)\" is listed twice", at: item.position)
      } else {
        candidates.append(choice)
      }
    }
    if map.value("candidateSites") != nil, candidateNodes.isEmpty {
      bag.error("a case needs at least one candidate site", at: map.keyPosition("candidateSites") ?? node.position)
    }

    var unsafePlans: [UnsafePlan] = []
    let caseID = id?.value ?? ""
    for item in map.list("unsafePlans") {
      guard
        let m = MappingReader(item, bag: bag, context: "unsafe plan", allowedKeys: ["name", "violates", "plan"]),
        let name = m.string("name", required: true), let violates = m.string("violates", required: true),
        let planNode = m.value("plan", required: true),
        let plan = PlanReader.read(planNode, bag: bag, catalog: catalog, defaultScenario: caseID)
      else { continue }
      if plan.scenario != caseID {
        bag.error("an unsafe plan inside a case must be for that case (\"\(caseID)\")", at: planNode.position)
      }
      unsafePlans.append(UnsafePlan(name: name.value, violates: violates, plan: plan, position: item.position))
    }

    var scripted: [ScriptedEvent] = []
    for item in map.list("events") {
      guard
        let m = MappingReader(item, bag: bag, context: "scripted event", allowedKeys: ["event", "site", "signs"]),
        let event = m.string("event", required: true), catalog.events.check(event, bag: bag)
      else { continue }
      let site = m.string("site")
      if let site, catalog.checkSite(site, bag: bag) == nil { continue }
      if scripted.contains(where: { $0.event == event.value }) {
        bag.error("event \"\(event.value)\" is scripted twice", at: event.position)
        continue
      }
      scripted.append(ScriptedEvent(event: event.value, site: site?.value, signs: m.string("signs")?.value))
    }

    guard let id, let title, let version, let difficulty else { return nil }
    return Case(
      id: id.value, title: title.value, version: version.value, difficulty: difficulty.value,
      tags: tags.map(\.value), objectives: objectives.map(\.value), patientName: patientName,
      occupation: occupation, complaint: complaint, history: history, facts: facts, interview: interview,
      candidateSites: candidates, unsafePlans: unsafePlans, path: path, idPosition: id.position, revision: revision,
      examination: map.value("examination").flatMap { Examination.read($0, bag: bag, vocabulary: vocabulary) },
      events: scripted)
  }

  // MARK: Facts

  static func readFacts(_ m: MappingReader, into facts: inout PatientFacts, catalog: Catalog) {
    let bag = m.bag
    let vocabulary = catalog.vocabulary
    for item in m.list("conditions") {
      if let fact = localFact(item, codeKey: "code", codes: vocabulary.conditions, bag: bag, catalog: catalog) {
        facts.conditions.append(fact)
      }
    }
    for item in m.list("skin") {
      if let fact = localFact(item, codeKey: "finding", codes: vocabulary.skinFindings, bag: bag, catalog: catalog,
                              alwaysLocal: true)
      {
        facts.skin.append(fact)
      }
    }
    for item in m.list("medications") {
      guard
        let med = MappingReader(item, bag: bag, context: "medication", allowedKeys: ["name", "class", "dose"]),
        let name = med.string("name", required: true), let drugClass = med.string("class", required: true)
      else { continue }
      vocabulary.medicationClasses.check(drugClass, bag: bag)
      facts.medications.append(Medication(name: name.value, drugClass: drugClass.value, dose: med.string("dose")?.value))
    }
    for item in m.list("allergies") {
      guard let allergy = MappingReader(item, bag: bag, context: "allergy", allowedKeys: ["kind", "reaction"]),
        let kind = allergy.string("kind", required: true)
      else { continue }
      vocabulary.allergyKinds.check(kind, bag: bag)
      facts.allergies.append(Allergy(kind: kind.value, reaction: allergy.string("reaction")?.value))
    }
    for item in m.list("previousReactions") {
      guard let reaction = MappingReader(item, bag: bag, context: "previous reaction", allowedKeys: ["kind", "note"]),
        let kind = reaction.string("kind", required: true)
      else { continue }
      vocabulary.reactionKinds.check(kind, bag: bag)
      facts.previousReactions.append(PreviousReaction(kind: kind.value, note: reaction.string("note")?.value))
    }
    if let anxiety = m.string("anxiety"), vocabulary.anxietyLevels.check(anxiety, bag: bag) {
      facts.anxiety = anxiety.value
    }
    if let fear = m.string("needleFear"), vocabulary.needleFearLevels.check(fear, bag: bag) {
      facts.needleFear = fear.value
    }
    facts.pregnancyWeeks = m.int("pregnancyWeeks", range: 0...45)?.value
    let flags = m.strings("redFlags")
    for flag in flags { vocabulary.redFlags.check(flag, bag: bag) }
    facts.redFlags = flags.map(\.value)
    facts.hoursSinceMeal = m.double("hoursSinceMeal", range: 0...240)?.value
    facts.previousNeedling = m.bool("previousNeedling")?.value ?? false

    if let consent = m.mapping(
      "consent", context: "consent",
      allowedKeys: ["capacity", "willing", "interpreterNeeded", "interpreterAvailable", "guardianConsent", "assent"])
    {
      if let capacity = consent.string("capacity"), vocabulary.capacityLevels.check(capacity, bag: bag) {
        facts.consent.capacity = capacity.value
      }
      facts.consent.willing = consent.bool("willing")?.value ?? true
      facts.consent.interpreterNeeded = consent.bool("interpreterNeeded")?.value ?? false
      facts.consent.interpreterAvailable = consent.bool("interpreterAvailable")?.value ?? false
      facts.consent.guardianConsent = consent.bool("guardianConsent")?.value ?? false
      facts.consent.assent = consent.bool("assent")?.value ?? false
    }
    if let practitioner = m.mapping(
      "practitioner", context: "practitioner", allowedKeys: ["authorised", "paediatric", "trainedRegions", "level"])
    {
      facts.practitioner.authorised = practitioner.bool("authorised")?.value ?? true
      facts.practitioner.paediatric = practitioner.bool("paediatric")?.value ?? false
      if let level = practitioner.string("level") {
        vocabulary.practitionerLevels.check(level, bag: bag)
        facts.practitioner.level = level.value
      }
      if practitioner.value("trainedRegions") != nil {
        let regions = practitioner.strings("trainedRegions")
        for region in regions { vocabulary.regions.check(region, bag: bag) }
        facts.practitioner.trainedRegions = regions.map(\.value)
      }
    }
  }

  static func localFact(
    _ node: YNode, codeKey: String, codes: CodeList, bag: DiagnosticBag, catalog: Catalog, alwaysLocal: Bool = false
  ) -> LocalFact? {
    guard
      let m = MappingReader(
        node, bag: bag, context: codes.kind, allowedKeys: [codeKey, "side", "regions", "areas", "note"]),
      let code = m.string(codeKey, required: true), codes.check(code, bag: bag)
    else { return nil }
    var side: Side?
    if let text = m.string("side") {
      side = Side(rawValue: text.value)
      if side == nil { bag.error("side must be left, right or both, found \"\(text.value)\"", at: text.position) }
    }
    let regions = m.strings("regions")
    let areas = m.strings("areas")
    for region in regions { catalog.vocabulary.regions.check(region, bag: bag) }
    for area in areas { catalog.vocabulary.areas.check(area, bag: bag) }
    let local = alwaysLocal || (codes.entry(code.value)?.local ?? false)
    if local, regions.isEmpty, areas.isEmpty {
      bag.warning(
        "\(codes.kind) \"\(code.value)\" sits on the body: give regions or areas so rules can find nearby sites",
        at: code.position)
    }
    if !local, side != nil || !regions.isEmpty || !areas.isEmpty {
      bag.warning("\(codes.kind) \"\(code.value)\" is not local; side, regions and areas are ignored", at: code.position)
    }
    return LocalFact(
      code: code.value, side: side, regions: regions.map(\.value), areas: areas.map(\.value),
      note: m.string("note")?.value)
  }
}
