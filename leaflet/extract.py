"""Model and templates -> gettext templates (.pot), one entry per block."""
from __future__ import annotations

from pathlib import Path

import polib
from babel.messages.extract import extract as babel_extract

from .errors import ContentError
from .model import KINDS, PLACEHOLDER, Leaflet

WRAP = 76
# Jinja2's extractor, named as a Babel mapping file names it.
JINJA_EXTRACTOR = "jinja2.ext:babel_extract"
_POT_HEADER = {
    "Report-Msgid-Bugs-To": "",
    "POT-Creation-Date": "",
    "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
    "Language-Team": "LANGUAGE <LL@li.org>",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def new_pot(project: str, comment: str) -> polib.POFile:
    pot = polib.POFile(wrapwidth=WRAP)
    pot.header = comment
    pot.metadata = {"Project-Id-Version": project, **_POT_HEADER}
    return pot


def context_note(text: str) -> list[str]:
    """Advice for translators that every entry with the same features shares."""
    notes = []
    names = PLACEHOLDER.findall(text)
    if names:
        notes.append("Keep " + ", ".join(dict.fromkeys(names))
                     + " exactly as written: filled in when the leaflet is built.")
    if "<strong>" in text:
        notes.append("Keep <strong>...</strong> around the words that carry the emphasis.")
    return notes


def leaflet_pot(leaflet: Leaflet, root: Path, project: str) -> polib.POFile:
    pot = new_pot(project, f"Translations of the leaflet '{leaflet.id}'.\n"
                  f"Generated from {Path(leaflet.path).relative_to(root)}: "
                  "edit that file, not this one.")
    source = str(Path(leaflet.path).relative_to(root))
    for section, block in leaflet.blocks():
        where = ("Leaflet title" if section is None
                 else f'Section "{section.title}" [{section.id}]')
        lines = [f"{where}: {KINDS[block.kind]}."]
        if block.figure:
            lines.append("Screen readers read this text instead of showing the drawing.")
        lines += context_note(block.text)
        pot.append(polib.POEntry(
            msgctxt=block.id, msgid=block.text, msgstr="", comment="\n".join(lines),
            occurrences=[(source, str(block.line))],
            flags=["python-brace-format"] if PLACEHOLDER.search(block.text) else []))
    register = str(Path(leaflet.path).with_name("sources.toml").relative_to(root))
    for src in leaflet.sources:
        for field, what in (("publisher", "what kind of publisher wrote it"),
                            ("audience", "who it was written for")):
            pot.append(polib.POEntry(
                msgctxt=f"source.{src.id}.{field}", msgid=getattr(src, field), msgstr="",
                comment=f"Source list, source '{src.id}': {what}. The source's title "
                "stays in English.", occurrences=[(register, str(src.line))]))
    return pot


def ui_pot(templates: Path, root: Path, project: str) -> polib.POFile:
    """UI strings of the templates: only pgettext(context, text) is allowed."""
    pot = new_pot(project, "Translations of the words around every leaflet "
                  "(headings, footer, notices).\nGenerated from templates/: "
                  "edit the templates, not this file.")
    found: dict[tuple[str, str], polib.POEntry] = {}
    for path in sorted(templates.rglob("*.j2")):
        rel = str(path.relative_to(root))
        with path.open("rb") as fileobj:
            for lineno, messages, comments, context in babel_extract(
                    JINJA_EXTRACTOR, fileobj, comment_tags=("Translators:",),
                    options={"extensions": "jinja2.ext.i18n", "trimmed": "true"}):
                if context is None or isinstance(messages, tuple):
                    raise ContentError("UI string without context", path=rel, line=lineno,
                                       hint="write pgettext('some.context', 'Text')")
                key = (context, messages)
                if key not in found:
                    notes = [c.removeprefix("Translators:").strip() for c in comments]
                    if not notes:
                        raise ContentError("UI string without a Translators: comment",
                                           path=rel, line=lineno, hint="put {# Translators: "
                                           "what and where this text is #} just before it")
                    found[key] = polib.POEntry(
                        msgctxt=context, msgid=messages, msgstr="",
                        comment="\n".join(notes + context_note(messages)),
                        flags=["python-brace-format"] if PLACEHOLDER.search(messages) else [])
                # The file without the line (as xgettext --add-location=file): moving
                # a line in a template must not rewrite every catalog.
                if (rel, "") not in found[key].occurrences:
                    found[key].occurrences.append((rel, ""))
    for key in sorted(found):
        pot.append(found[key])
    return pot
