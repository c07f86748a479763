"""Embeds and exports: iframe codes, standalone pages, images, CSV, the gallery."""
