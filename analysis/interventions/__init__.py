"""Intervention catalogue, ranking against signals, and before/after effects (DESIGN §7)."""
from analysis.interventions.catalogue import (CatalogueError, Intervention, load_catalogue,
                                              validate_catalogue)
from analysis.interventions.effect import Effect, before_after_effect
from analysis.interventions.ranking import rank_interventions

__all__ = ["CatalogueError", "Intervention", "load_catalogue", "validate_catalogue", "Effect",
           "before_after_effect", "rank_interventions"]
