"""Numbers people type in words, suffixes, fractions and ranges (issue #14, item 5).

The table was written from how people actually write amounts in Russian and English chats,
before the parser was extended; each row is (text, value, literal). ``literal`` is True only
for plain digits, which are stored without asking; everything else is echoed back for a
one-tap confirmation.
"""

from __future__ import annotations

import pytest

from bot.numbers import find_numbers, normalize_text, parse_number, read_number

# (text, value, literal)
TABLE: list[tuple[str, float, bool]] = [
    # plain digits: stored as typed, no echo
    ("20000", 20_000, True),
    ("20 000", 20_000, True),
    ("20\u00a0000", 20_000, True),
    ("1 200 500", 1_200_500, True),
    ("1,5", 1.5, True),
    ("1.5", 1.5, True),
    ("0", 0, True),
    ("700", 700, True),
    ("+700", 700, True),
    ("-3", -3, True),
    ("30 000 ₽", 30_000, True),
    ("$600", 600, True),
    ("600 руб.", 600, True),
    ("50%", 50, True),
    ("около 400", 400, True),
    ("примерно 1 500", 1_500, True),
    # English grouping is plain digits too (the goal spec's list of formats)
    ("1,500", 1_500, True),
    ("3,000", 3_000, True),
    ("1,200,000", 1_200_000, True),
    # digit suffixes
    ("20к", 20_000, False),
    ("20 к", 20_000, False),
    ("20k", 20_000, False),
    ("20K", 20_000, False),
    ("2.5k", 2_500, False),
    ("2,5к", 2_500, False),
    ("2,5 тыс.", 2_500, False),
    ("2,5 тыс", 2_500, False),
    ("15 тыс. руб.", 15_000, False),
    ("20 тысяч", 20_000, False),
    ("20 тысяч рублей", 20_000, False),
    ("5 тыщ", 5_000, False),
    ("1.2 млн", 1_200_000, False),
    ("1,2 млн", 1_200_000, False),
    ("1.2m", 1_200_000, False),
    ("$2M", 2_000_000, False),
    ("1.5kk", 1_500_000, False),
    ("1,5кк", 1_500_000, False),
    ("3 ляма", 3_000_000, False),
    ("2 лимона", 2_000_000, False),
    ("10 тыр", 10_000, False),
    ("50 т.р.", 50_000, False),
    ("50 тр", 50_000, False),
    ("25 косарей", 25_000, False),
    ("3 млрд", 3_000_000_000, False),
    ("1.2 mln", 1_200_000, False),
    ("2 million", 2_000_000, False),
    ("5 thousand", 5_000, False),
    ("2 с половиной тысячи", 2_500, False),
    ("5 сотен", 500, False),
    # Russian cardinal words, every case and gender
    ("двадцать", 20, False),
    ("двадцати", 20, False),
    ("двадцатью", 20, False),
    ("один", 1, False),
    ("одна", 1, False),
    ("две", 2, False),
    ("двух", 2, False),
    ("пять", 5, False),
    ("пятью", 5, False),
    ("семи", 7, False),
    ("восьми", 8, False),
    ("одиннадцать", 11, False),
    ("пятнадцати", 15, False),
    ("сорок", 40, False),
    ("сорока", 40, False),
    ("пятьдесят", 50, False),
    ("пятидесяти", 50, False),
    ("девяносто", 90, False),
    ("сто", 100, False),
    ("ста", 100, False),
    ("сто пятьдесят", 150, False),
    ("двести", 200, False),
    ("двухсот", 200, False),
    ("двумстам", 200, False),
    ("двухстах", 200, False),
    ("триста", 300, False),
    ("трехсот", 300, False),
    ("трёхстах", 300, False),
    ("четыреста", 400, False),
    ("пятьсот", 500, False),
    ("пятисот", 500, False),
    ("пятистах", 500, False),
    ("семьсот пятьдесят", 750, False),
    ("девятьсот девяносто девять", 999, False),
    ("тысяча", 1_000, False),
    ("тысячу", 1_000, False),
    ("тысяча двести", 1_200, False),
    ("одна тысяча", 1_000, False),
    ("две тысячи", 2_000, False),
    ("двух тысяч", 2_000, False),
    ("три тысячи", 3_000, False),
    ("пять тысяч", 5_000, False),
    ("двадцать тысяч", 20_000, False),
    ("двадцати тысяч", 20_000, False),
    ("двадцать пять тысяч", 25_000, False),
    ("сто пятьдесят тысяч", 150_000, False),
    ("двести пятьдесят тысяч", 250_000, False),
    ("двухсот пятидесяти тысяч", 250_000, False),
    ("три тысячи пятьсот", 3_500, False),
    ("миллион", 1_000_000, False),
    ("два миллиона", 2_000_000, False),
    ("пять миллионов", 5_000_000, False),
    ("миллион двести тысяч", 1_200_000, False),
    ("три сотни", 300, False),
    ("пару тысяч", 2_000, False),
    ("десяток", 10, False),
    ("полторы тысячи", 1_500, False),
    ("полутора тысяч", 1_500, False),
    ("полтора миллиона", 1_500_000, False),
    ("полторы сотни", 150, False),
    ("три с половиной тысячи", 3_500, False),
    ("две с половиной тысячи", 2_500, False),
    ("два с половиной миллиона", 2_500_000, False),
    # fractions
    ("полмиллиона", 500_000, False),
    ("пол-миллиона", 500_000, False),
    ("пол миллиона", 500_000, False),
    ("полтысячи", 500, False),
    ("пол-тысячи", 500, False),
    ("полтыщи", 500, False),
    ("полсотни", 50, False),
    ("пол-ляма", 500_000, False),
    ("четверть миллиона", 250_000, False),
    ("четверть тысячи", 250, False),
    ("треть миллиона", 333_333, False),
    ("две трети миллиона", 666_667, False),
    ("три четверти миллиона", 750_000, False),
    # inverted order: an approximate amount
    ("тысяч двадцать", 20_000, False),
    ("тысяч двадцать пять", 25_000, False),
    ("тысячи три", 3_000, False),
    ("тысяч пять", 5_000, False),
    ("миллиона два", 2_000_000, False),
    ("миллиона полтора", 1_500_000, False),
    ("сотни три", 300, False),
    ("сотен пять", 500, False),
    ("тысяч 20", 20_000, False),
    ("тыс 15", 15_000, False),
    ("рублей тысяч двадцать", 20_000, False),
    # ranges: the lower end, the multiplier applying to both ends
    ("10–15 тысяч", 10_000, False),
    ("10-15 тысяч", 10_000, False),
    ("10 - 15 тыс.", 10_000, False),
    ("10-15к", 10_000, False),
    ("от 10 до 15 тысяч", 10_000, False),
    ("1-2 млн", 1_000_000, False),
    ("3–5", 3, False),
    ("20–30 тысяч рублей", 20_000, False),
    ("10-15k", 10_000, False),
    ("5 to 10 thousand", 5_000, False),
    ("три-четыре", 3, False),
    ("два-три раза в неделю", 2, False),
    ("двадцать-тридцать тысяч", 20_000, False),
    ("пять-шесть тысяч рублей", 5_000, False),
    # English words
    ("twenty", 20, False),
    ("twenty thousand", 20_000, False),
    ("twenty-five thousand", 25_000, False),
    ("a hundred", 100, False),
    ("a hundred and fifty", 150, False),
    ("one hundred fifty", 150, False),
    ("three hundred", 300, False),
    ("fifteen hundred", 1_500, False),
    ("twelve hundred", 1_200, False),
    ("a thousand", 1_000, False),
    ("two thousand five hundred", 2_500, False),
    ("a million", 1_000_000, False),
    ("two million", 2_000_000, False),
    ("one and a half million", 1_500_000, False),
    ("a million and a half", 1_500_000, False),
    ("two and a half thousand", 2_500, False),
    ("half a million", 500_000, False),
    ("a quarter million", 250_000, False),
    ("a quarter of a million", 250_000, False),
    ("a third of a million", 333_333, False),
    ("three quarters of a million", 750_000, False),
    ("a dozen", 12, False),
    ("ninety-nine", 99, False),
    ("seventy five", 75, False),
]


