"""Settings from leaflet.toml: locales, leaflets, hospital details, page size, policy."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
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
_TOPIC = re.compile(r"[a-z0-9][a-z0-9-]*")
# The house style's defaults (NHS patient-information practice): what every
# leaflet must cover, and which numbers need evidence of which kinds.
DEFAULT_TOPICS = ("what-is", "why", "benefits", "risks", "alternatives", "do-nothing", "before",
                  "after", "contact", "document-control")
DEFAULT_SECTIONS = {"do-nothing": ("nothing",), "document-control": ("about",)}
DEFAULT_EVIDENCE_TOPICS = ("benefits", "risks", "do-nothing")
DEFAULT_EVIDENCE_KINDS = ("national guidance", "systematic review", "trial", "hospital leaflet")
POLICY_KEYS = ("topics", "sections", "review_warning_days", "evidence_topics", "evidence_kinds")
# What the glossary check's findings are (a missing agreed term, a translated
# do-not-translate term): a warning lists them, an error also stops the locale.
SEVERITIES = ("warning", "error")
GLOSSARY_KEYS = ("severity", "locales")


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
    topics: tuple[str, ...] | None = None   # its own required topics, instead of the policy's


@dataclass(frozen=True)
class Policy:
    """The house style of [policy]: checked by `leaflet check`, enforced by a release."""
    topics: tuple[str, ...] = DEFAULT_TOPICS
    # topic -> ids of sections (or blocks) that cover it, besides a section whose
    # id is the topic's name and a section tagged topic=NAME
    sections: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_SECTIONS))
    review_warning_days: int = 90
    evidence_topics: tuple[str, ...] = DEFAULT_EVIDENCE_TOPICS
    evidence_kinds: tuple[str, ...] = DEFAULT_EVIDENCE_KINDS


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
    policy: Policy = field(default_factory=Policy)
    # lines of the settings findings point at: "hospital.example", "leaflets.<name>.review"
    lines: dict[str, int] = field(default_factory=dict)
    # [checks.glossary]: "" -> the severity of glossary findings, locale -> its own
    glossary: dict[str, str] = field(default_factory=dict)

    def glossary_severity(self, locale: str) -> str:
        """The severity of a locale's glossary findings: its own, its parent's
        (pt_BR -> pt), else the project's, else a warning."""
        from .lang import fallbacks
        for name in (*fallbacks(locale), ""):
            if name in self.glossary:
                return self.glossary[name]
        return "warning"

    def topics_for(self, leaflet: str) -> tuple[str, ...]:
        """The topics a leaflet must cover: its own list, or the policy's."""
        own = self.meta[leaflet].topics if leaflet in self.meta else None
        return self.policy.topics if own is None else own

    def hospital_for(self, locale: str) -> dict[str, str]:
        """The hospital's details as patients of a locale read them: each name
        from the most specific of the locale's tables (ar_EG, then ar), else
        the default."""
        from .lang import fallbacks  # Babel: not on the no-op path
        values = dict(self.hospital)
        for name in reversed(fallbacks(locale)):
            values.update(self.hospital_local.get(name, {}))
        return values

    def allow_for(self, locale: str) -> frozenset[str]:
        """Words allowed to stay as in English: the locale's and its parents'."""
        from .lang import fallbacks
        return frozenset().union(*(self.allow_unchanged.get(name, frozenset())
                                   for name in fallbacks(locale)))

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


_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_PATH = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"\s*\[\[?\s*({_PATH})\s*\]")
_ASSIGN = re.compile(rf"\s*({_PATH})\s*=")
_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


def _path(raw: str) -> tuple[str, ...]:
    return tuple(k.strip("\"'") for k in re.findall(_KEY, raw))


def toml_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line where each table and key of a TOML text is defined, by full path.

    [leaflets.b] is told from [leaflets.a]; dotted keys and inline tables
    count; a value over several lines (an array, a multi-line string) is one
    definition.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    # Strings blanked (same length, newlines kept): brackets and "=" in them do not count.
    plain = _STRINGS.sub(lambda m: re.sub(r"[^\n]", "s", m[0]), text)
    depth = 0   # open brackets of a value that goes on below
    for n, (line, bare) in enumerate(zip(text.splitlines(), plain.splitlines(), strict=True), 1):
        bare = bare.split("#", 1)[0]
        if depth:
            depth = max(depth + bare.count("[") + bare.count("{") - bare.count("]")
                        - bare.count("}"), 0)
            continue
        # matched in the blanked line (a line of a multi-line string is no
        # key), read from the real one (a quoted key keeps its name)
        if bare.lstrip().startswith("["):
            header = _HEADER.match(line)
            if header:
                table = _path(header[1])
                lines.setdefault(table, n)
            continue
        assign = _ASSIGN.match(bare)
        if not assign:
            continue
        key = table + _path(line[assign.start(1):assign.end(1)])
        for k in range(len(table) + 1, len(key) + 1):   # a.b.c = 1 defines a and a.b too
            lines.setdefault(key[:k], n)
        for inner in re.finditer(rf"[{{,]\s*({_PATH})\s*=", bare[assign.end():]):
            start = assign.end()   # keys of an inline table
            lines.setdefault(key + _path(line[start + inner.start(1):start + inner.end(1)]), n)
        depth = max(bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}"), 0)
    return lines


