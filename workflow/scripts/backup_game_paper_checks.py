"""Rule backup_game_paper_checks: the paper's statements about the backup game beside the solved game."""

from resilience.context.game.paper import paper_checks
from resilience.io import setup_logging, write_csv

log = setup_logging(snakemake.log[0])
checks = paper_checks(snakemake.params.game)
write_csv(checks, snakemake.output.checks)
log.info("backup game: %d of %d statements agree with the solved game", int(checks["agrees"].sum()), len(checks))
