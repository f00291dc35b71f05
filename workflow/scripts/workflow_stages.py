"""Rule workflow_stages: the rule graph grouped by stage, drawn from the graph the rule's params carry."""

from resilience.figures.common import save_figure
from resilience.figures.workflow import stage_graph_figure
from resilience.io import setup_logging

log = setup_logging(snakemake.log[0])
graph = snakemake.params.graph
save_figure(stage_graph_figure(graph), snakemake.output.png, snakemake.output.pdf)
log.info("workflow_stages: %d stages, %d links between stages", len(graph["stages"]), len(graph["edges"]))
