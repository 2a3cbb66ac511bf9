"""Template filters and globals for the manager pages and e-mails."""
from flask import g

from app import charts
from app.extensions import db
from app.manager.labels import DRIVER_NAMES, kind_name, metric_name
from surveys.reports import team_names

EXPLANATIONS = {
    "decline": "Answers have slid week after week by more than normal noise for a group this size. "
               "A slow slide is easy to miss in any single week, which is why it is flagged.",
    "drop": "This week's answers fell further than this team's week-to-week noise explains. "
            "Something probably happened: ask what changed.",
    "perception_gap": "Marketing and sales answer the same statement about each other very "
                      "differently. Each side likely believes it is doing its part; a joint "
                      "conversation about the facts usually helps more than taking sides.",
    "friction_spike": "More comments than usual use this kind of friction wording. The words "
                      "people choose tend to sharpen before relationships break down openly.",
    "sentiment_slide": "The tone of what people write has turned more negative over several weeks.",
    "polarization": "The team's answers are spreading into two camps: some are content, others "
                    "clearly are not. An average would hide this.",
    "participation_drop": "Fewer invited people are answering. Silence is often an early sign "
                          "that people doubt anything will change.",
    "low_level": "This has stayed below a healthy level for several weeks.",
}


def explain(signal):
    """A plain-words explanation of what a signal of this kind usually means."""
    return EXPLANATIONS.get(signal.kind, "")


def fmt_metric(value, metric):
    """A metric value as a person reads it: percentages for shares, whole eNPS, else 2 decimals."""
    if value is None:
        return "–"
    if metric == "participation" or metric.startswith("friction:"):
        return f"{value * 100:.0f}%"
    return f"{value:.0f}" if metric == "enps" else f"{value:.2f}"


def items_for_chart(items):
    """(label, marketing, sales) rows for the gap chart from (metric, marketing, sales) rows."""
    return [(metric_name(metric), left, right) for metric, left, right in items]


def team_name(slug):
    """A team's display name (looked up once per request)."""
    if "team_names" not in g:
        g.team_names = team_names(db.session)
    return g.team_names.get(slug, slug)


def team_list(slugs):
    """"Growth Marketing & Enterprise Sales" from a list of slugs."""
    return " & ".join(team_name(slug) for slug in slugs)


def register(app):
    """Make the helpers available to every template."""
    app.jinja_env.filters.update(metric_name=metric_name, fmt_metric=fmt_metric, team_list=team_list,
                                 driver_name=lambda d: DRIVER_NAMES.get(d, d))
    app.jinja_env.globals.update(kind_name=kind_name, metric_name=metric_name, explain=explain,
                                 items_for_chart=items_for_chart, charts=charts)
