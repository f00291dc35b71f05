"""The panels, one subpackage each (``countries``, ``eu``, ``china``), behind ``base.Panel``.

The registry is found, not typed: every subpackage whose ``panel`` module defines ``PANEL`` is a
panel, under its ``PANEL.id`` (its config key, file prefix and the rules' ``{panel}`` wildcard). The
stage rules, the config checks, the cross-panel comparison and the report read the panels from here.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from resilience.errors import ConfigError
from resilience.panels.base import MeasureTables, Panel

__all__ = ["MeasureTables", "Panel", "get", "ids", "registry", "section_order"]


@cache
def registry() -> dict[str, Panel]:
    """Panel id -> the panel, for every subpackage of this package that defines ``panel.PANEL``."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}.panel")
        panel = module.PANEL
        if panel.id in found:
            raise ConfigError(f"panels: id {panel.id!r} is defined twice ({info.name})")
        found[panel.id] = panel
    return found


def ids() -> tuple[str, ...]:
    return tuple(sorted(registry()))


def get(panel_id: str) -> Panel:
    panels = registry()
    if panel_id not in panels:
        raise ConfigError(f"panel {panel_id!r}: expected one of {sorted(panels)}")
    return panels[panel_id]


def section_order(sections: list[str]) -> list[str]:
    """``sections`` with each panel that has a report section of its own inserted after the section
    its ``section_after`` names (at the end when that is None or not among them), in id order."""
    order = list(sections)
    for panel_id in ids():
        panel = get(panel_id)
        if panel.section_inputs is None:
            continue
        after = panel.section_after
        order.insert(order.index(after) + 1 if after in order else len(order), panel_id)
    return order