@pytest.mark.parametrize(("text", "value", "literal"), TABLE)
def test_reads_the_amount(text: str, value: float, literal: bool) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(("text", "value", "literal"), TABLE)
def test_says_whether_it_was_literal(text: str, value: float, literal: bool) -> None:
    reading = read_number(text)

    assert reading is not None
    assert reading.value == pytest.approx(value)
    assert reading.literal is literal


def test_the_table_is_broad() -> None:
    russian = [text for text, _, _ in TABLE if any("а" <= ch <= "я" for ch in text.lower())]
    assert len(TABLE) >= 120
    assert len(russian) >= 60


@pytest.mark.parametrize(
    "text",
    [
        "тысяч двадцать",
        "тысячи три",
        "тысяч 20",
        "10–15 тысяч",
        "от 10 до 15 тысяч",
        "3–5",
        "три-четыре",
        "двадцать-тридцать тысяч",
    ],
)
def test_inverted_order_and_ranges_are_approximate(text: str) -> None:
    reading = read_number(text)

    assert reading is not None
    assert reading.approximate


@pytest.mark.parametrize("text", ["20 000", "двадцать тысяч", "20к", "тысяча двадцать"])
def test_exact_amounts_are_not_approximate(text: str) -> None:
    reading = read_number(text)

    assert reading is not None
    assert not reading.approximate


