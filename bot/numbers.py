"""The project's one parser for numbers that people type, in Russian or English.

Everything that reads an amount from a user — the questionnaire, goal extraction, check-ins —
goes through this module, so «1 200», «1,5к», «3 тыс», «2.5k», «полторы тысячи» and
"twelve hundred" mean the same thing everywhere. Formats and suffixes follow
docs/goal-spec.md §2.

Three levels are offered:

* :func:`parse_number` reads one standalone amount («2,5 млн», "50%").
* :func:`read_number` reads the same amount and says how it was written: plain digits
  (``literal``, stored as typed) or words, suffixes, fractions, inverted order and ranges, which
  the questionnaire and the goal dialog echo back («20 000 ₽ — верно?») before storing.
* :func:`find_numbers` finds every number inside a sentence, with its span and whether it was
  written as a percent or with a currency, for the goal extractor.

Both work on text prepared by :func:`normalize_text` (lower case, «ё» → «е», one kind of space
and dash), which keeps every character at its index so spans stay valid. The number words are
searched with :func:`word_alternation`, which the goal scanners share, since every module that
reads typed text sits above this one.

Words count in every case and gender («двадцати», «двухстах», «одну»), with fractions of a
multiplier («четверть миллиона», «треть миллиона» = 333 333, "a quarter of a million") and the
inverted Russian order that means "about" («тысяч двадцать» ≈ 20 000). A range reads as its lower
end with the multiplier applied to both ends («10–15 тысяч» → 10 000, up to 15 000): the amount
one can count on, for a budget as for a goal; the echo shows the reading so the person can say
otherwise.

This module only reads numbers: it never decides what a number means (target, budget, date);
that is the caller's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final

__all__ = [
    "CURRENCIES",
    "Money",
    "NumberMention",
    "NumberReading",
    "currency_near",
    "find_numbers",
    "normalize_text",
    "parse_money",
    "parse_number",
    "read_number",
    "word_alternation",
]

# Characters mapped one-to-one so that indexes in the normalized text match the original.
_CHAR_MAP: Final = str.maketrans(
    {
        "ё": "е",
        "Ё": "е",
        "\u00a0": " ",  # no-break space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
        "\u2007": " ",  # figure space
        "\t": " ",
        "\n": " ",
        "\r": " ",
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2212": "-",  # minus sign
        "\u2011": "-",  # non-breaking hyphen
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u2019": "'",
        "\u2018": "'",
        "\u00d7": "x",  # multiplication sign, as in «×2»
    }
)

_MAPPED_RE: Final = re.compile("[" + re.escape("".join(map(chr, _CHAR_MAP))) + "]")


def normalize_text(text: str) -> str:
    """Lower-case and unify spaces, dashes, quotes and «ё», keeping every index in place.

    Matching is then done once, case-insensitively, on the result; keeping the length lets a
    caller look at the original text at the same span when case matters (e.g. "OK" vs «ок»).
    """
    mapped = text.translate(_CHAR_MAP) if _MAPPED_RE.search(text) else text  # rarely needed
    lowered = mapped.lower()
    if len(lowered) == len(mapped):
        return lowered
    # A few characters (e.g. "İ") grow when lower-cased; keep those as they are.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in mapped)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number found in normalized text, with what was written right next to it."""

    value: float
    start: int
    end: int
    percent: bool
    currency: str | None  # "rub", "usd" or None


# --- word lists as regexes ---------------------------------------------------------------


def word_alternation(words: Iterable[str]) -> str:
    """One regex matching the longest of ``words`` at a position, written as a prefix tree.

    It matches exactly what ``"|".join(words sorted longest first)`` does, but ``re`` then
    checks each character once per tree level instead of once per word, which matters when
    a few hundred words are searched in every goal.
    """
    tree: dict[str, dict[str, object]] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})  # type: ignore[assignment]
        node[""] = {}  # the word ends here
    return _tree_pattern(tree)


