"""The pulse-survey question bank: items by driver, paired boundary items, rotation and eNPS.

Pure standard library, so rounds can be planned and scored without Flask or a database.
"""
from .enps import enps, enps_band
from .loader import available_versions, bank_problems, load_bank, load_bank_file
from .model import (
    AGREEMENT_LABELS,
    AGREEMENT_SCALE,
    BOUNDARY_DEPARTMENTS,
    DRIVER_LABELS,
    DRIVERS,
    RECOMMEND_LABELS,
    RECOMMEND_SCALE,
    Item,
    NotAskedOfDepartmentError,
    PairedItem,
    QuestionBank,
    QuestionBankError,
    RecommendItem,
    UnknownItemError,
)
from .rotation import (
    ROUND_SIZES,
    ROUNDS_PER_MONTH,
    UnknownCadenceError,
    coverage_window,
    driver_slots,
    is_boundary_department,
    paired_item_for_round,
    plan_round_items,
    round_size,
)

__all__ = [
    "AGREEMENT_LABELS", "AGREEMENT_SCALE", "BOUNDARY_DEPARTMENTS", "DRIVER_LABELS", "DRIVERS",
    "RECOMMEND_LABELS", "RECOMMEND_SCALE", "ROUND_SIZES", "ROUNDS_PER_MONTH",
    "Item", "PairedItem", "QuestionBank", "RecommendItem",
    "QuestionBankError", "UnknownItemError", "NotAskedOfDepartmentError", "UnknownCadenceError",
    "available_versions", "bank_problems", "load_bank", "load_bank_file",
    "coverage_window", "driver_slots", "is_boundary_department", "paired_item_for_round",
    "plan_round_items", "round_size", "enps", "enps_band",
]
