"""Run the benchmark suite: every case in fresh processes, a table, the targets checked.

From the repository root::

    python -m benchmarks.run                  # full mode: the cases of the README table
    python -m benchmarks.run --write-readme   # the same, and the table goes into README.md
    python -m benchmarks.run --oracle-all     # also SimPy at W2 and W5 (W2 alone takes minutes)
    python -m benchmarks.run --oracle W2      # also SimPy at W2 only
    python -m benchmarks.run --quick          # short mode: small cases, a few seconds
    python -m benchmarks.run --case "W1 pods" --against ../base   # this code against another checkout

Each measurement runs in a fresh Python process (``--child``): it builds the world (timed, step
by step), runs it (timed: ``sim.run`` for imagesim, ``env.run`` for the SimPy oracle) and prints
one JSON line with the timings, the peak resident memory of the process
(``resource.getrusage``), the events the clock processed and a digest of the results (every
stream's history and every DeploymentConfig's rollout count), so that the parent can check that
both sides computed the same thing. The parent repeats each measurement (3 times by default),
reports medians with min and max, and checks the targets of the issue ("Targets" below); the
exit code is 1 when a result differs from the oracle, or in ``--quick`` mode when a check fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BEGIN, END = "<!-- benchmarks -->", "<!-- /benchmarks -->"
COMMAND = "python -m benchmarks.run"


@dataclass(frozen=True)
class Case:
    """One workload: N streams, M DeploymentConfigs, ``days`` simulated, mean gap between pushes."""

    name: str
    n: int
    m: int
    days: float
    gap: float | None = 7  # days; None: no push after time 0
    replicas: int = 0
    oracle: bool = True  # run the SimPy oracle too (in the default mode)
    seed: int = 0

    def label(self) -> str:
        gap = "none" if self.gap is None else f"{self.gap:g} d"
        return f"N={self.n:,} M={self.m:,} {self.days:g} d, gap {gap}, replicas {self.replicas}"


FULL = [
    Case("W1", 1_000, 5_000, 30),
    Case("W1 pods", 1_000, 5_000, 30, replicas=2, oracle=False),
    Case("W1 7 d", 1_000, 5_000, 7, oracle=False),
    Case("W1 120 d", 1_000, 5_000, 120, oracle=False),
    Case("W1 gap 1 d", 1_000, 5_000, 30, gap=1, oracle=False),
    Case("W1 gap 70 d", 1_000, 5_000, 30, gap=70, oracle=False),
    Case("quiet 1 d", 1_000, 5_000, 1, gap=None, oracle=False),
    Case("quiet 365 d", 1_000, 5_000, 365, gap=None, oracle=False),
    Case("W2", 10_000, 50_000, 30, oracle=False),
    Case("W5", 100_000, 100_000, 30, oracle=False),
]
QUICK = [
    Case("W1/5", 200, 1_000, 30),
    Case("W1/5 pods", 200, 1_000, 30, replicas=2, oracle=False),
    Case("W1/5 120 d", 200, 1_000, 120, oracle=False),
    Case("quiet 1 d", 200, 1_000, 1, gap=None, oracle=False),
    Case("quiet 365 d", 200, 1_000, 365, gap=None, oracle=False),
]
ON_DEMAND = {"W2", "W5"}  # SimPy only with --oracle-all or --oracle NAME (W2 takes about 90 s)


# ---------------------------------------------------------------------------------------------
# one measurement, in its own process

def results_digest(histories: list, rollouts: list) -> str:
    blob = json.dumps([histories, rollouts], separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def peak_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(case: Case, side: str) -> dict:
    """Build and run ``case`` on one side ("imagesim" or "simpy") in this process."""
    from . import workload

    plan = workload.plan(case.n, case.m, case.days, case.gap, case.seed)
    out: dict = {"case": case.name, "side": side, "pushes": plan.push_count}
    if side == "imagesim":
        start = time.process_time()
        built = workload.build(plan, case.replicas)
        out["build_s"] = time.process_time() - start
        out["build_steps"] = built.timings
        sim = built.sim
        processed, logged = sim.clock.processed, len(sim.log)
        start = time.process_time()
        workload.run(built)
        out["run_s"] = time.process_time() - start
        out["rss_mib"] = peak_mib()
        out["events"] = sim.clock.processed - processed
        out["logged"] = len(sim.log) - logged
        if case.replicas:
            out["pod_starts"] = sum(1 for e in sim.log[logged:] if e.kind == "pod-created")
        # what the followers of a tag rolled out together, and the RCs and deployer pods of
        # rollouts that ran no pods, are kept as facts until read: what reading them all costs, once
        start = time.process_time()
        out["objects"] = len(sim.cluster.replicasets) + len(sim.cluster.pods)
        out["read_s"] = time.process_time() - start
        histories, rollouts = workload.results(built)
    else:
        from . import oracle

        start = time.process_time()
        model = oracle.build(plan)
        out["build_s"] = time.process_time() - start
        start = time.process_time()
        oracle.run(model)
        out["run_s"] = time.process_time() - start
        out["rss_mib"] = peak_mib()
        histories, rollouts = oracle.results(model)
    out["items"] = sum(len(h) for h in histories)
    out["rollouts"] = sum(rollouts)
    out["digest"] = results_digest(histories, rollouts)
    return out


def child(spec: str) -> None:
    data = json.loads(spec)
    case = Case(**data["case"])
    print(json.dumps(measure(case, data["side"])))


def in_fresh_process(case: Case, side: str, root: Path = ROOT) -> dict:
    """Measure ``case`` on ``side`` in a fresh process, with the code of the checkout ``root``."""
    spec = json.dumps({"case": asdict(case), "side": side})
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--child", spec], cwd=root, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark {case.name} ({side}) failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# the suite

@dataclass
class Row:
    case: Case
    side: str
    runs: list[dict]

    def values(self, key: str) -> list[float]:
        return [r[key] for r in self.runs]

    def median(self, key: str) -> float:
        return statistics.median(self.values(key))

    def spread(self, key: str, digits: int = 3) -> str:
        values = self.values(key)
        text = f"{statistics.median(values):.{digits}f}"
        if len(values) > 1:
            text += f" ({min(values):.{digits}f}–{max(values):.{digits}f})"
        return text


def run_suite(cases: list[Case], repeats: int, oracle_all: bool, log=print,
              oracle: tuple[str, ...] = ()) -> dict[tuple[str, str], Row]:
    """Measure every case on its sides ``repeats`` times, a round at a time: each round measures
    every case once, so that the two sides of a ratio are measured minutes apart at most, not a
    whole suite apart (a machine's speed drifts)."""
    measured = []
    for case in cases:
        sides = ["imagesim"]
        if case.oracle or (case.name in ON_DEMAND and (oracle_all or case.name in oracle)):
            sides.append("simpy")
        measured += [(case, side) for side in sides]
    runs: dict[tuple[str, str], list[dict]] = {(case.name, side): [] for case, side in measured}
    for i in range(repeats):
        for case, side in measured:
            result = in_fresh_process(case, side)
            runs[(case.name, side)].append(result)
            log(f"  {case.name:12s} {side:8s} #{i + 1}: build {result['build_s']:.3f} s, "
                f"run {result['run_s']:.4f} s, peak {result['rss_mib']:.0f} MiB")
    return {(case.name, side): Row(case, side, runs[(case.name, side)]) for case, side in measured}


def compare(cases: list[Case], repeats: int, other: Path, log=print) -> str:
    """Measure imagesim on ``cases`` with this checkout's code and with the checkout ``other``'s,
    in the same rounds (each round measures every case on both, one after the other), and give a
    table of the medians and of the per-round ratios, this / other: what a change did, with the
    machine's drift touching both alike."""
    roots = {"this": ROOT, "other": Path(other).resolve()}
    runs: dict[tuple[str, str], list[dict]] = {(case.name, name): [] for case in cases for name in roots}
    for i in range(repeats):
        for case in cases:
            for name, root in roots.items():
                result = in_fresh_process(case, "imagesim", root)
                runs[(case.name, name)].append(result)
                log(f"  {case.name:12s} {name:5s} #{i + 1}: build {result['build_s']:.3f} s, "
                    f"run {result['run_s']:.4f} s")
    lines = ["| case | build s (this / other) | run s (this / other) | build this/other | run this/other "
             "| same results |", "|---|---:|---:|---:|---:|---|"]
    for case in cases:
        mine = Row(case, "imagesim", runs[(case.name, "this")])
        theirs = Row(case, "imagesim", runs[(case.name, "other")])
        same = {r["digest"] for r in mine.runs} == {r["digest"] for r in theirs.runs}
        build = paired(mine, theirs, lambda a, b: a["build_s"] / b["build_s"])
        run = paired(mine, theirs, lambda a, b: a["run_s"] / b["run_s"] if b["run_s"] else 1.0)
        lines.append(f"| {case.name} | {mine.median('build_s'):.3f} / {theirs.median('build_s'):.3f} | "
                     f"{mine.median('run_s'):.4f} / {theirs.median('run_s'):.4f} | {build:.3f} | {run:.3f} | "
                     f"{'yes' if same else 'no'} |")
    return "\n".join(lines)


@dataclass
class Check:
    what: str
    measured: float
    limit: float
    at_least: bool  # True: measured >= limit passes; False: measured <= limit passes
    unit: str = ""

    @property
    def ok(self) -> bool:
        return self.measured >= self.limit if self.at_least else self.measured <= self.limit

    def text(self) -> str:
        sign = "≥" if self.at_least else "≤"
        return f"{self.what}: {self.measured:.2f}{self.unit} (target {sign} {self.limit:g}{self.unit})"


def identity_failures(rows: dict[tuple[str, str], Row]) -> list[str]:
    failures = []
    for (name, side), row in rows.items():
        digests = {r["digest"] for r in row.runs}
        if len(digests) != 1:
            failures.append(f"{name} {side}: the repeats disagree")
        other = rows.get((name, "simpy"))
        if side == "imagesim" and other is not None and {r["digest"] for r in other.runs} != digests:
            failures.append(f"{name}: imagesim's histories and rollouts differ from the SimPy oracle's")
    return failures


def paired(a: Row, b: Row, measure) -> float:
    """The median, over the rounds, of ``measure(a's run, b's run)`` of the same round: the two
    were measured minutes apart at most (see :func:`run_suite`), so what the machine's speed did
    meanwhile touches both alike."""
    return statistics.median(measure(x, y) for x, y in zip(a.runs, b.runs))


def checks(rows: dict[tuple[str, str], Row], quick: bool) -> list[Check]:
    """The issue's targets, measured (in ``--quick`` mode on the small cases, with the margins of
    :data:`QUICK_LIMITS`)."""
    out: list[Check] = []

    def row(name: str, side: str = "imagesim") -> Row | None:
        return rows.get((name, side))

    base = "W1/5" if quick else "W1"
    for name, target in ((base, 50), ("W2", 100)):
        mine, theirs = row(name), row(name, "simpy")
        if mine and theirs:
            limit = QUICK_LIMITS["ratio"] if quick else target
            ratio = paired(theirs, mine, lambda t, m: t["run_s"] / m["run_s"])
            out.append(Check(f"{name} (replicas 0): SimPy run / imagesim run", ratio, limit, True, "x"))
    pods, plain = row(f"{base} pods"), row(base)
    if pods and plain and pods.median("pod_starts"):
        per_pod = paired(pods, plain, lambda p, q: (p["run_s"] - q["run_s"]) / p["pod_starts"] * 1e6)
        limit = QUICK_LIMITS["pod_us"] if quick else 5
        out.append(Check(f"{base} replicas 2: run time per pod start over replicas 0", per_pod, limit, False, " µs"))
    long, month = row(f"{base} 120 d"), row(base)
    if long and month:
        limit = QUICK_LIMITS["season"] if quick else 4.5
        season = paired(long, month, lambda a, b: a["run_s"] / b["run_s"])
        out.append(Check(f"{base}: 120 days / 30 days (run time)", season, limit, False, "x"))
    year, day = row("quiet 365 d"), row("quiet 1 d")
    if year and day:
        limit = QUICK_LIMITS["year"] if quick else 2
        floor = 1e-3  # runs of next to nothing: under a millisecond counts as one (timer noise)
        out.append(Check("no push: 365 days / 1 day (run time, at least 1 ms each)",
                         paired(year, day, lambda a, b: max(a["run_s"], floor) / max(b["run_s"], floor)),
                         limit, False, "x"))
    w2 = rows.get(("W2", "imagesim"))
    if w2:
        apply = statistics.median(r["build_steps"]["apply"] for r in w2.runs)
        out.append(Check("W2: sim.apply of the streams and DeploymentConfigs", apply, 2, False, " s"))
    w5 = rows.get(("W5", "imagesim"))
    if w5:
        total = statistics.median(r["build_s"] + r["run_s"] for r in w5.runs)
        out.append(Check("W5: build + run", total, 20, False, " s"))
        out.append(Check("W5: peak memory", max(w5.values("rss_mib")), 1024, False, " MiB"))
    return out


#: ``--quick`` mode (and tests/test_benchmarks.py): limits with a margin for small cases on a
#: busy CI machine. They guard what the engine reaches today, not the issue's targets.
QUICK_LIMITS = {"ratio": 2.5, "pod_us": 20, "season": 6.75, "year": 3}


# ---------------------------------------------------------------------------------------------
# the table

def table(rows: dict[tuple[str, str], Row], repeats: int) -> str:
    lines = [
        "| case | workload | side | build s | run s | read s | peak MiB | events | rollouts | SimPy / imagesim |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (name, side), row in rows.items():
        ratio = ""
        other = rows.get((name, "simpy"))
        if side == "imagesim" and other is not None:
            ratio = f"{paired(other, row, lambda t, m: t['run_s'] / m['run_s']):.1f}x"
        events = f"{int(row.median('events')):,}" if side == "imagesim" else ""
        read = f"{row.median('read_s'):.3f}" if side == "imagesim" else ""
        lines.append(f"| {name} | {row.case.label()} | {side} | {row.spread('build_s', 2)} | "
                     f"{row.spread('run_s')} | {read} | {max(row.values('rss_mib')):.0f} | {events} | "
                     f"{int(row.median('rollouts')):,} | {ratio} |")
    return "\n".join(lines)


def report(rows: dict[tuple[str, str], Row], found: list[Check], failures: list[str], repeats: int,
           quick: bool) -> str:
    machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, " \
              f"{os.cpu_count()} CPUs"
    parts = [
        f"Measured with `{COMMAND}{' --quick' if quick else ''}` ({machine}); each measurement in a fresh "
        f"process, {repeats} repeats: medians with (min–max), in seconds of the process's CPU time "
        "(`time.process_time`: the wall time on an idle machine, and steady on a busy one), the repeats "
        "taken in rounds (each round measures every case once, so both sides of a ratio are measured "
        "close in time, and a ratio or difference of two cases is the median of its rounds' values). *build* is "
        "making the world through `sim.push`/`sim.apply` (SimPy: creating the processes), *run* is "
        "`sim.run` (SimPy: `env.run`) alone; *read* is writing out, once, what the followers of each "
        "tag were rolled out to together, with their RCs and pods, and making every ReplicationController "
        "and deployer pod that rollouts running no pods kept as facts (`sim.cluster.replicasets` and "
        "`sim.cluster.pods`; nothing in the run needs them, `oc get rc` and `oc get pods` would); *events* "
        "are the actions the clock ran during the run; peak memory is the process's maximum resident set at "
        "the end of the run.",
        "",
        table(rows, repeats),
        "",
    ]
    if found:
        parts.append("Checks of the short mode (limits with a margin for small cases and busy machines, not "
                     "the issue's targets):" if quick else "Targets:")
        parts.append("")
        for check in found:
            parts.append(f"- {'met' if check.ok else '**not met**'}: {check.text()}")
        parts.append("")
    parts.append("Identity with the SimPy oracle: " + ("; ".join(failures) if failures else
                 "the same histories and rollout counts wherever both ran."))
    return "\n".join(parts)


def write_readme(text: str) -> None:
    readme = README.read_text()
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"README.md has no {BEGIN} ... {END} section")
    README.write_text(readme[:start + len(BEGIN)] + "\n" + text + "\n" + readme[end:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the short mode: small cases and checks with margins")
    parser.add_argument("--oracle-all", action="store_true", help="run SimPy at W2 and W5 too (minutes)")
    parser.add_argument("--oracle", action="append", default=[], metavar="NAME",
                        help="run SimPy at this on-demand case too (repeatable)")
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per measurement (default 3)")
    parser.add_argument("--case", action="append", default=[], help="run only this case (repeatable)")
    parser.add_argument("--write-readme", action="store_true", help="put the table into README.md")
    parser.add_argument("--against", metavar="DIR", help="compare imagesim with the checkout DIR (another "
                        "commit, say from `git worktree add`) in the same rounds instead")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    cases = QUICK if args.quick else FULL
    if args.case:
        cases = [c for c in cases if c.name in args.case]
    if args.against:
        print(f"{len(cases)} cases, {args.repeats} rounds, against {args.against}")
        print()
        print(compare(cases, args.repeats, Path(args.against)))
        return 0
    print(f"{len(cases)} cases, {args.repeats} repeats each")
    rows = run_suite(cases, args.repeats, args.oracle_all, oracle=tuple(args.oracle))
    failures = identity_failures(rows)
    found = checks(rows, args.quick)
    text = report(rows, found, failures, args.repeats, args.quick)
    print()
    print(text)
    if args.write_readme:
        write_readme(text)
        print(f"\nwrote {README.relative_to(ROOT)}")
    if failures or (args.quick and not all(c.ok for c in found)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
