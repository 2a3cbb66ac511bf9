"""The intervention catalogue (DESIGN §7): loading and validating the JSON data file."""
import functools
import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("catalogue.json")
EFFORTS = ("low", "medium", "high")
#: the nine strategies of the seed article; every catalogue must cover each of them
SEED_STRATEGIES = (
    "clarify_roles", "why_collaboration_pays", "shared_funnel", "channels_directory",
    "knowledge_base_playbook", "complete_crm", "address_tension_early", "joint_problem_solving",
    "shared_goals_rewards",
)
LIST_FIELDS = ("steps", "signal_kinds", "drivers", "friction_categories", "measure", "strategies")
TEXT_FIELDS = ("id", "title", "why", "effort")


class CatalogueError(ValueError):
    """A catalogue file that is missing fields, repeats ids or leaves a strategy uncovered."""


@dataclass(frozen=True)
class Intervention:
    """One thing a manager can do, with what it answers and how to tell whether it worked."""

    id: str
    title: str
    why: str
    steps: tuple[str, ...]
    effort: str
    signal_kinds: tuple[str, ...]
    drivers: tuple[str, ...]
    friction_categories: tuple[str, ...]
    measure: tuple[str, ...]
    strategies: tuple[str, ...]


def load_catalogue(path=DEFAULT_PATH) -> list[Intervention]:
    """Read and validate a catalogue file; CatalogueError when it is not usable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CatalogueError(f"cannot read catalogue {path}: {error}") from error
    return validate_catalogue(data.get("interventions", []))


@functools.lru_cache(maxsize=1)
def shipped_catalogue() -> tuple[Intervention, ...]:
    """The catalogue that ships with Tandem, read and validated once per process."""
    return tuple(load_catalogue())


def validate_catalogue(entries) -> list[Intervention]:
    """Check every entry and the catalogue as a whole; return Intervention objects."""
    problems, items = [], []
    for position, entry in enumerate(entries):
        found = _entry_problems(entry)
        problems += [f"entry {position} ({entry.get('id', '?')}): {p}" for p in found]
        if not found:
            items.append(_intervention(entry))
    problems += _catalogue_problems(items)
    if problems:
        raise CatalogueError("; ".join(problems))
    return items


def _entry_problems(entry):
    """What is wrong with one raw entry (empty list when nothing)."""
    problems = [f"missing or empty {f}" for f in TEXT_FIELDS
                if not isinstance(entry.get(f), str) or not entry[f].strip()]
    problems += [f"{f} must be a non-empty list of text" for f in LIST_FIELDS
                 if not _text_list(entry.get(f))]
    if entry.get("effort") not in EFFORTS:
        problems.append(f"effort must be one of {', '.join(EFFORTS)}")
    return problems


def _text_list(value):
    """True for a non-empty list of non-empty strings."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, str) and v.strip() for v in value)


def _intervention(entry):
    """An Intervention from a validated raw entry."""
    lists = {f: tuple(entry[f]) for f in LIST_FIELDS}
    return Intervention(**{f: entry[f] for f in TEXT_FIELDS}, **lists)


def _catalogue_problems(items):
    """Whole-catalogue checks: unique ids and every seed strategy covered."""
    ids = [i.id for i in items]
    problems = [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    covered = {s for i in items for s in i.strategies}
    problems += [f"no entry covers strategy {s}" for s in SEED_STRATEGIES if s not in covered]
    return problems
