"""Reading and validating bank files (`bank_vN.json`, one file per version, ids stable forever)."""
import functools
import json
import re
from collections import Counter
from pathlib import Path
from types import MappingProxyType

from .model import (
    BOUNDARY_DEPARTMENTS,
    DRIVERS,
    Item,
    PairedItem,
    QuestionBank,
    QuestionBankError,
    RecommendItem,
)

BANK_DIR = Path(__file__).parent
MIN_ITEMS_PER_DRIVER = 3
MIN_PAIRED_ITEMS = 4
# Ids become metric names (`pair:<id>`) and form field names, so keep them plain slugs.
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FILE_PATTERN = re.compile(r"^bank_v(\d+)\.json$")


def available_versions(directory=BANK_DIR):
    """Versions with a bank file in `directory`, oldest first."""
    found = (FILE_PATTERN.match(path.name) for path in Path(directory).iterdir())
    return sorted(int(match.group(1)) for match in found if match)


def load_bank(version=None):
    """Load a bank version shipped with Tandem (the latest when `version` is None)."""
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise QuestionBankError(f"a bank version is a whole number, not {version!r}")
    if version is not None:
        # Every survey request names its round's version: no directory listing for it, and
        # `_load_shipped` already says when that version's file does not exist.
        return _load_shipped(version)
    versions = available_versions()
    if not versions:
        raise QuestionBankError(f"no bank_vN.json file in {BANK_DIR}")
    return _load_shipped(versions[-1])


@functools.lru_cache(maxsize=None)
def _load_shipped(version):
    # Shipped files never change while the process runs, and banks are immutable, so cache them.
    path = BANK_DIR / f"bank_v{version}.json"
    if not path.is_file():
        raise QuestionBankError(f"question bank version {version!r} does not exist ({path.name})")
    bank = load_bank_file(path)
    if bank.version != version:
        raise QuestionBankError(f"{path.name}: says version {bank.version}, expected {version}")
    return bank


def load_bank_file(path):
    """Load and validate one bank file; raise QuestionBankError listing every problem found."""
    path = Path(path)
    data = _read_json(path)
    problems = list(bank_problems(data))
    if problems:
        raise QuestionBankError(f"{path.name}: " + "; ".join(problems))
    return _build_bank(data)


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as error:
        raise QuestionBankError(f"cannot read {path}: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise QuestionBankError(f"{path.name}: not valid JSON ({error})") from error


def bank_problems(data):
    """Yield a readable sentence for each way `data` breaks the bank format."""
    if not isinstance(data, dict):
        yield "the top level must be a JSON object"
        return
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        yield "'version' must be a positive integer"
    if not _is_text(data.get("comment_prompt")):
        yield "'comment_prompt' must be non-empty text"
    yield from _recommend_problems(data.get("recommend"))
    items = _entries(data, "items")
    paired = _entries(data, "paired_items")
    if items is None or paired is None:
        yield "'items' and 'paired_items' must be lists of objects"
        return
    for index, raw in enumerate(items):
        yield from _item_problems(f"item #{index + 1}", raw)
    for index, raw in enumerate(paired):
        yield from _paired_problems(f"paired item #{index + 1}", raw)
    yield from _duplicate_id_problems([*items, *paired, data.get("recommend") or {}])
    yield from _count_problems(items, paired)


def _entries(data, key):
    entries = data.get(key)
    if isinstance(entries, list) and all(isinstance(entry, dict) for entry in entries):
        return entries
    return None


def _is_text(value):
    return isinstance(value, str) and value.strip() != ""


def _id_problems(where, raw):
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not ID_PATTERN.match(item_id):
        yield f"{where}: id {item_id!r} must be a lower-case slug like 'rc1_know_my_part'"


def _driver_problems(where, raw):
    if raw.get("driver") not in DRIVERS:
        yield f"{where} ({raw.get('id')!r}): unknown driver {raw.get('driver')!r}"


def _recommend_problems(raw):
    if not isinstance(raw, dict):
        yield "'recommend' must be an object with 'id' and 'text'"
        return
    yield from _id_problems("recommend item", raw)
    if not _is_text(raw.get("text")):
        yield "recommend item: empty text"


def _item_problems(where, raw):
    yield from _id_problems(where, raw)
    yield from _driver_problems(where, raw)
    if not _is_text(raw.get("text")):
        yield f"{where} ({raw.get('id')!r}): empty text"
    if not isinstance(raw.get("reverse", False), bool):
        yield f"{where} ({raw.get('id')!r}): 'reverse' must be true or false"


def _paired_problems(where, raw):
    yield from _id_problems(where, raw)
    yield from _driver_problems(where, raw)
    wording = raw.get("text_for")
    if not isinstance(wording, dict):
        wording = {}
    for side in BOUNDARY_DEPARTMENTS:
        if not _is_text(wording.get(side)):
            yield f"{where} ({raw.get('id')!r}): no wording for {side}"


def _duplicate_id_problems(entries):
    counts = Counter(entry.get("id") for entry in entries if isinstance(entry.get("id"), str))
    for item_id, count in counts.items():
        if count > 1:
            yield f"duplicate id {item_id!r} ({count} times)"


def _count_problems(items, paired):
    per_driver = Counter(raw.get("driver") for raw in items)
    for driver in DRIVERS:
        if per_driver[driver] < MIN_ITEMS_PER_DRIVER:
            yield (f"driver {driver!r} has {per_driver[driver]} items, "
                   f"needs at least {MIN_ITEMS_PER_DRIVER}")
    if len(paired) < MIN_PAIRED_ITEMS:
        yield f"{len(paired)} paired items, needs at least {MIN_PAIRED_ITEMS}"


def _build_bank(data):
    return QuestionBank(
        version=data["version"],
        items=tuple(_build_item(raw) for raw in data["items"]),
        paired_items=tuple(_build_paired(raw) for raw in data["paired_items"]),
        recommend=RecommendItem(id=data["recommend"]["id"], text=data["recommend"]["text"]),
        comment_prompt=data["comment_prompt"],
    )


def _build_item(raw):
    return Item(id=raw["id"], driver=raw["driver"], text=raw["text"],
                reverse=raw.get("reverse", False))


def _build_paired(raw):
    # Only the two boundary sides are kept, so a stray key cannot become a third audience.
    wording = {side: raw["text_for"][side] for side in BOUNDARY_DEPARTMENTS}
    return PairedItem(id=raw["id"], driver=raw["driver"], text_for=MappingProxyType(wording))
