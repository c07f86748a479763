"""Optional data layers beside the curated dataset."""
