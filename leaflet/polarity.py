"""Polarity: whether a text says "not", from curated negation markers per language.

A pure core (strings in, levels out) for the polarity and misplacement checks.
Each language lists three kinds of marker:

- strong: grammatical negation ("not", "ne ... pas", 不, لا). A strong marker
  on one side and nothing on the other is what a lost negation looks like.
- weak: lexical negation ("without", "avoid", "unclear", 不适, بدون). It may
  stand for a "not" on the other side, or not: it never raises an alarm, and
  it answers a "not" on the other side.
- neutral: what looks like a negation and does not negate: French "ne ... que"
  (only) and expletive "ne", Chinese 不久 (soon) and 区别 (difference),
  Vietnamese "chẳng hạn" (for example), Hindi "या नहीं" (whether), Arabic
  "لا ... إلا" (only). They are taken out before anything is looked for.

Words are matched as whole tokens (Devanagari vowel signs and Arabic harakat
belong to their word); Chinese, written without spaces, by characters.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

NONE, WEAK, STRONG = 0, 1, 2
LEVELS = ("none", "weak", "strong")

# Clause punctuation, kept as tokens so a window never crosses a clause.
_PUNCT = ",;:.!?()،؛؟।"
_W = rf"[^\s{re.escape(_PUNCT)}]+"          # one word of a token string
_TOKEN = re.compile(r"[\w\u0300-\u036f\u0900-\u0963\u0966-\u097f\u0610-\u061a"
                    r"\u064b-\u065f\u0670]+|[" + re.escape(_PUNCT) + "]")
_MARKUP = re.compile(r"<[^>]*>")
_TAGS = re.compile(r"<[^>]*>|\{[a-z_]+\}")
_HARAKAT = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
# Sentence ends: . ! ? before a space and a capital (or any non-lowercase
# character), unless the word before is an abbreviation or a single letter
# ("z. B.", "p. ex."); 。？！ ؟ । always.
_END = re.compile(r"[.!?…]+[\"'»)\]]*\s+|[。؟।]\s*|(?<=[\u3400-\u9fff])[!?]\s*")
_ABBREVIATIONS = frozenset({
    "ref", "réf", "nr", "no", "tel", "dr", "mr", "mrs", "ms", "prof", "st", "vs", "approx",
    "ca", "bzw", "np", "ok", "etc", "eg", "ie", "tj", "itp", "напр", "см", "тел"})


@dataclass(frozen=True)
class Markers:
    """Negation markers of one language, as regular expressions.

    Spaced languages match against tokens joined by single spaces, so a
    marker is written as words separated by spaces; `_gap(n)` skips up to n
    words of the same clause.
    """
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()
    neutral: tuple[str, ...] = ()       # taken out first
    weak_idioms: tuple[str, ...] = ()   # taken out next, count as weak ("no later than")
    # And / or / but, and conditional openers: see `lead`. Empty where a
    # negation follows the verb and its objects (German "Essen und trinken
    # Sie nichts", Hindi "रोटी या चावल न खाएँ"): there a coordinator before the
    # negation is normal.
    coordinators: tuple[str, ...] = ()
    subordinators: tuple[str, ...] = ()
    spaced: bool = True


def _gap(n: int, but: str = "") -> str:
    """Up to n words of one clause (none of them matching `but`)."""
    word = rf"(?!(?:{but}) ){_W}" if but else _W
    return rf"(?:{word} ){{0,{n}}}?"


_FR_NEG = "pas|plus|jamais|rien|personne|aucune?|aucuns|guère|point|nullement|ni"

MARKERS: dict[str, Markers] = {
    "en": Markers(
        strong=("not", "no", "never", "nothing", "nobody", "none", "neither", "nor",
                "nowhere", "no one"),
        weak=("without", "unless", r"avoid\w*", r"lack\w*", r"fail\w*", r"forbid\w*",
              r"prohibit\w*", r"refus\w*", "hardly", "rarely", "seldom",
              (r"un(?:able|clear|well|safe|likely|sure|comfortable|usual|expected|suitable|"
               r"necessary|known|treated|common|healed)"), "impossible", "inappropriate",
              "insufficient", "incomplete",
              # words a translation often renders with a negation: "experts differ"
              # (are not agreed), "stop it sinking" (so it does not sink), a "pretend"
              # procedure (not a real one), the "wrong" place (not the right one),
              # "awake" (not asleep)
              r"differ\w*", r"stop\w*", r"prevent\w*", "pretend", "sham", "wrong", "awake"),
        neutral=("not only", "or not", "no matter", r"no \.(?= \d)",
                 "say no"),   # "you can say no": a refusal, which a translation words freely
        weak_idioms=(r"(?:no|not) (?:more|less|later|earlier|fewer|longer) than",
                     r"too \w+ to"),   # "too small to show": cannot show
        coordinators=("and", "or", "but"),
        subordinators=("if", "when", "whenever", "before", "after", "while", "until",
                       "unless", "because", "although", "though", "once", "since", "as")),
    "fr": Markers(
        # "ne" counts only with its second word: alone it is expletive ("avant
        # qu'il ne durcisse"), with "que" it means "only" (taken out first).
        strong=(rf"ne? {_gap(5)}(?:{_FR_NEG})", "aucune?", "aucuns", "jamais", "ni",
                "nullement", "pas",
                "(?:personne|rien) ne?"),   # "si personne ne vous en a parlé": nobody
        weak=("sans", r"évit\w*", r"interdi\w*", r"déconseill\w*", "impossible", "non",
              "rien", "absence", "manque"),
        neutral=(rf"ne? {_gap(5, _FR_NEG)}(?:(?:plus|jamais) )?que?", "si jamais", "pas à pas",
                 # "tant que le ciment n'a pas durci": until it has
                 rf"tant que? {_gap(5)}ne? {_gap(3)}pas",
                 "non seulement", "ou non", "ou pas",
                 # "pas" the noun: a step
                 (r"(?:un|le|les|des|du|quelques?|premiers?|petits?|grands?|ce|ces|ses|vos|"
                  r"nos|leurs|mes|chaque|deux|trois|\d+) pas")),
        coordinators=("et", "ou", "mais", "puis"),
        subordinators=("si", "s", "quand", "lorsque", "lorsqu", "avant", "après",
                       "pendant que", "tant que", "parce que", "bien que", "dès que",
                       "puisque", "comme")),
    "de": Markers(
        strong=("nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines",
                "keinesfalls", "keineswegs", "nie", "niemals", "nichts", "niemand",
                "niemanden", "niemandem", "nirgends", "nirgendwo", "weder"),
        weak=("ohne", r"vermeid\w*", "verboten", "untersagt", "kaum", "unklar", "unwohl",
              "unmöglich", "ungeeignet", "unnötig"),
        neutral=("nicht nur", "oder nicht", "nicht wahr",
                 rf"solange {_gap(6)}nicht"),   # until
        weak_idioms=(r"nicht (?:mehr|später|länger|weniger|früher) als",)),
    "es": Markers(
        strong=("no", "nunca", "jamás", "nada", "nadie", "ningún", "ninguna", "ninguno",
                "ningunos", "ningunas", "ni", "tampoco"),
        weak=("sin", r"evit\w+", r"prohib\w*", "imposible", "apenas"),
        neutral=("no solo", "no sólo", "no obstante", "o no", "hasta que no",   # until
                 "decir que no"),   # to say no: a refusal
        weak_idioms=(r"no más (?:de|que|tarde)", "a no ser que"),   # unless
        coordinators=("y", "e", "o", "u", "pero"),
        subordinators=("si", "cuando", "antes", "después", "mientras", "hasta", "porque",
                       "aunque", "en cuanto")),
    "pt": Markers(
        strong=("não", "nunca", "jamais", "nada", "ninguém", "nenhum", "nenhuma",
                "nenhuns", "nenhumas", "nem", "tampouco"),
        weak=("sem", r"evit\w+", r"proib\w*", "impossível", "senão"),
        neutral=("não só", "não apenas", "não somente", "ou não",
                 "dizer (?:que )?não",   # to say no: a refusal
                 rf"enquanto {_gap(5)}não"),   # "enquanto o cimento não endurecer": until
        weak_idioms=(r"não mais (?:de|que|do que|tarde)", "a não ser que"),   # unless
        coordinators=("e", "ou", "mas"),
        subordinators=("se", "quando", "antes", "depois", "enquanto", "até", "porque",
                       "embora", "assim que")),
    "pl": Markers(
        strong=("nie", "ani", "nigdy", "nic", "niczego", "niczym", "niczemu", "nikt",
                "nikogo", "nikomu", "nikim", "nigdzie", r"żadn\w*", "żaden"),
        weak=("bez", r"brak\w*", r"unik\w+", r"zakaz\w*", r"zabronion\w*",
              r"niemożliw\w*", r"niejasn\w*", r"nieodpowiedni\w*"),
        neutral=("nie tylko", "lub nie", "albo nie", "czy nie",
                 # the pronoun "them/it" after a preposition: "jak o nie dbać"
                 "(?:o|na|za|przez|w|we|po|pod|nad|przed) nie",
                 rf"dopóki {_gap(5)}nie"),   # until
        weak_idioms=(r"nie (?:później|więcej|mniej|dłużej|wcześniej) niż",),
        coordinators=("i", "oraz", "lub", "albo", "a", "ale"),
        subordinators=("jeśli", "jeżeli", "gdy", "kiedy", "zanim", "dopóki", "ponieważ",
                       "chociaż", "choć", "w razie")),
    "ru": Markers(
        strong=("не", "нет", "никогда", "ничего", "ничто", "ничем", "ничему", "никто",
                "никого", "никому", "никем", "нигде", "никуда", "нельзя"),
        # "ни" alone is also concessive ("что бы ни" = whatever)
        weak=("ни", "без", "безо", r"избега\w*", r"избег\w*", r"запрещ\w*", "невозможно",
              "непонятно", "нежелательно", r"отсутств\w*"),
        # "пока цемент не затвердеет": until; "чуть не": almost
        neutral=("не только", "или нет", "не раз", rf"пока {_gap(5)}не", "чуть не",
                 "едва не"),
        weak_idioms=(r"не (?:позднее|позже|более|больше|менее|меньше|раньше|ранее|дольше)",),
        coordinators=("и", "или", "а", "но"),
        subordinators=("если", "когда", "пока", "хотя", "перед", "после", "потому",
                       "как только")),
    "vi": Markers(
        strong=("không", "chưa", "đừng", "chớ", "chẳng"),
        weak=("tránh", "cấm"),
        # không khí = air, không gian = space, hàng không = aviation; "hay
        # không" = whether; a question ends in "không ?"; chẳng hạn = for example
        neutral=("không khí", "không gian", "hàng không", "không quân", "hay không",
                 "hoặc không", r"không(?= \?)", r"chưa(?= \?)", "chẳng hạn", "chẳng những",
                 "không những", "không chỉ", "chẳng lẽ",
                 # an embedded question: "có cần ngừng thuốc không" = whether
                 rf"có {_gap(6)}không(?= [,.;]| và| hay|$)"),
        weak_idioms=(r"không (?:quá|muộn hơn|hơn)",),
        coordinators=("và", "hoặc", "nhưng", "rồi"),
        subordinators=("nếu", "khi", "trước khi", "sau khi", "trong khi", "trong lúc", "vì",
                       "mặc dù", "cho đến khi")),
    "zh": Markers(
        strong=("不", "没", "沒", "勿", "未", "别", "別", "无法", "無法", "无需", "無需",
                "无须", "無須", "毫无", "毫無", "并无", "並無", "绝无", "并非", "並非", "绝非"),
        weak=("无", "無", "非", "避免", "禁止", "除非", "缺乏", "缺少"),
        # 不久 soon, 不同 different, 不断 constantly, 不过 but, 不少 many, 不仅/不但
        # not only, 不管/不论 whatever, 不得不 must, 未来 future, 非常 very, 特别
        # especially, 区别 difference, 别人 others; X不X / X没X is "whether"
        neutral=("不久", "不断", "不斷", "不过", "不過", "不少", "不仅", "不僅", "不但",
                 "不管", "不论", "不論", "不同", "不止", "差不多", "不得不", "对不起",
                 "對不起", "不时", "不時", "了不起", "未来", "未來", "非常", "特别", "特別",
                 "分别", "分別", "区别", "區別", "类别", "類別", "个别", "個別", "告别",
                 "告別", "识别", "識別", "性别", "性別", "级别", "級別", "鉴别", "鑑別",
                 "辨别", "辨別", "差别", "差別", "别人", "別人", "别的", "別的", "别处",
                 "別處", "派别", "离别", "道别", "送别", "淹没", "埋没", "出没", "不慎",
                 "不小心", "不妨",
                 "不到", "不一", "不等",   # less than; (views) differ; ranging (from ... to)
                 r"(?P<a>\w)[不没沒](?P=a)"),
        # lexical: discomfort, unwell, adverse, inconvenient, uneasy, insufficient
        weak_idioms=(r"不适(?![合用宜当应])", "不適(?![合用宜當應])", "不舒服", "不良",
                     "不便", "不安", "不足", "不孕", "不育", "不锈", "不全", "不稳", "不规则",
                     "不明"),
        coordinators=("或者", "或(?!许|許)", "以及", "并且", "並且", "而且", "但是", "然后",
                      "然後"),
        subordinators=("如果", "若", "假如", "要是", "当", "當", "在", "虽然", "雖然",
                       "尽管", "儘管", "因为", "因為", "由于", "由於", "只要", "一旦", "除非"),
        spaced=False),
    "hi": Markers(
        strong=("नहीं", "न", "मत", "ना"),
        weak=("बिना", "बग़ैर", "बगैर", "बचें", "मना"),
        neutral=("या नहीं", "या न", "या ना", "न केवल", "ना केवल", "न सिर्फ़", "नहीं तो",
                 rf"जब तक {_gap(6)}(?:नहीं|न)")),   # "जब तक ... नहीं हो जाता": until
    "ar": Markers(
        strong=("لا", "لم", "لن", "ليس", "ليست", "لست", "لستم", "ليسوا", "لسنا", "ألا"),
        weak=("بلا", "بدون", "دون", "غير", "عدم", r"تجنب\w*", "ممنوع", "أبدا"),
        # لا سيما = especially; لا/لم/ليس ... إلا = only (إلا إذا, unless, first)
        # لا بد = must; لا يزال = still
        neutral=("لا سيما", rf"(?:لا|لم|لن|ليس|ما) {_gap(6, 'إلا')}إلا(?! إذا)", "لا بد",
                 "أو لا", "أم لا",   # or not: whether
                 "لابد", r"لا (?:يزال|تزال|يزالون|أزال|نزال)", "ما زال", "ما تزال"),
        weak_idioms=("إلا إذا", "ما لم"),   # unless
        coordinators=("و", "ف", "أو", "لكن", "ثم", "بل"),
        subordinators=("إذا", "إن", "عندما", "لو", "قبل", "بعد", "بينما", "حتى", "لأن",
                       "رغم")),
}


def markers(language: str) -> Markers | None:
    """The markers of a locale's language (pt_BR -> pt, zh_Hans -> zh), if curated."""
    return MARKERS.get(language.split("_")[0])


