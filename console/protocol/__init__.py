"""The wire contract: pydantic models of every request, response and sync event."""
