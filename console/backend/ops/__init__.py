"""Backend operations: the rules of each resource, shared by the HTTP routes and the CLI.

Each function works inside the caller's transaction and records its change events there.
"""
