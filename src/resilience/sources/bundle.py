"""A pinned raw-data bundle: one archive of the raw files a run used, in the mirror's layout.

Publishers revise and move files; a replicator wants the exact bytes. ``write_bundle`` packs the
files of ``data/raw/*/`` (those whose manifest says ``ok``) into a gzipped tar laid out as a mirror:
``<folder>/<file>`` with one ``SOURCES.csv`` per folder (and the mirror's ``PROVENANCE.md`` where the
run read a mirror), plus ``BUNDLE.csv`` at the top, which says for each dataset where its file lies
and in which format it was published. A file taken from a mirror keeps its mirror path and format;
a file downloaded live lies at ``<dataset>/<file>`` with its live format (a World Bank API answer is
JSON, not the bulk CSV the catalog's mirror path names), which is why the index is needed.

The archive is byte-reproducible (sorted members, zero times and owners, gzip without a name or
time), so the same raw files always give the same sha256, the one to pin beside its URL:
``raw_bundle: {url: ..., sha256: ...}``. ``ensure_bundle`` downloads such an archive once, checks its
sha256, unpacks it (regular files and folders only, nothing outside the target) and returns the
folder, which the workflow then uses as its mirror.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from resilience.errors import ChecksumError, ConfigError, DownloadError, InputError
from resilience.sources import fetch

BUNDLE_INDEX = fetch.BUNDLE_INDEX
INDEX_COLUMNS = fetch.BUNDLE_COLUMNS
LISTING_COLUMNS = (*fetch.MIRROR_COLUMNS, "dataset")
# The unpacked folder carries the archive's sha256: present only once unpacking finished.
UNPACKED_MARKER = ".bundle-sha256"


# ---------------------------------------------------------------------------------------------
# Writing


def bundle_members(raw_root) -> list[dict[str, str]]:
    """One index row per dataset obtained in the run under ``raw_root`` (``data/raw``), sorted by path.

    Its file's bytes are checked against the sha256 its manifest recorded, so a bundle never carries a
    file edited after download. Two datasets read from one mirror file share one member.
    """
    rows = []
    for manifest_path in sorted(Path(raw_root).glob(f"*/{fetch.MANIFEST_NAME}")):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("status") != "ok":
            continue
        source = manifest_path.parent / manifest["file"]
        if not source.is_file() or fetch.sha256_file(source) != manifest["sha256"]:
            raise InputError(
                source,
                "is missing or differs from the sha256 its manifest recorded; rerun the download before bundling",
                field="sha256",
                expected=manifest["sha256"],
            )
        path = (
            manifest["mirror_path"]
            if manifest["mode"] == "mirror" and manifest.get("mirror_path")
            else f"{manifest['dataset']}/{manifest['file']}"
        )
        rows.append(
            {
                "dataset": manifest["dataset"],
                "path": path,
                "format": manifest["format"] or "",
                "mode": manifest["mode"],
                "publisher_url": manifest["url"] or "",
                "sha256": manifest["sha256"],
                "bytes": str(manifest["bytes"]),
                "vintage": manifest.get("vintage_hint") or "",
                "source": str(source),
            }
        )
    _check_shared_paths(rows)
    return sorted(rows, key=lambda row: (row["path"], row["dataset"]))


def _check_shared_paths(rows: list[dict[str, str]]) -> None:
    by_path: dict[str, str] = {}
    for row in rows:
        if by_path.setdefault(row["path"], row["sha256"]) != row["sha256"]:
            raise InputError(
                row["source"],
                f"two datasets were obtained from {row['path']} with different "
                "bytes; rerun the downloads from one mirror before bundling",
                field="sha256",
            )


def _csv_bytes(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _listings(rows) -> dict[str, bytes]:
    """``<folder>/SOURCES.csv`` for every folder: one row per file (the first dataset naming it)."""
    per_folder: dict[str, dict[str, dict]] = {}
    for row in rows:
        folder, relative = row["path"].split("/", 1)
        per_folder.setdefault(folder, {}).setdefault(relative, {**row, "file": relative})
    return {
        f"{folder}/SOURCES.csv": _csv_bytes(LISTING_COLUMNS, files.values()) for folder, files in per_folder.items()
    }


def _provenance_notes(rows, mirror_root) -> dict[str, Path]:
    """The mirror's ``PROVENANCE.md`` of every folder the bundle takes from it."""
    if not mirror_root:
        return {}
    notes = {}
    for row in rows:
        folder = row["path"].split("/", 1)[0]
        note = Path(mirror_root) / folder / "PROVENANCE.md"
        if row["mode"] == "mirror" and note.is_file():
            notes[f"{folder}/PROVENANCE.md"] = note
    return notes


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, 0, 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _write_archive(handle, files: dict[str, bytes | Path]) -> None:
    with (
        gzip.GzipFile(fileobj=handle, mode="wb", filename="", mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for name in sorted(files):
            content = files[name]
            if isinstance(content, Path):
                with content.open("rb") as data:
                    archive.addfile(_tar_info(name, content.stat().st_size), data)
            else:
                archive.addfile(_tar_info(name, len(content)), io.BytesIO(content))


def write_bundle(raw_root, archive, *, mirror_root=None) -> str:
    """Write the bundle of the run under ``raw_root`` to ``archive`` (atomically) and
    ``<archive>.sha256`` beside it; return the archive's sha256."""
    rows = bundle_members(raw_root)
    if not rows:
        raise InputError(
            raw_root,
            "holds no dataset obtained in a run (no manifest.json with status ok); run `make all` first",
            field="manifest.json",
        )
    files: dict[str, bytes | Path] = {row["path"]: Path(row["source"]) for row in rows}
    files.update(_listings(rows))
    files.update(_provenance_notes(rows, mirror_root))
    files[BUNDLE_INDEX] = _csv_bytes(INDEX_COLUMNS, rows)
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    fetch.atomic_write(archive, lambda handle: _write_archive(handle, files))
    digest = fetch.sha256_file(archive)
    text = f"{digest}  {archive.name}\n"
    fetch.atomic_write(archive.with_name(archive.name + ".sha256"), lambda handle: handle.write(text.encode()))
    return digest


# ---------------------------------------------------------------------------------------------
# Reading


def check_bundle_setting(config: dict) -> None:
    bundle = config.get("raw_bundle")
    if bundle and config.get("raw_mirror"):
        raise ConfigError(
            "raw_bundle and raw_mirror are both set: the bundle is unpacked and used as the mirror, "
            "so give one of them (make all passes RAW_MIRROR, or ../shared/raw-snapshots when it "
            "exists: set RAW_MIRROR= to none)"
        )
    if bundle and not fetch.is_sha256(str(bundle.get("sha256", ""))):
        raise ConfigError(
            f"raw_bundle.sha256: {bundle.get('sha256')!r} is not 64 hex digits; pin the archive's "
            "sha256 (make bundle writes it beside the archive)"
        )


def _safe_members(archive: tarfile.TarFile, name: str) -> list[tarfile.TarInfo]:
    """Every member, after refusing links, devices, absolute paths and paths climbing out."""
    members = archive.getmembers()
    for member in members:
        parts = PurePosixPath(member.name).parts
        if not (member.isfile() or member.isdir()) or PurePosixPath(member.name).is_absolute() or ".." in parts:
            raise InputError(
                name,
                f"member {member.name!r} is not a plain file or folder inside the archive",
                field="member",
                expected="regular files and folders with relative paths",
            )
    return members


def unpack(archive_path, target) -> Path:
    """Unpack into ``target`` via a temporary sibling folder renamed at the end (no half-unpacked mirror)."""
    target = Path(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            archive.extractall(staging, members=_safe_members(archive, str(archive_path)), filter="data")
        if not (staging / BUNDLE_INDEX).is_file():
            raise InputError(
                archive_path,
                f"has no {BUNDLE_INDEX} at its top level, so it is not a raw-data bundle (make bundle writes one)",
                field=BUNDLE_INDEX,
            )
        (staging / UNPACKED_MARKER).write_text(fetch.sha256_file(archive_path) + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InputError(archive_path, f"cannot be unpacked: {exc}", expected="a gzipped tar") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _obtain_archive(url: str, sha256: str, dest: Path, download: dict) -> None:
    scheme = urlsplit(url).scheme
    if scheme in ("http", "https"):
        with fetch.make_session(retries=download["retries"], backoff_factor=download["backoff_factor"]) as session:
            fetch.download(url, dest, session=session, expected_sha256=sha256)
        return
    local = Path(url[len("file://") :] if scheme == "file" else url)
    if not local.is_file():
        raise DownloadError(f"raw_bundle.url {url!r} is neither an http(s) URL nor a file")
    with local.open("rb") as handle:
        chunks = iter(lambda: handle.read(fetch.CHUNK_BYTES), b"")
        fetch.atomic_write(dest, fetch.write_verified(chunks, sha256, local))


def ensure_bundle(bundle: dict, root, *, download: dict) -> Path:
    """The unpacked bundle under ``root`` (``data/bundle/<sha256>``), downloaded and unpacked only once."""
    sha256 = str(bundle["sha256"]).strip().lower()
    target = Path(root) / sha256
    marker = target / UNPACKED_MARKER
    if marker.is_file() and marker.read_text(encoding="utf-8").strip() == sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    archive = Path(root) / f"{sha256}.tar.gz"
    if not (archive.is_file() and fetch.sha256_file(archive) == sha256):
        try:
            _obtain_archive(str(bundle["url"]), sha256, archive, download)
        except ChecksumError as exc:
            raise ChecksumError(f"raw_bundle: {exc}. The archive at {bundle['url']} is not the pinned one") from exc
    return unpack(archive, target)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write the raw-data bundle of the last run (make bundle).")
    parser.add_argument("--raw", default="data/raw", help="the run's raw folder (data/raw)")
    parser.add_argument("--out", default="results/bundle/raw-bundle.tar.gz")
    parser.add_argument("--mirror", default=None, help="the mirror the run read, for its PROVENANCE.md notes")
    args = parser.parse_args(argv)
    mirror = args.mirror if args.mirror and Path(args.mirror).is_dir() else None
    digest = write_bundle(args.raw, args.out, mirror_root=mirror)
    size = Path(args.out).stat().st_size
    print(
        f"bundle: {args.out} ({size:,} bytes)\nsha256: {digest}\n"
        f"To pin it, deposit the archive (for example on Zenodo) and set in config/config.yaml:\n"
        f"  raw_bundle: {{url: <the deposit's file URL>, sha256: {digest}}}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
