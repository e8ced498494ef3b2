"""Rendering: compiled catalogs + model -> HTML (Jinja2); pdf.py makes the PDF.

Translated text is untrusted. It never reaches the page as markup: every
character is escaped, then only the inline tags of the fixed set and the
named placeholders are turned back into HTML.
"""
from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup, escape

from .errors import RenderError
from .lang import LocaleInfo
from .model import PLACEHOLDER, Block, Leaflet

_TOKEN = re.compile(f"(</?strong>|{PLACEHOLDER.pattern})")
_STRONG_TAG = re.compile(r"</?strong>")


class Catalog:
    """One compiled catalog; tells a missing entry from a translated one."""

    def __init__(self, mo: bytes | None) -> None:
        self._t = gettext.GNUTranslations(io.BytesIO(mo)) if mo else None

    def get(self, context: str, msgid: str) -> str | None:
        if self._t is None:          # the source language: English is the text
            return msgid
        text = self._t._catalog.get(f"{context}\x04{msgid}")   # type: ignore[attr-defined]
        return text if text else None


class English(str):
    """Text a draft shows in English because its translation is missing.

    Put into HTML, it is marked as English (lang="en"), with the visible mark
    of an untranslated block: never silently English in another language's page.
    """
    __slots__ = ()

    def __html__(self) -> str:
        return mark_english(escape(str(self)))


def mark_english(html: str) -> Markup:
    return Markup(f'<mark class="untranslated" lang="en">{html}</mark>')


def fill(text: str, values: dict[str, Any]) -> Markup:
    """A UI string with its placeholders filled in; what is in English is marked."""
    html = inline_html(text, {k: v if isinstance(v, English) else str(v)
                              for k, v in values.items()})
    return mark_english(html) if isinstance(text, English) else html


def inline_html(text: str, values: dict[str, str]) -> Markup:
    """Escape everything, then restore <strong> and fill {placeholders}."""
    out, depth = [], 0
    for i, part in enumerate(_TOKEN.split(text)):
        if i % 2 == 0:
            out.append(str(escape(part)))
        elif part == "<strong>":
            depth += 1
            out.append(part)
        elif part == "</strong>" and depth:
            depth -= 1
            out.append(part)
        elif part.startswith("{") and part[1:-1] in values:
            # Isolate inserted values so numbers and Latin text keep their
            # order inside right-to-left text. A value with no letter (a phone
            # number) has no direction of its own: left to right, or Arabic
            # shows "020 7946 0000" as "0000 7946 020".
            value = values[part[1:-1]]
            ltr = ' dir="ltr"' if not any(c.isalpha() for c in value) else ""
            out.append(f"<bdi{ltr}>{escape(value)}</bdi>")
        else:
            out.append(str(escape(part)))
    return Markup("".join(out) + "</strong>" * depth)


def css_string(text: str) -> str:
    """A CSS string literal that cannot close its string or its <style>."""
    return '"' + "".join(c if c.isalnum() or c in " .,:;-–()" else f"\\{ord(c):x} "
                         for c in text) + '"'


def css_counter_text(template: str) -> str:
    """'Page {page} of {pages}' -> CSS content with counters."""
    parts = re.split(r"(\{page\}|\{pages\})", template)
    tokens = [("counter(page)" if p == "{page}" else "counter(pages)") if i % 2
              else css_string(p) for i, p in enumerate(parts) if p]
    return " ".join(tokens)


