"""What the server may know of a reader's screen: two cookies the browser sets.

Streamlit never tells the server the screen's width. The browser keeps it in two cookies
(narrow: 1 below :data:`NARROW_PX`; width: the window's width in px), set by
:data:`COOKIE_JS` both in the page's HTML (the shell the app server sends,
``dashlib.publish.shells``: before Streamlit's scripts open the websocket, so even a first
visit's first run knows the width) and again by the app on each page (``dashlib.ui``).
Pure: no streamlit import, so the shells can use it.
"""

from __future__ import annotations

NARROW_PX = 640  # below this window width the app lays out for a phone
NARROW_COOKIE = "dashlib_narrow"
WIDTH_COOKIE = "dashlib_width"
# No "<" in the script: Streamlit's st.html drops a script that has one.
COOKIE_JS = (
    "(function(){var w=window.innerWidth,tail=';path=/;max-age=31536000;SameSite=Lax';"
    "document.cookie='" + NARROW_COOKIE + "='+(" + str(NARROW_PX) + ">w?1:0)+tail;"
    "document.cookie='" + WIDTH_COOKIE + "='+Math.round(w)+tail;})();"
)
