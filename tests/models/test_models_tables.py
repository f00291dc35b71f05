"""Markdown and LaTeX tables: exact expected text for a 2-term table; number formatting."""

import math

import pandas as pd

from resilience.models.coefs import coef_table
from resilience.models.tables import format_number, stars, to_latex, to_markdown


def two_term_table() -> pd.DataFrame:
    return coef_table(model="main_twfe", episode="", terms=["recovery_covid_x_digital_z", "contraction_gfc_x_lq_manuf"],
                      coef=[0.41234, -0.00004], se=[0.1, 0.2], df=39, nobs=812, r2=0.61234, r2_within=0.05,
                      entity_effects=True, time_effects=True, cov_type="clustered (entity)",
                      small_sample="CR1: G/(G-1)*(N-1)/(N-K), K = slopes + year FE", n_clusters=40)


EXPECTED_MARKDOWN = r"""|  | main_twfe |
|:---|---:|
| recovery_covid_x_digital_z | 0.412\*\*\* |
|  | (0.100) |
| contraction_gfc_x_lq_manuf | 0.000 |
|  | (0.200) |
| N | 812 |
| R² | 0.612 |
| R² within | 0.050 |
| Entity effects | yes |
| Time effects | yes |
| Covariance | clustered (entity) |
| Clusters | 40 |

\* p<0.1, \*\* p<0.05, \*\*\* p<0.01. Standard errors in parentheses. Small-sample conventions: main_twfe: CR1: G/(G-1)\*(N-1)/(N-K), K = slopes + year FE.
"""

EXPECTED_LATEX = r"""\begin{tabular}{lc}
\toprule
 & main\_twfe \\
\midrule
recovery\_covid\_x\_digital\_z & 0.412$^{***}$ \\
 & (0.100) \\
contraction\_gfc\_x\_lq\_manuf & 0.000 \\
 & (0.200) \\
\midrule
N & 812 \\
R$^2$ & 0.612 \\
R$^2$ within & 0.050 \\
Entity effects & yes \\
Time effects & yes \\
Covariance & clustered (entity) \\
Clusters & 40 \\
\bottomrule
\end{tabular}
\par\smallskip
{\footnotesize * p$<$0.1, ** p$<$0.05, *** p$<$0.01. Standard errors in parentheses. Small-sample conventions: main\_twfe: CR1: G/(G-1)*(N-1)/(N-K), K = slopes + year FE.\par}
"""


def test_markdown_exact():
    assert to_markdown(two_term_table()) == EXPECTED_MARKDOWN


def test_latex_exact():
    assert to_latex(two_term_table()) == EXPECTED_LATEX


def test_output_is_deterministic():
    assert to_markdown(two_term_table()).encode() == to_markdown(two_term_table()).encode()
    assert to_latex(two_term_table()).encode() == to_latex(two_term_table()).encode()


def test_format_number_and_stars():
    assert [format_number(v) for v in (-0.0004, 12.3456, -1.5, 0.0, math.nan, None)] == \
        ["0.000", "12.346", "-1.500", "0.000", "", ""]
    assert format_number(2.0, 1) == "2.0"
    assert [stars(p) for p in (0.009, 0.01, 0.049, 0.099, 0.1, math.nan)] == ["***", "**", "**", "*", "", ""]


def test_columns_per_model_and_episode_with_missing_terms():
    panel = two_term_table()
    cross = coef_table(model="cross_section:resistance_pp", episode="gfc", terms=["const", "recovery_covid_x_digital_z"],
                       coef=[1.0, -2.0], se=[0.5, 0.5], df=50, nobs=53, r2=0.3, r2_within=math.nan,
                       entity_effects=False, time_effects=False, cov_type="HC1", small_sample="HC1", n_clusters=None)
    lines = to_markdown(pd.concat([panel, cross], ignore_index=True)).splitlines()
    assert lines[0] == "|  | main_twfe | cross_section:resistance_pp (gfc) |"
    assert lines[2] == "| recovery_covid_x_digital_z | 0.412\\*\\*\\* | -2.000\\*\\*\\* |"
    assert lines[6] == "| const |  | 1.000\\* |"          # t = 2, t(50): p = 0.051
    assert "| R² within | 0.050 |  |" in lines and "| Clusters | 40 |  |" in lines
    assert lines[-1].endswith("main_twfe: CR1: G/(G-1)\\*(N-1)/(N-K), K = slopes + year FE; "
                              "cross_section:resistance_pp (gfc): HC1.")
