"""The PySide6 UI: thin widgets, models and delegates over console.services (see main_window)."""
