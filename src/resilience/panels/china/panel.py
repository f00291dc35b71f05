"""The Chinese province panel: 31 provinces x years from NBS exports and the PKU digital financial
inclusion index, all in one country (CHN)."""

from __future__ import annotations

from resilience.panels.base import MeasureTables, Panel

_TABLES = ["provenance", "coverage", "footnotes", "martin", "models"]
FIGURES = ("resistance_terciles", "coverage")


class ChinaPanel(Panel):
    id = "china"
    label = "Chinese provinces"
    panel_file = "data/processed/china_panel.parquet"
    figures = FIGURES
    stage_keys = {"measures": ("index_lagged_rows", "price_base_year", "episode"),
                  "models": ("models", "episode", "bootstrap", "design", "composite"), "figure": ("years",)}
    figure_inputs = {"panel": "data/processed/china_panel.parquet", "growth": "data/processed/china_growth.parquet",
                     "provenance": "results/tables/china_provenance.csv",
                     "martin": "results/tables/china_martin.csv", "exposures": "results/tables/china_exposures.csv"}
    model_inputs = {"composite": "data/processed/china_composite.parquet"}
    comparison = {
        "models": "results/tables/china_models.csv", "notes": "results/models/china_models.json",
        "bootstrap": {"path": "results/tables/china_wild_bootstrap.csv", "clustered_by": "province",
                      "columns": {"p_boot": "boot_p", "ci_low": "boot_ci_low", "ci_high": "boot_ci_high",
                                  "clusters": "boot_clusters", "reps": "boot_reps", "weights": "boot_weights"}},
        "raw_scale": "NOT standardized (design.standardize is false): digital finance index points, secondary "
                     "LQ in LQ units (1 = national share); main effects at the other exposure = 0",
    }
    section_after = "gvc"
    section_inputs = {
        **{name: f"results/tables/china_{name}.csv" for name in _TABLES},
        "alignment": "results/tables/china_index_alignment.csv",
        "weights": "results/tables/china_composite_weights.csv",
        "notes": "results/models/china_models.json",
        "figures": [f"results/figures/china_{name}.png" for name in FIGURES],
    }

    def episodes(self, config):
        return [self.settings(config)["episode"]]

    def check_config(self, config, catalog):
        from resilience.panels.china.checks import check_china_config
        check_china_config(self.settings(config), set(catalog.index))

    def adaptation_names(self, config):
        """The configured series; the growth columns are made in code (``measures``), so not checked here."""
        return set(self.settings(config)["series"]), None

    def notes_reason(self, notes, model):
        entry = notes.get(model)
        if entry is None:
            return f"model {model} not in the notes"
        return f"skipped: {entry['skipped']}" if "skipped" in entry else ""

    def measure_tables(self, panel, settings, episodes) -> MeasureTables:
        from resilience.panels.china import measures
        own = {"index_lagged_rows": settings["index_lagged_rows"], "price_base_year": settings["price_base_year"]}
        growth = measures.growth_table(panel, own)
        martin = measures.martin_table(measures.outcome_levels(panel, own), settings["episode"])
        exposures = measures.exposure_table(panel, settings["episode"])
        return MeasureTables(growth, martin, exposures, measures.digital_info(exposures, settings["episode"]))

    def to_core(self, frame, settings):
        """Provinces: their tables carry no group column; all are in one country, their group."""
        from resilience.panels.china.units import to_core
        return to_core(frame)

    def from_core(self, frame):
        from resilience.panels.china.units import from_core
        return from_core(frame)

    def models(self, growth, exposures, inputs, settings, episodes):
        import pandas as pd

        from resilience.panels.china.models import run_models
        return run_models(growth, exposures, pd.read_parquet(inputs["composite"]), settings)

    def figure(self, name, inputs, settings):
        import pandas as pd

        from resilience.io import read_csv
        from resilience.panels.china.figures import coverage_figure, resistance_terciles_figure
        martin, provenance = read_csv(inputs["martin"]), read_csv(inputs["provenance"])
        if name == "coverage":
            used = (provenance["status"] == "used") & (provenance["kind"] == "compiled")
            return coverage_figure(pd.read_parquet(inputs["panel"]), settings["years"],
                                   set(provenance.loc[used, "series"]), pd.read_parquet(inputs["growth"]))
        outcome = "real_gdp" if (martin["outcome"] == "real_gdp").any() else "nominal_gdp"
        benchmark = (martin.loc[martin["outcome"] == outcome, "benchmark"].iloc[0] if len(martin)
                     else "national benchmark")
        return resistance_terciles_figure(martin, read_csv(inputs["exposures"]), outcome, benchmark)

    def section(self, tables, notes, settings):
        from resilience.panels.china.section import china_section
        return china_section(tables, notes, settings)


PANEL = ChinaPanel()