@dataclass(frozen=True)
class _Compiled:
    strong: re.Pattern[str]
    weak: re.Pattern[str]
    neutral: re.Pattern[str]
    weak_idioms: re.Pattern[str]
    coordinator: re.Pattern[str] | None
    subordinator: re.Pattern[str] | None
    spaced: bool


@cache
def _compiled(language: str) -> _Compiled | None:
    m = markers(language)
    if m is None:
        return None

    def one(patterns: tuple[str, ...], anchored: bool = False) -> re.Pattern[str]:
        body = "|".join(f"(?:{p})" for p in patterns) or r"(?!x)x"
        if m.spaced:
            body = rf"(?<!\S)(?:{body})(?!\S)"
        return re.compile(("^ *" if anchored else "") + f"(?:{body})")

    return _Compiled(
        one(m.strong), one(m.weak + ("≈",)), one(m.neutral), one(m.weak_idioms),
        one(m.coordinators) if m.coordinators else None,
        one(m.subordinators, anchored=True) if m.subordinators else None, m.spaced)


_APOSTROPHES = re.compile("[’ʼ‘`]")
_NOT = re.compile(r"n't\b")
_AR_PREFIX = re.compile(r"(?<!\S)([وف])(لا|لم|لن|ليس\w*)(?!\S)")
_SPACES = re.compile(" +")


