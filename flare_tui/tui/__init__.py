"""The terminal app: screens and widgets on top of the `Books` domain API.

Nothing outside this package imports Textual; the app only asks `Books`
questions (in thread workers) and shows the plain values it gets back.
"""
