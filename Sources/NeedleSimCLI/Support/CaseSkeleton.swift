/// The commented skeleton `needlesim new` writes. Every field is valid as written except the TODO texts,
/// so an author can lint at any point while filling it in.
enum CaseSkeleton {
  static func text(id: String) -> String {
    """
    # Case file for needlesim. Reference: docs/case-format.md. Check it with: needlesim lint \(id).yaml
    # Codes (conditions, medication classes, sites, precautions…) come from Scoring/; lint suggests
    # the right spelling when one is wrong.
    id: \(id)                       # must match the file name
    title: TODO one-line title the student sees
    version: 1                      # bump when you change the clinical content
    difficulty: introductory        # introductory | intermediate | advanced
    tags: [todo]
    objectives:
      - TODO what the student should learn from this case

    patient:
      name: TODO Full Name
      age: 40
      sex: female                   # female | male | intersex
      occupation: TODO occupation

    presentation:
      complaint: TODO the presenting complaint in one line
      history: |
        TODO what the patient tells you without being asked, in plain language.
        Put facts they would not volunteer (medicines, bleeding, pregnancy…) in `interview` below.

    # What examining the patient shows (`examine`): needed before thoracic, paraspinal or lumbar sites.
    examination:
      heightCm: 170
      weightKg: 70
      alignment: []           # scoliosis, kyphosis, rotation
      findings: ["TODO the skin over the sites, and what palpation finds"]

    # Coded facts: never shown to the student; the guidance rules are applied to them.
    facts:
      previousNeedling: true        # false makes this a first treatment
      # conditions:
      #   - {code: lymphoedema, side: left, regions: [upper-limb]}
      # medications:
      #   - {name: Warfarin, class: anticoagulant, dose: 5 mg daily}
      # allergies: [{kind: nickel, reaction: rash from jewellery}]
      # anxiety: none               # none | mild | moderate | severe
      # needleFear: none            # none | mild | moderate | phobia
      # pregnancyWeeks: 20
      # skin: [{finding: cellulitis, side: right, areas: [calf]}]
      # consent: {capacity: full, willing: true}
      # redFlags: [night-pain]
      # hoursSinceMeal: 3
      # previousReactions: [{kind: fainting, note: fainted at a blood test}]
      # practitioner: {authorised: true, trainedRegions: [neck, shoulder]}

    # What the patient says when the student asks about a topic (unlisted topics get a plain "no").
    interview:
      medical-history: "TODO"
      medications: "TODO"
      allergies: "No allergies that I know of."
      previous-needling: "TODO"
      needle-fear: "Needles don't bother me."

    # Sites the complaint suggests; include the tempting unsafe one when the facts make one unsafe.
    candidateSites:
      - {site: upper-trapezius, side: right}

    # Plans that must fail, each on a named critical rule (lint checks them).
    unsafePlans:
      - name: Needles without consent
        violates: informed-consent
        plan:
          screening: [medical-history, medications]
          decision: needle
          precautions: [hand-hygiene]
          sites: [{site: upper-trapezius, side: right}]

    """
  }
}
