"""kgraph as a user installs it: the sdist and wheel build, pass ``twine check``, and the wheel works elsewhere.

The distributions are built once for the module, the way a release is made:
``python -m build`` makes the sdist, then the wheel from the unpacked sdist,
so a file missing from the sdist shows up as a broken wheel. The build runs
without isolation (no download: the backend comes from the ``test`` extra).

The wheel is then installed into a fresh virtual environment of its own,
without pip (fast) and without dependencies: pip of this environment installs
into it (``pip --python``), and a ``.pth`` file lets it import the
dependencies already installed here. Its ``kgraph`` script then runs from a
folder that has no data, so the answer must come from the data in the wheel.
"""

from __future__ import annotations

import email
import importlib.util
import json
import os
import site
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from export_support import need

import kgraph

REPO = Path(__file__).resolve().parent.parent
TOOLS = ("build", "hatchling", "twine")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the sdist and the wheel, built from this checkout."""
    for tool in TOOLS:
        need(importlib.util.find_spec(tool) is not None, f"Python package {tool!r}", "pip install -e '.[test]'")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {folder}, found {found}"
    return found[0]


def package_files() -> set[str]:
    """Every file the wheel should hold for the package: its modules and resources, and the bundled data."""
    source = REPO / "src" / "kgraph"
    files = {
        f"kgraph/{p.relative_to(source).as_posix()}"
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    data = REPO / "data"
    files |= {f"kgraph/data/{p.relative_to(data).as_posix()}" for p in data.rglob("*") if p.is_file()}
    return files


def test_twine_check_passes(dist: Path) -> None:
    files = [str(only(dist, "*.tar.gz")), str(only(dist, "*.whl"))]
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2, done.stdout


def test_the_wheel_holds_the_package_and_its_data(dist: Path) -> None:
    with zipfile.ZipFile(only(dist, "*.whl")) as wheel:
        names = wheel.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(wheel.read(info))
        entry_points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode()
    in_package = {n for n in names if n.startswith("kgraph/")}
    assert in_package == package_files()
    assert "kgraph/data/relations.yaml" in in_package and "kgraph/py.typed" in in_package
    assert metadata["Name"] == "kgraph"
    assert metadata["Version"] == kgraph.__version__
    assert "kgraph = kgraph.cli:main" in entry_points


def test_the_sdist_holds_what_the_tests_need(dist: Path) -> None:
    with tarfile.open(only(dist, "*.tar.gz")) as sdist:
        top = {Path(n).parts[1] for n in sdist.getnames() if len(Path(n).parts) > 1}
    assert {"src", "data", "tests", "bench", "docs", "pyproject.toml", "README.md", "CHANGELOG.md", "mkdocs.yml"} <= top
    assert "node_modules" not in str(top)


def fresh_venv(folder: Path) -> Path:
    """A venv without pip; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    return folder / "bin" / "python"


def lend_dependencies(python: Path) -> None:
    """Let the venv of ``python`` import this environment's packages, after its own.

    Only once kgraph is installed there: pip would otherwise find this environment's kgraph
    through the link, call it installed, and install nothing.
    """
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    here = [*site.getsitepackages(), sysconfig.get_path("purelib")]
    # A plain path line appends the folder to sys.path; the .pth files inside it (an editable kgraph's
    # among them) are not read, and the venv's own site-packages comes first.
    Path(own, "_kgraph_test_deps.pth").write_text("\n".join(dict.fromkeys(here)) + "\n", encoding="utf-8")


def test_the_wheel_answers_from_another_folder(dist: Path, tmp_path: Path) -> None:
    python = fresh_venv(tmp_path / "venv")
    wheel = only(dist, "*.whl")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "Successfully installed kgraph" in installed.stdout, installed.stdout
    lend_dependencies(python)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("KGRAPH_DATA", "PYTHONPATH", "VIRTUAL_ENV")}
    env["KGRAPH_CACHE_DIR"] = str(tmp_path / "cache")

    where = subprocess.run(
        [str(python), "-c", "import kgraph; print(kgraph.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "venv"), f"the fresh venv imported kgraph from {where}"

    script = tmp_path / "venv" / "bin" / "kgraph"
    answer = subprocess.run(
        [str(script), "who-supports", "belarus"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert answer.returncode == 0, answer.stderr
    got = json.loads(answer.stdout)  # output to a pipe is JSON
    assert got["target"]["name"] == "Belarus"
    top = got["results"][0]
    assert top["entity"]["name"] == "China"
    assert top["evidence"] and all(e["quote"] for e in top["evidence"])
    # the same answer as the kgraph under test gives on the repository's data
    expected = subprocess.run(
        [sys.executable, "-m", "kgraph", "--data", str(REPO / "data"), "who-supports", "belarus", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert got == json.loads(expected.stdout)
    assert not any(elsewhere.iterdir())  # nothing written where the user stood
