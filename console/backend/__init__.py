"""The messaging backend: an ASGI app over its own database, carriers and change feed.

It imports only `console.protocol` and `console.domain`, so it can run standalone or embedded
(`console.backend.app.create_app`, or the `agent-console-backend` command in `cli`).
"""
