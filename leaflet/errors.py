"""One error hierarchy. Every error says where (file:line) and what to do."""
from __future__ import annotations


class LeafletError(Exception):
    """Base of every error the pipeline reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, path: object = None, line: int | None = None,
                 hint: str = "") -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    @property
    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}\n  -> {self.hint}" if self.hint else text


class ConfigError(LeafletError):
    """leaflet.toml is missing, malformed or incomplete."""
    exit_code = 2


class ContentError(LeafletError):
    """The canonical English source of a leaflet is malformed."""
    exit_code = 3


class CatalogError(LeafletError):
    """A .po/.pot file cannot be read or is unusable."""
    exit_code = 4


class ExchangeError(LeafletError):
    """A file exchanged with agencies and other tools (XLIFF, a TMX memory) cannot be
    written or read, or does not fit the project."""
    exit_code = 5


class RenderError(LeafletError):
    """Rendering HTML or PDF failed."""
    exit_code = 6


class TextLayerError(RenderError):
    """WeasyPrint drew a line otherwise than leaflet/pdftext.py planned."""

    def __init__(self, message: str, *, path: object = None, line: int | None = None,
                 hint: str = "the text layer relies on WeasyPrint's internals "
                 "(leaflet/pdftext.py): install the locked WeasyPrint (make build), "
                 "or report this with the page that failed") -> None:
        super().__init__(message, path=path, line=line, hint=hint)


class BuildLocked(LeafletError):
    """Another build holds the lock on build/."""
    exit_code = 7


class GlossaryError(LeafletError):
    """A locale's glossary (TBX) cannot be read."""
    exit_code = 5
