"""Development tools shared by the tests and the benchmarks (not part of the dashlib wheel).

* :mod:`tools.generate` — the shipped data plus N generated rows (and planted problems);
* :mod:`tools.browser` — run the app with ``streamlit run`` and drive Debian's Chromium.

Import them from the repository root (``pythonpath = ["."]`` in pytest's configuration;
``python -m bench.run`` runs from the root).
"""
