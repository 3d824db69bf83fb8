"""Storage: the database, encryption at rest, the evidence store and file cleaning."""
