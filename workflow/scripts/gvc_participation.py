"""Rule gvc_participation: GVC participation table, source status and figure (empty without the source)."""
from resilience.context.gvc.analysis import participation_from_raw
from resilience.figures.common import save_figure
from resilience.figures.gvc import participation_figure
from resilience.io import setup_logging, write_csv

log = setup_logging(snakemake.log[0])
gvc, inp, out = snakemake.params.gvc, snakemake.input, snakemake.output
table, status = participation_from_raw({"shares": inp.shares, "exports": inp.exports}, gvc)
write_csv(table, out.table)
write_csv(status, out.status)
missing = [r.dataset for r in status.itertuples() if r.status != "ok"]
note = f"Unavailable in this run: {', '.join(missing)} (results/tables/gvc_status.csv)." if missing else ""
save_figure(participation_figure(table, gvc["countries"], note=note), out.png, out.pdf)
log.info("gvc participation: %d rows; unavailable: %s", len(table), missing or "none")
