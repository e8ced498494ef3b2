"""Settings from leaflet.toml: locales, leaflets, hospital details, page size."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .content import read_text, toml_line
from .errors import ConfigError
from .model import Leaflet

CONFIG_NAME = "leaflet.toml"
SOURCE_LOCALE = "en"
_LOCALE = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|\d{3}))?")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
HOSPITAL_KEYS = ("hospital_name", "department", "phone")
LOCAL_KEYS = ("hospital_name", "department")   # names a language may write its own way
# The hospital's own rules, which a leaflet's text uses as placeholders instead
# of stating them as facts. Each is a whole number in quotes, shown as it is in
# every language (a rule in words would be English inside a translation). A
# rule is needed only when a leaflet of the project uses it: Config.require.
RULE_KEYS = ("fasting_hours", "blood_thinner_call_days", "no_driving_hours", "stay_hours")
_RULE = re.compile(r"\d{1,3}")
# Placeholders a leaflet may use; dates are formatted for each locale.
PLACEHOLDERS = frozenset(HOSPITAL_KEYS) | frozenset(RULE_KEYS) | {
    "leaflet_reference", "leaflet_version", "publication_date", "review_date"}
_USED = re.compile(r"\{([a-z_]+)\}")
PAGE_SIZES = ("A4", "A5", "letter")
_KINDS = {str: 'text in "quotes"', list: 'a list such as ["a", "b"]',
          dt.date: "a date such as 2026-01-15, without quotes"}


def valid_locale_name(name: str) -> str:
    """A locale name safe to use in a path and known to Babel."""
    from babel import Locale, UnknownLocaleError  # here: a build with nothing to do skips it
    if not _LOCALE.fullmatch(name):
        raise ConfigError(f"invalid locale name {name!r}",
                          hint="use a code such as 'de', 'pt_BR' or 'zh_Hans'")
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError) as exc:
        raise ConfigError(f"unknown locale {name!r}", hint="use a CLDR locale code") from exc
    return name


def not_source(locale: str, doing: str) -> str:
    """A locale a translator works on: the English source has no catalog."""
    if locale == SOURCE_LOCALE:
        raise ConfigError(f"{SOURCE_LOCALE!r} is the source language: there is no English "
                          f"catalog to {doing}",
                          hint=f"the English is content/<leaflet>/leaflet.md; 'leaflet check "
                          f"-l {SOURCE_LOCALE}' runs its checks")
    return locale


def valid_leaflet_name(name: str) -> str:
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
    hospital_local: dict[str, dict[str, str]] = field(default_factory=dict)
    hospital_line: int | None = None   # line of [hospital] in leaflet.toml

    def hospital_for(self, locale: str) -> dict[str, str]:
        return {**self.hospital, **self.hospital_local.get(locale, {})}

    def require(self, leaflet: Leaflet) -> None:
        """Every hospital rule the leaflet's text uses must be set in [hospital]."""
        for _, block in leaflet.blocks():
            for name in _USED.findall(block.text):
                if name in RULE_KEYS and name not in self.hospital:
                    raise ConfigError(
                        f"missing setting hospital.{name}", path=self.path,
                        line=self.hospital_line,
                        hint=f"add '{name} = \"...\"' under [hospital]: it is used by "
                        f"{leaflet.path} line {block.line}")

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


def _line_of(text: str, key: str, table: str | None = None) -> int | None:
    """The line of a key (or table), looked for below [table] when given."""
    start = _line_of(text, table) or 0 if table else 0
    for n, line in enumerate(text.splitlines()[start:], start + 1):
        if re.match(rf"\s*\[?\s*{re.escape(key)}\b", line):
            return n
    return None


