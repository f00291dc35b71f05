"""Rule eu_map: resistance per NUTS-2 region on GISCO polygons, and the map's status table (the figure
says the map needs the live GISCO file when the optional polygons are unavailable)."""
from resilience.figures.common import save_figure
from resilience.panels.eu.map_figure import color_limit, map_unavailable, resistance_map, resistance_values
from resilience.io import read_csv, setup_logging, write_csv
from resilience.panels.eu.map import NEEDS_LIVE, map_status, shapes_from_raw

log = setup_logging(snakemake.log[0])
inp, out, params = snakemake.input, snakemake.output, snakemake.params
spec, outcome = params.map, params.outcome
martin = read_csv(inp.martin)
panels = {e["name"]: resistance_values(martin, outcome, e["name"]) for e in params.episodes}
shapes, manifest = shapes_from_raw(inp.geometry, level=2)
title = f"Resistance of {outcome.replace('_', ' ')} against the own country, NUTS-2 regions"
source = (f"Polygons: Eurostat GISCO, NUTS {spec['nuts_version']} ({manifest.get('file') or spec['dataset']}); "
          "© EuroGeographics for the administrative boundaries.")
if shapes is None:
    limit = None
    figure = map_unavailable(f"Map not drawn: it {NEEDS_LIVE}\n({spec['dataset']}, Eurostat GISCO NUTS "
                             f"{spec['nuts_version']} polygons; see results/tables/eu_map_status.csv)", title=title)
else:
    limit = color_limit(list(panels.values()), spec["color_quantile"])
    labels = {e["name"]: e["label"] for e in params.episodes}
    figure = resistance_map(shapes, [(labels[name], values) for name, values in panels.items()], limit=limit,
                            extent=spec["extent"], title=title,
                            value_label="Resistance, index_pp (regional minus national change, pp)",
                            note=[f"Colour scale +-{limit:.3g} pp (the {spec['color_quantile']:g} quantile of |index_pp|); "
                                  "grey: no value. Outermost regions lie outside the frame.", source])
save_figure(figure, out.png, out.pdf)
status = map_status(manifest, shapes, panels, outcome=outcome, limit=limit)
write_csv(status, out.status)
log.info("eu map: source %s (%s); regions with a value per episode: %s", manifest.get("dataset"),
         manifest.get("status"), dict(zip(status["episode"], status["regions_with_value"])))