def _normal(text: str, language: str) -> str:
    """One form to match in: NFKC, lower case, no markup, no placeholders."""
    text = unicodedata.normalize("NFKC", _TAGS.sub(" ", text)).casefold()
    text = _APOSTROPHES.sub("'", text)
    language = language.split("_")[0]   # ar_EG is written as ar
    if language == "en":
        text = _NOT.sub(" not", text).replace("cannot", "can not")
    if language == "ar":
        text = _HARAKAT.sub("", text)
        # "and not", "so not" are written as one word: ولا, فلم
        text = _AR_PREFIX.sub(r"\1 \2", text)
    return text


@lru_cache(maxsize=8192)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences of a text, split where a reader would stop."""
    text = unicodedata.normalize("NFKC", _MARKUP.sub("", text)).strip()
    out, start = [], 0
    for m in _END.finditer(text):
        if m.end() >= len(text):
            break
        if m[0][0] in ".!?…":   # not after "z. B.", "Réf.", nor before a small letter
            word = re.search(r"(\w+)$", text[start:m.start()])
            if text[m.end()].islower() or word and (
                    len(word[1]) == 1 and word[1].isalpha()
                    or word[1].lower() in _ABBREVIATIONS):
                continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    return (*out, rest) if rest else tuple(out)


@lru_cache(maxsize=8192)   # the same English is looked at for every locale
def _prepared(text: str, language: str, c: _Compiled) -> str:
    """The text as matched: tokens (spaced languages), neutral markers taken out,
    weak idioms turned into a weak mark."""
    text = _normal(text, language)
    if c.spaced:
        text = " " + " ".join(_TOKEN.findall(text)) + " "
    text = c.weak_idioms.sub(" ≈ ", c.neutral.sub(" ~ ", text))
    return _SPACES.sub(" ", text) if c.spaced else text


def _level(prepared: str, c: _Compiled) -> int:
    if c.strong.search(prepared):
        return STRONG
    return WEAK if c.weak.search(prepared) else NONE


def polarity(text: str, language: str) -> int | None:
    """NONE, WEAK or STRONG; None for a language without curated markers."""
    c = _compiled(language)
    return None if c is None else _level(_prepared(text, language, c), c)


def found(text: str, language: str) -> str:
    """The negation markers of a text, as they were matched (for messages)."""
    c = _compiled(language)
    if c is None:
        return ""
    prepared = _prepared(text, language, c)
    return " ".join(dict.fromkeys(m[0].strip() for m in c.strong.finditer(prepared)))


@dataclass(frozen=True)
class Lead:
    """The first main clause of a sentence: what a negation there governs."""
    clause: str          # its text (tokens), for messages
    level: int           # its polarity
    coordinator: str     # the word that ends it


def lead(sentence: str, language: str) -> Lead | None:
    """The first main clause of a sentence that has more than one, else None.

    "Do not lift heavy things or do hard exercise": the negation leads, and
    covers what the coordinator adds. A translation whose first clause is
    positive and whose negation comes only after "and" ("Soulevez des objets
    lourds et ne faites pas ...") now tells the patient to do the first thing.
    A conditional opening ("If ..., do not ...") is skipped to its comma.
    """
    c = _compiled(language)
    if c is None or c.coordinator is None:
        return None
    text = _prepared(sentence, language, c)
    if c.subordinator is not None and c.subordinator.match(text):
        comma = re.search(r"[,،]", text)
        if comma:
            text = text[comma.end():]
    m = next((m for m in c.coordinator.finditer(text) if text[:m.start()].strip(" ,")),
             None)
    if m is None:
        return None
    head = text[:m.start()]
    clause = " ".join(t for t in head.split() if t not in ("~", "≈")) if c.spaced else \
        head.strip()
    return Lead(clause, _level(head, c), m[0].strip())


@dataclass(frozen=True)
class Mismatch:
    """Where a translation's polarity differs from its English, in words."""
    lost: bool           # True: the English negates and the translation does not
    message: str


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[:limit - 1] + "…"}"'


