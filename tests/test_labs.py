"""Every lab step: unsolved it fails with a reason, solved it passes, for several students."""

from __future__ import annotations

import pytest

from imagesim import labs

CASES = [(lesson, step.id, seed) for lesson, value in sorted(labs.lessons().items())
         for step in value.steps for seed in (0, 7)]


@pytest.mark.parametrize(("lesson", "step", "seed"), CASES, ids=[f"{s}-seed{n}" for _, s, n in CASES])
def test_step_fails_unsolved_and_passes_solved(lesson, step, seed):
    lab = labs.open_lab(lesson, seed=seed)
    text = lab.goto(step)
    assert text.startswith(f"At the start of {step} ")
    unsolved = lab.check(step)
    assert not unsolved.done
    assert unsolved.message and "not yet" in repr(unsolved)
    if lab.step(step).question:
        assert not lab.check(step, answer="sha256:0000000000000000").done
        solved = lab.check(step, answer=lab.answer(step))
    else:
        lab.solve(step)
        solved = lab.check(step)
    assert solved.done, solved.message
    assert repr(solved).startswith(f"✔ {step} done: ")


def test_every_step_has_a_hint_and_a_solution():
    for lesson in labs.lessons().values():
        lab = labs.Lab(lesson)
        for step in lesson.steps:
            assert lab.hint(step.id).strip()
            assert lab.solution(step.id).startswith(("oc ", "docker "))


def test_students_get_their_own_digests_and_the_checks_still_work():
    a, b = labs.open_lab("02", seed=0), labs.open_lab("02", seed=1)
    a.goto("02.5")
    b.goto("02.5")
    assert a.solution("02.5") != b.solution("02.5")
    a.solve("02.5")
    assert a.check("02.5").done
    assert not b.check("02.5").done


def test_a_wrong_answer_gets_a_precise_reason():
    lab = labs.open_lab("02")
    lab.goto("02.3")
    lab.sim.oc("tag db:3.6 db:latest")  # a snapshot where an alias was asked for
    lab.sim.oc("tag --alias db:3.6 db:stable")
    result = lab.check("02.3")
    assert not result.done
    assert "should track db:3.6 (--alias)" in result.message
    lab.goto("02.5")
    lab.sim.oc("tag --source=docker quay.io/centos7/mongodb-36-centos7:latest db:3.6")
    assert "broken build" in lab.check("02.5").message


def test_unknown_lesson_and_step_are_clear_errors():
    with pytest.raises(KeyError, match="no lesson '99'"):
        labs.open_lab("99")
    with pytest.raises(KeyError, match="has no step '02.9'"):
        labs.open_lab("02").check("02.9")


def test_goto_makes_the_lab_world_current_for_the_magic():
    from imagesim.oc.magic import current

    lab = labs.open_lab("02")
    lab.goto("02.4")
    assert current() is lab.sim


def test_questions_take_answers_in_several_forms():
    lab = labs.open_lab("07")
    when = lab.answer("07.1")
    assert lab.check("07.1", answer=when).done
    assert lab.check("07.1", answer=lab.sim.clock.timestamp(lab.sim.clock.from_datetime(when))).done
    late = lab.check("07.1", answer=lab.sim.clock.timestamp(lab.sim.clock.from_datetime(when) + 3600))
    assert not late.done and "too late" in late.message
    digest = lab.answer("07.2")
    assert lab.check("07.2", answer=digest[7:19]).done
    assert "12 hex digits" in lab.check("07.2", answer="abc").message
    assert "asks a question" in lab.check("07.2").message
    with pytest.raises(KeyError, match="is a task, not a question"):
        lab.answer("07.3")
