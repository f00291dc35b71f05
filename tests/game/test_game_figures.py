"""Backup-game figures: regions over (s, c), game trees; artists, labels and byte-identical saving."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from resilience.errors import ConfigError, InputError
from resilience.figures.common import save_figure
from resilience.figures.game import (PATH_COLOR, equilibrium_regions_figure, game_tree_figure,
                                     game_trees_figure)
from resilience.context.game.analysis import (BACKUP, COOPERATE, NO_BACKUP, RUPTURE, build_tree, regions,
                                    short_run_tree, solve)

H, L, h, l = 10.0, 5.0, 2.0, 1.5


def _by_gid(container, gid):
    return [a for a in container.get_children() if a.get_gid() == gid]


def _gids(ax, prefix):
    return sorted(a.get_gid() for a in ax.get_children()
                  if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix))


def _frame():
    return regions(np.linspace(0.0, 6.0, 25), np.linspace(0.0, 8.0, 33), H, L, h, l)


# --------------------------------------------------------------------------- regions


def test_regions_figure_artists_and_labels():
    frame = _frame()
    fig = equilibrium_regions_figure(frame, h, l)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    (mesh,) = _by_gid(ax, "regions")
    codes = np.asarray(mesh.get_array()).reshape(33, 25)       # rows: c, columns: s
    # Code 0 = no backup & cooperation, 1 = no backup & rupture, 2 = backup & cooperation.
    s = np.linspace(0.0, 6.0, 25)[None, :]
    c = np.linspace(0.0, 8.0, 33)[:, None]
    expected = np.where(s <= h, 0, np.where(c < s + l, 2, 1))
    assert (codes == expected).all()

    (vline,) = _by_gid(ax, "boundary:s=h")
    assert list(vline.get_xdata()) == [h, h]
    (diag,) = _by_gid(ax, "boundary:c=s+l")
    assert list(diag.get_xdata()) == [h, 6.0]
    assert list(diag.get_ydata()) == [h + l, 6.0 + l]
    assert [t.get_text() for t in _by_gid(ax, "label:s=h")] == ["s = h"]
    assert [t.get_text() for t in _by_gid(ax, "label:c=s+l")] == ["c = s + l"]

    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "No backup, cooperation", "No backup, rupture", "Backup, cooperation",
        "s = h", "c = s + l (for s \u2265 h)"]
    assert "h = 2, l = 1.5" in ax.get_title()
    assert ax.get_xlim() == (0.0, 6.0) and ax.get_ylim() == (0.0, 8.0)
    (note,) = [t for t in fig.texts if t.get_gid() == "note"]
    text = " ".join(note.get_text().split())                     # the note is wrapped
    assert "Ties: A cooperates when indifferent; B builds no backup when indifferent." in text
    assert "25 \u00d7 33" in text


def test_regions_figure_only_present_labels_and_out_of_range_boundary():
    # All s below h = 5: one region; s = h outside the plotted range is stated in the note.
    frame = regions([0.0, 1.0, 2.0], [0.0, 1.0], H, L, 5.0, 1.0)
    fig = equilibrium_regions_figure(frame, 5.0, 1.0)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["No backup, cooperation", "s = h"]
    assert _by_gid(ax, "boundary:c=s+l") == [] and _by_gid(ax, "label:s=h") == []
    note = [t for t in fig.texts if t.get_gid() == "note"][0].get_text()
    assert "outside the plotted s range" in note


def test_regions_figure_single_point_grid():
    fig = equilibrium_regions_figure(regions([3.0], [1.0], H, L, h, l), h, l)
    (mesh,) = _by_gid(fig.axes[0], "regions")
    assert np.asarray(mesh.get_array()).ravel().tolist() == [2]         # backup, cooperation


def test_regions_figure_input_errors():
    frame = _frame()
    with pytest.raises(InputError, match="equilibrium"):
        equilibrium_regions_figure(frame.drop(columns="equilibrium"), h, l)
    with pytest.raises(InputError, match="complete grid"):
        equilibrium_regions_figure(frame.iloc[1:], h, l)
    with pytest.raises(InputError, match="one row per grid point"):
        equilibrium_regions_figure(frame.iloc[[0, 0, 1]], h, l)
    bad = frame.copy()
    bad.loc[0, "equilibrium"] = "war"
    with pytest.raises(InputError, match="unknown equilibrium label 'war'"):
        equilibrium_regions_figure(bad, h, l)
    with pytest.raises(ConfigError, match="h must be"):
        equilibrium_regions_figure(frame, -1.0, l)
    with pytest.raises(ConfigError, match="l must be"):
        equilibrium_regions_figure(frame, h, "x")


# --------------------------------------------------------------------------- trees


def test_game_tree_figure_nodes_actions_leaves_and_path():
    tree = build_tree(H, L, 4.0, h, l, 3.0)     # s > h, c = 3 < s + l = 5.5: backup, cooperation
    sol = solve(tree)
    assert sol.path == [BACKUP, COOPERATE]
    fig = game_tree_figure(tree, sol, "Long run")
    (ax,) = fig.axes
    assert _gids(ax, "node:") == ["node:backup", "node:no backup", "node:root"]
    assert [t.get_text() for t in _by_gid(ax, "player:root")] == ["B"]
    assert _gids(ax, "edge:") == ["edge:backup", "edge:backup/cooperate", "edge:backup/rupture",
                                  "edge:no backup", "edge:no backup/cooperate",
                                  "edge:no backup/rupture"]
    actions = {a.get_gid(): a.get_text() for a in ax.get_children()
               if isinstance(a.get_gid(), str) and a.get_gid().startswith("action:")}
    assert actions["action:backup"] == BACKUP and actions["action:no backup/rupture"] == RUPTURE
    assert len(actions) == 6
    leaves = {a.get_gid(): a.get_text() for a in ax.get_children()
              if isinstance(a.get_gid(), str) and a.get_gid().startswith("leaf:")}
    assert len(leaves) == 4
    # (H-s, L+s-c) = (6, 5+4-3) = (6, 6); (H-h-s, L-l-c+s) = (4, 5-1.5-3+4) = (4, 4.5).
    assert leaves["leaf:backup/cooperate"] == "(H\u2212s, L+s\u2212c)\n= (6, 6)"
    assert leaves["leaf:backup/rupture"] == "(H\u2212h\u2212s, L\u2212l\u2212c+s)\n= (4, 4.5)"

    on = {"edge:backup", "edge:backup/cooperate"}
    for gid in _gids(ax, "edge:"):
        (edge,) = _by_gid(ax, gid)
        if gid in on:
            assert edge.get_color() == PATH_COLOR and edge.get_linewidth() == 2.6
        elif gid == "edge:no backup/rupture":            # A's off-path equilibrium choice
            assert edge.get_color() == PATH_COLOR and edge.get_linestyle() == "--"
        else:
            assert edge.get_color() != PATH_COLOR
    (chosen,) = _by_gid(ax, "leaf:backup/cooperate")
    assert chosen.get_bbox_patch().get_edgecolor()[:3] == pytest.approx((215 / 255, 48 / 255,
                                                                         31 / 255))
    assert ax.get_title() == "Long run\nEquilibrium: backup, cooperation"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Equilibrium path", "Equilibrium choice off the path", "Not chosen"]


def test_game_tree_figure_rejects_foreign_solution():
    tree = build_tree(H, L, 4.0, h, l, 3.0)
    other = solve(short_run_tree(H, L, h, l))
    with pytest.raises(ConfigError, match="not a path of this tree"):
        game_tree_figure(tree, other, "x")


@pytest.mark.parametrize("s, c, long_title, expected", [
    (4.0, 3.0, "Equilibrium: backup, cooperation", [BACKUP, COOPERATE]),
    (4.0, 6.0, "Equilibrium: no backup, rupture", [NO_BACKUP, RUPTURE]),
    (1.0, 6.0, "Equilibrium: no backup, cooperation", [NO_BACKUP, COOPERATE]),
])
def test_three_trees_side_by_side(s, c, long_title, expected):
    fig = game_trees_figure(H, L, s, h, l, c)
    assert len(fig.axes) == 3
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "Short run\nEquilibrium: cooperation"
    no_option = "rupture" if s > h else "cooperation"
    assert titles[1] == f"Long run, no backup option\nEquilibrium: {no_option}"
    assert titles[2] == f"Long run, backup option\n{long_title}"
    assert [len(_gids(ax, "edge:")) for ax in fig.axes] == [2, 2, 6]
    assert [len(_gids(ax, "leaf:")) for ax in fig.axes] == [2, 2, 4]
    assert [len(_gids(ax, "node:")) for ax in fig.axes] == [1, 1, 3]
    # The path edges in the backup-option panel are the thick red ones.
    thick = [a.get_gid() for a in fig.axes[2].get_children()
             if isinstance(a.get_gid(), str) and a.get_gid().startswith("edge:")
             and a.get_linewidth() == 2.6]
    assert sorted(thick) == sorted(["edge:" + expected[0], "edge:" + "/".join(expected)])
    note = [t for t in fig.texts if t.get_gid() == "note"][0].get_text()
    assert f"s = {s:g}" in note and f"c = {c:g}" in note
    assert len(_by_gid(fig.axes[0], "legend")) == 1


# --------------------------------------------------------------------------- determinism


def _figures():
    tree = build_tree(H, L, 4.0, h, l, 3.0)
    return {
        "regions": lambda: equilibrium_regions_figure(_frame(), h, l),
        "tree": lambda: game_tree_figure(tree, solve(tree), "Long run, backup option"),
        "trees": lambda: game_trees_figure(H, L, 4.0, h, l, 3.0),
    }


@pytest.mark.parametrize("name", ["regions", "tree", "trees"])
def test_saving_twice_is_byte_identical(tmp_path, name):
    build = _figures()[name]
    fig = build()
    save_figure(fig, tmp_path / "1.png", tmp_path / "1.pdf")
    save_figure(fig, tmp_path / "2.png", tmp_path / "2.pdf")
    save_figure(build(), tmp_path / "3.png", tmp_path / "3.pdf")     # rebuilt figure
    png = [(tmp_path / f"{i}.png").read_bytes() for i in (1, 2, 3)]
    pdf = [(tmp_path / f"{i}.pdf").read_bytes() for i in (1, 2, 3)]
    assert png[0][:8] == b"\x89PNG\r\n\x1a\n" and pdf[0][:5] == b"%PDF-"
    assert png[0] == png[1] == png[2]
    assert pdf[0] == pdf[1] == pdf[2]
    assert b"CreationDate" not in pdf[0] and b"Software" not in png[0]


_SUBPROCESS = """
import sys
from pathlib import Path
import numpy as np
from resilience.figures.common import save_figure
from resilience.figures.game import equilibrium_regions_figure, game_trees_figure
from resilience.context.game.analysis import regions
out = Path(sys.argv[1])
frame = regions(np.linspace(0.0, 6.0, 25), np.linspace(0.0, 8.0, 33), 10.0, 5.0, 2.0, 1.5)
save_figure(equilibrium_regions_figure(frame, 2.0, 1.5), out / "regions.png", None)
save_figure(game_trees_figure(10.0, 5.0, 4.0, 2.0, 1.5, 3.0), out / "trees.png", out / "trees.pdf")
"""


def test_other_process_is_byte_identical(tmp_path):
    here = tmp_path / "here"
    there = tmp_path / "there"
    here.mkdir()
    there.mkdir()
    figs = _figures()
    save_figure(figs["regions"](), here / "regions.png", None)
    save_figure(figs["trees"](), here / "trees.png", here / "trees.pdf")
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "MPLBACKEND")}
    env["PYTHONHASHSEED"] = "4242"
    subprocess.run([sys.executable, "-c", _SUBPROCESS, str(there)], check=True, env=env,
                   cwd=there, capture_output=True, timeout=300)
    for name in ("regions.png", "trees.png", "trees.pdf"):
        assert (here / name).read_bytes() == (there / name).read_bytes(), name
