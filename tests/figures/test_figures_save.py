"""save_figure: byte-identical output within and across processes, clean metadata, atomicity,
and no leaking global matplotlib state."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zlib
from pathlib import Path

import matplotlib as mpl
import pytest

import figures_sample_data as sample
from resilience.figures import common
from resilience.figures.common import save_figure

HERE = Path(__file__).resolve().parent
NAMES = ("shock", "coef", "scatter", "peers")


def _files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def _png_text_chunks(data: bytes) -> list[bytes]:
    """Keys of tEXt/zTXt/iTXt chunks and names of tIME chunks in a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, found = 8, []
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        ctype = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if ctype in (b"tEXt", b"zTXt", b"iTXt"):
            found.append(body.split(b"\0", 1)[0])
        if ctype == b"tIME":
            found.append(b"tIME")
        pos += 12 + length
    return found


def _run_subprocess(outdir: Path, hashseed: str) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SOURCE_DATE_EPOCH", "MPLBACKEND")}
    env["PYTHONHASHSEED"] = hashseed
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    subprocess.run([sys.executable, str(HERE / "figures_sample_data.py"), str(outdir)],
                   check=True, env=env, cwd=outdir, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    a = tmp_path_factory.mktemp("run_a")
    b = tmp_path_factory.mktemp("run_b_other_dir")
    sample.render_all(a)
    sample.render_all(b)
    return a, b


def test_all_outputs_written(rendered):
    a, _ = rendered
    assert sorted(_files(a)) == sorted(f"{n}.{ext}" for n in NAMES for ext in ("pdf", "png"))


def test_same_process_twice_is_byte_identical(rendered):
    a, b = rendered
    assert _files(a) == _files(b)


def test_same_figure_saved_twice_is_byte_identical(tmp_path):
    fig = sample.build_all()["shock"]
    save_figure(fig, tmp_path / "1.png", tmp_path / "1.pdf")
    save_figure(fig, tmp_path / "2.png", tmp_path / "2.pdf")
    assert (tmp_path / "1.png").read_bytes() == (tmp_path / "2.png").read_bytes()
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()


@pytest.mark.parametrize("hashseed", ["0", "4242"])
def test_other_process_is_byte_identical(rendered, tmp_path, hashseed):
    a, _ = rendered
    _run_subprocess(tmp_path, hashseed)
    assert _files(tmp_path) == _files(a)


def test_user_rcparams_do_not_change_output(rendered, tmp_path):
    a, _ = rendered
    user = {"font.size": 17, "font.family": "serif", "lines.linewidth": 4, "figure.dpi": 50,
            "savefig.dpi": 300, "axes.prop_cycle": mpl.cycler(color=["k"]),
            "pdf.fonttype": 3, "savefig.bbox": "tight"}
    with mpl.rc_context(user):
        sample.render_all(tmp_path)
        assert mpl.rcParams["font.size"] == 17  # the user's settings are back afterwards
    assert _files(tmp_path) == _files(a)


def test_png_has_no_software_or_time_metadata(rendered):
    a, _ = rendered
    for name in NAMES:
        data = (a / f"{name}.png").read_bytes()
        assert _png_text_chunks(data) == [], name


def test_png_size_fixed_by_figsize_and_dpi(rendered):
    a, _ = rendered
    data = (a / "shock.png").read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    from resilience.figures.shock_paths import FIGSIZE
    assert (width, height) == (round(FIGSIZE[0] * common.DPI), round(FIGSIZE[1] * common.DPI))


def test_pdf_has_no_creator_producer_dates_or_paths(rendered):
    a, _ = rendered
    for name in NAMES:
        data = (a / f"{name}.pdf").read_bytes()
        for key in (b"/Creator", b"/Producer", b"/CreationDate", b"/ModDate"):
            assert key not in data, (name, key)
        assert str(a).encode() not in data
        assert b"DejaVuSans" in data  # the fixed font is the one embedded


def test_pdf_streams_free_of_paths(rendered):
    """Decompressed content does not contain the output directory either."""
    a, _ = rendered
    data = (a / "coef.pdf").read_bytes()
    pos = 0
    while (start := data.find(b"stream\n", pos)) != -1:
        end = data.find(b"endstream", start)
        chunk = data[start + 7:end]
        try:
            text = zlib.decompress(chunk)
        except zlib.error:
            text = chunk
        assert str(a).encode() not in text
        pos = end + 9


def _failing_figure(monkeypatch, fmt_to_fail):
    fig = sample.build_all()["coef"]
    original = fig.savefig

    def savefig(fname, **kwargs):
        if kwargs.get("format") == fmt_to_fail:
            original(fname, **kwargs)  # start writing, then fail part-way
            raise RuntimeError("boom")
        return original(fname, **kwargs)

    monkeypatch.setattr(fig, "savefig", savefig)
    return fig


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_failed_render_leaves_no_file(tmp_path, monkeypatch, fmt):
    fig = _failing_figure(monkeypatch, fmt)
    with pytest.raises(RuntimeError, match="boom"):
        save_figure(fig, tmp_path / "f.png", tmp_path / "f.pdf")
    assert list(tmp_path.iterdir()) == []


def test_failed_render_keeps_previous_files(tmp_path, monkeypatch):
    (tmp_path / "f.png").write_bytes(b"old png")
    (tmp_path / "f.pdf").write_bytes(b"old pdf")
    fig = _failing_figure(monkeypatch, "pdf")
    with pytest.raises(RuntimeError):
        save_figure(fig, tmp_path / "f.png", tmp_path / "f.pdf")
    assert _files(tmp_path) == {"f.pdf": b"old pdf", "f.png": b"old png"}


def test_failed_rename_leaves_no_temp_file(tmp_path, monkeypatch):
    fig = sample.build_all()["coef"]

    def replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(common.os, "replace", replace)
    with pytest.raises(OSError, match="disk full"):
        save_figure(fig, tmp_path / "f.png", tmp_path / "f.pdf")
    assert list(tmp_path.iterdir()) == []


def test_save_creates_parent_and_accepts_single_format(tmp_path):
    fig = sample.build_all()["peers"]
    save_figure(fig, tmp_path / "sub" / "p.png", None)
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["p.png"]
    with pytest.raises(ValueError):
        save_figure(fig, None, None)


def test_no_pyplot_and_no_backend_change():
    """Importing and using the figures package neither imports pyplot nor selects a backend."""
    code = (
        "import sys, matplotlib as mpl\n"
        "before = dict.__getitem__(mpl.rcParams, 'backend')\n"
        "import figures_sample_data as s\n"
        "figs = s.build_all()\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
        "assert dict.__getitem__(mpl.rcParams, 'backend') is before or "
        "dict.__getitem__(mpl.rcParams, 'backend') == before\n"
        "assert mpl.rcParams['font.size'] == mpl.rcParamsDefault['font.size']\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=300)



def _marks(offset: float):
    # Enough marks that matplotlib writes each as a placed copy of one marker ("x y cm /P Do").
    fig = common.new_figure((4, 3))
    ax = fig.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.scatter([i / 40 for i in range(30)], [0.25 + offset] * 30)
    return fig


def test_pdf_ignores_differences_below_a_millionth_of_a_point(tmp_path):
    # 1e-12 of an axis: the size of the last-bit differences between processes that made the same figure
    # give one of two files.
    raw = []
    for offset in (0.0, 1e-12):
        buf = io.BytesIO()
        _marks(offset).savefig(buf, format="pdf", metadata=dict(common.PDF_METADATA))
        raw.append(buf.getvalue())
    assert raw[0] != raw[1], "matplotlib alone writes the difference: the case tests nothing"
    for name, offset in (("a", 0.0), ("b", 1e-12)):
        save_figure(_marks(offset), None, tmp_path / f"{name}.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_pdf_numbers_are_rounded_while_saving_only():
    from matplotlib.backends import backend_pdf

    with common._pdf_precision():
        assert backend_pdf.pdfRepr(0.0167947643) == backend_pdf.pdfRepr(0.0167947644) == b"0.016795"
        assert backend_pdf.pdfRepr([0.12345678, 2]) == b"[ 0.123457 2 ]"
    assert backend_pdf.pdfRepr(0.0167947643) == b"0.0167947643"
