"""The console's local cache: typed models, migrations, batch apply, outbox, read queries.

No Qt and no HTTP here: the sync engine feeds it, the services read it.
"""
