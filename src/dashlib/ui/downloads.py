"""Downloadable files built from the data folder."""

from __future__ import annotations

import io
import zipfile

import streamlit as st

from dashlib.data.dataset import public_files
from dashlib.ui.data import data_dir


# cache_resource: one copy shared by every reader (cache_data would copy it per session).
@st.cache_resource(max_entries=2, show_spinner=False)
def dataset_zip(version: str) -> bytes:
    """The CSV files, datapackage.json and geo files as a zip (cached per data version); the
    quoted articles' full texts stay out (see ``public_files``)."""
    folder = data_dir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in public_files(folder):
            archive.write(path, path.relative_to(folder).as_posix())
        readme = folder / "README.md"
        if readme.exists():
            archive.write(readme, "README.md")
    return buffer.getvalue()
