"""Robustness of the shock x exposure estimates and the adaptation measures.

Pure functions (frames in, frames out) on the generic layout: growth (unit, group, year, outcomes),
exposures (unit, episode, variable, value), episodes as config dicts. One module per exercise:
``event_study``, ``local_projections``, ``placebo``, ``multiple_testing``, ``adaptation``,
``size_weighting``; ``_ols`` is their shared weighted least squares with CR1 / HC1 covariances.
"""
