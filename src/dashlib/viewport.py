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

# Streamlit's page around a chart, as measured in Chromium with Streamlit 1.67 (tests/
# test_viewport.py holds the measurements): from SIDEBAR_FROM_PX up the sidebar (300 px) sits
# beside the page when open (below, it opens over the page); the page is padded 16 px a side,
# 80 px from about 860 px up (taken from PAD_WIDE_FROM_PX, the safe side of that edge).
SIDEBAR_PX = 300
SIDEBAR_FROM_PX = 768
PAD_NARROW_PX = 16
PAD_WIDE_PX = 80
PAD_WIDE_FROM_PX = 850


def content_width(window_px: int, *, sidebar: bool = True) -> int:
    """The narrowest a full-width chart is drawn in a window ``window_px`` wide: with the
    sidebar open beside the page where there is one (``sidebar``; an embed has none).

    >>> content_width(1280), content_width(1000), content_width(800), content_width(700)
    (820, 540, 468, 668)
    >>> content_width(1000, sidebar=False)
    840
    """
    beside = SIDEBAR_PX if sidebar and window_px >= SIDEBAR_FROM_PX else 0
    pad = PAD_WIDE_PX if window_px >= PAD_WIDE_FROM_PX else PAD_NARROW_PX
    return max(0, window_px - beside - 2 * pad)
