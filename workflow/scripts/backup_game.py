"""Rule backup_game: equilibrium regions, equilibria of the example, and the game-tree figures."""
from resilience.figures.common import save_figure
from resilience.figures.game import equilibrium_regions_figure, game_trees_figure
from resilience.context.game.section import equilibria_table, regions_table
from resilience.io import setup_logging, write_csv

setup_logging(snakemake.log[0])
game, out = snakemake.params.game, snakemake.output
regions = regions_table(game)
write_csv(regions, out.regions)
write_csv(equilibria_table(game), out.equilibria)
save_figure(equilibrium_regions_figure(regions, game["h"], game["l"]), out.regions_png, out.regions_pdf)
example = game["example"]
save_figure(game_trees_figure(game["H"], game["L"], example["s"], game["h"], game["l"], example["c"]),
            out.trees_png, out.trees_pdf)