Line = Callable[..., int | None]   # the line of a setting by its keys, as in parse()


def _names(value: object, what: str, path: Path, line: int | None,
           pattern: re.Pattern[str] | None = None) -> tuple[str, ...]:
    """A list of non-empty strings (each matching `pattern` when given)."""
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise ConfigError(f"{what} must be a list of names in quotes", path=path, line=line,
                          hint=f'write {what.split(".")[-1]} = ["a", "b"]')
    bad = [x for x in value if pattern is not None and not pattern.fullmatch(x)]
    if bad:
        raise ConfigError(f"{what}: bad topic name {bad[0]!r}", path=path, line=line,
                          hint="topics are lower case with '-', such as \"do-nothing\"")
    return tuple(x.strip() for x in value)


def parse_policy(data: dict, line: Line, path: Path) -> Policy:
    """[policy] and [policy.sections]; every setting is optional."""
    table = data.get("policy", {})
    if not isinstance(table, dict):
        raise ConfigError("policy must be a table [policy]", path=path, line=line("policy"))
    unknown = sorted(set(table) - set(POLICY_KEYS))
    if unknown:
        raise ConfigError(f"unknown setting policy.{unknown[0]}", path=path,
                          line=line("policy", unknown[0]),
                          hint="[policy] takes " + ", ".join(POLICY_KEYS))
    found: dict = {}
    for key in ("topics", "evidence_topics"):
        if key in table:
            found[key] = _names(table[key], f"policy.{key}", path, line("policy", key), _TOPIC)
    if "evidence_kinds" in table:
        found["evidence_kinds"] = _names(table["evidence_kinds"], "policy.evidence_kinds", path,
                                         line("policy", "evidence_kinds"))
    if "review_warning_days" in table:
        days = table["review_warning_days"]
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ConfigError("policy.review_warning_days must be a whole number of days, 0 "
                              "or more", path=path, line=line("policy", "review_warning_days"),
                              hint="write review_warning_days = 90, without quotes")
        found["review_warning_days"] = days
    if "sections" in table:
        sections = table["sections"]
        if not isinstance(sections, dict):
            raise ConfigError("policy.sections must be a table [policy.sections]", path=path,
                              line=line("policy", "sections"),
                              hint='write [policy.sections] with lines do-nothing = ["nothing"]')
        for topic in sections:
            if not _TOPIC.fullmatch(topic):
                raise ConfigError(f"policy.sections: bad topic name {topic!r}", path=path,
                                  line=line("policy", "sections", topic),
                                  hint="topics are lower case with '-'")
        found["sections"] = {topic: _names(ids, f"policy.sections.{topic}", path,
                                           line("policy", "sections", topic))
                             for topic, ids in sections.items()}
    return Policy(**found)


def parse_glossary(data: dict, line: Line, path: Path) -> dict[str, str]:
    """[checks.glossary]: severity = "warning" | "error", and per locale in
    [checks.glossary.locales]."""
    checks = data.get("checks", {})
    table = checks.get("glossary", {}) if isinstance(checks, dict) else {}
    where = ("checks", "glossary")
    if not isinstance(table, dict):
        raise ConfigError("checks.glossary must be a table [checks.glossary]", path=path,
                          line=line(*where), hint='write severity = "warning" under it')
    unknown = sorted(set(table) - set(GLOSSARY_KEYS))
    if unknown:
        raise ConfigError(f"unknown setting checks.glossary.{unknown[0]}", path=path,
                          line=line(*where, unknown[0]),
                          hint="[checks.glossary] takes " + " and ".join(GLOSSARY_KEYS))
    locales = table.get("locales", {})
    if not isinstance(locales, dict):
        raise ConfigError("checks.glossary.locales must be a table", path=path,
                          line=line(*where, "locales"),
                          hint='write [checks.glossary.locales] with lines fr = "error"')
    found = {}
    for name, value in [("", table.get("severity", "warning")), *locales.items()]:
        keys = (*where, "locales", name) if name else (*where, "severity")
        if name:
            try:
                valid_locale_name(name)
            except ConfigError as exc:
                raise ConfigError(exc.message, path=path, line=line(*keys),
                                  hint=exc.hint) from exc
        if value not in SEVERITIES:
            raise ConfigError(f"{'.'.join(keys)} must be \"warning\" or \"error\", not "
                              f"{value!r}", path=path, line=line(*keys),
                              hint='"warning" lists what is missing; "error" also stops the '
                              "language from being published until it is fixed")
        found[name] = value
    return found


