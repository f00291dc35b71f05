# The industrial backup game: equilibrium regions over (s, c) and the three game
# trees with the equilibrium path, from the parameters in config (no data needed).


rule backup_game:
    message:
        "Solving the industrial backup game by backward induction"
    output:
        regions=report(
            "results/tables/backup_game_regions.csv",
            caption="../report/backup_game_regions_table.rst",
            category="Tables",
            subcategory="Industrial backup game",
        ),
        equilibria=report(
            "results/tables/backup_game_equilibria.csv",
            caption="../report/backup_game_equilibria.rst",
            category="Tables",
            subcategory="Industrial backup game",
        ),
        regions_png=report(
            "results/figures/backup_game_regions.png",
            caption="../report/backup_game_regions.rst",
            category="Figures",
            subcategory="Industrial backup game",
        ),
        regions_pdf="results/figures/backup_game_regions.pdf",
        trees_png=report(
            "results/figures/backup_game_trees.png",
            caption="../report/backup_game_trees.rst",
            category="Figures",
            subcategory="Industrial backup game",
        ),
        trees_pdf="results/figures/backup_game_trees.pdf",
    params:
        code=script_code("backup_game.py"),
        game=config["backup_game"],
    log:
        "logs/game/backup_game.log",
    benchmark:
        "benchmarks/game/backup_game.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/backup_game.py"


rule backup_game_paper_checks:
    message:
        "The backup game as the paper states it, beside the solved game"
    output:
        checks=report(
            "results/tables/backup_game_paper_checks.csv",
            caption="../report/backup_game_paper_checks.rst",
            category="Tables",
            subcategory="Industrial backup game",
        ),
    params:
        code=script_code("backup_game_paper_checks.py"),
        game=config["backup_game"],
    log:
        "logs/game/backup_game_paper_checks.log",
    benchmark:
        "benchmarks/game/backup_game_paper_checks.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/backup_game_paper_checks.py"
