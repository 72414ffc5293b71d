"""The local service layer the UI calls. Qt-free: plain Python, listeners instead of signals."""
