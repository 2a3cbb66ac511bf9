"""Week-by-week answers and texts of one simulated team, aggregated to panel rows."""
import numpy as np

from analysis.signals.metrics import DRIVERS, FRICTION_CATEGORIES
from analysis.signals.panel import PanelRow

SD_ANSWER = 0.9  #: sd of individual 1–5 answers; effect sizes are in these units
PAIRS = ("acts_on_handover", "shares_useful_info")
RAMP = {"decline": 3, "sentiment_slide": 2}


class TeamSimulator:
    """Generates one team's rows; episodes shift the latent answers of their metric."""

    def __init__(self, team, rng, labels, episodes):
        self.team, self.rng, self.labels, self.episodes = team, rng, labels, episodes
        size = team.size
        self.items = list(DRIVERS) + [f"pair:{p}" for p in PAIRS]
        self.level = rng.uniform(3.5, 4.1, len(self.items)) + rng.normal(0, 0.2)
        self.level[len(DRIVERS):] = 3.7 + rng.normal(0, 0.12, len(PAIRS))
        self.person = rng.normal(0, 0.5, (size, len(self.items)))
        self.camp = rng.random(size) < 0.5
        self.drift = np.zeros(len(self.items))
        self.enps_person = 8.0 + rng.normal(0, 0.6) + rng.normal(0, 1.2, size)
        self.sentiment = rng.normal(0.18, 0.08)
        self.friction = rng.uniform(0.01, 0.08, len(FRICTION_CATEGORIES))
        self._apply_low_levels()

    def _apply_low_levels(self):
        """Teams with a low_level episode sit below the norm of that driver throughout."""
        for ep in self.episodes:
            if ep.kind == "low_level":
                self.level[self.items.index(ep.metric)] = 3.0 - ep.effect_sd * SD_ANSWER

    def effect(self, kind, metric, t):
        """Size (sd units) of an active episode of this kind on this metric at week index t."""
        for ep in self.episodes:
            if ep.kind != kind or ep.metric != metric:
                continue
            k = t - self.labels.index(ep.onset_week)
            if 0 <= k < ep.duration:
                return ep.effect_sd * min(1.0, (k + 1) / RAMP.get(kind, 1))
        return 0.0

    def rows(self):
        """All rows of this team."""
        out = []
        for t, week in enumerate(self.labels):
            self.drift = 0.8 * self.drift + self.rng.normal(0, 0.06, self.drift.size)
            out += self._week_rows(t, week)
        return out

    def _row(self, week, metric, values, invited=None):
        """Aggregate individual values to one row (sd empty when fewer than two)."""
        values = np.asarray(values, float)
        sd = float(values.std(ddof=1)) if values.size > 1 else None
        return PanelRow(self.team.name, self.team.department, week, metric,
                        float(values.mean()), sd, int(values.size), invited)

    def _week_rows(self, t, week):
        """Participation, survey items, eNPS and text rows of one week."""
        size, team = self.team.size, self.team
        drop = self.effect("participation_drop", "participation", t) * 0.4
        p = np.clip(team.participation + self.rng.normal(0, 0.06) - drop, 0.05, 1.0)
        answered = self.rng.random(size) < p
        if answered.sum() == 0:
            return []
        rows = [PanelRow(team.name, team.department, week, "participation",
                         float(answered.mean()), None, int(answered.sum()), size)]
        rows += self._survey_rows(t, week, answered)
        return rows + self._text_rows(t, week, int(answered.sum()))

    def _survey_rows(self, t, week, answered):
        """Driver and paired items asked this week, plus eNPS."""
        rows = []
        for j, item in enumerate(self.items):
            if item.startswith("pair:") or (t + j) % self.team.rotation == 0:
                rows.append(self._row(week, item, self._answers(t, j, item, answered)))
        latent = self.enps_person[answered] + self.rng.normal(0, 1.2, answered.sum())
        score = np.clip(np.round(latent), 0, 10)
        rows.append(self._row(week, "enps", np.where(score >= 9, 100, np.where(score >= 7, 0, -100))))
        return rows

    def _answers(self, t, j, item, answered):
        """1–5 answers of the people who responded to one item."""
        shift = -SD_ANSWER * (self.effect("decline", item, t) + self.effect("drop", item, t))
        gap = self.effect("perception_gap", item, t) * SD_ANSWER / 2
        shift += -gap if self.team.department == "marketing" else gap
        split = self.effect("polarization", item, t) * SD_ANSWER / 2
        camps = np.where(self.camp[answered], -split, split)
        latent = (self.level[j] + self.drift[j] + shift + camps + self.person[answered, j]
                  + self.rng.normal(0, 0.7, answered.sum()))
        return np.clip(np.round(latent), 1, 5)

    def _text_rows(self, t, week, responders):
        """Comment and message sentiment, tension and friction shares."""
        rng, rows = self.rng, []
        commenters = rng.binomial(responders, 0.4)
        messages = rng.poisson(self.team.size * 0.6 * 3)
        slide = self.effect("sentiment_slide", "message_sentiment", t) * 0.4
        comments = np.clip(rng.normal(self.sentiment - 0.05, 0.45, commenters), -1, 1)
        texts = np.clip(rng.normal(self.sentiment - slide, 0.4, messages), -1, 1)
        if commenters:
            rows.append(self._row(week, "comment_sentiment", comments))
        if messages:
            rows.append(self._row(week, "message_sentiment", texts))
        total = commenters + messages
        if total:
            tension = np.clip(rng.beta(2, 7, total) + slide * 0.3, 0, 1)
            rows.append(self._row(week, "tension", tension))
            rows += self._friction_rows(t, week, total)
        return rows

    def _friction_rows(self, t, week, total):
        """Share of texts with each friction category (overdispersed week to week)."""
        rows = []
        for c, category in enumerate(FRICTION_CATEGORIES):
            metric = f"friction:{category}"
            base = self.friction[c] * self.rng.lognormal(0, 0.3)
            rate = base + self.effect("friction_spike", metric, t) * np.sqrt(base * (1 - base))
            hits = self.rng.binomial(total, min(rate, 0.95))
            rows.append(PanelRow(self.team.name, self.team.department, week, metric,
                                 hits / total, None, total, None))
        return rows
