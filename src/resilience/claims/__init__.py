"""The claims ledger: the motivating papers' claims beside their regeneration from the results tables.

- ``ledger``     load and validate ``config/claims.yaml`` (schema ``config/claims_schema.yaml``)
- ``selectors``  resolve a claim's selector to one results cell
- ``verdicts``   the verdict rule: reproduced, differs, contradicted, needs the live source, not regenerable
- ``section``    the ledger table and the report section "The papers' numbers, regenerated"
"""
