"""Importing contacts from a file: read CSV or vCard text, guess what each column is, and
check every row before anything is sent (the backend checks again: it is authoritative).

Pure: no I/O beyond the text given. Row numbers are the file's own, 1-based, the header
counting as row 1: a CSV record is numbered by the line it starts on (blank lines count, as an
editor shows them); the n-th vCard is row n + 1 (as if the cards had a header row).

Several numbers on one row: they are ordered mobile first (the primary number is the one we
text), and the first of that order decides: unusable (invalid_number, outside_nanp), the row
is reported; a later unusable number is left out and named in the row's detail. A number
already on a live contact, or on an earlier row of the file, reports the row whichever its
place: it is most likely the same person.
"""

from __future__ import annotations

import csv
import io
import quopri
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from console.domain.emails import InvalidEmail, parse_email
from console.domain.phones import DEFAULT_REGION, MAX_INPUT_LENGTH, SMS_GROUP_REGIONS

MAX_ROWS = 20_000
MAX_PHONES = 10  # as many as a contact may have (ContactCreate)
MAX_NAME = 200
DELIMITERS = (",", ";", "\t")


# --- Tables -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableRow:
    number: int  # the file's row number, header = 1
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def sniff_delimiter(first_line: str) -> str:
    """The delimiter among , ; tab that the header line holds most of (outside quotes)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv(text: str) -> Table:
    """A CSV (or ;- or tab-separated) text: its first non-blank record is the header."""
    body = _strip_bom(text)
    first = next((line for line in body.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=sniff_delimiter(first))
    columns: tuple[str, ...] | None = None
    rows: list[TableRow] = []
    line = 0  # physical lines consumed so far
    for record in reader:
        start, line = line + 1, reader.line_num
        cells = tuple(cell.strip() for cell in record)
        if not any(cells):
            continue
        if columns is None:
            columns = cells
            header_line = start
            continue
        width = len(columns)
        cells = (cells + ("",) * width)[:width] if len(cells) != width else cells
        rows.append(TableRow(start - header_line + 1, cells))
    return Table(columns or (), tuple(rows))


# --- vCard --------------------------------------------------------------------------------


class PhoneKind(StrEnum):
    MOBILE = "mobile"
    WORK = "work"
    HOME = "home"
    OTHER = "other"


def _unfold(text: str) -> list[str]:
    """Physical lines to logical ones: a line starting with a space or tab continues the
    previous one (RFC 6350 3.2); a quoted-printable line ending in "=" continues too (2.1)."""
    out: list[str] = []
    for raw in _strip_bom(text).splitlines():
        if raw[:1] in (" ", "\t") and out:
            out[-1] += raw[1:]
        elif out and out[-1].endswith("=") and "QUOTED-PRINTABLE" in out[-1].upper():
            out[-1] = out[-1][:-1] + raw
        elif raw.strip():
            out.append(raw)
    return out


def _split_property(line: str) -> tuple[str, list[str], str]:
    head, _, value = line.partition(":")
    name, *params = head.split(";")
    return name.split(".")[-1].upper(), [p.upper() for p in params], value  # drops "item1."


def _vcard_value(params: Sequence[str], value: str) -> str:
    if any(p in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE") for p in params):
        charset = next((p.split("=", 1)[1] for p in params if p.startswith("CHARSET=")), "UTF-8")
        try:
            value = quopri.decodestring(value.encode("ascii", "replace")).decode(charset, "replace")
        except LookupError:
            value = quopri.decodestring(value.encode("ascii", "replace")).decode("utf-8", "replace")
    return re.sub(r"\\([,;:\\nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _phone_kind(params: Iterable[str]) -> PhoneKind:
    types: set[str] = set()
    for param in params:
        key, eq, rest = param.partition("=")
        values = rest if eq else key  # 2.1 writes bare types: TEL;CELL;VOICE:
        if eq and key != "TYPE":
            continue
        types.update(v.strip('"').lower() for v in values.split(","))
    if types & {"cell", "mobile", "iphone"}:
        return PhoneKind.MOBILE
    if "work" in types:
        return PhoneKind.WORK
    if "home" in types:
        return PhoneKind.HOME
    return PhoneKind.OTHER


@dataclass(slots=True)
class _Card:
    name: str = ""
    phones: list[tuple[str, PhoneKind]] = field(default_factory=list)
    email: str = ""


def parse_vcard(text: str) -> Table:
    """vCard 2.1/3.0/4.0: FN (else N), every TEL with its type, the first EMAIL. Columns:
    "Name", "Phone (<kind>)" (one per number a card has at most, per kind), "Email"."""
    cards: list[_Card] = []
    card: _Card | None = None
    given_name = ""
    for line in _unfold(text):
        name, params, raw = _split_property(line)
        if name == "BEGIN" and raw.strip().upper() == "VCARD":
            card, given_name = _Card(), ""
        elif card is None:
            continue
        elif name == "END":
            card.name = card.name or given_name
            cards.append(card)
            card = None
        elif name == "FN":
            card.name = _vcard_value(params, raw).strip()
        elif name == "N":
            parts = [p.strip() for p in _vcard_value(params, raw).split(";")]
            family, given = [*parts, "", ""][:2]
            given_name = " ".join(p for p in (given, family) if p)
        elif name == "TEL":
            number = _vcard_value(params, raw).strip()
            if number.lower().startswith("tel:"):
                number = number[4:]
            if number:
                card.phones.append((number, _phone_kind(params)))
        elif name == "EMAIL" and not card.email:
            card.email = _vcard_value(params, raw).strip()
    columns: list[str] = ["Name"]
    slots: list[PhoneKind] = []  # one column per (kind, n-th of that kind)
    for kind in PhoneKind:
        most = max((sum(1 for _, k in c.phones if k == kind) for c in cards), default=0)
        slots.extend([kind] * most)
    columns.extend(f"Phone ({kind})" for kind in slots)
    columns.append("Email")
    rows: list[TableRow] = []
    for index, c in enumerate(cards):
        cells = [c.name]
        for kind in PhoneKind:
            mine = [n for n, k in c.phones if k == kind]
            wanted = slots.count(kind)
            cells.extend((mine + [""] * wanted)[:wanted])
        cells.append(c.email)
        rows.append(TableRow(index + 2, tuple(cells)))
    return Table(tuple(columns), tuple(rows))


# --- Mapping ------------------------------------------------------------------------------


class Target(StrEnum):
    NAME = "name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    PHONE = "phone"
    EMAIL = "email"
    DND = "dnd"
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class ColumnTarget:
    target: Target
    label: PhoneKind | None = None  # phones only


Mapping = tuple[ColumnTarget, ...]  # one per column, in the table's order

IGNORE = ColumnTarget(Target.IGNORE)
_DND_WORDS = (
    "dnd",
    "do not disturb",
    "opted out",
    "opt out",
    "optout",
    "opted-out",
    "unsubscribed",
    "do not text",
    "do not contact",
    "no sms",
)
_EMAIL_WORDS = {"email", "e mail", "mail", "email address", "e mail address"}
_FIRST_WORDS = {"first name", "firstname", "given name", "first", "given", "forename"}
_LAST_WORDS = {"last name", "lastname", "surname", "family name", "last", "family"}
_NAME_WORDS = {
    "name",
    "full name",
    "fullname",
    "display name",
    "contact",
    "contact name",
    "fn",
    "person",
    "customer",
    "customer name",
    "client",
    "client name",
}
_MOBILE_WORDS = ("mobile", "cell", "sms", "iphone", "handy")
_PHONE_WORDS = (
    "phone",
    "tel",
    "telephone",
    "number",
    "mobile",
    "cell",
    "sms",
    "iphone",
    "fax",
    "handy",
    "whatsapp",
)


def _words(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", header.lower()).split())


def guess_column(header: str) -> ColumnTarget:
    """What one header names, from its common words (English)."""
    text = _words(header)
    tokens = set(text.split())
    if any(w == text or (" " in w and w in text) or w in tokens for w in _DND_WORDS):
        return ColumnTarget(Target.DND)
    if text in _EMAIL_WORDS or (tokens & {"email", "mail"} and "name" not in tokens):
        return ColumnTarget(Target.EMAIL)
    if tokens & set(_PHONE_WORDS) and "fax" not in tokens:
        if tokens & set(_MOBILE_WORDS):
            return ColumnTarget(Target.PHONE, PhoneKind.MOBILE)
        if tokens & {"work", "office", "business", "company"}:
            return ColumnTarget(Target.PHONE, PhoneKind.WORK)
        if "home" in tokens:
            return ColumnTarget(Target.PHONE, PhoneKind.HOME)
        return ColumnTarget(Target.PHONE, PhoneKind.OTHER)
    if text in _FIRST_WORDS:
        return ColumnTarget(Target.FIRST_NAME)
    if text in _LAST_WORDS:
        return ColumnTarget(Target.LAST_NAME)
    if text in _NAME_WORDS:
        return ColumnTarget(Target.NAME)
    return IGNORE


def guess_mapping(columns: Sequence[str]) -> Mapping:
    """A target per column; a single-valued target (name, first/last name, email, DND) goes to
    its first column only, later ones are ignored. Phones may be many."""
    taken: set[Target] = set()
    out: list[ColumnTarget] = []
    for header in columns:
        guess = guess_column(header)
        if guess.target not in (Target.PHONE, Target.IGNORE):
            if guess.target in taken:
                guess = IGNORE
            taken.add(guess.target)
        out.append(guess)
    return tuple(out)


# --- Checking rows ------------------------------------------------------------------------


class RowCode(StrEnum):
    OK = "ok"
    INVALID_NUMBER = "invalid_number"  # cannot be read as a phone number
    OUTSIDE_NANP = "outside_nanp"  # a valid number, not US/Canada (+1)
    DUPLICATE_EXISTING = "duplicate_existing"  # already on a live contact
    DUPLICATE_IN_FILE = "duplicate_in_file"  # on an earlier row of the file (or request)
    NO_NAME_OR_NUMBER = "no_name_or_number"  # nothing usable
    INVALID_EMAIL = "invalid_email"  # backend only: the console leaves a bad address out


@dataclass(frozen=True, slots=True)
class ImportContact:
    name: str
    phones: tuple[tuple[str, PhoneKind], ...]  # (E.164, kind), mobile first
    email: str | None = None
    dnd: bool = False

    def contact_phones(self) -> list[tuple[str, str]]:
        """(E.164, contact label): the first number is "primary", the others "secondary"."""
        return [
            (number, "primary" if i == 0 else "secondary")
            for i, (number, _) in enumerate(self.phones)
        ]


@dataclass(frozen=True, slots=True)
class RowReport:
    row: int  # the file's row number, header = 1
    contact: ImportContact  # what it would create (what could be read, for a bad row)
    code: RowCode = RowCode.OK
    detail: str = ""  # English; for an ok row, what was left out (if anything)

    @property
    def ok(self) -> bool:
        return self.code == RowCode.OK

    @property
    def dnd(self) -> bool:
        return self.contact.dnd


def read_phone(text: str, region: str = DEFAULT_REGION) -> tuple[str | None, RowCode]:
    """(E.164, ok), (E.164, outside_nanp) or (None, invalid_number); parsed once."""
    raw = text.strip()
    if not raw or len(raw) > MAX_INPUT_LENGTH:
        return None, RowCode.INVALID_NUMBER
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException:
        return None, RowCode.INVALID_NUMBER
    # is_valid_number() is this, but would look for the region a second time.
    found = phonenumbers.region_code_for_number(number)
    if found is None or not phonenumbers.is_valid_number_for_region(number, found):
        return None, RowCode.INVALID_NUMBER
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if found not in SMS_GROUP_REGIONS:
        return e164, RowCode.OUTSIDE_NANP
    return e164, RowCode.OK


_TRUTHY = frozenset(
    {
        "yes",
        "y",
        "true",
        "t",
        "1",
        "x",
        "on",
        "checked",
        "opted out",
        "opt out",
        "opted-out",
        "optedout",
        "dnd",
        "stop",
        "unsubscribed",
    }
)


def is_yes(cell: str) -> bool:
    return " ".join(cell.strip().lower().split()) in _TRUTHY


def _problem_detail(code: RowCode, text: str) -> str:
    if code == RowCode.INVALID_NUMBER:
        return f"{text!r} is not a phone number"
    return f"{text} is not a US or Canada number"


def _cells(row: TableRow, mapping: Mapping, target: Target) -> list[tuple[str, ColumnTarget]]:
    return [
        (cell, m)
        for cell, m in zip(row.cells, mapping, strict=False)
        if m.target == target and cell.strip()
    ]


def _name(row: TableRow, mapping: Mapping) -> str:
    full = next((c for c, _ in _cells(row, mapping, Target.NAME)), "")
    if not full:
        parts = [c for c, _ in _cells(row, mapping, Target.FIRST_NAME)]
        parts += [c for c, _ in _cells(row, mapping, Target.LAST_NAME)]
        full = " ".join(parts)
    return " ".join(full.split())[:MAX_NAME]


def _read_phones(
    row: TableRow, mapping: Mapping
) -> tuple[list[tuple[str, PhoneKind]], list[tuple[str, RowCode, int]]]:
    """The row's numbers mobile first: the usable ones, and [(text, problem, e164-or-"")]
    for the others, each with its place in that order."""
    found = [(text, m.label or PhoneKind.OTHER) for text, m in _cells(row, mapping, Target.PHONE)]
    found.sort(key=lambda item: item[1] != PhoneKind.MOBILE)  # stable
    good: list[tuple[str, PhoneKind]] = []
    bad: list[tuple[str, RowCode, int]] = []
    for index, (text, kind) in enumerate(found):
        e164, code = read_phone(text)
        if code == RowCode.OK and e164 is not None:
            if e164 not in (n for n, _ in good):
                good.append((e164, kind))
        else:
            bad.append((text, code, index))
    return good, bad


def check_row(
    row: TableRow, mapping: Mapping, existing: Collection[str], earlier: dict[str, int]
) -> RowReport:
    """One row's report; `earlier` (number -> row) is the numbers of the file's earlier good
    rows, and gets this row's if it is good."""
    name = _name(row, mapping)
    good, bad = _read_phones(row, mapping)
    notes: list[str] = []
    email: str | None = None
    email_text = next((c for c, _ in _cells(row, mapping, Target.EMAIL)), "")
    if email_text:
        try:
            email = parse_email(email_text)
        except InvalidEmail:
            notes.append(f"email {email_text!r} left out: not one plain address")
    dnd = any(is_yes(c) for c, _ in _cells(row, mapping, Target.DND))
    if not name and good:
        name = (email or good[0][0])[:MAX_NAME]  # an email may be longer than a name may
        notes.append("no name: named after its email or number")
    contact = ImportContact(name, tuple(good[:MAX_PHONES]), email, dnd)
    if bad and bad[0][2] == 0:  # the primary number (first, mobile first) is unusable
        text, code, _ = bad[0]
        return RowReport(row.number, contact, code, _problem_detail(code, text))
    if not name:
        return RowReport(
            row.number, contact, RowCode.NO_NAME_OR_NUMBER, "no name and no phone number"
        )
    for number, _ in contact.phones:
        if number in existing:
            return RowReport(
                row.number, contact, RowCode.DUPLICATE_EXISTING, f"{number} is already on a contact"
            )
        if number in earlier:
            return RowReport(
                row.number,
                contact,
                RowCode.DUPLICATE_IN_FILE,
                f"{number} is also on row {earlier[number]}",
            )
    notes[:0] = [f"{text!r} left out: {_problem_detail(code, text)}" for text, code, _ in bad]
    if len(good) > MAX_PHONES:
        notes.append(f"only the first {MAX_PHONES} numbers kept")
    for number, _ in contact.phones:
        earlier[number] = row.number
    return RowReport(row.number, contact, RowCode.OK, "; ".join(notes))


def check_rows(
    table: Table, mapping: Mapping, *, existing_numbers: Collection[str]
) -> list[RowReport]:
    """Every row's report, in the file's order. `existing_numbers`: E.164 numbers of live
    contacts (a set is best: it is probed once per number)."""
    existing = (
        existing_numbers if isinstance(existing_numbers, set | frozenset) else set(existing_numbers)
    )
    earlier: dict[str, int] = {}
    return [check_row(row, mapping, existing, earlier) for row in table.rows]
