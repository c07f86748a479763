"""The app as served to readers: app.py, plus link previews from the server itself.

    streamlit run serve_app.py [--server.port 8501 ...]

``streamlit run`` finds the ``st.App`` below and serves it (Streamlit's own server, with its
flags and .streamlit/config.toml) with one addition: each page's HTML request gets the page's
own title, description and og:image, so shared links preview without JavaScript
(src/dashlib/publish/preview_server.py). ``streamlit run app.py`` still runs the same app,
without them (AppTest and development use it).
"""

import streamlit as st
from starlette.middleware import Middleware

from dashlib.publish.preview_server import PreviewMiddleware, Previews

previews = Previews()
app = st.App(
    "app.py",
    middleware=[
        Middleware(
            PreviewMiddleware,
            previews=previews,
            base_path=lambda: str(st.get_option("server.baseUrlPath") or ""),
        )
    ],
    lifespan=previews.lifespan,
)
