"""The `imagesim` console script, without starting JupyterLab."""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from imagesim import cli

ROOT = Path(__file__).resolve().parents[1]


def lab_args(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(["lab", *argv])


# -- lab_command ------------------------------------------------------------------------------


def test_lab_command_binds_loopback_and_keeps_token_auth(tmp_path):
    cmd = cli.lab_command(lab_args(), tmp_path)
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--ServerApp.ip=127.0.0.1" in cmd
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in cmd
    joined = " ".join(cmd).lower()
    assert "token" not in joined  # no token setting at all: Jupyter generates one
    assert "password" not in joined
    assert "0.0.0.0" not in joined
    assert not any(arg.startswith(("--ip=", "--ServerApp.ip=")) and "127.0.0.1" not in arg for arg in cmd)
    assert "--no-browser" not in cmd
    assert not any(arg.startswith("--port") for arg in cmd)
    assert "--allow-root" not in cmd


def test_lab_command_passes_port_and_no_browser(tmp_path):
    cmd = cli.lab_command(lab_args("--port", "8899", "--no-browser"), tmp_path)
    assert "--port=8899" in cmd
    assert "--no-browser" in cmd
    assert "--ServerApp.ip=127.0.0.1" in cmd
    assert "token" not in " ".join(cmd).lower()


def test_lab_command_allow_root_is_opt_in(tmp_path):
    assert "--allow-root" in cli.lab_command(lab_args("--allow-root"), tmp_path)


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_lab_rejects_bad_port(port, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["lab", "--port", port])
    assert exc.value.code == 2
    assert "port" in capsys.readouterr().err


# -- copying the labs into a working folder ---------------------------------------------------


def make_shipped(tmp_path: Path) -> Path:
    shipped = tmp_path / "share" / "imagesim" / "notebooks"
    (shipped / "data").mkdir(parents=True)
    (shipped / "01-tags.ipynb").write_text('{"cells": ["original 01"]}')
    (shipped / "02-triggers.ipynb").write_text('{"cells": ["original 02"]}')
    (shipped / "data" / "stream.yaml").write_text("kind: ImageStream\n")
    (shipped / "conftest.py").write_text("# test plumbing, not a lesson\n")
    (shipped / ".ipynb_checkpoints").mkdir()
    (shipped / ".ipynb_checkpoints" / "01-tags-checkpoint.ipynb").write_text("{}")
    return shipped


def test_copy_labs_first_run_then_never_overwrites(tmp_path):
    shipped = make_shipped(tmp_path)
    work = tmp_path / "imagesim-labs"

    copied, kept = cli.copy_labs(shipped, work)
    assert copied == [Path("01-tags.ipynb"), Path("02-triggers.ipynb"), Path("data/stream.yaml")]
    assert kept == []
    assert (work / "01-tags.ipynb").read_text() == '{"cells": ["original 01"]}'
    assert not (work / "conftest.py").exists()
    assert not (work / ".ipynb_checkpoints").exists()

    (work / "01-tags.ipynb").write_text('{"cells": ["my answers"]}')
    (work / "02-triggers.ipynb").unlink()
    copied, kept = cli.copy_labs(shipped, work)
    assert copied == [Path("02-triggers.ipynb")]  # a missing lesson comes back
    assert kept == [Path("01-tags.ipynb"), Path("data/stream.yaml")]
    assert (work / "01-tags.ipynb").read_text() == '{"cells": ["my answers"]}'


@pytest.fixture
def fake_lab(monkeypatch):
    """Make `imagesim lab` believe JupyterLab is installed and record what it would run."""
    calls: list[list[str]] = []
    monkeypatch.setattr(cli, "_jupyterlab_available", lambda: True)
    monkeypatch.setattr(cli, "_run_jupyterlab", lambda cmd: calls.append(cmd) or 0)
    return calls


def test_lab_from_installed_copy_copies_into_working_folder(tmp_path, monkeypatch, capsys, fake_lab):
    shipped = make_shipped(tmp_path)
    monkeypatch.setattr(cli, "find_notebooks", lambda: (shipped, False))
    home = tmp_path / "student"
    home.mkdir()
    monkeypatch.chdir(home)

    assert cli.main(["lab", "--no-browser"]) == 0
    out = capsys.readouterr().out
    assert "copied 01-tags.ipynb -> imagesim-labs/01-tags.ipynb" in out
    assert "copied data/stream.yaml -> imagesim-labs/data/stream.yaml" in out
    work = home / "imagesim-labs"
    assert f"--ServerApp.root_dir={work.resolve()}" in fake_lab[-1]
    assert "--no-browser" in fake_lab[-1]

    (work / "01-tags.ipynb").write_text("edited")
    assert cli.main(["lab"]) == 0
    out = capsys.readouterr().out
    assert "copied" not in out
    assert "kept 3 existing file(s) in imagesim-labs unchanged" in out
    assert (work / "01-tags.ipynb").read_text() == "edited"


def test_lab_dir_option(tmp_path, monkeypatch, capsys, fake_lab):
    shipped = make_shipped(tmp_path)
    monkeypatch.setattr(cli, "find_notebooks", lambda: (shipped, False))
    target = tmp_path / "elsewhere"
    assert cli.main(["lab", "--dir", str(target), "--port", "9999"]) == 0
    assert (target / "02-triggers.ipynb").is_file()
    assert f"--ServerApp.root_dir={target.resolve()}" in fake_lab[-1]
    assert "--port=9999" in fake_lab[-1]


def test_lab_from_checkout_opens_notebooks_in_place(tmp_path, monkeypatch, capsys, fake_lab):
    notebooks = tmp_path / "repo" / "notebooks"
    notebooks.mkdir(parents=True)
    (notebooks / "01-tags.ipynb").write_text("{}")
    monkeypatch.setattr(cli, "find_notebooks", lambda: (notebooks, True))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lab"]) == 0
    assert "copied" not in capsys.readouterr().out
    assert not (tmp_path / "imagesim-labs").exists()
    assert f"--ServerApp.root_dir={notebooks.resolve()}" in fake_lab[-1]


def test_find_notebooks_in_this_checkout():
    # The tests run from a source checkout (or an editable install of one).
    if not (ROOT / "notebooks").is_dir():
        pytest.skip("no notebooks/ folder in this tree")
    if Path(cli.__file__).resolve().parent != ROOT / "imagesim":
        pytest.skip("imagesim is imported from an installed copy, not from this checkout")
    path, is_checkout = cli.find_notebooks()
    assert is_checkout
    assert path == ROOT / "notebooks"


def test_lab_without_jupyterlab_names_the_extra(monkeypatch, capsys):
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name == "jupyterlab" or name.startswith("jupyterlab."):
            return None
        return real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.setattr(cli, "_run_jupyterlab", lambda cmd: pytest.fail("must not start JupyterLab"))
    assert cli.main(["lab"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "pip install 'imagesim[lab]'" in lines[0]
    assert "Traceback" not in captured.err


# -- version and oc ---------------------------------------------------------------------------


def test_version(capsys):
    assert cli.main(["version"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == cli.version()
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", out)


def test_version_matches_pyproject():
    tomllib = pytest.importorskip("tomllib")
    pyproject = ROOT / "pyproject.toml"
    if not pyproject.is_file():
        pytest.skip("not a source checkout")
    declared = tomllib.loads(pyproject.read_text())["project"]["version"]
    assert cli.version() == declared
    import imagesim

    if hasattr(imagesim, "__version__"):
        assert imagesim.__version__ == declared


def test_dash_dash_version(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"imagesim {cli.version()}"


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([])
    assert exc.value.code == 2
    assert "usage: imagesim" in capsys.readouterr().err


class FakeResult:
    def __init__(self, stdout, stderr, exit_code):
        self.stdout, self.stderr, self.exit_code = stdout, stderr, exit_code


class FakeWorld:
    commands: list[str] = []

    def oc(self, command):
        self.commands.append(command)
        if command.startswith("get"):
            return FakeResult("NAME   IMAGE REPOSITORY\nruby   ...\n", "", 0)
        return FakeResult("", 'error: unknown command "frobnicate" for "oc"', 1)


def test_oc_passes_everything_after_oc_through(monkeypatch, capsys):
    import types

    fake = types.SimpleNamespace(openshift_catalog=lambda seed: FakeWorld())
    import imagesim

    monkeypatch.setattr(imagesim, "scenarios", fake, raising=False)
    monkeypatch.setitem(sys.modules, "imagesim.scenarios", fake)
    FakeWorld.commands = []

    assert cli.main(["oc", "get", "is", "-n", "openshift", "-o", "jsonpath={.items[*].metadata.name}"]) == 0
    assert capsys.readouterr().out == "NAME   IMAGE REPOSITORY\nruby   ...\n"

    assert cli.main(["oc", "frobnicate"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == 'error: unknown command "frobnicate" for "oc"\n'
    assert FakeWorld.commands[0].startswith("get is -n openshift -o ")


def test_oc_reports_a_missing_emulator_without_traceback(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "imagesim.scenarios", None)  # makes the import fail
    import imagesim

    monkeypatch.delattr(imagesim, "scenarios", raising=False)
    assert cli.main(["oc", "get", "is"]) == 1
    err = capsys.readouterr().err
    assert "oc emulator is not available" in err
    assert "Traceback" not in err


def test_cli_module_imports_no_third_party_at_module_level():
    import ast

    tree = ast.parse((ROOT / "imagesim" / "cli.py").read_text())
    stdlib = set(sys.stdlib_module_names) | {"__future__", "imagesim"}
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        else:
            continue
        for name in names:
            assert name.split(".")[0] in stdlib, f"cli.py imports {name} at module level"