@dataclass
class Page:
    """Everything a template needs for one leaflet in one locale and edition."""
    leaflet: Leaflet
    locale: LocaleInfo
    edition: str
    values: dict[str, str]
    text: Catalog
    ui: Catalog
    draft: bool = False                 # --draft output for translators
    signoff: dict[str, str] | None = None
    approval: dict[str, str] | None = None   # clinical approval of the English, if current
    languages: list[dict[str, str]] = field(default_factory=list)
    english: Catalog | None = None      # set for the bilingual edition
    page_size: str = "A4"
    english_values: dict[str, str] | None = None   # the English side's dates and names
    ui_gaps: dict[str, str] = field(default_factory=dict)   # a draft's: context -> English

    def block(self, context: str, msgid: str, catalog: Catalog | None = None) -> Markup:
        english = catalog is not None and catalog is self.english
        values = self.english_values if english and self.english_values else self.values
        found = (catalog or self.text).get(context, msgid)
        if found is None:
            return mark_english(inline_html(self.missing(context, msgid), values))
        return inline_html(found, values)

    def plain(self, context: str, msgid: str) -> str:
        """A leaflet entry as plain text, to fill into a UI string; in a draft's
        gap, its English, which `fill` marks."""
        found = self.text.get(context, msgid)
        text = found if found is not None else self.missing(context, msgid)
        return type(text)(_STRONG_TAG.sub("", text))

    def missing(self, context: str, msgid: str) -> English:
        """The English, in a draft; an error in a build."""
        if not self.draft:
            raise RenderError(f"no translation for [{context}] in {self.locale.name}",
                              hint="run 'leaflet check'; only --draft builds show gaps")
        return English(msgid)

    def pgettext(self, context: str, msgid: str) -> str:
        found = self.ui.get(context, msgid)
        if found is None:
            if not self.draft:
                raise RenderError(f"no translation for UI string [{context}] in "
                                  f"{self.locale.name}", hint="run 'leaflet check'")
            # remembered: a draft lists them, those in attributes included
            self.ui_gaps[context] = msgid
            return English(msgid)
        return found

    def outline(self) -> list[str]:
        """The titles the PDF's bookmarks must have: each section's, then the sources'."""
        titles = [str(self.block(s.id, s.title).striptags()) for s in self.leaflet.sections]
        return titles + [self.pgettext("ui.sources.heading", "Sources of this information")]


@cache   # one per process and folder: compiling the templates took 25 ms a job
def environment(templates: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(templates), autoescape=True,
                      undefined=StrictUndefined, extensions=["jinja2.ext.i18n"],
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["css_string"] = css_string
    env.filters["css_counter"] = css_counter_text
    env.filters["fill"] = lambda text, **kw: fill(text, kw)
    # In an attribute (no mark can go there): the element gets lang="en"; the
    # draft lists the string at the end of the page.
    env.filters["lang_attr"] = lambda text: Markup(' lang="en"') if isinstance(
        text, English) else ""
    env.filters["plain"] = str
    env.tests["english"] = lambda text: isinstance(text, English)
    env.globals["group_blocks"] = group_blocks
    return env


def group_blocks(blocks: tuple[Block, ...]) -> list[tuple[str, list[Block]]]:
    """Consecutive items (or steps) form one list; other blocks stand alone."""
    groups: list[tuple[str, list[Block]]] = []
    for block in blocks:
        if groups and block.kind in ("item", "step") and groups[-1][0] == block.kind:
            groups[-1][1].append(block)
        else:
            groups.append((block.kind, [block]))
    return groups


def render_html(env: Environment, page: Page, paged: bool = False) -> str:
    """The page; paged=True adds the CSS only WeasyPrint knows, for the PDF."""
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: s, ngettext=lambda s, p, n: s if n == 1 else p,
        pgettext=page.pgettext, npgettext=lambda c, s, p, n: page.pgettext(c, s),
        newstyle=False)
    return _render(env, "leaflet.html.j2", page=page, paged=paged, **_context(page))


def _render(env: Environment, name: str, **context: Any) -> str:
    try:
        return env.get_template(name).render(**context)
    except RenderError:
        raise
    except TemplateNotFound as exc:
        raise RenderError(f"template {exc.name} not found", path=f"templates/{exc.name}",
                          hint="restore it from the leaflet repository") from exc
    except Exception as exc:  # a template bug: say where
        line = getattr(exc, "lineno", None)
        raise RenderError(f"template failed: {exc}", path=f"templates/{name}", line=line,
                          hint="fix the template at that line") from exc


def _context(page: Page) -> dict[str, Any]:
    return {"leaflet": page.leaflet, "loc": page.locale, "edition": page.edition}


def render_site_page(env: Environment, name: str, rows: list[dict[str, Any]],
                     **extra: Any) -> str:
    """An English page for the hospital: index.html.j2 or status.html.j2."""
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: s, ngettext=lambda s, p, n: s if n == 1 else p,
        pgettext=lambda c, s: s, npgettext=lambda c, s, p, n: s, newstyle=False)
    return _render(env, name, rows=rows, **extra)
