/// The REPL's commands, their usage and help text: one table drives dispatch, `help` and completion.
struct CommandInfo: Sendable {
  var name: String
  var usage: String
  var summary: String
  var details: String
  /// Only meaningful while a case is open.
  var needsCase: Bool
}

enum CommandCatalog {
  static let all: [CommandInfo] = [
    CommandInfo(name: "list", usage: "list", summary: "list the cases with difficulty, tags and your best score",
                details: "Shows every case. Your best score so far is shown beside each case you have attempted.",
                needsCase: false),
    CommandInfo(name: "start", usage: "start CASE-ID", summary: "open a case",
                details: "Opens the case and shows what the patient tells you. Tab completes case ids.",
                needsCase: false),
    CommandInfo(name: "random", usage: "random", summary: "open a random case", details: "Opens a case at random.",
                needsCase: false),
    CommandInfo(name: "next", usage: "next", summary: "open the case that reviews your weakest rules that are due",
                details: "Every graded item moves your mastery of the rule behind it (a Leitner schedule: right moves "
                  + "it up a box, wrong sends it back to box 1, and each box is due again after its interval). `next` "
                  + "opens the case, and the variant of a template case, that exercises your weakest rules that are "
                  + "due; with nothing due, the first case you have not tried, then your weakest.", needsCase: false),
    CommandInfo(name: "case", usage: "case", summary: "show the open case again",
                details: "Shows the case, what the patient has told you so far and your answers.", needsCase: true),
    CommandInfo(name: "ask", usage: "ask TOPIC", summary: "ask a screening question (ask alone lists topics)",
                details: "Asks the patient about TOPIC, for example `ask medications`. The patient answers from the "
                  + "case; what you do not ask about stays hidden, and the guidance scores the screening it needs.",
                needsCase: true),
    CommandInfo(name: "decide", usage: "decide needle|defer|refer|decline [TARGET]", summary: "make the decision",
                details: "Chooses whether to needle today. With refer, say to whom, e.g. `decide refer gp` "
                  + "(targets: gp, emergency, prescriber, haematology, oncology, obstetric, cardiology, "
                  + "orthopaedic, mental-health).", needsCase: true),
    CommandInfo(name: "precaution", usage: "precaution add|remove ID…", summary: "add or remove precautions",
                details: "Adds or removes one or more precautions, e.g. `precaution add hand-hygiene haemostasis`. "
                  + "`precautions` lists them all with descriptions.", needsCase: true),
    CommandInfo(name: "precautions", usage: "precautions", summary: "list the precautions by group",
                details: "Lists every precaution you can choose, grouped, with a one-line description; "
                  + "the ones in your plan are marked.", needsCase: false),
    CommandInfo(name: "treat", usage: "treat SITE [left|right] [LENGTHmm] [APPROACH] [POSITION]",
                summary: "add a site to needle, and how",
                details: "Adds a site, e.g. `treat upper-trapezius left`, or says how to needle it: "
                  + "`treat upper-trapezius right 30mm tangential`. Lengths: 13, 15, 25, 30, 40, 50, 60, 75 mm; "
                  + "approaches: perpendicular, oblique, tangential (pincer grasp), bracketed (over a rib), "
                  + "toward-bone; a position here overrides `position` for this site. Treating a site again "
                  + "changes how it is needled. Aliases such as `QL` work. Paired sites need a side.", needsCase: true),
    CommandInfo(name: "examine", usage: "examine [REGION]", summary: "examine build, alignment and the sites",
                details: "Shows the patient's height, weight and BMI with the build it gives (thin, average, obese), "
                  + "spinal alignment, the skin and muscles over the sites, and forearm measures where they matter. "
                  + "With a region (`examine neck`), only the findings about it. "
                  + "Counts as the `examination` topic: needed before any thoracic, paraspinal or lumbar site.",
                needsCase: true),
    CommandInfo(name: "position", usage: "position POSITION", summary: "set the patient's position",
                details: "Sets the patient's position for the session: prone, supine, side-lying-left, "
                  + "side-lying-right, seated or standing.", needsCase: true),
    CommandInfo(name: "untreat", usage: "untreat SITE [left|right]", summary: "remove a site",
                details: "Removes a site from your plan (both sides if no side is given).", needsCase: true),
    CommandInfo(name: "sites", usage: "sites [all]", summary: "list the candidate sites (all: every site)",
                details: "Lists the sites this case suggests, with what lies beneath them; `sites all` lists every "
                  + "site by region.", needsCase: false),
    CommandInfo(name: "plan", usage: "plan", summary: "show your plan so far",
                details: "Shows what you have asked, decided, and chosen.", needsCase: true),
    CommandInfo(name: "hint", usage: "hint", summary: "get a hint (costs points, recorded)",
                details: "Points you at one thing your plan is missing. Each hint costs points and is recorded "
                  + "with the attempt.", needsCase: true),
    CommandInfo(name: "begin", usage: "begin", summary: "begin the treatment (your plan is then fixed)",
                details: "Starts needling as planned. The plan can no longer change, and things may happen during "
                  + "the treatment or the next day (a faint, chest symptoms, a stuck needle…): respond to each, then "
                  + "`continue`. The debrief follows the treatment.", needsCase: true),
    CommandInfo(name: "respond", usage: "respond ACTION…", summary: "respond to what is happening (alone: list actions)",
                details: "Does one or more actions for the event in front of you, e.g. `respond remove-all-needles`. "
                  + "`respond` alone lists every action; Tab completes them. Respond as often as you need, then "
                  + "`continue`.", needsCase: true),
    CommandInfo(name: "continue", usage: "continue", summary: "carry on once you have dealt with an event",
                details: "Closes the event in front of you with the responses you gave; the treatment goes on, or "
                  + "ends with the debrief.", needsCase: true),
    CommandInfo(name: "submit", usage: "submit", summary: "submit your plan and read the debrief",
                details: "Scores your plan against the guidance and explains every item with its sources; a "
                  + "needling plan goes to treatment first (as `begin`) and the debrief follows it. The attempt is "
                  + "saved.", needsCase: true),
    CommandInfo(name: "restart", usage: "restart", summary: "start the open case again from scratch",
                details: "Clears your questions and plan for the open case.", needsCase: true),
    CommandInfo(name: "progress", usage: "progress", summary: "your scores, the rules you miss most, mastery by family",
                details: "Shows your attempts as a chart, the rules you most often missed or broke, and your mastery "
                  + "of each rule family (bleeding, thorax, pregnancy, consent, infection…) with what is due.",
                needsCase: false),
    CommandInfo(name: "help", usage: "help [COMMAND]", summary: "show help", details: "Shows the commands, or one "
                  + "command in detail.", needsCase: false),
    CommandInfo(name: "quit", usage: "quit", summary: "leave (also Ctrl-D)",
                details: "Leaves the simulator. Submitted attempts are already saved.", needsCase: false),
  ]

  /// The commands that change the plan: refused once the treatment has begun.
  static let fixedInTreatment: Set<String> = [
    "ask", "decide", "precaution", "treat", "position", "examine", "untreat", "hint",
  ]

  static func find(_ name: String) -> CommandInfo? {
    let aliases = ["exit": "quit", "q": "quit", "?": "help", "cases": "list", "show": "case", "done": "continue"]
    let key = aliases[name] ?? name
    return all.first { $0.name == key }
  }
}
