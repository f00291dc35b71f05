"""Models stage: specification from config -> design -> estimate -> tidy coefficient table.

``spec`` (parse and check a ``models:`` entry), ``design`` (shock x pre-shock exposure terms),
``panel`` (PanelOLS, CR1 / Driscoll-Kraay), ``cross_section`` (OLS, HC1), ``coefs`` (the
contract table), ``tables`` (Markdown / LaTeX).
"""

from resilience.models.coefs import COEF_COLUMNS
from resilience.models.cross_section import fit_cross_section
from resilience.models.design import plain_design, shock_design
from resilience.models.panel import fit_panel
from resilience.models.spec import ModelSpec, check_variables, parse_episodes, parse_spec
from resilience.models.tables import format_number, to_latex, to_markdown

__all__ = ["COEF_COLUMNS", "ModelSpec", "check_variables", "fit_cross_section", "fit_panel", "format_number",
           "parse_episodes", "parse_spec", "plain_design", "shock_design", "to_latex", "to_markdown"]
