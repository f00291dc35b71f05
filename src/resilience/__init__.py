"""Industrial and supply-chain resilience pipeline: raw public data to report.

Every stage is a pure function of data; Snakemake rules in ``workflow/`` are thin wrappers.
"""

__version__ = "0.1.0"
