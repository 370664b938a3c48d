"""The one number parser (bot/numbers.py)."""

from __future__ import annotations

import pytest

from bot.numbers import Money, find_numbers, normalize_text, parse_money, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 200", 1200),
        ("20\u202f000", 20000),
        ("20\u00a0000", 20000),
        ("3,000", 3000),
        ("1,5", 1.5),
        ("1.5", 1.5),
        ("1,5к", 1500),
        ("3 тыс", 3000),
        ("3 тыс.", 3000),
        ("5 тыщ", 5000),
        ("7 тысяч", 7000),
        ("2k", 2000),
        ("3.5k", 3500),
        ("1.2K", 1200),
        ("2,5 млн", 2_500_000),
        ("$2M", 2_000_000),
        ("1 лям", 1_000_000),
        ("1кк", 1_000_000),
        ("50 т.р.", 50_000),
        ("+700", 700),
        ("500+", 500),
        ("50%", 50),
        ("-3%", -3),
        ("тысяча", 1000),
        ("три сотни", 300),
        ("полторы тысячи", 1500),
        ("полторы сотни", 150),
        ("две с половиной тысячи", 2500),
        ("2 с половиной тысячи", 2500),
        ("полмиллиона", 500_000),
        ("тысяча двести", 1200),
        ("до пяти тысяч", 5000),
        ("twelve hundred", 1200),
        ("a thousand", 1000),
        ("half a million", 500_000),
        ("twenty-five", 25),
        ("one hundred and twenty five thousand", 125_000),
        ("about 5k followers", 5000),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "много", "one of our goals", "x"])
def test_no_number(text: str) -> None:
    assert parse_number(text) is None


def test_preposition_k_is_not_a_thousand() -> None:
    numbers = find_numbers(normalize_text("набрать 500 к концу месяца"))
    assert [n.value for n in numbers] == [500]


def test_percent_and_currency_are_attached() -> None:
    found = find_numbers(normalize_text("ER 5%, CPL 300 ₽, $5k, 20 рублей, 40 dollars"))
    assert [(n.value, n.percent, n.currency) for n in found] == [
        (5, True, None),
        (300, False, "rub"),
        (5000, False, "usd"),
        (20, False, "rub"),
        (40, False, "usd"),
    ]


def test_spans_point_into_the_original_text() -> None:
    text = "Нужно 1\u00a0200 подписчиков"
    (number,) = find_numbers(normalize_text(text))
    assert text[number.start : number.end] == "1\u00a0200"


def test_normalize_keeps_length() -> None:
    text = "Ёлка İstanbul — «ВК»"
    assert len(normalize_text(text)) == len(text)
    assert normalize_text("Ёж — «Да»") == 'еж - "да"'


# --- parse_money: the amount and the currency it was written in -----------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$600", 600, "USD"),
        ("600 долларов", 600, "USD"),
        ("USD 1 200", 1200, "USD"),
        ("20 тыс. руб.", 20_000, "RUB"),
        ("30 000 ₽", 30_000, "RUB"),
        ("50 т.р.", 50_000, "RUB"),
        ("1,5 млн рублей", 1_500_000, "RUB"),
        ("300 евро", 300, "EUR"),
        ("€1,500", 1500, "EUR"),
        ("EUR 900", 900, "EUR"),
        ("150 000 тенге", 150_000, "KZT"),
        ("₸ 80 000", 80_000, "KZT"),
        ("800 Br", 800, "BYN"),
        ("1000 бел. руб.", 1000, "BYN"),
        ("2000 грн", 2000, "UAH"),
        ("₴500", 500, "UAH"),
        ("30 000", 30_000, None),  # none written: the caller decides, never silently roubles
    ],
)
def test_parse_money_keeps_the_currency(text: str, amount: float, currency: str | None) -> None:
    assert parse_money(text) == Money(amount, currency)


def test_parse_money_without_a_number_is_none() -> None:
    assert parse_money("сколько скажете") is None
