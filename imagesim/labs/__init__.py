"""Exercises that check themselves: steps with a task, a check, a hint and a solution.

A lesson is a list of :class:`Step` objects over a seeded world. ``Lab`` holds the world a
student works in::

    lab = labs.open_lab("02", seed=0)   # per-student variants: another seed, other digests
    lab.check("02.1")                   # done, or precisely what is still wrong
    lab.hint("02.1"); lab.solution("02.1")
    lab.goto("02.3")                    # the world as it is at the start of step 02.3

Checks inspect the simulation, never the student's text, so any correct way of doing a step
passes. ``goto`` rebuilds the world and replays the solutions of the earlier steps, like a
"skip ahead" button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..simulation import Simulation

__all__ = ["CheckResult", "Lab", "Lesson", "Step", "lessons", "open_lab"]


@dataclass(frozen=True)
class CheckResult:
    """The answer of a check: ``done``, and what is right or still wrong."""

    step: str
    done: bool
    message: str

    def __bool__(self) -> bool:
        return self.done

    def __repr__(self) -> str:
        mark = "✔" if self.done else "✘"
        state = "done" if self.done else "not yet"
        return f"{mark} {self.step} {state}: {self.message}"

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.done else "#b35900"
        from html import escape

        return f'<div style="color:{colour}"><b>{escape(repr(self))}</b></div>'


@dataclass
class Step:
    """One exercise: what to do, how to check it, a hint and a solution."""

    id: str
    title: str
    task: str
    check: Callable[[Simulation], tuple[bool, str]]
    hint: str
    solution: list[str] | Callable[[Simulation], list[str]]
    before: Callable[[Simulation], str] | None = None
    #: For a question (the student finds something out): the right answer, computed from the
    #: world; ``check`` then takes ``(sim, answer)`` and the student calls
    #: ``lab.check(step, answer=...)``.
    expected: Callable[[Simulation], object] | None = None

    @property
    def question(self) -> bool:
        return self.expected is not None

    def commands(self, sim: Simulation) -> list[str]:
        return list(self.solution(sim)) if callable(self.solution) else list(self.solution)


@dataclass
class Lesson:
    id: str
    title: str
    world: Callable[[int], Simulation]
    steps: list[Step] = field(default_factory=list)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        known = ", ".join(s.id for s in self.steps)
        raise KeyError(f"lesson {self.id} has no step {step_id!r}; its steps are {known}")


class _Text(str):
    """A string that shows as plain text in Jupyter (no quotes)."""

    def __repr__(self) -> str:
        return str(self)


class Lab:
    """A student's working copy of a lesson's world."""

    def __init__(self, lesson: Lesson, seed: int = 0) -> None:
        self.lesson = lesson
        self.seed = seed
        self.sim = self._fresh()

    def __repr__(self) -> str:
        return f"<Lab {self.lesson.id} '{self.lesson.title}' seed={self.seed} steps={len(self.lesson.steps)}>"

    def _fresh(self) -> Simulation:
        sim = self.lesson.world(self.seed)
        _use(sim)
        return sim

    def step(self, step_id: str) -> Step:
        return self.lesson.step(step_id)

    def task(self, step_id: str) -> str:
        step = self.step(step_id)
        return _Text(f"{step.id} {step.title}\n\n{step.task}")

    def check(self, step_id: str, answer: object = None) -> CheckResult:
        """Check a step; a question takes the student's ``answer``."""
        step = self.step(step_id)
        if step.question:
            if answer is None:
                return CheckResult(step_id, False, f"this step asks a question: lab.check({step_id!r}, answer=...)")
            done, message = step.check(self.sim, answer)  # type: ignore[call-arg]
        else:
            done, message = step.check(self.sim)
        return CheckResult(step_id, done, message)

    def answer(self, step_id: str) -> object:
        """The right answer of a question step, in this world (what a solution sheet says)."""
        step = self.step(step_id)
        if not step.question:
            raise KeyError(f"step {step_id} is a task, not a question: see lab.solution({step_id!r})")
        return step.expected(self.sim)  # type: ignore[misc]

    def hint(self, step_id: str) -> str:
        return _Text(self.step(step_id).hint)

    def solution(self, step_id: str) -> str:
        commands = self.step(step_id).commands(self.sim)
        return _Text("\n".join(c if c.startswith("docker ") else f"oc {c}" for c in commands))

    def solve(self, step_id: str, *, quiet: bool = False) -> str:
        """Run the step's solution in the current world; return what the commands printed."""
        step = self.step(step_id)
        out = []
        for command in step.commands(self.sim):
            result = self.sim.docker(command[7:]) if command.startswith("docker ") else self.sim.oc(command)
            out.append(str(result))
        return _Text("" if quiet else "".join(out))

    def begin(self, step_id: str) -> str:
        """Run what happens in the world before ``step_id`` starts (upstream pushes, time)."""
        step = self.step(step_id)
        if step.before is None:
            return _Text(f"Nothing happens before {step_id}.")
        return _Text(step.before(self.sim))

    def goto(self, step_id: str) -> str:
        """Start ``step_id`` in a fresh world where every earlier step is solved and what happens
        before the step has happened; ``lab.sim`` (and ``%oc``) then work on that world."""
        target = self.step(step_id)
        self.sim = self._fresh()
        told = ""
        for step in self.lesson.steps:
            if step.before is not None:
                told = step.before(self.sim)
            if step is target:
                break
            self.solve(step.id, quiet=True)
        done = [s.id for s in self.lesson.steps[: self.lesson.steps.index(target)]]
        lines = [f"At the start of {target.id} {target.title}"
                 + (f" (solved before it: {', '.join(done)})." if done else ".")]
        if target.before is not None:
            lines.append(told)
        lines += ["", target.task]
        return _Text("\n".join(lines))


def _use(sim: Simulation) -> None:
    from ..oc.magic import use

    use(sim)


def lessons() -> dict[str, Lesson]:
    from . import lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07

    return {"01": lesson01.LESSON, "02": lesson02.LESSON, "03": lesson03.LESSON, "04": lesson04.LESSON, "05": lesson05.LESSON,
            "06": lesson06.LESSON, "07": lesson07.LESSON}


def open_lab(lesson: str, seed: int = 0) -> Lab:
    """The lab of lesson ``lesson`` (``"02"``...) for the student with ``seed``."""
    found = lessons().get(lesson)
    if found is None:
        raise KeyError(f"no lesson {lesson!r}; lessons: {', '.join(sorted(lessons()))}")
    return Lab(found, seed)