def mismatch(english: str, translation: str, language: str) -> Mismatch | None:
    """How a translation's polarity differs from its English, or None.

    Sentence by sentence when both have as many sentences (a negation moved
    to another sentence is caught), else the whole text; then, in a sentence
    whose English leads with a negation over clauses joined by "and"/"or",
    whether the translation's first clause is negated too.
    """
    if _compiled(language) is None:
        return None
    pairs = list(zip(sentences(english), sentences(translation), strict=False))
    if len(pairs) != len(sentences(english)) or len(pairs) != len(sentences(translation)):
        pairs = [(english, translation)]
    many = len(pairs) > 1
    for n, (en, tr) in enumerate(pairs, 1):
        a, b = polarity(en, "en"), polarity(tr, language)
        where = f"sentence {n} of " if many else ""
        if a == STRONG and b == NONE:
            return Mismatch(True, f"{where}the English is negative "
                            f"({_quote(found(en, 'en'))}), the translation is not: {_quote(tr)}")
        if a == NONE and b == STRONG:
            return Mismatch(False, f"{where}the translation is negative "
                            f"({_quote(found(tr, language))}), the English is not: {_quote(en)}")
        head, other = lead(en, "en"), lead(tr, language)
        if head and other and head.level == STRONG and other.level == NONE and b != NONE:
            return Mismatch(True, f"{where}the English negates its first clause "
                            f"({_quote(head.clause)}); the translation's negation comes only "
                            f"after {other.coordinator!r}, so {_quote(other.clause)} is not "
                            "negated")
    return None
