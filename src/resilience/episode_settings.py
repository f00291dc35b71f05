"""Settings given either as one value for every episode or as a mapping episode -> value: the headline
model, the size series, a Martin or hysteresis outcome. :func:`for_episode` reads both forms."""

from __future__ import annotations


def for_episode(setting, episode: str):
    """``setting`` as ``episode`` uses it: the value itself, or the mapping's entry for the episode (None
    when the mapping leaves the episode out)."""
    return setting.get(episode) if isinstance(setting, dict) else setting
