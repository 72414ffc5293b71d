"""Lower-cased keys fit their columns whatever the text: lower-casing may lengthen it.

"İ" (U+0130) lower-cases to "i̇" (two characters) and some characters case-fold to three, so a
name at its length limit made a key longer than its column: a 500 on PostgreSQL, which
enforces VARCHAR widths (SQLite stores it anyway). Tested on both databases.
"""

from __future__ import annotations

import uuid

from tests.backend.conftest import Api, assert_problem, page_all

DOTTED_I = "\u0130"  # "İ": lower() and casefold() give "i" + U+0307
FOLDS_TO_THREE = "\u0390"  # "ΐ": casefold() gives three characters


def test_a_contact_named_with_letters_that_lengthen_when_lower_cased(api: Api) -> None:
    for name in (DOTTED_I * 150, DOTTED_I * 200, FOLDS_TO_THREE * 200):
        response = api.admin.post("/v1/contacts", json={"name": name})
        assert response.status_code == 201, response.text
        contact = response.json()
        assert contact["name"] == name
        found = api.admin.get("/v1/contacts", params={"q": name[:50].lower()}).json()["items"]
        assert contact["id"] in [c["id"] for c in found]
    renamed = api.admin.patch(f"/v1/contacts/{contact['id']}", json={"name": DOTTED_I * 199})
    assert renamed.status_code == 200, renamed.text


def test_a_group_named_with_letters_that_lengthen_when_case_folded(api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    for letter in (DOTTED_I, FOLDS_TO_THREE, "\ufb03"):  # "ﬃ" folds to "ffi"
        name = tag + letter * (100 - len(tag))
        response = api.admin.post("/v1/groups", json={"name": name})
        assert response.status_code == 201, response.text
        group = response.json()
        # Its key still makes names unique.
        assert_problem(api.admin.post("/v1/groups", json={"name": name}), 409,
                       "conflict")
        renamed = api.admin.patch(f"/v1/groups/{group['id']}", json={"name": name[:-1]})
        assert renamed.status_code == 200, renamed.text


def test_a_user_email_that_lengthens_when_lower_cased_is_422_not_500(api: Api) -> None:
    email = DOTTED_I * 124 + "@example.com"  # 136 characters, 260 once lower-cased
    response = api.admin.post("/v1/users", json={"email": email, "password": "long-enough"})
    assert_problem(response, 422, "validation_error")


def test_lists_page_past_the_longest_keys(api: Api) -> None:
    """A page that ends on a long non-ASCII name still hands out a cursor the list takes back
    (it was longer than the cursor parameter allowed: a 422 in the middle of a list)."""
    tag = uuid.uuid4().hex[:8]
    names = [f"{tag} {letter * 190}" for letter in ("\U0001d504", DOTTED_I, "\u0390")]
    for name in names:
        assert api.admin.post("/v1/contacts", json={"name": name}).status_code == 201
    found = page_all(api.admin, "/v1/contacts", limit=1, q=tag)
    assert sorted(c["name"] for c in found) == sorted(names)
    for letter in ("\U0001d504", FOLDS_TO_THREE):
        name = f"{tag}{letter * 90}"
        assert api.admin.post("/v1/groups", json={"name": name}).status_code == 201
    groups = page_all(api.admin, "/v1/groups", limit=1)
    assert sum(g["name"].startswith(tag) for g in groups) == 2