def _tree_pattern(node: dict[str, dict[str, object]]) -> str:
    ends_here = "" in node
    branches = [
        re.escape(char) + _tree_pattern(child)  # type: ignore[arg-type]
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if not ends_here:
        return body
    return ("(?:" + body + ")" if len(branches) == 1 and len(body) > 1 else body) + "?"


# --- digits ---------------------------------------------------------------------------------

_THOUSAND_WORDS: Final = r"тысяч(?:а|и|у|е|ей|ами|ам|ах)?|тыс\.?|тыщ(?:а|и|у)?|thousands?|grand"
_MILLION_WORDS: Final = (
    r"миллион(?:а|ов|ом|ами|ам|ах)?|млн\.?|лям(?:а|ов)?|лимон(?:а|ов)?|millions?|mln|mio"
)
_BILLION_WORDS: Final = r"миллиард(?:а|ов)?|млрд\.?|billions?|bn"
_HUNDRED_WORDS: Final = r"сот(?:ня|ни|ню|нями|ен)|hundreds?"

_DIGITS_RE: Final = re.compile(
    r"""
    (?<![\w])(?<!\d[.,])
    (?P<num>
        \d{1,3}(?:\ \d{3})+(?!\d)(?:[.,]\d+)?     # 20 000, 1 200,5
      | \d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?      # 3,000 (English grouping)
      | \d+(?:[.,]\d+)?                            # 1,5  1.5  700
    )
    (?P<half>\ с\ половиной)?
    (?:
        \ ?(?P<rub_k>т\.?\ ?р\.?|тр|тыр|косар(?:ь|я|ей|и))(?![\w])  # 50 т.р. = 50 000 rub
      | \ ?(?P<word>"""
    + _THOUSAND_WORDS
    + "|"
    + _MILLION_WORDS
    + "|"
    + _BILLION_WORDS
    + "|"
    + _HUNDRED_WORDS
    + r""")(?![a-zа-я0-9])
      | (?P<letter>кк|kk|к|k|m)(?![a-zа-я0-9])                      # 5к, 2k, $2m
      | \ (?P<spaced>к|k)(?=\ ?(?:$|[.,;:!?)]))                 # «до 5 к.» but not «5 к концу»
    )?
    """,
    re.VERBOSE,
)

_WORD_MULTIPLIERS: Final[tuple[tuple[re.Pattern[str], float], ...]] = (
    (re.compile(r"(?:" + _THOUSAND_WORDS + r")$"), 1_000.0),
    (re.compile(r"(?:" + _MILLION_WORDS + r")$"), 1_000_000.0),
    (re.compile(r"(?:" + _BILLION_WORDS + r")$"), 1_000_000_000.0),
    (re.compile(r"(?:" + _HUNDRED_WORDS + r")$"), 100.0),
)
_ENGLISH_GROUPING_RE: Final = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LETTER_MULTIPLIERS: Final = {
    "к": 1_000.0,
    "k": 1_000.0,
    "m": 1_000_000.0,
    "кк": 1_000_000.0,
    "kk": 1_000_000.0,
}

# --- what is written right after (or before) a number ---------------------------------------

_TAIL_RE: Final = re.compile(
    r"""
    \ ?(?:
        (?P<pct>%|процент\w*|проц\b\.?|percent\w*|pct\b|п\.\ ?п\.?|pp\b)
      | (?P<rub>₽|руб\w*\.?|рубл\w*|р\.|р\b|rub\b|rur\b|r?oubles?\b|rubles?\b)
      | (?P<usd>\$|usd\b|us\$|dollars?\b|долл\w*|бакс\w*|bucks\b)
    )
    """,
    re.VERBOSE,
)
# What a currency written before a number («$2m», "usd 500", «₽ 300») leaves right before it.
_USD_BEFORE: Final = ("$", "us$ ", "usd", "usd ")
_RUB_BEFORE: Final = ("₽", "₽ ", "rub", "rub ")

# --- number words ---------------------------------------------------------------------------

_NUM, _HUNDRED, _BIG, _HALF, _FRACTION = "num", "hundred", "big", "half", "fraction"


def _forms(value: float, kind: str, *words: str) -> dict[str, tuple[float, str]]:
    return {w: (value, kind) for w in words}


_WORDS: Final[dict[str, tuple[float, str]]] = {
    **_forms(0, _NUM, "ноль", "нуль", "нуля", "нулю", "zero"),
    **_forms(1, _NUM, "один", "одна", "одно", "одну", "одного", "одной", "одному", "одним"),
    **_forms(2, _NUM, "два", "две", "двух", "двум", "двумя", "two", "пару", "пара"),
    **_forms(3, _NUM, "три", "трех", "трем", "тремя", "three"),
    **_forms(4, _NUM, "четыре", "четырех", "четырем", "четырьмя", "four"),
    **_forms(5, _NUM, "пять", "пяти", "пятью", "five"),
    **_forms(6, _NUM, "шесть", "шести", "шестью", "six"),
    **_forms(7, _NUM, "семь", "семи", "семью", "seven"),
    **_forms(8, _NUM, "восемь", "восьми", "восемью", "восьмью", "eight"),
    **_forms(9, _NUM, "девять", "девяти", "девятью", "nine"),
    **_forms(10, _NUM, "десять", "десяти", "десятью", "ten"),
    **_forms(11, _NUM, "одиннадцать", "одиннадцати", "одиннадцатью", "eleven"),
    **_forms(12, _NUM, "двенадцать", "двенадцати", "двенадцатью", "twelve"),
    **_forms(13, _NUM, "тринадцать", "тринадцати", "тринадцатью", "thirteen"),
    **_forms(14, _NUM, "четырнадцать", "четырнадцати", "четырнадцатью", "fourteen"),
    **_forms(15, _NUM, "пятнадцать", "пятнадцати", "пятнадцатью", "fifteen"),
    **_forms(16, _NUM, "шестнадцать", "шестнадцати", "шестнадцатью", "sixteen"),
    **_forms(17, _NUM, "семнадцать", "семнадцати", "семнадцатью", "seventeen"),
    **_forms(18, _NUM, "восемнадцать", "восемнадцати", "восемнадцатью", "eighteen"),
    **_forms(19, _NUM, "девятнадцать", "девятнадцати", "девятнадцатью", "nineteen"),
    **_forms(20, _NUM, "двадцать", "двадцати", "двадцатью", "twenty"),
    **_forms(30, _NUM, "тридцать", "тридцати", "тридцатью", "thirty"),
    **_forms(40, _NUM, "сорок", "сорока", "forty", "fourty"),
    **_forms(50, _NUM, "пятьдесят", "пятидесяти", "пятьюдесятью", "fifty", "полсотни"),
    **_forms(60, _NUM, "шестьдесят", "шестидесяти", "шестьюдесятью", "sixty"),
    **_forms(70, _NUM, "семьдесят", "семидесяти", "семьюдесятью", "seventy"),
    **_forms(80, _NUM, "восемьдесят", "восьмидесяти", "восемьюдесятью", "eighty"),
    **_forms(90, _NUM, "девяносто", "девяноста", "ninety"),
    **_forms(100, _NUM, "сто", "ста"),
    **_forms(200, _NUM, "двести", "двухсот", "двумстам", "двумястами", "двухстах"),
    **_forms(300, _NUM, "триста", "трехсот", "тремстам", "тремястами", "трехстах"),
    **_forms(400, _NUM, "четыреста", "четырехсот", "четыремстам", "четырехстах"),
    **_forms(500, _NUM, "пятьсот", "пятисот", "пятистам", "пятистах", "пятьюстами"),
    **_forms(600, _NUM, "шестьсот", "шестисот", "шестистам", "шестистах"),
    **_forms(700, _NUM, "семьсот", "семисот", "семистам", "семистах"),
    **_forms(800, _NUM, "восемьсот", "восьмисот", "восьмистам", "восьмистах"),
    **_forms(900, _NUM, "девятьсот", "девятисот", "девятистам", "девятистах"),
    **_forms(500_000, _NUM, "полмиллиона", "пол-миллиона", "пол миллиона"),
    **_forms(500_000, _NUM, "полляма", "пол-ляма", "пол ляма"),
    **_forms(500_000, _NUM, "half a million", "half million"),
    **_forms(500, _NUM, "полтысячи", "пол-тысячи", "пол тысячи", "полтыщи", "пол-тыщи"),
    **_forms(500, _NUM, "half a thousand"),
    **_forms(1.5, _NUM, "полторы", "полтора", "полутора"),
    **_forms(1, _NUM, "a"),
    # Counted like hundreds: «два десятка» = 20, "two dozen" = 24.
    **_forms(10, _HUNDRED, "десяток", "десятка", "десятков", "десятки"),
    **_forms(12, _HUNDRED, "dozen", "dozens", "дюжина", "дюжину", "дюжины"),
    **_forms(100, _HUNDRED, "сотня", "сотни", "сотню", "сотен", "сотней", "hundred", "hundreds"),
    **_forms(1_000, _BIG, "тысяча", "тысячи", "тысяч", "тысячу", "тысячей", "thousand"),
    **_forms(1_000, _BIG, "тысячам", "тысячами", "тысячах"),
    **_forms(1_000, _BIG, "thousands", "тыщ", "тыща", "тыщи", "тыщу", "тыс"),
    **_forms(1_000_000, _BIG, "миллион", "миллиона", "миллионов", "million", "millions"),
    **_forms(1_000_000, _BIG, "миллионам", "миллионами", "миллионах"),
    **_forms(1_000_000, _BIG, "млн", "лям", "ляма", "лямов"),
    **_forms(1_000_000_000, _BIG, "миллиард", "миллиарда", "миллиардов", "billion"),
    **_forms(0.5, _HALF, "с половиной", "and a half"),
}

#: Fractions of a multiplier. They count only right before one («четверть миллиона», "a third of
#: a million"): alone, «на треть» is a share and "third" an ordinal, not amounts.
_FRACTIONS: Final[dict[str, tuple[float, str]]] = {
    **_forms(0.25, _FRACTION, "четверть", "четверти", "четвертью", "quarter", "quarters"),
    **_forms(1 / 3, _FRACTION, "треть", "трети", "третью", "third", "thirds"),
}
_MULTIPLIER_AHEAD: Final = (
    r"(?= (?:of (?:a )?)?(?:миллиард|миллион|млн|лям|тысяч|тыс|тыщ|сот|million|thousand"
    r"|hundred|billion))"
)

#: Multiplier words in the form that follows a count («пять тысяч», «два миллиона»). Put first,
#: they invert the order and mean "about": «тысяч двадцать» ≈ 20 000, «сотни три» ≈ 300; the
#: singular («тысяча двадцать» = 1 020) does not.
_COUNTED_FORMS: Final = frozenset(
    {"тысяч", "тысячи", "тыс", "тыщ", "тыщи", "миллиона", "миллионов", "млн", "ляма", "лямов"}
    | {"миллиарда", "миллиардов", "сотни", "сотен"}
)

# "a" counts only as "a hundred / a thousand ..."; "one" only as part of a bigger number, since
# "one of our goals" is not a goal of 1. The words are searched in every goal, so as a prefix tree.
_WORD_ALT: Final = word_alternation(w for w in _WORDS if w != "a")
_FRACTION_ALT: Final = word_alternation(_FRACTIONS)
_WORD_TOKEN: Final = (
    r"(?:\b(?:" + _WORD_ALT + r")\b"
    r"|\b(?:" + _FRACTION_ALT + r")\b" + _MULTIPLIER_AHEAD + r""
    r"|\ba(?= (?:hundred|thousand|million|dozen)\b)"
    r"|\ba(?= (?:quarter|third)s?\b" + _MULTIPLIER_AHEAD + r")"
    r"|\bone(?= (?:hundred|thousand|million|and a half)\b))"
)
_WORD_JOINER: Final = r"(?: and | |-| of (?:a )?(?=(?:million|thousand|hundred|billion)\b))"
_WORD_RUN_RE: Final = re.compile(_WORD_TOKEN + r"(?:" + _WORD_JOINER + _WORD_TOKEN + r")*")
_WORD_TOKEN_RE: Final = re.compile(_WORD_TOKEN)
_OF_A_RE: Final = re.compile(r" of (?:a )?")  # "a quarter of a million": "a" is not one here
_ONE_WORDS: Final = {"one": (1.0, _NUM)}


def _token(token: str) -> tuple[float, str]:
    return _WORDS.get(token) or _FRACTIONS.get(token) or _ONE_WORDS[token]


def _word_value(run: str) -> float | None:
    """Combine number words the way people say them: «две с половиной тысячи» = 2500."""
    tokens = _WORD_TOKEN_RE.findall(_OF_A_RE.sub(" ", run))
    inverted = _inverted_value(tokens)
    if inverted is not None:
        return inverted
    total = 0.0
    current = 0.0
    last_big = 0.0
    has_number = False
    fraction = False
    for token in tokens:
        value, kind = _token(token)
        if kind == _NUM:
            current += value
            has_number = True
        elif kind == _HALF:
            if current == 0 and last_big:  # "a million and a half"
                total += value * last_big
            else:
                current += value
        elif kind == _FRACTION:
            current = (current or 1.0) * value
            fraction = True
        elif kind == _HUNDRED:
            current = (current or 1.0) * value
            has_number = True
        else:
            total += (current or 1.0) * value
            current = 0.0
            last_big = value
            has_number = True
    if not has_number:
        return None
    # A third of a million is 333 333 people or roubles, not a fraction of one.
    return float(round(total + current)) if fraction else total + current


def _run_numbers(run: re.Match[str]) -> list[tuple[int, int, float]]:
    """The numbers in one run of number words, with their spans: usually one, but «три-четыре»
    and «двадцать-тридцать тысяч» are two (a range; the multiplier then applies to both)."""
    numbers: list[tuple[int, int, float]] = []
    multipliers: list[float | None] = []
    for start, end in _word_segments(run.group()):
        text = run.group()[start:end]
        value = _word_value(text)
        if value is not None:
            numbers.append((run.start() + start, run.start() + end, value))
            multipliers.append(_first_multiplier(text))
    for index in range(len(numbers) - 1):
        (start, end, low), (_, _, high) = numbers[index], numbers[index + 1]
        multiplier = multipliers[index + 1]
        if multipliers[index] is None and multiplier is not None and low < high / multiplier:
            numbers[index] = (start, end, low * multiplier)
    return numbers


def _word_segments(run: str) -> list[tuple[int, int]]:
    """Split a run where a count cannot go on: «двадцать пять» is one number, «три четыре» two."""
    segments: list[tuple[int, int]] = []
    segment_start = previous_end = 0
    group = 0.0  # the count said since the last multiplier
    for match in _WORD_TOKEN_RE.finditer(run):
        if match.group() == "a" and run.endswith(" of ", 0, match.start()):
            continue  # "a quarter of a million"
        value, kind = _token(match.group())
        if kind == _NUM:
            if group and not _continues(group, value):
                segments.append((segment_start, previous_end))
                segment_start, group = match.start(), 0.0
            group += value
        elif kind in (_HUNDRED, _FRACTION):
            group = (group or 1.0) * value
        elif kind == _BIG:
            group = 0.0
        previous_end = match.end()
    segments.append((segment_start, previous_end))
    return segments


def _continues(group: float, value: float) -> bool:
    """A count goes on with a smaller place: 20 + 5, 100 + 20, 120 + 5 — but not 3 + 4."""
    if not group.is_integer():
        return False
    place = 1
    while int(group) % (place * 10) == 0:
        place *= 10
    return value < place


def _first_multiplier(text: str) -> float | None:
    for token in _WORD_TOKEN_RE.findall(_OF_A_RE.sub(" ", text)):
        value, kind = _token(token)
        if kind == _BIG:
            return value
    return None


def _inverted_value(tokens: list[str]) -> float | None:
    """«тысяч двадцать пять» = 25 000: a counted multiplier first, then a count smaller than it."""
    if len(tokens) < 2 or tokens[0] not in _COUNTED_FORMS:
        return None
    multiplier = _WORDS[tokens[0]][0]
    count = 0.0
    for token in tokens[1:]:
        value, kind = _token(token)
        if kind not in (_NUM, _HALF):
            return None
        count += value
    if not 0 < count < multiplier:
        return None
    return count * multiplier


def _digits_value(match: re.Match[str]) -> float:
    return _bare(match) * (_multiplier(match) or 1.0)


def _with_tail(
    norm: str, value: float, start: int, end: int, currency: str | None
) -> NumberMention:
    """Attach a following %, ₽ or $ (or a leading $) to a number found at [start, end)."""
    percent = False
    tail = _TAIL_RE.match(norm, end)
    if tail:
        end = tail.end()
        if tail.group("pct"):
            percent = True
        elif tail.group("rub"):
            currency = "rub"
        else:
            currency = "usd"
    if currency is None:
        before = norm[max(0, start - 4) : start]
        if before.endswith(_USD_BEFORE):
            currency = "usd"
        elif before.endswith(_RUB_BEFORE):
            currency = "rub"
    return NumberMention(value, start, end, percent, currency)


# What stands between the two ends of a range: «10–15», «от 10 до 15», "5 to 10", "between 5 and 10".
_RANGE_GAP_RE: Final = re.compile(r" ?- ?| (?:до|по|to|and) ")
_RANGE_START_RE: Final = re.compile(r"(?:^|\s)(?:от|from|between)\s*$")
# «тысяч двадцать», «тысяч 20»: a counted multiplier first, then the count.
_INVERTED_START_RE: Final = re.compile(
    r"(?:" + word_alternation(_COUNTED_FORMS) + r") (?:\d|" + _WORD_ALT + r")"
)


def find_numbers(norm: str) -> list[NumberMention]:
    """Every number in ``norm`` (already passed through :func:`normalize_text`), in text order.

    Digits with their suffixes («2,5 млн», "3.5k", «50 т.р.») and runs of number words
    («полторы сотни», "twelve hundred") are both found; words already covered by a digit
    mention («5 тысяч») are not counted twice. A multiplier written once for two numbers
    («10–15 тысяч», «с 10 до 15 тысяч») applies to both, and a counted multiplier right before
    bare digits («тысяч 20») multiplies them.
    """
    matches = list(_DIGITS_RE.finditer(norm))
    found: list[NumberMention] = []
    for match in matches:
        currency = "rub" if match.group("rub_k") else None
        found.append(_with_tail(norm, _digits_value(match), match.start(), match.end(), currency))
    _share_multipliers(norm, matches, found)
    taken = [(m.start, m.end) for m in found]
    words_found = False
    for run in _WORD_RUN_RE.finditer(norm):
        if any(s < run.end() and run.start() < e for s, e in taken):
            continue
        for start, end, value in _run_numbers(run):
            found.append(_with_tail(norm, value, start, end, None))
            words_found = True
    if words_found:
        found.sort(key=lambda m: m.start)
        found = _merge_inverted_digits(norm, found)
    return found


def _multiplier(match: re.Match[str]) -> float | None:
    """The multiplier written after a digit match («тысяч», "k", «т.р.»), None when bare."""
    if match.group("rub_k"):
        return 1_000.0
    word = match.group("word")
    if word:
        return next(mult for pattern, mult in _WORD_MULTIPLIERS if pattern.match(word))
    letter = match.group("letter") or match.group("spaced")
    return _LETTER_MULTIPLIERS[letter] if letter else None


def _bare(match: re.Match[str]) -> float:
    raw = match.group("num").replace(" ", "")
    if "," in raw and _ENGLISH_GROUPING_RE.fullmatch(raw):
        raw = raw.replace(",", "")
    return float(raw.replace(",", ".")) + (0.5 if match.group("half") else 0.0)


def _share_multipliers(norm: str, matches: list[re.Match[str]], found: list[NumberMention]) -> None:
    """«10–15 тысяч»: the lower end is in thousands too, when it is smaller than the upper one."""
    for index in range(len(matches) - 1):
        low, high = matches[index], matches[index + 1]
        multiplier = _multiplier(high)
        if multiplier is None or _multiplier(low) is not None or low.group("half"):
            continue
        if not _RANGE_GAP_RE.fullmatch(norm, found[index].end, high.start()):
            continue
        if _bare(low) < _bare(high):
            found[index] = replace(found[index], value=found[index].value * multiplier)


def _merge_inverted_digits(norm: str, found: list[NumberMention]) -> list[NumberMention]:
    """«тысяч 20» = 20 000: a counted multiplier word alone, then bare digits."""
    merged: list[NumberMention] = []
    skip = False
    for index, mention in enumerate(found):
        if skip:
            skip = False
            continue
        following = found[index + 1] if index + 1 < len(found) else None
        word = norm[mention.start : mention.end].strip()
        if (
            following is not None
            and word in _COUNTED_FORMS
            and norm[mention.end : following.start] == " "
            and _bare_digits_at(norm, following)
        ):
            multiplier = _WORDS[word][0]
            merged.append(
                replace(following, value=following.value * multiplier, start=mention.start)
            )
            skip = True
            continue
        merged.append(mention)
    return merged


def _bare_digits_at(norm: str, mention: NumberMention) -> bool:
    match = _DIGITS_RE.match(norm, mention.start)
    return match is not None and _multiplier(match) is None and not match.group("half")


@dataclass(frozen=True, slots=True)
class NumberReading:
    """One amount typed on its own, with how it was written.

    ``literal`` is plain digits («20 000», "1,200", "1.5", «-3», "$600"): stored as typed.
    Anything else — words, suffixes («20к»), fractions, inverted order, a range — is echoed back
    for a confirmation before it is stored.
    ``approximate`` marks inverted order and ranges; ``upper`` is a range's upper end;
    ``percent`` says a percent sign or word followed it («двадцать процентов»).
    """

    value: float
    literal: bool
    approximate: bool
    upper: float | None = None
    percent: bool = False


def read_number(text: str) -> NumberReading | None:
    """Read one amount and say whether it was plain digits; ``None`` when there is no number.

    A range («10–15 тысяч», «от 3 до 5», "5 to 10 thousand") reads as its lower end; see the
    module's docstring for why.
    """
    norm = normalize_text(text)
    numbers = find_numbers(norm)
    if not numbers:
        return None
    first = numbers[0]
    sign = -1.0 if norm[: first.start].strip() in {"-", "- $", "-$"} else 1.0
    upper = None
    if len(numbers) > 1 and _RANGE_GAP_RE.fullmatch(norm, first.end, numbers[1].start):
        second = numbers[1]
        dash = "-" in norm[first.end : second.start]
        opened = bool(_RANGE_START_RE.search(norm, 0, first.start))
        if (
            dash or opened or " to " in norm[first.end : second.start]
        ) and second.value > first.value:
            upper = second.value
    inverted = bool(_INVERTED_START_RE.match(norm, first.start))
    return NumberReading(
        value=sign * first.value,
        literal=upper is None and _is_literal(norm, first),
        approximate=upper is not None or inverted,
        upper=upper,
        percent=first.percent,
    )


def _is_literal(norm: str, mention: NumberMention) -> bool:
    """Plain digits (grouped either way, «20 000» or "20,000"): no words, no suffix, no multiplier
    shared from a range."""
    match = _DIGITS_RE.match(norm, mention.start)
    if match is None or _multiplier(match) is not None or match.group("half"):
        return False
    return _digits_value(match) == mention.value


def parse_number(text: str) -> float | None:
    """Read one amount typed on its own: «1 200», «1,5к», "3.5k", «полторы тысячи», "50%" → 50.

    The first number in the text wins, so "about 5k followers" still reads as 5000; a leading
    minus makes it negative (a check-in may report a drop). ``None`` when there is no number.
    """
    norm = normalize_text(text)
    numbers = find_numbers(norm)
    if not numbers:
        return None
    first = numbers[0]
    if norm[: first.start].strip() in {"-", "- $", "-$"}:
        return -first.value
    return first.value


# --- money ----------------------------------------------------------------------------------

#: ISO codes of the currencies people write budgets and money targets in, with their signs.
CURRENCIES: Final = ("RUB", "USD", "EUR", "KZT", "BYN", "UAH")

# One alternation per currency: signs, codes and the words (all cases) in both languages.
# BYN comes before RUB so that «бел. руб.» is not read as roubles.
_CURRENCY_WORDS: Final = (
    (
        "BYN",
        r"br\b|byn\b|byr\b|бел\.?\s?руб\w*\.?|белорусск\w*\s+рубл\w*|belarusian\s+roubles?"
        r"|belarusian\s+rubles?",
    ),
    ("RUB", r"₽|руб\w*\.?|рубл\w*|р\.|р\b|rub\b|rur\b|r?oubles?\b|rubles?\b|т\.\s?р\.?"),
    ("USD", r"\$|usd\b|us\$|dollars?\b|долл\w*\.?|бакс\w*|bucks\b"),
    ("EUR", r"€|eur\b|euros?\b|евро\b"),
    ("KZT", r"₸|kzt\b|тенге\b|tenge\b"),
    ("UAH", r"₴|uah\b|грн\.?|гривн\w*|hryvni?as?\b"),
)
_CURRENCY_RE: Final = re.compile(
    "|".join(f"(?P<{code}>{pattern})" for code, pattern in _CURRENCY_WORDS)
)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount with the currency it was written in (ISO 4217), or ``None`` when none was."""

    amount: float
    currency: str | None


def currency_near(norm: str, start: int, end: int) -> str | None:
    """The currency written right after ``[start, end)`` or right before it, if any.

    ``norm`` is normalized text; «5 000 ₽», «$600», «300 евро», «20 тыс. тенге», «EUR 900» all
    name theirs. Words further away are not read: a sentence may hold a price and a budget.
    """
    after = _CURRENCY_RE.match(norm, end + (1 if norm[end : end + 1] == " " else 0))
    if after:
        return after.lastgroup
    before = norm[max(0, start - 8) : start].rstrip()
    for m in _CURRENCY_RE.finditer(before):
        if m.end() == len(before):
            return m.lastgroup
    return None


def parse_money(text: str) -> Money | None:
    """Read an amount of money typed on its own: «20 000 ₽», "$600", «300 евро», «50 т.р.».

    The amount is :func:`parse_number`'s; the currency is the one written beside it (or anywhere
    in the text when the answer holds a single number, as in «тенге 150 тыс.»), ``None`` when
    none is written — the caller decides what to assume and says so, never silently.
    """
    amount = parse_number(text)
    if amount is None:
        return None
    norm = normalize_text(text)
    numbers = find_numbers(norm)
    first = numbers[0]
    currency = currency_near(norm, first.start, first.end)
    if currency is None and first.currency is not None:
        currency = first.currency.upper()
    if currency is None and len(numbers) == 1:
        found = _CURRENCY_RE.search(norm)
        currency = found.lastgroup if found else None
    return Money(amount, currency)
