"""Contact import of 10,000 rows: the console's parse and check, then the backend's POST.

Run: .venv/bin/python tests/bench/bench_contact_import.py [--rows 10000]
Target: under 10 s in all (parse + check of the CSV, and the POST /v1/contact-imports).

A CSV of --rows valid rows (name, mobile, half with a work number, a third with an email,
1 in 20 with DND) is read and checked with console.domain.contact_import (parse_csv,
guess_mapping, check_rows); the rows it finds good are posted to a real embedded backend
(console.embedded_backend: `serve` on loopback, a SQLite file, demo seed) as the admin. Then
the import is undone (DELETE), timed too. Prints seconds per step.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from console.domain.contact_import import (
    check_rows,
    guess_mapping,
    parse_csv,
)
from console.embedded_backend import EmbeddedBackend
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD

TARGET_S = 10.0
FIRST = [
    "Maria",
    "James",
    "Aisha",
    "Tom",
    "Emily",
    "Oliver",
    "Hannah",
    "Robert",
    "Sofia",
    "Liam",
    "Grace",
    "Noah",
    "Chloe",
    "Ethan",
    "Zoe",
    "Daniel",
]
LAST = [
    "Gonzalez",
    "Whitaker",
    "Khan",
    "Nguyen",
    "Smith",
    "Okafor",
    "Berg",
    "Rossi",
    "Dubois",
    "Tanaka",
    "Silva",
    "Kowalski",
]


def make_csv(rows: int, seed: int = 7) -> str:
    """Valid, distinct numbers: NANP area codes 201..989 with exchange 2xx-9xx, never 555."""
    rng = random.Random(seed)
    lines = ["First Name,Last Name,Mobile,Work Phone,E-mail,Do not disturb"]
    numbers = iter(rng.sample(range(10_000_000), rows * 2))

    def number() -> str:
        n = next(numbers)
        return (
            f"(312) {200 + n // 10_000 % 800:03d}-{n % 10_000:04d}"
            if n < 8_000_000
            else (f"646-{200 + n // 10_000 % 800:03d}-{n % 10_000:04d}")
        )

    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        work = number() if i % 2 else ""
        mobile = number()
        email = f"{first.lower()}.{last.lower()}{i}@example.com" if i % 3 == 0 else ""
        dnd = "yes" if i % 20 == 0 else ""
        lines.append(f'"{first}","{last} {i}",{mobile},{work},{email},{dnd}')
    return "\r\n".join(lines) + "\r\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    text = make_csv(args.rows)
    start = time.perf_counter()
    table = parse_csv(text)
    mapping = guess_mapping(table.columns)
    parsed = time.perf_counter()
    reports = check_rows(table, mapping, existing_numbers=set())
    checked = time.perf_counter()
    good = [r for r in reports if r.ok]
    print(
        f"CSV of {len(table.rows)} rows ({len(text) / 1e6:.1f} MB): parse "
        f"{parsed - start:.2f} s, check {checked - parsed:.2f} s, {len(good)} good"
    )
    body = {
        "source": "bench.csv",
        "rows": [
            {
                "name": r.contact.name,
                "phones": [
                    {"number": n, "label": label} for n, label in r.contact.contact_phones()
                ],
                "email": r.contact.email,
                "dnd": r.contact.dnd,
            }
            for r in good
        ],
    }

    with tempfile.TemporaryDirectory() as tmp:
        backend = EmbeddedBackend(Path(tmp) / "backend.db")
        url = backend.start()
        try:
            with httpx.Client(base_url=url, timeout=300) as http:
                token = http.post(
                    "/v1/auth/token",
                    json={
                        "email": DEMO_ADMIN_EMAIL,
                        "password": DEMO_ADMIN_PASSWORD,
                    },
                ).json()["access_token"]
                http.headers["Authorization"] = f"Bearer {token}"
                t0 = time.perf_counter()
                response = http.post("/v1/contact-imports", json=body)
                posted = time.perf_counter() - t0
                assert response.status_code == 201, response.text[:500]
                result = response.json()
                print(
                    f"POST /v1/contact-imports: {posted:.2f} s, "
                    f"{result['created_count']} created, {len(result['skipped'])} skipped"
                )
                t0 = time.perf_counter()
                undone = http.delete(f"/v1/contact-imports/{result['id']}")
                undo_s = time.perf_counter() - t0
                assert undone.status_code == 200, undone.text[:500]
                print(f"DELETE (undo): {undo_s:.2f} s")
        finally:
            backend.stop()
    total = (checked - start) + posted
    print(
        f"total parse + check + POST: {total:.2f} s (target < {TARGET_S:.0f} s): "
        f"{'OK' if total < TARGET_S else 'OVER'}"
    )


if __name__ == "__main__":
    main()
