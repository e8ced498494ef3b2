"""Settings from leaflet.toml: locales, leaflets, hospital details, page size."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .content import read_text, toml_line
from .errors import ConfigError

CONFIG_NAME = "leaflet.toml"
SOURCE_LOCALE = "en"
_LOCALE = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|\d{3}))?")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
HOSPITAL_KEYS = ("hospital_name", "department", "phone")
LEAFLET_KEYS = ("reference", "version", "published", "review")
# Placeholders a leaflet may use; dates are formatted for each locale.
PLACEHOLDERS = frozenset(HOSPITAL_KEYS) | {
    "leaflet_reference", "leaflet_version", "publication_date", "review_date"}
PAGE_SIZES = ("A4", "A5", "letter")


def check_locale(name: str) -> str:
    """A locale name safe to use in a path and known to Babel."""
    from babel import Locale, UnknownLocaleError   # here: a build with nothing to do skips it
    if not _LOCALE.fullmatch(name):
        raise ConfigError(f"invalid locale name {name!r}",
                          hint="use a code such as 'de', 'pt_BR' or 'zh_Hans'")
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError) as exc:
        raise ConfigError(f"unknown locale {name!r}", hint="use a CLDR locale code") from exc
    return name


def check_name(name: str) -> str:
    """A leaflet name safe to use in a path."""
    if not _NAME.fullmatch(name):
        raise ConfigError(f"invalid leaflet name {name!r}",
                          hint="use lower-case letters, digits and '-'")
    return name


@dataclass(frozen=True)
class LeafletMeta:
    reference: str
    version: str
    published: dt.date
    review: dt.date


@dataclass(frozen=True)
class Config:
    root: Path
    locales: tuple[str, ...]           # target locales, without the source 'en'
    leaflets: tuple[str, ...]
    page_size: str
    hospital: dict[str, str]
    meta: dict[str, LeafletMeta]
    example: bool                      # shipped example values, not a real hospital
    path: Path
    allow_unchanged: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"


def _line_of(text: str, key: str) -> int | None:
    for n, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\[?\s*{re.escape(key)}\b", line):
            return n
    return None


def parse(text: str, path: Path) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path, line=toml_line(exc)) from exc

    def need(table: dict, key: str, kind: type, where: str):
        value = table.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ConfigError(f"missing setting {where}.{key}", path=path,
                              line=_line_of(text, where.split(".")[-1]),
                              hint=f"add '{key} = ...' under [{where}]")
        if not isinstance(value, kind):
            raise ConfigError(f"{where}.{key} must be a {kind.__name__}", path=path,
                              line=_line_of(text, key))
        return value

    project = need(data, "project", dict, "leaflet")
    hospital = need(data, "hospital", dict, "leaflet")
    try:
        locales = tuple(check_locale(x) for x in need(project, "locales", list, "project")
                        if x != SOURCE_LOCALE)
        leaflets = tuple(check_name(x) for x in need(project, "leaflets", list, "project"))
    except ConfigError as exc:
        raise ConfigError(exc.message, path=path, line=_line_of(text, "locales"),
                          hint=exc.hint) from exc
    page_size = project.get("page_size", "A4")
    if page_size not in PAGE_SIZES:
        raise ConfigError(f"page_size {page_size!r} not supported", path=path,
                          line=_line_of(text, "page_size"), hint="use " + ", ".join(PAGE_SIZES))
    details = {key: need(hospital, key, str, "hospital").strip() for key in HOSPITAL_KEYS}
    meta = {}
    for name in leaflets:
        table = need(need(data, "leaflets", dict, "leaflet"), name, dict, "leaflets")
        where = f"leaflets.{name}"
        meta[name] = LeafletMeta(need(table, "reference", str, where),
                                 need(table, "version", str, where),
                                 need(table, "published", dt.date, where),
                                 need(table, "review", dt.date, where))
        if meta[name].review <= meta[name].published:
            raise ConfigError(f"{where}.review is not after published", path=path,
                              line=_line_of(text, "review"))
    allow = data.get("checks", {}).get("allow_unchanged", {})
    if not isinstance(allow, dict) or not all(isinstance(v, list) for v in allow.values()):
        raise ConfigError("checks.allow_unchanged must map locales to lists of words",
                          path=path, line=_line_of(text, "checks"))
    return Config(path.parent, locales, leaflets, page_size, details, meta,
                  bool(hospital.get("example", False)), path,
                  {k: frozenset(map(str, v)) for k, v in allow.items()})


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(f"no {CONFIG_NAME} found in {here} or above",
                      hint="run leaflet inside a project, or pass --project DIR")


def load(root: Path | None = None) -> Config:
    path = find_root(root) / CONFIG_NAME
    return parse(read_text(path, ConfigError), path)
