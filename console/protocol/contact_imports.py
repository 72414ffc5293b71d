"""Contact imports: many contacts in one request, undoable as a whole (POST/DELETE
/v1/contact-imports)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictBool

from console.protocol.common import WireModel
from console.protocol.contacts import ContactPhone

MAX_IMPORT_ROWS = 20_000
CONTACT_IMPORT_UPSERTED = "contact_import.upserted"  # feed event, to the importer only


class ContactImportRow(WireModel):
    name: str = Field(default="", max_length=200)  # blank: skipped as no_name_or_number
    phones: list[ContactPhone] = Field(default_factory=list, max_length=10)
    email: str | None = Field(default=None, max_length=254)
    dnd: StrictBool = False


class ContactImportCreate(WireModel):
    source: str = Field(min_length=1, max_length=200)  # the file's name
    rows: list[ContactImportRow] = Field(min_length=1, max_length=MAX_IMPORT_ROWS)


class SkippedRow(WireModel):
    row: int  # 1-based position in `rows`
    # invalid_number | outside_nanp | duplicate_existing | duplicate_in_file |
    # no_name_or_number | invalid_email (console.domain.contact_import.RowCode)
    code: str
    detail: str


class ContactImport(WireModel):
    id: str
    source: str
    user_id: str
    created_count: int
    skipped: list[SkippedRow]
    created_at: datetime
    undone_at: datetime | None = None