def parse(text: str, path: Path) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path, line=toml_line(exc),
                          hint="fix the syntax near that line: quotes, brackets, "
                          "one value per setting") from exc
    where_is = toml_lines(text)

    def line(*keys: str) -> int | None:
        """The line of a setting, or of the nearest table it belongs in."""
        for k in range(len(keys), 0, -1):
            if keys[:k] in where_is:
                return where_is[keys[:k]]
        return None

    def need(table: dict, key: str, kind: type, where: str):
        value = table.get(key)
        name = f"{where}.{key}" if where else key
        keys = (*where.split("."), key) if where else (key,)
        if kind is dict and not isinstance(value, dict):
            raise ConfigError(f"missing table [{name}]", path=path,
                              line=line(*keys) if where else None,
                              hint=f"add a [{name}] table, as in the shipped example leaflet.toml")
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ConfigError(f"missing setting {name}", path=path, line=line(*keys),
                              hint=f"add '{key} = ...' under [{where}]")
        if not isinstance(value, kind):
            raise ConfigError(f"{name} must be {_KINDS[kind]}", path=path, line=line(*keys))
        return value

    project = need(data, "project", dict, "")
    hospital = need(data, "hospital", dict, "")
    def names(key: str, check) -> tuple[str, ...]:
        try:
            return tuple(check(x) for x in need(project, key, list, "project")
                         if x != SOURCE_LOCALE)
        except ConfigError as exc:
            raise ConfigError(exc.message, path=path, line=line("project", key),
                              hint=exc.hint) from exc

    locales, leaflets = names("locales", valid_locale_name), names("leaflets", valid_leaflet_name)
    page_size = project.get("page_size", "A4")
    if page_size not in PAGE_SIZES:
        raise ConfigError(f"page_size {page_size!r} not supported", path=path,
                          line=line("project", "page_size"), hint="use " + ", ".join(PAGE_SIZES))
    details = {key: need(hospital, key, str, "hospital").strip() for key in HOSPITAL_KEYS}
    for key in RULE_KEYS:
        if key in hospital:
            value = need(hospital, key, str, "hospital").strip()
            if not _RULE.fullmatch(value):
                raise ConfigError(f"hospital.{key} must be a whole number in quotes, "
                                  f"such as \"6\"", path=path, line=line("hospital", key),
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
            raise ConfigError(exc.message, path=path, line=line("hospital", locale),
                              hint=exc.hint) from exc
        unknown = sorted(set(table) - set(LOCAL_KEYS))
        if unknown:
            raise ConfigError(f"{where}.{unknown[0]} cannot be set per language", path=path,
                              line=line("hospital", locale, unknown[0]),
                              hint="a language may set " + " and ".join(LOCAL_KEYS))
        local[locale] = {key: need(table, key, str, where).strip() for key in table}
    meta = {}
    lines = {"hospital.example": line("hospital", "example") or 0}
    tables = data.get("leaflets", {})
    for name in leaflets:
        if not isinstance(tables, dict) or not isinstance(tables.get(name), dict):
            # where the leaflet is listed, unless a [leaflets] setting is wrong
            at = ("leaflets", name) if ("leaflets", name) in where_is else ("project", "leaflets")
            raise ConfigError(f"missing table [leaflets.{name}]", path=path, line=line(*at),
                              hint=f"add a [leaflets.{name}] table, as in the shipped "
                              "example leaflet.toml")
        table, where = tables[name], f"leaflets.{name}"
        topics = table.get("topics")
        meta[name] = LeafletMeta(need(table, "reference", str, where),
                                 need(table, "version", str, where),
                                 need(table, "published", dt.date, where),
                                 need(table, "review", dt.date, where),
                                 None if topics is None else _names(
                                     topics, f"{where}.topics", path,
                                     line("leaflets", name, "topics"), _TOPIC))
        lines[f"{where}.review"] = line("leaflets", name, "review") or 0
        if meta[name].review <= meta[name].published:
            raise ConfigError(f"{where}.review is not after published", path=path,
                              line=line("leaflets", name, "review"),
                              hint="set review to the date the leaflet must next be "
                              "reviewed")
    allow = data.get("checks", {}).get("allow_unchanged", {})
    bad = next((k for k, v in allow.items() if not isinstance(v, list)), None) \
        if isinstance(allow, dict) else ""
    if bad is not None:
        raise ConfigError("checks.allow_unchanged must map locales to lists of words",
                          path=path, line=line("checks", "allow_unchanged", *(
                              (bad,) if bad else ())),
                          hint='write each locale as fr = ["PMMA", "patients"]')
    example = hospital.get("example", False)
    if not isinstance(example, bool):
        raise ConfigError("hospital.example must be true or false, without quotes", path=path,
                          line=line("hospital", "example"),
                          hint="set example = false once the details are your hospital's")
    return Config(path.parent, locales, leaflets, page_size, details, meta, example, path,
                  {k: frozenset(map(str, v)) for k, v in allow.items()}, local,
                  hospital_line=line("hospital"), policy=parse_policy(data, line, path),
                  lines=lines, glossary=parse_glossary(data, line, path))


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
