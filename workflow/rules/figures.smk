# Figures layer: matplotlib, PNG and PDF with deterministic bytes.


rule figure_peer_paths:
    message:
        "Figure: {params.focus} and peers, manufacturing output index"
    input:
        panel=rules.country_panel.output.panel,
    output:
        png=report(
            "results/figures/peer_paths.png",
            caption="../report/peer_paths.rst",
            category="Figures",
            subcategory="Output around the shocks",
        ),
        pdf="results/figures/peer_paths.pdf",
    params:
        code=script_code("figure_peer_paths.py"),
        focus=config["figures"]["focus"],
        peers=config["figures"]["peers"],
        base_year=config["figures"]["peer_base_year"],
        outcome=config["measures"]["outcome"],
    log:
        "logs/figures/peer_paths.log",
    benchmark:
        "benchmarks/figures/peer_paths.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/figure_peer_paths.py"


rule figure_output_by_tercile:
    message:
        "Figure: manufacturing output around {wildcards.episode} by pre-shock digitalization tercile"
    input:
        panel=rules.country_panel.output.panel,
        exposures="results/tables/countries_exposures.csv",
    output:
        png=report(
            "results/figures/output_by_tercile_{episode}.png",
            caption="../report/output_by_tercile.rst",
            category="Figures",
            subcategory="Output around the shocks",
        ),
        pdf="results/figures/output_by_tercile_{episode}.pdf",
    params:
        code=script_code("figure_output_by_tercile.py"),
        episode=lambda wildcards: next(e for e in config["episodes"] if e["name"] == wildcards.episode),
        window=config["figures"]["tercile_window"],
        variable=config["figures"]["exposure"],
        outcome=config["measures"]["outcome"],
    log:
        "logs/figures/output_by_tercile_{episode}.log",
    benchmark:
        "benchmarks/figures/output_by_tercile_{episode}.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/figure_output_by_tercile.py"


rule figure_coefficients:
    message:
        "Figure: coefficients of the main model {params.model}"
    input:
        coefs="results/tables/countries_models.csv",
    output:
        png=report(
            "results/figures/coefficients_main.png",
            caption="../report/coefficients_main.rst",
            category="Figures",
            subcategory="Models",
        ),
        pdf="results/figures/coefficients_main.pdf",
    params:
        code=script_code("figure_coefficients.py"),
        model=MAIN_MODEL,
        words=config["labels"]["terms"],
    log:
        "logs/figures/coefficients_main.log",
    benchmark:
        "benchmarks/figures/coefficients_main.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/figure_coefficients.py"


rule figure_resistance_scatter:
    message:
        "Figure: resistance against pre-shock digitalization, {wildcards.episode}"
    input:
        martin="results/tables/countries_martin.csv",
        exposures="results/tables/countries_exposures.csv",
    output:
        png=report(
            "results/figures/resistance_scatter_{episode}.png",
            caption="../report/resistance_scatter.rst",
            category="Figures",
            subcategory="Resistance and digitalization",
        ),
        pdf="results/figures/resistance_scatter_{episode}.pdf",
    params:
        code=script_code("figure_resistance_scatter.py"),
        labels=[config["figures"]["focus"]] + config["figures"]["peers"],
        episode=lambda wildcards: next(e for e in config["episodes"] if e["name"] == wildcards.episode),
        variable=config["figures"]["exposure"],
        variable_label=config["labels"]["terms"].get(config["figures"]["exposure"], config["figures"]["exposure"]),
    log:
        "logs/figures/resistance_scatter_{episode}.log",
    benchmark:
        "benchmarks/figures/resistance_scatter_{episode}.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/figure_resistance_scatter.py"
