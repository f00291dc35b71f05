"""Figures: deterministic PNG/PDF output built on matplotlib Figure objects (no pyplot state).

Import from the submodules (``resilience.figures.common``, ``.coefplot``, ...): this package module
imports nothing, so a job that needs one helper does not pay for matplotlib's whole plotting stack.
"""
