"""Streamlit glue: the only part of dashlib that imports streamlit.

Pages call ``show_*`` functions from here; everything they show is built by the pure core.
"""
