"""Every quotation in the claims ledger is in its paper (the plain texts in ../shared/seeds), after
normalising full- and half-width forms and whitespace; an ellipsis (… or ……) in a quotation stands
for omitted text, so the pieces between ellipses must appear in that order."""

import re
import unicodedata
from pathlib import Path


from tests.real_mirror import require_mirror
from resilience.claims.ledger import load_ledger

ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
ELLIPSIS = re.compile(r"(?:…|\.\.\.)+")
# Quotation marks and dashes the papers' plain texts set in either width or style.
SAME = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "~": "-", "～": "-"})


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(SAME))


def pieces(quote: str) -> list[str]:
    return [normalise(p) for p in ELLIPSIS.split(quote) if normalise(p)]


def in_order(quote: str, paper: str) -> bool:
    start = 0
    for piece in pieces(quote):
        found = paper.find(piece, start)
        if found < 0:
            return False
        start = found + len(piece)
    return True


def test_normalising_and_ellipses_by_hand():
    paper = normalise("美国从中国进口的产品占美国总进口的份额由 2017 年的 21.59%，下降到")
    assert in_order("美国从中国进口的产品占美国总进口的份额由2017年的21.59%,下降到", paper)
    assert in_order("美国从中国……21.59%", paper)
    assert not in_order("21.59%……美国从中国", paper)
    assert not in_order("份额由2018年的21.59%", paper)


def test_every_quotation_is_in_its_paper():
    seeds = require_mirror(SEEDS_DIR, what="the papers' plain texts")
    ledger = load_ledger(ROOT / "config" / "claims.yaml", ROOT / "config" / "claims_schema.yaml")
    papers = {
        key: normalise((seeds / paper["seed"]).read_text(encoding="utf-8")) for key, paper in ledger["papers"].items()
    }
    missing = [f"{c['id']}: {c['quote']}" for c in ledger["claims"] if not in_order(c["quote"], papers[c["paper"]])]
    assert not missing, "quotations not found in their paper:\n" + "\n".join(missing)
