"""dashlib: the data, figures and exports behind the "Russia's military reach" dashboard.

The core never imports streamlit; the Streamlit glue lives in :mod:`dashlib.ui`.
"""

__version__ = "0.1.0"