def parse(text: str, path: Path) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path, line=toml_line(exc),
                          hint="fix the syntax near that line: quotes, brackets, "
                          "one value per setting") from exc

    def need(table: dict, key: str, kind: type, where: str):
        value = table.get(key)
        name = f"{where}.{key}" if where else key
        if kind is dict and not isinstance(value, dict):
            raise ConfigError(f"missing table [{name}]", path=path,
                              line=_line_of(text, where) if where else None,
                              hint=f"add a [{name}] table, as in the shipped example leaflet.toml")
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ConfigError(f"missing setting {name}", path=path,
                              line=_line_of(text, where.split(".")[-1]),
                              hint=f"add '{key} = ...' under [{where}]")
        if not isinstance(value, kind):
            raise ConfigError(f"{name} must be {_KINDS[kind]}", path=path,
                              line=_line_of(text, key))
        return value

    project = need(data, "project", dict, "")
    hospital = need(data, "hospital", dict, "")
    def names(key: str, check) -> tuple[str, ...]:
        try:
            return tuple(check(x) for x in need(project, key, list, "project")
                         if x != SOURCE_LOCALE)
        except ConfigError as exc:
            raise ConfigError(exc.message, path=path, line=_line_of(text, key),
                              hint=exc.hint) from exc

    locales, leaflets = names("locales", valid_locale_name), names("leaflets", valid_leaflet_name)
    page_size = project.get("page_size", "A4")
    if page_size not in PAGE_SIZES:
        raise ConfigError(f"page_size {page_size!r} not supported", path=path,
                          line=_line_of(text, "page_size"), hint="use " + ", ".join(PAGE_SIZES))
    details = {key: need(hospital, key, str, "hospital").strip() for key in HOSPITAL_KEYS}
    for key in RULE_KEYS:
        if key in hospital:
            value = need(hospital, key, str, "hospital").strip()
            if not _RULE.fullmatch(value):
                raise ConfigError(f"hospital.{key} must be a whole number in quotes, "
                                  f"such as \"6\"", path=path, line=_line_of(text, key),
                                  hint="write the number only: the leaflet's text gives "
                                  "its unit, in every language")
            details[key] = value
    # [hospital.fr] etc.: the department (or name) as patients read it in that
    # language; what a locale does not set stays as written above.
    local = {}
    for locale, table in hospital.items():
        if not isinstance(table, dict):
            continue
        where = f"hospital.{locale}"
        try:
            valid_locale_name(locale)
        except ConfigError as exc:
            raise ConfigError(exc.message, path=path, line=_line_of(text, where),
                              hint=exc.hint) from exc
        unknown = sorted(set(table) - set(LOCAL_KEYS))
        if unknown:
            raise ConfigError(f"{where}.{unknown[0]} cannot be set per language", path=path,
                              line=_line_of(text, unknown[0], where),
                              hint="a language may set " + " and ".join(LOCAL_KEYS))
        local[locale] = {key: need(table, key, str, where).strip() for key in table}
    meta = {}
    for name in leaflets:
        table = need(data.get("leaflets", {}), name, dict, "leaflets")
        where = f"leaflets.{name}"
        meta[name] = LeafletMeta(need(table, "reference", str, where),
                                 need(table, "version", str, where),
                                 need(table, "published", dt.date, where),
                                 need(table, "review", dt.date, where))
        if meta[name].review <= meta[name].published:
            raise ConfigError(f"{where}.review is not after published", path=path,
                              line=_line_of(text, "review"),
                              hint="set review to the date the leaflet must next be "
                              "reviewed")
    allow = data.get("checks", {}).get("allow_unchanged", {})
    if not isinstance(allow, dict) or not all(isinstance(v, list) for v in allow.values()):
        raise ConfigError("checks.allow_unchanged must map locales to lists of words",
                          path=path, line=_line_of(text, "checks"),
                          hint='write each locale as fr = ["PMMA", "patients"]')
    return Config(path.parent, locales, leaflets, page_size, details, meta,
                  bool(hospital.get("example", False)), path,
                  {k: frozenset(map(str, v)) for k, v in allow.items()}, local,
                  _line_of(text, "hospital"))


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(f"no {CONFIG_NAME} found in {here} or above",
                      hint="run leaflet inside a project, or pass --project DIR")


def load(root: Path | None = None) -> Config:
    path = find_root(root) / CONFIG_NAME
    cfg = parse(read_text(path, ConfigError), path)
    # Checked here: with no templates, extraction would retire every UI string.
    if not (cfg.templates_dir / "leaflet.html.j2").is_file():
        raise ConfigError("templates/leaflet.html.j2 not found", path=cfg.templates_dir,
                          hint="a project needs the templates/ folder of the leaflet "
                          "repository")
    return cfg
