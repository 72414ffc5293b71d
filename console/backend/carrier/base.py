"""The carrier interface the rest of the backend talks to."""

from __future__ import annotations

from typing import Protocol

from console.backend.jobs import Job


class CarrierUnavailable(RuntimeError):
    """The configured carrier cannot run (e.g. not implemented yet or not configured)."""


class Carrier(Protocol):
    name: str

    def start(self) -> None:
        """Open what sending needs (e.g. an HTTP client); called before any `send`."""

    def stop(self) -> None:
        """Close it; called after the last `send` returned."""

    def send(self, job: Job) -> None:
        """Handle one `sms.send` job ({"message_id": ...}) on a carrier worker thread. May run
        again for the same message after its process died: must never send a copy twice."""

    def gave_up(self, job: Job, reason: str) -> None:
        """The job was buried (attempts exhausted): the message must not stay queued."""
