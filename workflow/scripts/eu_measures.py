"""Rule eu_measures: Martin indices against the own country and pre-shock exposures per episode."""
import pandas as pd

from resilience.io import setup_logging, write_csv
from resilience.regions import eu_measures as m

log = setup_logging(snakemake.log[0])
panel, params, out = pd.read_parquet(snakemake.input.panel), snakemake.params, snakemake.output
martin = m.martin_table(panel, params.settings["measures"]["outcomes"], params.episodes,
                        params.settings["measures"]["benchmark"])
exposures, digital_notes = m.exposures_table(panel, params.settings, params.episodes)
write_csv(martin, out.martin)
write_csv(m.martin_summary(martin), out.martin_summary)
write_csv(exposures, out.exposures)
write_csv(m.exposure_summary(exposures), out.exposure_summary)
write_csv(digital_notes, out.digital_notes)
log.info("Martin rows %d, exposure rows %d", len(martin), len(exposures))
