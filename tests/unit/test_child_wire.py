"""The sync child's change sets cross the pipe whole: every field of Changes, each filled."""

from __future__ import annotations

from dataclasses import fields

from console.store.changes import Changes
from console.sync.child_wire import changes_from, changes_message, decode, encode


def test_every_field_of_a_change_set_crosses_the_wire() -> None:
    changes = Changes()
    for field in fields(Changes):
        value = getattr(changes, field.name)
        if isinstance(value, set):
            value.add(f"{field.name}-1")
        elif isinstance(value, dict):
            value["c1"] = {7}
        else:
            setattr(changes, field.name, True)
    back = changes_from(decode(encode(changes_message(changes))))
    assert back == changes
    assert changes_from({"t": "changes"}) == Changes()  # an older child: nothing more
