"""Cross-checks of the ``gvc`` config block that the schema cannot express (kept free of heavy imports:
``resilience.config`` runs them before any job)."""

from __future__ import annotations

from resilience.errors import ConfigError

TOTAL = "total"


def check_settings(gvc: dict, datasets: set[str]) -> None:
    """Cross-checks of the ``gvc`` config block that the schema cannot express."""
    for role, dataset in gvc["datasets"].items():
        if dataset not in datasets:
            raise ConfigError(f"gvc.datasets.{role}: unknown dataset {dataset!r} (not in the catalog)")
    seen: dict[str, str] = {}
    for name, group in gvc["groups"].items():
        if name == TOTAL:
            raise ConfigError(f"gvc.groups: {TOTAL!r} is reserved for the whole economy")
        for activity in group["activities"]:
            if activity == gvc["total_activity"]:
                raise ConfigError(f"gvc.groups.{name}: {activity} is the total activity, not an industry")
            if activity in seen:
                raise ConfigError(f"gvc.groups.{name}: activity {activity} is already in group {seen[activity]}")
            seen[activity] = name
