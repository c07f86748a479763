"""Changing the dataset: validated saves, the change log, the row diff."""
