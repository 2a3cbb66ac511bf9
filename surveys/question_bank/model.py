"""The question bank's value types, its fixed vocabulary (drivers, scales) and its errors."""
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

#: Driver ids in their canonical order; panel metrics (DESIGN §6) use these names.
DRIVERS = (
    "role_clarity",
    "lead_quality",
    "feedback_loop",
    "communication",
    "information_tools",
    "shared_goals",
    "respect_trust",
    "recognition",
    "conflict_handling",
    "workload",
)

#: Names a manager reads for each driver.
DRIVER_LABELS = MappingProxyType({
    "role_clarity": "Role clarity",
    "lead_quality": "Lead quality & handoff",
    "feedback_loop": "Feedback loop",
    "communication": "Communication",
    "information_tools": "Information & tools",
    "shared_goals": "Shared goals & incentives",
    "respect_trust": "Respect & trust",
    "recognition": "Recognition & credit",
    "conflict_handling": "Conflict handling",
    "workload": "Workload",
})

#: The two sides of the boundary; every other department is a partner team.
BOUNDARY_DEPARTMENTS = ("marketing", "sales")

AGREEMENT_SCALE = (1, 5)
AGREEMENT_LABELS = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)
RECOMMEND_SCALE = (0, 10)
RECOMMEND_LABELS = ("Not at all likely", "Extremely likely")


class QuestionBankError(Exception):
    """A bank file is missing or malformed, or a lookup in the bank failed."""


class UnknownItemError(QuestionBankError, LookupError):
    """No item in the bank has the requested id."""


class NotAskedOfDepartmentError(QuestionBankError, LookupError):
    """A paired item was requested for a department that is not marketing or sales."""


def normalise_department(department):
    """Return the department name in the lower-case form the bank uses."""
    return str(department).strip().lower()


@dataclass(frozen=True)
class Item:
    """A 1–5 agreement statement tagged with one driver."""

    id: str
    driver: str
    text: str
    reverse: bool = False
    scale: tuple = AGREEMENT_SCALE


@dataclass(frozen=True)
class PairedItem:
    """One boundary statement, worded for each side about the other team."""

    id: str
    driver: str
    # A read-only mapping is not hashable, so it stays out of the hash but in equality.
    text_for: Mapping[str, str] = field(hash=False)
    scale: tuple = AGREEMENT_SCALE


@dataclass(frozen=True)
class RecommendItem:
    """The 0–10 'would you recommend working on this team' question behind eNPS."""

    id: str
    text: str
    scale: tuple = RECOMMEND_SCALE


@dataclass(frozen=True)
class QuestionBank:
    """One version of the bank: scaled items, paired items, the recommend item and the comment."""

    version: int
    items: tuple
    paired_items: tuple
    recommend: RecommendItem
    comment_prompt: str

    def by_id(self, item_id):
        """Return the item, paired item or recommend item with this id, else UnknownItemError."""
        for entry in (*self.items, *self.paired_items, self.recommend):
            if entry.id == item_id:
                return entry
        raise UnknownItemError(f"question bank v{self.version} has no item {item_id!r}")

    @property
    def drivers(self):
        """Drivers that have scaled items, in canonical order."""
        present = {item.driver for item in self.items}
        return tuple(driver for driver in DRIVERS if driver in present)

    def items_for_driver(self, driver):
        """Scaled items of one driver, in bank order (the order rotation walks them)."""
        return tuple(item for item in self.items if item.driver == driver)

    def text_for(self, item_id, department):
        """Return the wording of an item as shown to a member of `department`."""
        entry = self.by_id(item_id)
        if not isinstance(entry, PairedItem):
            return entry.text
        side = normalise_department(department)
        if side not in entry.text_for:
            raise NotAskedOfDepartmentError(
                f"paired item {item_id!r} is asked only of {', '.join(BOUNDARY_DEPARTMENTS)}, "
                f"not of {department!r}"
            )
        return entry.text_for[side]
