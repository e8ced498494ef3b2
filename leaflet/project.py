"""A project on disk: its configuration and every path rule, in one place.

As Sphinx's `CatalogInfo` keeps the paths of a catalog, `Project` names each
file leaflet reads or writes: templates (.pot), catalogs (.po), compiled
catalogs (.mo), sign-offs, clinical approvals, the outputs, the build cache
and the no-op stamp.
It also loads, once each, the English of a leaflet and a template as
extracted now.

Only light modules are imported at the top: the no-op replay asks this module
for the stamp's path before polib, Babel or Jinja2 is loaded.
"""
from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, content, fingerprint
from .config import PLACEHOLDERS, Config
from .model import Leaflet

if TYPE_CHECKING:
    import polib

UI = "ui"   # the domain of the templates' own strings: locales/ui.pot, <locale>/.../ui.po
SIGNOFF = "signoff.json"
APPROVAL = "approval.json"   # a clinician's approval of a leaflet's English, beside it
GLOSSARY = "glossary.tbx"    # a locale's agreed terms (TBX), beside its catalogs' folder
_CODE = Path(__file__).parent


def output_name(leaflet: str, edition: str, fmt: str) -> str:
    """demo.html, demo.large.pdf, ...: the file name of one output in its locale's folder."""
    return f"{leaflet}.{fmt}" if edition == "standard" else f"{leaflet}.{edition}.{fmt}"


def stamp_path(root: Path) -> Path:
    """build/.stamp.json, the last complete build. A rule of the root alone: the
    no-op replay reads it before any configuration is loaded."""
    return root / "build" / ".stamp.json"


class Project:
    """A configured project: its leaflets, templates and catalogs on disk."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self._leaflets: dict[str, Leaflet] = {}
        self._pots: dict[str, polib.POFile] = {}

    # --- path rules ---------------------------------------------------------
    @property
    def domains(self) -> list[str]:
        return [*self.cfg.leaflets, UI]

    def pot_path(self, domain: str) -> Path:
        return self.cfg.locales_dir / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        return self.cfg.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def mo_path(self, locale: str, domain: str) -> Path:
        """Compiled catalogs are generated, so they live in build/, never in locales/."""
        return self.cfg.build_dir / "mo" / locale / "LC_MESSAGES" / f"{domain}.mo"

    def signoff_path(self, locale: str) -> Path:
        return self.cfg.locales_dir / locale / SIGNOFF

    def glossary_path(self, locale: str) -> Path:
        return self.cfg.locales_dir / locale / GLOSSARY

    def approval_path(self, leaflet: str) -> Path:
        return self.cfg.content_dir / leaflet / APPROVAL

    def out_dir(self, draft: bool, release: bool = False) -> Path:
        """build/, or build/drafts/ for --draft builds (never mistaken for published),
        or build/release/ for --release builds (only what may go to patients)."""
        if draft:
            return self.cfg.build_dir / "drafts"
        return self.cfg.build_dir / "release" if release else self.cfg.build_dir

    def output_path(self, locale: str, leaflet: str, edition: str, fmt: str,
                    draft: bool, release: bool = False) -> Path:
        return self.out_dir(draft, release) / locale / output_name(leaflet, edition, fmt)

    def cache_path(self, draft: bool, release: bool = False) -> Path:
        """The key each output was last built with."""
        return self.out_dir(draft, release) / ".cache.json"

    def site_page_path(self, name: str) -> Path:
        """index.html, status.html: the pages for the hospital, in build/."""
        return self.cfg.build_dir / name

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.cfg.root))

    # --- what is loaded once --------------------------------------------------
    def leaflet(self, name: str) -> Leaflet:
        if name not in self._leaflets:
            leaflet = content.load(self.cfg.content_dir / name, PLACEHOLDERS)
            self.cfg.require(leaflet)   # the hospital rules its text uses are set
            self._leaflets[name] = leaflet
        return self._leaflets[name]

    def pot(self, domain: str) -> polib.POFile:
        """The template as extracted now, in memory; dated as on disk if unchanged."""
        if domain not in self._pots:
            self._pots[domain] = self._extract(domain)
        return self._pots[domain]

    def _extract(self, domain: str) -> polib.POFile:
        from . import catalogs, extract
        project = f"leaflet {domain}"
        if domain == UI:
            pot = extract.ui_pot(self.cfg.templates_dir, self.cfg.root, project)
        else:
            pot = extract.leaflet_pot(self.leaflet(domain), self.cfg.root,
                                      f"{project} {self.cfg.meta[domain].version}")
        path = self.pot_path(domain)
        previous = path.read_text("utf-8") if path.is_file() else None
        # pot_text dates `pot` now, unless the date is all that would change
        if catalogs.pot_text(pot, previous) is None and previous is not None:
            return catalogs.parse(previous.encode("utf-8"), self.rel(path))
        return pot

    def placeholder_values(self, leaflet: str, locale: str) -> dict[str, str]:
        from .lang import info
        meta, loc = self.cfg.meta[leaflet], info(locale)
        return {**self.cfg.hospital_for(locale), "leaflet_reference": meta.reference,
                "leaflet_version": meta.version, "publication_date": loc.date(meta.published),
                "review_date": loc.date(meta.review)}

    @cached_property
    def template_hash(self) -> str:
        """Templates, styles and leaflet's own code: what every output depends on."""
        digest = hashlib.sha256(__version__.encode())
        for folder in (self.cfg.templates_dir, _CODE):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.suffix in (".j2", ".py", ".css", ".svg"):
                    digest.update(path.name.encode() + path.read_bytes())
        return digest.hexdigest()

    @cached_property
    def environment(self) -> str:
        """Python packages, system text libraries and fonts (see fingerprint)."""
        return fingerprint.environment()
