"""A real browser on notebooks/07-explorer.ipynb: JupyterLab + headless Chromium + Playwright.

The test starts its own JupyterLab on a free loopback port (token auth on, every Jupyter/IPython
folder private to the test), opens a *copy* of the notebook (so autosave never touches the
repository) in Debian's ``chromium`` driven by Playwright for Python, runs all cells, moves the
explorer's time slider, presses its "push broken" button and checks each time that what the
explorer shows changed. It saves a screenshot (under the test's tmp folder, and also in
``$IMAGESIM_SCREENSHOT_DIR`` when that is set) and always stops the server.

It skips, saying why, where no Chromium is installed (``.ci/run`` installs Debian's when it can),
where Playwright is not installed, or while the notebook is not written yet.

Environment:

- ``IMAGESIM_CHROMIUM``: the Chromium executable (default ``/usr/bin/chromium``, else ``chromium``
  on PATH). Playwright's own browser downloads are never used.
- ``IMAGESIM_SCREENSHOT_DIR``: a folder to copy the screenshots to.
- ``IMAGESIM_BROWSER_NOTEBOOK``: drive this notebook instead of notebooks/07-explorer.ipynb
  (its folder is copied; for trying the harness on another notebook).

Run it alone with ``pytest -m browser``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "07-explorer.ipynb"

# Playwright already adds --no-sandbox (mandatory as root) and the background-networking flags;
# keep the full list anyway. --disable-dev-shm-usage: Debian's wrapper means to add it for a small
# /dev/shm, but its check is broken (it prints "[: ...: unexpected operator" on every start).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-extensions", "--mute-audio",
]
# JupyterLab settings for this server only: no "get notified about official Jupyter news?" toast
# (it covers the bottom-right corner) and no update check.
LAB_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}

SERVER_READY_S = 60      # JupyterLab answering /api/status (about 5 s here)
KERNEL_IDLE_MS = 60_000  # the notebook open with its kernel "Idle" (about 3 s here)
WIDGET_MS = 60_000       # Run All until the explorer is drawn
CHANGE_S = 30            # a slider move or a button press until the explorer shows something else
SETTLE_S = 0.6           # what the explorer shows must stay the same this long to count as drawn


# --- what is needed ----------------------------------------------------------------------------
def chromium_executable() -> str:
    """Debian's Chromium (or $IMAGESIM_CHROMIUM); skips, saying why, when there is none."""
    wanted = os.environ.get("IMAGESIM_CHROMIUM")
    if wanted:
        found = shutil.which(wanted)
        if not found:
            pytest.skip(f"no Chromium at IMAGESIM_CHROMIUM={wanted!r}: browser test not run")
        return found
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    found = shutil.which("chromium")
    if not found:
        pytest.skip("no Chromium installed (/usr/bin/chromium missing, none on PATH): browser test not run; "
                    ".ci/run installs Debian's with `apt-get install chromium` where it can")
    return found


def notebook_under_test() -> Path:
    wanted = os.environ.get("IMAGESIM_BROWSER_NOTEBOOK")
    if wanted:
        path = Path(wanted).resolve()
        if not path.is_file():
            pytest.fail(f"IMAGESIM_BROWSER_NOTEBOOK={wanted!r} is not a file")
        return path
    if not NOTEBOOK.is_file():
        pytest.skip("notebooks/07-explorer.ipynb not written yet")
    return NOTEBOOK


