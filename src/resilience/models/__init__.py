"""Models stage: specification from config -> design -> estimate -> tidy coefficient table.

``spec`` (parse and check a ``models:`` entry), ``design`` (shock x pre-shock exposure terms),
``panel`` (PanelOLS, CR1 / Driscoll-Kraay), ``cross_section`` (OLS, HC1), ``coefs`` (the
contract table), ``tables`` (Markdown / LaTeX).
"""

# Submodules are imported where used: importing statsmodels and linearmodels here would cost
# every `import resilience.models.spec` (the config check, run on each Snakemake start) seconds.
