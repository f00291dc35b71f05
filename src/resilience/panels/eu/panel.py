"""The EU regional panel: NUTS-2 regions x years from Eurostat, harmonised to one NUTS version,
regions grouped by country."""

from __future__ import annotations

from resilience.panels.base import MeasureTables, Panel

_TABLES = ["provenance", "nuts_summary", "coverage", "martin_summary", "exposures", "exposure_summary",
           "digital_composite", "models", "cross_section", "map_status"]
FIGURES = ("resistance_by_cluster", "resistance_by_digital", "coverage")


class EuPanel(Panel):
    id = "eu"
    label = "EU regions"
    panel_file = "data/processed/eu_panel.parquet"
    figures = FIGURES
    stage_keys = {"measures": ("measures", "growth"), "models": ("models", "design", "bootstrap"),
                  "figure": ("figures", "episodes")}
    figure_inputs = {"martin": "results/tables/eu_martin.csv", "exposures": "results/tables/eu_exposures.csv",
                     "coverage": "results/tables/eu_coverage.csv"}
    bootstrap_clustered_by = "country"
    martin_benchmark_is_group = True  # measures.benchmark: national or units_sum, both the own country
    raw_scale = ("NOT standardized (design.standardize is false): digital_z = mean of indicator z-scores across "
                 "regions (not unit SD), LQs in LQ units (1 = EU average), cluster_count in industries; main "
                 "effects at the other exposure = 0")
    section_after = "trade_diversion"
    section_inputs = {
        **{name: f"results/tables/eu_{name}.csv" for name in _TABLES},
        "notes": "results/models/eu_models.json",
        "figures": [f"results/figures/eu_{name}.png" for name in (*FIGURES, "resistance_map")],
    }

    def check_config(self, config, catalog):
        from resilience.panels.eu.checks import check_eu_config
        check_eu_config(config, set(catalog.index), catalog)

    def adaptation_names(self, config):
        """The configured series, each sector group's codes as ``<group>.<code>`` with its ``<group>_total``,
        and the growth columns of ``growth``."""
        settings = self.settings(config)
        sectors = settings["sectors"]
        series = set(settings["series"]) | {f"{group}.{code}" for group, spec in sectors.items() for code in spec["codes"]}
        series |= {f"{group}_total" for group, spec in sectors.items() if spec.get("total")}
        return series, set(settings["growth"])

    def notes_reason(self, notes, model):
        entry = next((n for n in notes.get("panel_models", []) if n.get("model") == model), None)
        if entry is None:
            return f"model {model} not in the notes"
        if not entry.get("estimable", False):
            return f"not estimable: {entry.get('reason', 'no data')}"
        parts = []
        if entry.get("exposures_dropped"):
            parts.append("exposures left out for lack of data: " + ", ".join(entry["exposures_dropped"]))
        if entry.get("episodes_dropped"):
            parts.append("episodes left out for lack of data: " + ", ".join(entry["episodes_dropped"]))
        return "; ".join(parts)

    def to_core(self, frame, settings):
        """A region's group is its country."""
        from resilience.panels.eu.units import to_core
        return to_core(frame)

    def from_core(self, frame):
        from resilience.panels.eu.units import from_core
        return from_core(frame)

    def size_levels(self, panel):
        """The regions' long rows: the countries' own rows are the Martin benchmark, not units."""
        from resilience.panels.eu.units import region_rows
        return region_rows(panel)[["unit", "year", "series", "value"]]

    def measure_tables(self, panel, settings, episodes) -> MeasureTables:
        from resilience.panels.eu import measures
        martin = measures.martin_table(panel, settings["measures"]["outcomes"], episodes,
                                       settings["measures"]["benchmark"])
        exposures, info = measures.exposures_table(panel, settings, episodes)
        return MeasureTables(measures.growth_panel(panel, settings["growth"]), martin, exposures, info)

    def models(self, growth, exposures, inputs, settings, episodes):
        import pandas as pd

        from resilience.models.wild_bootstrap import BOOT_COLUMNS
        from resilience.panels.eu.models import EU_COEF_COLUMNS, fit_panel_model
        fits = [fit_panel_model(growth, exposures, episodes, model, settings["bootstrap"], settings["design"])
                for model in settings["models"]]
        tables = [t for t, _, _ in fits if len(t)]
        boots = [b for _, b, _ in fits if len(b)]
        coefs = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=EU_COEF_COLUMNS)
        boot = pd.concat(boots, ignore_index=True) if boots else pd.DataFrame(columns=["model", *BOOT_COLUMNS])
        boot = boot[["model", *[c for c in boot.columns if c != "model"]]]
        return coefs, boot, {"panel_models": [n for _, _, n in fits]}

    def figure(self, name, inputs, settings):
        from resilience.figures.regions import coverage_figure
        from resilience.io import read_csv
        from resilience.panels.stages import tercile_figure
        if name == "coverage":
            return coverage_figure(read_csv(inputs["coverage"]), title="EU regional panel: coverage")
        return tercile_figure(self, name, inputs, settings, "EU regions", "own country",
                              settings["figures"]["outcome"].replace("_", " "))

    def section(self, tables, notes, settings):
        from resilience.panels.eu.section import eu_section
        return eu_section({**tables, "model_notes": notes["panel_models"]}, settings)


PANEL = EuPanel()