def copy_notebooks(source: Path, root: Path) -> Path:
    """Copy the notebook's folder into ``root``; in the copy of the notebook under test, drop the
    saved outputs and widget state, so only what this run draws can be found. Returns the copy."""
    folder = root / source.parent.name
    shutil.copytree(source.parent, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    copy = folder / source.name
    nb = json.loads(copy.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    nb.get("metadata", {}).pop("widgets", None)
    copy.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    return copy


# --- the JupyterLab server ---------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (kernels run in sessions of their own, outside its group)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Lab:
    """A JupyterLab serving ``root`` on 127.0.0.1 with a random token."""

    def __init__(self, root: Path, private: Path) -> None:
        self.root = root
        self.token = secrets.token_hex(24)
        self.log_path = private / "jupyterlab.log"
        settings = private / "lab-user-settings"
        for name, values in LAB_USER_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        (private / "lab-workspaces").mkdir()
        self.env = dict(os.environ)
        # The token goes through the environment, not argv (where `ps` would show it).
        self.env.update(JUPYTER_TOKEN=self.token, JUPYTER_CONFIG_DIR=str(private / "jupyter-config"),
                        JUPYTER_DATA_DIR=str(private / "jupyter-data"),
                        JUPYTER_RUNTIME_DIR=str(private / "jupyter-runtime"), JUPYTER_PLATFORM_DIRS="1",
                        IPYTHONDIR=str(private / "ipython"), PYTHONUNBUFFERED="1")
        self.args = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={private / 'lab-workspaces'}",
        ]
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> None:
        for _ in range(3):  # the free port may be taken between choosing it and binding it
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen([*self.args, f"--ServerApp.port={self.port}"], env=self.env,
                                             cwd=self.root, stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=subprocess.STDOUT, start_new_session=True)
            if self._wait_ready():
                return
            if self.proc.poll() is None:
                break
        raise AssertionError(f"JupyterLab did not answer on 127.0.0.1:{self.port} within {SERVER_READY_S} s\n"
                             + self.log_tail())

    def _wait_ready(self) -> bool:
        url = f"http://127.0.0.1:{self.port}/api/status?token={self.token}"
        deadline = time.monotonic() + SERVER_READY_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        return False

    def url(self, path: Path) -> str:
        rel = path.relative_to(self.root).as_posix()
        return f"http://127.0.0.1:{self.port}/lab/tree/{rel}?token={self.token}"

    def stop(self) -> None:
        """SIGTERM to the server's process group (the server shuts its kernels down), SIGKILL
        after 15 s; then any kernel left over (they run in sessions of their own)."""
        proc = self.proc
        if proc is None:
            return
        below = descendants(proc.pid)
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=15)
        for pid in below:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        text = text.replace(self.token, "<token>")
        return "--- JupyterLab log (tail) ---\n" + "\n".join(text.splitlines()[-lines:])


@pytest.fixture
def chromium() -> str:
    """The Chromium executable, once Playwright is known to be there too (else a skip)."""
    path = chromium_executable()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright for Python is not installed (`pip install playwright`, in the [test] extra): "
                    "browser test not run")
    return path


@pytest.fixture
def lab(chromium: str, tmp_path: Path) -> Iterator[tuple[Lab, Path]]:
    """(a running Lab, the copy of the notebook under test)."""
    pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (the [lab] extra): browser test not run")
    pytest.importorskip("ipywidgets", reason="ipywidgets is not installed (the [lab] extra): browser test not run")
    source = notebook_under_test()
    root = tmp_path / "root"
    private = tmp_path / "private"
    root.mkdir()
    private.mkdir()
    copy = copy_notebooks(source, root)
    server = Lab(root, private)
    try:
        server.start()
        yield server, copy
    finally:
        server.stop()


