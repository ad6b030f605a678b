"""The campaign's SQLite store: the database handle and one repository module per aggregate.

Nothing here imports ``telegram``; every row leaves this package as a frozen dataclass.
"""
