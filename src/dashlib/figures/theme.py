"""Colours, labels and the credit line shared by every chart (app, embeds, exports).

Kind colours are the Okabe–Ito palette, chosen to stay distinguishable with the common forms
of colour-blindness; every colour also comes with a label in legends and hovers.
"""

from __future__ import annotations

KIND_ORDER = ("war", "occupation", "buildup", "security_support", "csto", "peacekeeping", "basing")
KIND_LABELS = {
    "war": "War",
    "occupation": "Occupation",
    "buildup": "Build-up on a border",
    "security_support": "Support to a government",
    "csto": "CSTO deployment",
    "peacekeeping": "Peacekeeping",
    "basing": "Base by agreement",
}
KIND_COLORS = {  # Okabe–Ito
    "war": "#D55E00",  # vermillion
    "occupation": "#CC79A7",  # reddish purple
    "buildup": "#E69F00",  # orange
    "security_support": "#F0E442",  # yellow
    "csto": "#56B4E9",  # sky blue
    "peacekeeping": "#009E73",  # bluish green
    "basing": "#0072B2",  # blue
}
SITE_SYMBOLS = {
    "army_base": "square",
    "air_base": "triangle-up",
    "naval_base": "diamond",
    "radar": "star",
    "space": "star-diamond",
    "test_range": "cross",
    "peacekeeping_force": "circle",
    "occupation_force": "circle",
    "expeditionary_force": "circle",
    "border_post": "triangle-down",
}
SITE_LABELS = {
    "army_base": "Army base",
    "air_base": "Air base",
    "naval_base": "Naval base",
    "radar": "Radar station",
    "space": "Space site",
    "test_range": "Test range",
    "peacekeeping_force": "Peacekeeping force",
    "occupation_force": "Occupation force",
    "expeditionary_force": "Expeditionary force",
    "border_post": "Border guard post",
}
# Country shading on the map (sequential, light to dark, readable without hue).
STATUS_ORDER = ("war", "presence", "none", "russia")
STATUS_LABELS = {
    "war": "Russian forces at war or occupying",
    "presence": "Russian forces stationed",
    "none": "No Russian forces",
    "russia": "Russia",
}
STATUS_COLORS = {
    "war": "#E8A489",
    "presence": "#F3D9B1",
    "none": "#F2F2F2",
    "russia": "#BDBDBD",
}
CRIMEA_COLOR = "rgba(204,121,167,0.55)"
INK = "#1A1A1A"
MUTED = "#555555"  # 7.4:1 on white
FONT = "Source Sans Pro, Helvetica Neue, Arial, sans-serif"
CREDIT = "Chart: Russia's military reach project · Data CC BY 4.0"
ISSUE_TITLE = "Russia's military reach across the former Soviet Union since 1991"
