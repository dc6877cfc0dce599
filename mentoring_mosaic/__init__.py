"""Mentoring Mosaic: the mentee-driven mentoring workshop as interactive notebooks."""

__version__ = "0.1.0"
