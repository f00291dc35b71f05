"""Rule eu_cross_section: OLS of the Martin indices on pre-shock exposures with country effects (HC1)."""
from resilience.io import read_csv, setup_logging, write_csv
from resilience.panels.eu.models import cross_sections

log = setup_logging(snakemake.log[0])
cross, notes = cross_sections(read_csv(snakemake.input.martin), read_csv(snakemake.input.exposures),
                              snakemake.params.cross_section)
write_csv(cross, snakemake.output.cross_section)
for note in notes:
    log.info("cross-section %s", note)
