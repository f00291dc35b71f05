"""The country panel: economies (ISO3) x years from UN AMA and WDI, each economy its own group."""

from __future__ import annotations

from resilience.panels.base import MeasureTables, Panel
from resilience.panels.countries.units import from_core, to_core


class CountriesPanel(Panel):
    id = "countries"
    label = "Countries"
    panel_file = "data/processed/countries_panel.parquet"
    figures = ("resistance_by_cluster", "resistance_by_digital", "coverage")
    stage_keys = {"measures": ("measures",), "models": ("models", "design", "bootstrap"),
                  "figure": ("measures", "figures", "episodes")}
    figure_inputs = {"martin": "results/tables/countries_martin.csv",
                     "exposures": "results/tables/countries_exposures.csv",
                     "coverage": "results/tables/coverage.csv"}
    bootstrap_clustered_by = "economy"
    raw_scale = ("NOT standardized (design.standardize is false): digital_z = mean of indicator z-scores across "
                 "economies (not unit SD), lq_manuf in LQ units (1 = world share); main effects at the other "
                 "exposure = 0")

    def settings(self, config: dict) -> dict:
        """The country panel's settings in the layout of a regional block: its measures, its shock x
        exposure models (kind ``panel``; the other kinds run in rule ``model``), design and bootstrap."""
        figures = config["figures"]
        return {"measures": config["measures"], "models": [m for m in config["models"] if m["kind"] == "panel"],
                "episodes": [e["name"] for e in config["episodes"]],
                "figures": {"outcome": config["measures"]["outcome"], "cluster_exposure": figures["cluster_exposure"],
                            "digital_exposure": figures["exposure"]},
                **config["panels"]["countries"]}

    def episodes(self, config: dict) -> list[dict]:
        return config["episodes"]

    def adaptation_names(self, config):
        """The canonical series (the panel file's columns) and the growth columns of measures.growth_series."""
        return set(config["series"]), set(config["measures"]["growth_series"])

    def comparison_models(self, config: dict) -> dict[str, dict]:
        """Only the models clustered by economy, like the regional models: the intervals use t(G-1)."""
        models = super().comparison_models(config)
        return {name: m for name, m in models.items() if m.get("cov") == "clustered"}

    def measure_tables(self, panel, settings, episodes) -> MeasureTables:
        from resilience.panels.countries import measures
        own = settings["measures"]
        growth, _ = measures.growth_table(panel, own["growth_series"], own["break_footnotes"])
        martin = measures.martin_table(panel, own["outcome"], episodes, own["benchmark"], own["break_footnotes"])
        exposures, info = measures.exposures_table(panel, episodes, own["digital"], own["exposure_max_back"],
                                                   own["outcome"])
        return MeasureTables(growth, martin, exposures, info)

    def to_core(self, frame, settings):
        """The unit is the economy (iso3), its own group; the Martin outcome is measures.outcome."""
        out = to_core(frame)
        out = out.assign(group=out["unit"])
        return out if "phase" not in out.columns else out.assign(outcome=settings["measures"]["outcome"])

    def from_core(self, frame):
        """The summaries' number of groups is the number of economies, published as ``countries``."""
        return from_core(frame).rename(columns={"groups": "countries"})

    def size_levels(self, panel):
        """The wide country panel (one column per series) as long rows."""
        series = [c for c in panel.columns if c not in ("iso3", "year") and not c.endswith("__flags")]
        long = panel.melt(id_vars=["iso3", "year"], value_vars=series, var_name="series", value_name="value")
        return to_core(long)

    def models(self, growth, exposures, inputs, settings, episodes):
        from resilience.panels.countries.models import run_models
        return run_models(growth, exposures, episodes, settings)

    def figure(self, name, inputs, settings):
        from resilience.figures.regions import coverage_figure
        from resilience.io import read_csv
        from resilience.panels.stages import tercile_figure
        if name == "coverage":
            coverage = read_csv(inputs["coverage"]).rename(columns={"n_economies": "regions",
                                                                    "share_missing": "missing_share"})
            return coverage_figure(coverage, title="Country panel: coverage")
        return tercile_figure(self, name, inputs, settings, "Countries", settings["measures"]["benchmark"],
                              settings["figures"]["outcome"])


PANEL = CountriesPanel()
