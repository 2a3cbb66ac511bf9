"""The weekly digest and the same-day alert e-mails."""
from app.mail.messages import build_message
from app.mail.unsubscribe import add_unsubscribe_headers, unsubscribe_url
from app.manager.helpers import fmt_metric, team_list
from app.manager.labels import kind_name, metric_name
from app.urls import absolute_url
from surveys.interventions import catalogue_by_id


def _signal_line(signal, titles):
    """One line a manager can read: what, where, evidence, and the first thing to try."""
    top = next((titles[i] for i in signal.interventions if i in titles), None)
    return {"id": signal.id, "title": f"{kind_name(signal.kind)}: {metric_name(signal.metric)}",
            "teams": team_list(signal.teams), "severity": signal.severity,
            "evidence": signal.evidence.get("summary", ""), "top": top,
            "url": absolute_url("manager.signal", signal_id=signal.id)}


def digest_message(manager, content):
    """The weekly digest for one manager (text and HTML), with one-click unsubscribe."""
    titles = {item_id: item.title for item_id, item in catalogue_by_id().items()}
    sections = [(label, [_signal_line(s, titles) for s in signals]) for label, signals in (
        ("New", content.new), ("Getting worse", content.escalating),
        ("Easing", content.easing), ("Resolved", content.resolved)) if signals]
    changed = sum(len(lines) for _, lines in sections)
    subject = (f"Tandem weekly ({content.week}): {changed} change(s) on your teams" if changed
               else f"Tandem weekly ({content.week}): nothing new")
    participation = [(name, fmt_metric(row.mean, "participation"), row.week)
                     for name, row in content.participation]
    plans = [(titles.get(p.intervention_id, p.intervention_id), p) for p in content.plans]
    message = build_message(manager.email, subject, "digest", manager=manager, content=content,
                            sections=sections, participation=participation, plans=plans,
                            overview=absolute_url("manager.overview"),
                            preferences=absolute_url("preferences.preferences"),
                            unsubscribe=unsubscribe_url("digest", manager.id))
    return add_unsubscribe_headers(message, "digest", manager.id)


def alert_message(manager, signal):
    """A same-day alert about one high-severity signal."""
    titles = {item_id: item.title for item_id, item in catalogue_by_id().items()}
    line = _signal_line(signal, titles)
    message = build_message(manager.email, f"Tandem alert: {line['title']} ({line['teams']})",
                            "alert", manager=manager, line=line,
                            preferences=absolute_url("preferences.preferences"))
    return message
