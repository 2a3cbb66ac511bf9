"""Team-week panel, tension-signal detection and lifecycle (DESIGN §6)."""
from analysis.signals.detect import detect_signals
from analysis.signals.lifecycle import LifecycleUpdate, update_lifecycle
from analysis.signals.panel import (Panel, PanelError, PanelRow, panel_from_columns,
                                    panel_from_rows, read_panel, read_panel_rows, write_panel)
from analysis.signals.params import DetectionParams
from analysis.signals.signal import Signal

__all__ = ["detect_signals", "LifecycleUpdate", "update_lifecycle", "Panel", "PanelError",
           "PanelRow", "panel_from_columns", "panel_from_rows", "read_panel", "read_panel_rows",
           "write_panel", "DetectionParams", "Signal"]
