"""Agent Console: desktop console for group messaging, and its backend."""

__version__ = "0.1.0"
