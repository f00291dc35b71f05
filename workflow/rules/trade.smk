# Trade diversion: US imports from China, Mexico, Viet Nam and India by year and
# quarter, ratios to China, China's share overall and by HS section, the Comtrade mirror check,
# the largest single-country sources, the monthly coverage and the revisions between two vintages
# of the Census workbook; then its report section. Sources without a mirror file are optional (their manifests say why).
from resilience.context.trade.checks import trade_datasets

TRADE = config["trade_diversion"]


rule trade_diversion:
    message:
        "Computing US imports by partner, ratios to China and China's share"
    input:
        raw=expand("data/raw/{dataset}", dataset=trade_datasets(TRADE)),
        sections=repo_file(TRADE["hs_sections"]),
    output:
        annual=report(
            "results/tables/trade_partner_annual.csv",
            caption="../report/trade_partner_annual.rst",
            category="Tables",
            subcategory="Context analyses: trade diversion",
        ),
        quarterly=report(
            "results/tables/trade_partner_quarterly.csv",
            caption="../report/trade_partner_quarterly.rst",
            category="Tables",
            subcategory="Context analyses: trade diversion",
        ),
        china_share=report(
            "results/tables/trade_china_share.csv",
            caption="../report/trade_china_share_table.rst",
            category="Tables",
            subcategory="Context analyses: trade diversion",
        ),
        mirror=report(
            "results/tables/trade_mirror_check.csv",
            caption="../report/trade_mirror_check.rst",
            category="Tables",
            subcategory="Context analyses: trade diversion",
        ),
        sources=report(
            "results/tables/trade_sources.csv",
            caption="../report/trade_sources.rst",
            category="Tables",
            subcategory="Context analyses: trade diversion",
        ),
        revisions=report(
            "results/tables/trade_census_revisions.csv",
            caption="../report/trade_census_revisions.rst",
            category="Tables",
            subcategory="Context analyses: trade diversion",
        ),
        largest=report(
            "results/tables/trade_largest_partners.csv",
            caption="../report/trade_largest_partners.rst",
            category="Tables",
            subcategory="Context analyses: trade diversion",
        ),
        coverage=report(
            "results/tables/trade_monthly_coverage.csv",
            caption="../report/trade_monthly_coverage.rst",
            category="Tables",
            subcategory="Context analyses: trade diversion",
        ),
        ratios_png=report(
            "results/figures/trade_partner_ratios.png",
            caption="../report/trade_partner_ratios.rst",
            category="Figures",
            subcategory="Context analyses: trade diversion",
        ),
        ratios_pdf="results/figures/trade_partner_ratios.pdf",
        share_png=report(
            "results/figures/trade_china_share.png",
            caption="../report/trade_china_share.rst",
            category="Figures",
            subcategory="Context analyses: trade diversion",
        ),
        share_pdf="results/figures/trade_china_share.pdf",
    params:
        code=script_code("trade_diversion.py"),
        trade=TRADE,
    log:
        "logs/context/trade_diversion.log",
    benchmark:
        "benchmarks/context/trade_diversion.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/trade_diversion.py"


rule trade_diversion_section:
    message:
        "Writing the report section on trade diversion"
    input:
        annual=rules.trade_diversion.output.annual,
        quarterly=rules.trade_diversion.output.quarterly,
        china_share=rules.trade_diversion.output.china_share,
        mirror=rules.trade_diversion.output.mirror,
        sources=rules.trade_diversion.output.sources,
        revisions=rules.trade_diversion.output.revisions,
        largest=rules.trade_diversion.output.largest,
        coverage=rules.trade_diversion.output.coverage,
        figures=[rules.trade_diversion.output.ratios_png, rules.trade_diversion.output.share_png],
    output:
        section="results/sections/trade_diversion.md",
    params:
        code=script_code("trade_diversion_section.py"),
        trade=TRADE,
    log:
        "logs/context/trade_diversion_section.log",
    benchmark:
        "benchmarks/context/trade_diversion_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/trade_diversion_section.py"


rule trade_partner_growth:
    message:
        "Growth of US imports by partner, {params.base_year}-{params.end_year}, beside China's"
    input:
        annual=rules.trade_diversion.output.annual,
    output:
        growth=report(
            "results/tables/trade_partner_growth.csv",
            caption="../report/trade_partner_growth.rst",
            category="Tables",
            subcategory="Context analyses: trade diversion",
        ),
    params:
        code=script_code("trade_partner_growth.py"),
        trade={"china": TRADE["china"]},
        base_year=config["claims"]["growth_base_year"],
        end_year=config["claims"]["growth_end_year"],
    log:
        "logs/context/trade_partner_growth.log",
    benchmark:
        "benchmarks/context/trade_partner_growth.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/trade_partner_growth.py"
