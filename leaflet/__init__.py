"""leaflet: multilingual patient leaflets from one canonical English text."""
__version__ = "0.1.0"
