"""About the data: method, sources, citation, licence, download."""

import streamlit as st

from dashlib.query.tables import sources_table
from dashlib.ui.components import show_footer
from dashlib.ui.downloads import dataset_zip
from dashlib.ui.page import start_page
from dashlib.ui.text import md_escape

ctx = start_page()
ds = ctx.ds
st.title("About the data")
st.markdown("""
**Method.** The dataset is a set of CSV files kept by journalists and described by a
Frictionless Data Package (`datapackage.json`). Every row cites at least one published source a
reader can open. Dates carry their precision (day, month or year). Troop numbers are a low–high
range with the date they refer to; where sources disagree, the range spans them and a note says
which source gives which figure. Coordinates record how precise they are (the site itself, the
town, or only the region). Quotations are verbatim, errors included; a machine translation is
labelled as one.

**Borders.** Country outlines are Natural Earth (public domain). Crimea is Ukrainian territory,
occupied and illegally annexed by Russia since 2014 (UN General Assembly resolution 68/262): it is
drawn as part of Ukraine with an occupation overlay. Breakaway regions are shown as labelled
points, not as invented boundaries.

**What it is not.** A list of every Russian soldier abroad. It covers operations and sites that
published sources document; absence from the map is not proof of absence.
""")
st.subheader("Sources")
st.dataframe(
    sources_table(ds),
    hide_index=True,
    width="stretch",
    column_config={"Link": st.column_config.LinkColumn("Link", validate=r"^https?://.+$")},
)
st.subheader("How to cite")
st.code(
    f"Russia's military reach across the former Soviet Union since 1991 (dataset, version "
    f"{ds.version}, sources checked {ds.last_updated:%Y-%m-%d}). Licence CC BY 4.0.",
    language=None,
    wrap_lines=True,  # a scrolling block would not be reachable by keyboard (axe)
)
st.subheader("Licence")
st.markdown(
    "Data: [Creative Commons Attribution 4.0](https://creativecommons.org/licenses/by/4.0/)"
    " — quotations remain the copyright of their publishers and are quoted for reporting."
    " Boundaries: Natural Earth, public domain. Code: MIT."
)
st.subheader("Download")
st.download_button(
    "Download the full dataset (CSV files + datapackage.json, zip)",
    data=dataset_zip(ds.version),
    file_name=f"russia-reach-{ds.version}.zip",
    mime="application/zip",
)
st.caption(md_escape(f"Data version {ds.version}."))
show_footer(ds)
