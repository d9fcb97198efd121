"""``registry.new_image`` makes the same Image as the dataclass does, field by field."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from imagesim.registry import Image, new_image

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize("broken", [False, True])
def test_new_image_is_the_image_the_dataclass_makes(broken: bool) -> None:
    made, built = new_image(DIGEST, "quay.io/acme/app", 7, broken), Image(DIGEST, "quay.io/acme/app", 7, broken)
    assert type(made) is Image
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert dataclasses.astuple(made) == dataclasses.astuple(built)
    assert made.given_layers is None and made.layers == built.layers and made.size == built.size
    assert pickle.loads(pickle.dumps(made)) == built and copy.deepcopy(made) == built
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.digest = "sha256:" + "0" * 64  # type: ignore[misc]
