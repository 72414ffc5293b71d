"""How the GUI tells the sync engines it is busy, so a catch-up gives way (console/sync/pacing.py
says why). Here because the UI may import the services but not the sync layer."""

from __future__ import annotations

from console.sync.pacing import GUI_PACER, HEARTBEAT_MS, GuiPacer

__all__ = ["GUI_PACER", "HEARTBEAT_MS", "GuiPacer"]
