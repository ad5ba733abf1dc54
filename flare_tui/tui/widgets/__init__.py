"""Widgets of the Flare app."""