# --- the browser -------------------------------------------------------------------------------
def settled_text(locator, timeout_s: float) -> str:
    """The locator's rendered text once it has stayed the same for SETTLE_S."""
    deadline = time.monotonic() + timeout_s
    last, since = locator.inner_text(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = locator.inner_text()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= SETTLE_S:
            return now
    return last


def changed_text(locator, before: str, what: str, timeout_s: float = CHANGE_S) -> str:
    """Wait until the locator's text differs from ``before``, then until it settles; the text."""
    deadline = time.monotonic() + timeout_s
    while locator.inner_text() == before:
        if time.monotonic() > deadline:
            raise AssertionError(f"the explorer's output did not change within {timeout_s} s after {what}:\n"
                                 f"{before}")
        time.sleep(0.1)
    return settled_text(locator, timeout_s)


def wait_images_loaded(locator, timeout_ms: int = 10_000) -> None:
    locator.page.wait_for_function(
        "el => [...el.querySelectorAll('img')].every(img => img.complete && img.naturalWidth > 0)",
        arg=locator.element_handle(), timeout=timeout_ms)


def test_explorer_in_jupyterlab(chromium: str, lab: tuple[Lab, Path], tmp_path: Path) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright

    server, notebook = lab
    shots = tmp_path / "screenshots"
    shots.mkdir()
    shot = shots / f"{notebook.stem}.png"
    console: list[str] = []
    started = time.monotonic()
    phases: list[str] = []

    def phase(name: str) -> None:
        phases.append(f"{name} {time.monotonic() - started:.1f}s")

    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, timeout=30_000)
        except PlaywrightError as err:
            raise AssertionError(f"Chromium at {chromium} did not start under Playwright: {err}") from err
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        try:
            phase("browser")
            page.goto(server.url(notebook))
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=KERNEL_IDLE_MS)
            # Not the toolbar's execution indicator: it reads "idle" while the kernel is still
            # starting, and Run All then silently runs nothing.
            expect(page.locator(".jp-StatusBar-TextItem", has_text="ipykernel")).to_have_text(
                re.compile(r"\(ipykernel\) \| Idle"), timeout=KERNEL_IDLE_MS)
            phase("kernel idle")
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()

            # The explorer: the first output with a slider in it.
            explorer = page.locator(".jp-OutputArea-output", has=page.locator(".widget-slider")).first
            try:
                explorer.wait_for(timeout=WIDGET_MS)
            except PlaywrightError:
                errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
                shown = "\n".join(errors.all_inner_texts())[-3000:]
                raise AssertionError(f"no explorer (a widget with a slider) after Run All; error output:\n{shown}")
            phase("explorer drawn")
            # Let Run All finish (later cells may change the same simulation): no cell queued or
            # running ("[*]:"), and the kernel idle again.
            page.wait_for_function(
                "() => ![...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
                ".some(p => p.textContent.includes('*'))", timeout=WIDGET_MS)
            expect(page.locator(".jp-StatusBar-TextItem", has_text="ipykernel")).to_have_text(
                re.compile(r"\(ipykernel\) \| Idle"), timeout=WIDGET_MS)
            phase("run all done")
            explorer.scroll_into_view_if_needed()
            first = settled_text(explorer, CHANGE_S)
            assert first.strip(), "the explorer shows no text"

            # Move the slider: Home (or End when it is already at the start). Arrow keys move one
            # step (a second), which the explorer's snap-to-events sends straight back.
            handle = explorer.locator(".noUi-handle").first
            value, low = (float(handle.get_attribute(a) or 0) for a in ("aria-valuenow", "aria-valuemin"))
            key = "Home" if value > low else "End"
            handle.focus()
            handle.press(key)
            moved = changed_text(explorer, first, f"moving the time slider ({key})")

            phase("slider")
            # Push a broken image upstream.
            button = explorer.locator("button", has_text=re.compile("broken", re.IGNORECASE)).first
            button.click()
            pushed = changed_text(explorer, moved, f"pressing {button.inner_text()!r}")
            assert pushed != first, "pressing the button only moved the slider back: nothing else changed"
            assert "Traceback" not in pushed, pushed

            phase("push")
            wait_images_loaded(explorer)
            explorer.scroll_into_view_if_needed()
            page.screenshot(path=str(shot))  # (an element screenshot of the explorer would be taller than the panel)
        except BaseException:
            try:
                page.screenshot(path=str(shots / f"{notebook.stem}-failure.png"))
            except PlaywrightError:
                pass
            print(server.log_tail())
            print("--- browser console errors ---", *console[-20:], sep="\n")
            raise
        finally:
            browser.close()
            out = os.environ.get("IMAGESIM_SCREENSHOT_DIR")
            if out:
                Path(out).mkdir(parents=True, exist_ok=True)
                for png in shots.glob("*.png"):
                    shutil.copy2(png, Path(out) / png.name)
            print(f"screenshots: {shots}" + (f" (copied to {out})" if out else ""))
    phase("screenshots")
    print("browser part, cumulative:", ", ".join(phases))
    for label, a, b in (("moving the slider", first, moved), ("pushing broken", moved, pushed)):
        diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0))[2:]
        print(f"--- what {label} changed ({len(diff)} lines) ---", *diff[:12], sep="\n")
