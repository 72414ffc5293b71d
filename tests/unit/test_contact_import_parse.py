"""Reading contact files (CSV, vCard), guessing their columns, and checking each row."""

from __future__ import annotations

import pytest

from console.domain.contact_import import (
    ColumnTarget,
    ImportContact,
    PhoneKind,
    RowCode,
    Table,
    TableRow,
    Target,
    check_rows,
    guess_column,
    guess_mapping,
    parse_csv,
    parse_vcard,
)

MOBILE = ColumnTarget(Target.PHONE, PhoneKind.MOBILE)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_sniffed(delimiter: str) -> None:
    text = (
        delimiter.join(["Name", "Phone", "Email"])
        + "\n"
        + delimiter.join(["Ann Lee", "206-555-0100", "ann@example.com"])
        + "\n"
    )
    table = parse_csv(text)
    assert table.columns == ("Name", "Phone", "Email")
    assert table.rows == (TableRow(2, ("Ann Lee", "206-555-0100", "ann@example.com")),)


def test_csv_bom_quotes_crlf_and_blank_lines() -> None:
    text = (
        "\ufeffName,Phone\r\n"
        '"Lee, Ann","(206) 555-0100"\r\n'
        "\r\n"
        '"Multi\r\nline ""quoted""",2065550101\r\n'
        "Short\r\n"
    )
    table = parse_csv(text)
    assert table.columns == ("Name", "Phone")  # no BOM in the first header
    assert table.rows == (
        TableRow(2, ("Lee, Ann", "(206) 555-0100")),
        TableRow(4, ('Multi\r\nline "quoted"', "2065550101")),  # the line it starts on
        TableRow(6, ("Short", "")),  # padded to the header's width
    )


def test_csv_leading_blank_lines_and_a_semicolon_file_with_commas_in_names() -> None:
    table = parse_csv('\n\nName;Phone\n"Lee, Ann";2065550100\n')
    assert table.columns == ("Name", "Phone")
    assert table.rows == (TableRow(2, ("Lee, Ann", "2065550100")),)


def test_empty_csv() -> None:
    assert parse_csv("") == Table((), ())
    assert parse_csv("\ufeff\r\n") == Table((), ())


VCARDS = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N:Doe;John;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6hn =\r\n"
    "Doe\r\n"
    "TEL;CELL;VOICE:206-555-0110\r\n"
    "TEL;WORK:206-555-0111\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Ann\r\n"
    "  Lee\r\n"  # folded: the continuation's first space is dropped
    "item1.TEL;TYPE=HOME,VOICE:2065550112\r\n"
    "EMAIL;TYPE=INTERNET:ann@example.com\r\n"
    "EMAIL:second@example.com\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "N:Stone;Kim;;;\n"
    'TEL;VALUE=uri;TYPE="cell,voice":tel:+1-206-555-0113\n'
    'TEL;TYPE="cell":tel:+1-206-555-0114\n'
    "TEL:2065550115\n"
    "END:VCARD\n"
)


def test_vcard_versions_folding_types_and_quoted_printable() -> None:
    table = parse_vcard(VCARDS)
    assert table.columns == (
        "Name",
        "Phone (mobile)",
        "Phone (mobile)",
        "Phone (work)",
        "Phone (home)",
        "Phone (other)",
        "Email",
    )
    assert table.rows == (
        TableRow(2, ("Jöhn Doe", "206-555-0110", "", "206-555-0111", "", "", "")),
        TableRow(3, ("Ann Lee", "", "", "", "2065550112", "", "ann@example.com")),
        TableRow(4, ("Kim Stone", "+1-206-555-0113", "+1-206-555-0114", "", "", "2065550115", "")),
    )
    reports = check_rows(table, guess_mapping(table.columns), existing_numbers=())
    assert [r.code for r in reports] == [RowCode.OK] * 3
    assert reports[0].contact.phones == (
        ("+12065550110", PhoneKind.MOBILE),
        ("+12065550111", PhoneKind.WORK),
    )
    assert reports[2].contact.contact_phones() == [
        ("+12065550113", "primary"),
        ("+12065550114", "secondary"),
        ("+12065550115", "secondary"),
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Full name", ColumnTarget(Target.NAME)),
        ("Name", ColumnTarget(Target.NAME)),
        ("First Name", ColumnTarget(Target.FIRST_NAME)),
        ("given_name", ColumnTarget(Target.FIRST_NAME)),
        ("Last Name", ColumnTarget(Target.LAST_NAME)),
        ("Surname", ColumnTarget(Target.LAST_NAME)),
        ("Mobile", MOBILE),
        ("Cell", MOBILE),
        ("Cell phone", MOBILE),
        ("Phone (mobile)", MOBILE),
        ("Phone", ColumnTarget(Target.PHONE, PhoneKind.OTHER)),
        ("Work Phone", ColumnTarget(Target.PHONE, PhoneKind.WORK)),
        ("Home phone", ColumnTarget(Target.PHONE, PhoneKind.HOME)),
        ("E-mail", ColumnTarget(Target.EMAIL)),
        ("Email Address", ColumnTarget(Target.EMAIL)),
        ("DND", ColumnTarget(Target.DND)),
        ("Do not disturb", ColumnTarget(Target.DND)),
        ("Opted out", ColumnTarget(Target.DND)),
        ("Company", ColumnTarget(Target.IGNORE)),
        ("Fax", ColumnTarget(Target.IGNORE)),
        ("Notes", ColumnTarget(Target.IGNORE)),
    ],
)
def test_guess_column(header: str, expected: ColumnTarget) -> None:
    assert guess_column(header) == expected