def test_a_thousand_and_twenty_is_not_inverted() -> None:
    # «тысяча двадцать» is 1 020: the singular counts one thousand, it does not invert.
    assert parse_number("тысяча двадцать") == 1_020


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("10–15 тысяч", 10_000, 15_000),
        ("3–5", 3, 5),
        ("от 10 до 15 тысяч", 10_000, 15_000),
        ("два-три", 2, 3),
        ("двадцать-тридцать тысяч", 20_000, 30_000),
    ],
)
def test_a_range_keeps_both_ends(text: str, low: float, high: float) -> None:
    reading = read_number(text)

    assert reading is not None
    assert (reading.value, reading.upper) == (low, high)


@pytest.mark.parametrize(
    "text",
    [
        "увеличить продажи на треть",  # a share, not an amount: no number here
        "в третьем квартале",
        "a third of our posts",
        "четверть часа",
    ],
)
def test_fractions_alone_are_not_amounts(text: str) -> None:
    assert find_numbers(normalize_text(text)) == []


def test_from_to_scales_the_baseline_too() -> None:
    numbers = find_numbers(normalize_text("с 10 до 15 тысяч подписчиков"))
    assert [n.value for n in numbers] == [10_000, 15_000]


def test_from_to_keeps_a_baseline_bigger_than_the_bare_target() -> None:
    # «с 900 до 1,5 тыс.»: 900 is already in units, only 1,5 is in thousands.
    numbers = find_numbers(normalize_text("с 900 до 1,5 тыс. подписчиков"))
    assert [n.value for n in numbers] == [900, 1_500]


def test_an_inverted_amount_inside_a_sentence() -> None:
    numbers = find_numbers(normalize_text("бюджет тысяч двадцать в месяц"))
    assert [n.value for n in numbers] == [20_000]


def test_no_reading_without_a_number() -> None:
    assert read_number("не знаю") is None


@pytest.mark.parametrize(
    ("text", "percent"), [("двадцать процентов", True), ("20%", True), ("20", False)]
)
def test_a_percent_is_reported(text: str, percent: bool) -> None:
    reading = read_number(text)

    assert reading is not None and reading.percent is percent
