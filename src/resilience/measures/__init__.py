"""Measures: pure functions of tidy frames, each unit-tested against hand-computed cases.

- ``growth``     annual log growth, period change
- ``martin``     Martin (2012) resistance / recovery against a balanced benchmark or a unit
- ``loss``       cumulative loss against the pre-shock trend, years to regain the pre-shock peak
- ``exposure``   pre-shock exposure values by the nearest-year rule
- ``composite``  z-score, PCA and entropy-weight composite indices
- ``structure``  location quotients, Herfindahl, entropy, Krugman, AMA sector shares
"""
