"""Readable names for metrics, for pages and e-mails."""
from analysis.signals.metrics import metric_label
from surveys.question_bank import load_bank

DRIVER_NAMES = {
    "role_clarity": "Role clarity", "lead_quality": "Lead quality & handoff",
    "feedback_loop": "Feedback loop", "communication": "Communication",
    "information_tools": "Information & tools", "shared_goals": "Shared goals & incentives",
    "respect_trust": "Respect & trust", "recognition": "Recognition & credit",
    "conflict_handling": "Conflict handling", "workload": "Workload",
}
OTHER_NAMES = {"enps": "eNPS", "participation": "Participation",
               "comment_sentiment": "Comment sentiment", "message_sentiment": "Message sentiment",
               "tension": "Tension in texts"}
KIND_NAMES = {"decline": "Sustained decline", "drop": "Sudden drop",
              "perception_gap": "Perception gap", "friction_spike": "Friction spike",
              "sentiment_slide": "Sentiment slide", "polarization": "Team splitting into camps",
              "participation_drop": "Participation drop", "low_level": "Persistently low"}


def metric_name(metric):
    """"Lead quality & handoff", "Friction: blame", or a paired item's marketing wording."""
    if metric in DRIVER_NAMES:
        return DRIVER_NAMES[metric]
    if metric in OTHER_NAMES:
        return OTHER_NAMES[metric]
    prefix, _, rest = metric.partition(":")
    if prefix == "friction":
        return "Friction: " + rest.replace("_", " ")
    if prefix == "pair":
        return pair_statement(rest)
    return metric_label(metric)


def pair_statement(item_id):
    """A paired item as a neutral statement: "The other team acts on what we hand over…"."""
    try:
        wording = load_bank().text_for(item_id, "marketing")
    except LookupError:
        return item_id.replace("_", " ")
    return wording.replace("The sales team", "The other team").replace("the sales team", "the other team")


def kind_name(kind):
    """The plain-words name of a signal kind."""
    return KIND_NAMES.get(kind, kind.replace("_", " "))
