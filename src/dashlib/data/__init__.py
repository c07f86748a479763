"""Files → one validated, read-only Dataset: CSV reading, the declared schema, checks."""