def test_guess_mapping_gives_a_single_field_to_its_first_column_only() -> None:
    assert guess_mapping(["Name", "Mobile", "Name", "Phone", "Email", "E-mail"]) == (
        ColumnTarget(Target.NAME),
        MOBILE,
        ColumnTarget(Target.IGNORE),
        ColumnTarget(Target.PHONE, PhoneKind.OTHER),
        ColumnTarget(Target.EMAIL),
        ColumnTarget(Target.IGNORE),
    )


BAD_ROWS = (
    "Name,Mobile,Work phone,Email,DND,Notes\n"
    "Ann Good,206-555-0120,,ann@example.com,no,\n"  # 2 ok
    "Bad Number,12345,,,,\n"  # 3 invalid_number
    "Abroad,+44 20 7946 0958,,,,\n"  # 4 outside_nanp
    "Already,2065550199,,,,\n"  # 5 duplicate_existing
    "Twice,(206) 555-0120,,,,\n"  # 6 duplicate_in_file (row 2's)
    ",,,,yes,only a note\n"  # 7 no_name_or_number
    "Dee Dnd,2065550121,,,Opted out,\n"  # 8 ok, dnd
    "Second Bad,2065550122,555,,,\n"  # 9 ok: its second number left out
    "First Bad,nope,2065550123,,,\n"  # 10 invalid_number: the primary number is bad
    "Existing Second,2065550124,2065550199,,,\n"  # 11 duplicate_existing, whichever number
    "Bad Email,2065550125,,not an email,x,\n"  # 12 ok, no email, dnd
    "No Number,,,,,\n"  # 13 ok: a name is enough
    ",2065550126,,,,\n"  # 14 ok: named after its number
)


def test_each_kind_of_bad_row() -> None:
    table = parse_csv(BAD_ROWS)
    reports = check_rows(table, guess_mapping(table.columns), existing_numbers={"+12065550199"})
    got = {r.row: r.code for r in reports}
    assert got == {
        2: RowCode.OK,
        3: RowCode.INVALID_NUMBER,
        4: RowCode.OUTSIDE_NANP,
        5: RowCode.DUPLICATE_EXISTING,
        6: RowCode.DUPLICATE_IN_FILE,
        7: RowCode.NO_NAME_OR_NUMBER,
        8: RowCode.OK,
        9: RowCode.OK,
        10: RowCode.INVALID_NUMBER,
        11: RowCode.DUPLICATE_EXISTING,
        12: RowCode.OK,
        13: RowCode.OK,
        14: RowCode.OK,
    }
    by_row = {r.row: r for r in reports}
    assert by_row[2].contact == ImportContact(
        "Ann Good", (("+12065550120", PhoneKind.MOBILE),), "ann@example.com", False
    )
    assert by_row[2].detail == ""
    assert "12345" in by_row[3].detail
    assert "+44 20 7946 0958" in by_row[4].detail
    assert by_row[6].detail == "+12065550120 is also on row 2"
    assert by_row[8].dnd
    assert by_row[8].ok
    assert by_row[9].contact.phones == (("+12065550122", PhoneKind.MOBILE),)
    assert "'555' left out" in by_row[9].detail
    assert "'nope'" in by_row[10].detail
    assert by_row[11].detail == "+12065550199 is already on a contact"
    assert by_row[12].contact.email is None
    assert by_row[12].dnd
    assert "email" in by_row[12].detail
    assert by_row[13].contact == ImportContact("No Number", (), None, False)
    assert by_row[14].contact.name == "+12065550126"


def test_a_bad_row_does_not_claim_its_number_and_mobile_goes_first() -> None:
    table = Table(
        ("First name", "Last name", "Phone", "Cell"),
        (
            TableRow(2, ("", "", "", "")),
            TableRow(3, ("Ann", "Lee", "2065550130", "2065550131")),
            TableRow(4, ("Bo", "", "+44 20 7946 0958", "2065550132")),
            TableRow(5, ("Cy", "", "2065550132", "")),
        ),
    )
    reports = check_rows(table, guess_mapping(table.columns), existing_numbers=[])
    assert [r.code for r in reports] == [
        RowCode.NO_NAME_OR_NUMBER,
        RowCode.OK,
        RowCode.OK,
        RowCode.DUPLICATE_IN_FILE,
    ]
    assert reports[1].contact.name == "Ann Lee"
    assert reports[1].contact.phones == (
        ("+12065550131", PhoneKind.MOBILE),
        ("+12065550130", PhoneKind.OTHER),
    )
    # The mobile is its primary number; the foreign landline is left out.
    assert reports[2].contact.phones == (("+12065550132", PhoneKind.MOBILE),)
    assert "not a US or Canada number" in reports[2].detail


@pytest.mark.parametrize("cell", ["yes", "Y", "TRUE", "1", "x", "opted out", " Yes "])
def test_dnd_yes_values(cell: str) -> None:
    table = Table(("Name", "DND"), (TableRow(2, ("Ann", cell)),))
    assert check_rows(table, guess_mapping(table.columns), existing_numbers=())[0].dnd


@pytest.mark.parametrize("cell", ["", "no", "0", "false", "n"])
def test_dnd_no_values(cell: str) -> None:
    table = Table(("Name", "DND"), (TableRow(2, ("Ann", cell)),))
    assert not check_rows(table, guess_mapping(table.columns), existing_numbers=())[0].dnd
