"""Typed and pressed answers become stored values, or a precise error code."""

from __future__ import annotations

import dataclasses

import pytest

from bot.questionnaire.answers import (
    AnswerError,
    ErrorCode,
    JsonValue,
    ParsedAnswer,
    is_skipped,
    skip_marker,
)
from bot.questionnaire.catalogue import Question, load_catalogue
from bot.questionnaire.parsing import parse_answer, parse_selection, skip


def q(key: str) -> Question:
    return load_catalogue().question(key)


def value(question: Question, raw: str) -> JsonValue:
    result = parse_answer(question, raw)
    assert isinstance(result, ParsedAnswer), result
    return result.value


def error(question: Question, raw: str) -> AnswerError:
    result = parse_answer(question, raw)
    assert isinstance(result, AnswerError), result
    return result


# --- text ------------------------------------------------------------------------------------


def test_text_is_trimmed() -> None:
    assert value(q("constraints"), "  распродажа до 31 августа \n") == "распродажа до 31 августа"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
def test_blank_answer_is_empty_for_every_type(raw: str) -> None:
    for question in load_catalogue().questions:
        assert error(question, raw).code is ErrorCode.EMPTY


def test_text_length_limit_defaults_to_2000() -> None:
    question = q("constraints")
    assert question.max_length == 2000
    assert value(question, "я" * 2000) == "я" * 2000
    too_long = error(question, "я" * 2001)
    assert too_long.code is ErrorCode.TOO_LONG
    assert dict(too_long.params) == {"max_length": 2000, "length": 2001}


def test_text_length_limit_per_question() -> None:
    assert error(q("tone"), "а" * 501).params["max_length"] == 500


def test_emoji_is_fine_as_text() -> None:
    assert value(q("tone"), "😊") == "😊"


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 200", 1200),
        ("1200", 1200),
        ("1,5к", 1500),
        ("3 тыс", 3000),
        ("2k", 2000),
        ("0", 0),
        ("около 800 человек", 800),
    ],
)
def test_audience_numbers(raw: str, expected: int) -> None:
    stored = value(q("audience"), raw)
    assert stored == expected
    assert isinstance(stored, int)


def test_fractional_publications_are_allowed() -> None:
    assert value(q("posts_per_week"), "0,5") == 0.5
    assert value(q("posts_per_week"), "3") == 3


@pytest.mark.parametrize("raw", ["много", "не знаю", "😀😀", "👍", "—"])
def test_not_a_number(raw: str) -> None:
    assert error(q("audience"), raw).code is ErrorCode.NOT_A_NUMBER


def test_negative_number() -> None:
    assert error(q("audience"), "-5").code is ErrorCode.NEGATIVE
    assert error(q("posts_per_week"), "−2").code is ErrorCode.NEGATIVE


def test_absurd_numbers_are_too_large() -> None:
    too_many = error(q("posts_per_week"), "500")
    assert too_many.code is ErrorCode.TOO_LARGE
    assert dict(too_many.params) == {"max": 100}
    assert error(q("audience"), "5 000 000 000 000").code is ErrorCode.TOO_LARGE


def test_fraction_of_a_follower_is_not_whole() -> None:
    assert error(q("audience"), "1,5").code is ErrorCode.NOT_WHOLE


def test_minimum_above_zero_is_too_small() -> None:
    question = dataclasses.replace(q("posts_per_week"), min=1.0)
    result = error(question, "0,5")
    assert result.code is ErrorCode.TOO_SMALL
    assert dict(result.params) == {"min": 1}


def test_negative_allowed_when_minimum_allows() -> None:
    question = dataclasses.replace(q("posts_per_week"), min=-10.0)
    assert value(question, "-3") == -3


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("30 000 ₽", {"amount": 30000, "currency": "RUB"}),
        ("30к руб", {"amount": 30000, "currency": "RUB"}),
        ("30000", {"amount": 30000, "currency": "RUB"}),
        ("$500", {"amount": 500, "currency": "USD"}),
        ("500 долларов", {"amount": 500, "currency": "USD"}),
        ("0", {"amount": 0, "currency": "RUB"}),
        ("300 евро", {"amount": 300, "currency": "EUR"}),
        ("150 тыс. тенге", {"amount": 150000, "currency": "KZT"}),
        ("800 Br", {"amount": 800, "currency": "BYN"}),
        ("20 000 грн", {"amount": 20000, "currency": "UAH"}),
    ],
)
def test_money(raw: str, expected: dict[str, object]) -> None:
    assert value(q("ad_budget"), raw) == expected


def test_bad_money() -> None:
    assert error(q("ad_budget"), "сколько не жалко").code is ErrorCode.NOT_A_NUMBER
    assert error(q("ad_budget"), "-100 ₽").code is ErrorCode.NEGATIVE
    assert error(q("ad_budget"), "2 000 000 000 ₽").code is ErrorCode.TOO_LARGE


# --- choices ---------------------------------------------------------------------------------


def test_single_choice_by_key_or_label() -> None:
    aim = q("aim")
    assert value(aim, "sell_stock") == "sell_stock"
    assert value(aim, "распродать остатки") == "sell_stock"
    assert value(aim, "Clear old stock") == "sell_stock"


def test_single_choice_rejects_unknown_and_several() -> None:
    unknown = error(q("photos_by"), "соседский мальчик")
    assert unknown.code is ErrorCode.UNKNOWN_OPTION
    assert unknown.params["value"] == "соседский мальчик"
    assert error(q("photos_by"), "client, specialist").code is ErrorCode.ONE_OPTION_ONLY


def test_unknown_option_echo_is_short() -> None:
    echoed = error(q("photos_by"), "я" * 300).params["value"]
    assert isinstance(echoed, str) and len(echoed) == 40 and echoed.endswith("…")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("закрыть склад до переезда", "sell_stock"),
        ("набрать группу на весенний курс", "leads"),
        ("get more bookings for the salon", "leads"),
        ("стать миллионером", "other"),
    ],
)
def test_the_aim_in_own_words_is_mapped_and_asked_back(text: str, key: str) -> None:
    parsed = parse_answer(q("aim"), f"  {text} ")

    assert parsed == ParsedAnswer(key, confirm=True, words=text)


def test_an_aim_button_label_typed_is_no_own_words() -> None:
    assert parse_answer(q("aim"), "Получать заявки") == ParsedAnswer("leads")


@pytest.mark.parametrize("text", ["123", "🙂🙂", "?!"])
def test_an_aim_without_words_is_refused(text: str) -> None:
    assert error(q("aim"), text).code is ErrorCode.UNKNOWN_OPTION


def test_own_words_have_a_length_limit() -> None:
    too_long = error(q("aim"), "продать " * 100)
    assert too_long.code is ErrorCode.TOO_LONG


def test_multi_choice_typed_in_catalogue_order() -> None:
    channels = q("channels")
    assert value(channels, "Telegram, ВКонтакте") == ["vk", "telegram"]
    assert value(channels, "вконтакте и telegram и вконтакте") == ["vk", "telegram"]
    assert value(channels, "Email-рассылка") == ["email"]
    assert error(channels, "ВКонтакте, MySpace").params["value"] == "MySpace"


def test_selection_from_buttons() -> None:
    assert parse_selection(q("channels"), ["ozon", "vk", "ozon"]) == ParsedAnswer(["vk", "ozon"])
    assert parse_selection(q("aim"), ["leads"]) == ParsedAnswer("leads")


def test_forged_or_empty_selection() -> None:
    forged = parse_selection(q("channels"), ["vk", "multi"])
    assert isinstance(forged, AnswerError) and forged.code is ErrorCode.UNKNOWN_OPTION
    # «Done» with nothing ticked asks for a tick (or Skip), not for typing an answer.
    assert parse_selection(q("channels"), []) == AnswerError(ErrorCode.NOTHING_TICKED)
    assert parse_selection(q("work_days"), []) == AnswerError(ErrorCode.NOTHING_TICKED)
    optional = dataclasses.replace(q("formats"), optional=True)
    assert parse_selection(optional, []) == AnswerError(ErrorCode.NOTHING_TICKED_OPTIONAL)
    several = parse_selection(q("aim"), ["leads", "sales"])
    assert isinstance(several, AnswerError) and several.code is ErrorCode.ONE_OPTION_ONLY


def test_selection_of_days() -> None:
    assert parse_selection(q("work_days"), ["fri", "mon"]) == ParsedAnswer([0, 4])
    wrong = parse_selection(q("work_days"), ["funday"])
    assert isinstance(wrong, AnswerError) and wrong.code is ErrorCode.UNKNOWN_OPTION


def test_selection_is_not_for_typed_questions() -> None:
    with pytest.raises(ValueError, match="typing"):
        parse_selection(q("tone"), ["friendly"])


# --- days, hours, time zones -----------------------------------------------------------------


def test_days_typed() -> None:
    assert value(q("work_days"), "пн–пт") == [0, 1, 2, 3, 4]
    assert error(q("work_days"), "когда как").code is ErrorCode.BAD_DAYS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10-19", {"start": "10:00", "end": "19:00"}),
        ("с 9:30 до 18", {"start": "09:30", "end": "18:00"}),
        ("круглосуточно", {"start": "00:00", "end": "00:00"}),
        ("9am-6pm", {"start": "09:00", "end": "18:00"}),
    ],
)
def test_hours_typed(raw: str, expected: dict[str, str]) -> None:
    assert value(q("work_hours"), raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("25-30", ErrorCode.BAD_TIME),
        ("10-10", ErrorCode.SAME_START_END),
        ("после обеда", ErrorCode.BAD_HOURS),
    ],
)
def test_bad_hours(raw: str, code: ErrorCode) -> None:
    assert error(q("work_hours"), raw).code is code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Екатеринбург", "Asia/Yekaterinburg"),
        ("москва", "Europe/Moscow"),
        ("UTC+3", "Europe/Moscow"),
        ("МСК+4", "Asia/Novosibirsk"),
        ("+5:30", "Asia/Kolkata"),
        ("europe/berlin", "Europe/Berlin"),
        ("UTC", "Etc/UTC"),
    ],
)
def test_timezone(raw: str, expected: str) -> None:
    assert value(q("timezone"), raw) == expected


@pytest.mark.parametrize("raw", ["Нарния", "+99", "+3:17", "где-то на юге"])
def test_bad_timezone(raw: str) -> None:
    assert error(q("timezone"), raw).code is ErrorCode.BAD_TIMEZONE


# --- skipping --------------------------------------------------------------------------------


def test_optional_question_can_be_skipped() -> None:
    result = skip(q("ad_budget"))
    assert isinstance(result, ParsedAnswer) and is_skipped(result.value)


def test_required_question_cannot_be_skipped() -> None:
    result = skip(q("aim"))
    assert isinstance(result, AnswerError) and result.code is ErrorCode.REQUIRED


def test_skip_marker_is_not_an_answer_shape() -> None:
    marker = skip_marker()
    marker["skipped"] = False  # a caller's copy, the next marker is unaffected
    assert is_skipped(skip_marker())
    shapes: list[JsonValue] = ["skipped", {"skipped": False}, {"start": "10:00"}, [], None]
    for stored in shapes:
        assert not is_skipped(stored)


# --- amounts not typed as plain digits are asked back ------------------------------------------


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("тысяч двадцать", 20_000),
        ("двадцать тысяч", 20_000),
        ("20к", 20_000),
        ("полторы тысячи рублей", 1_500),
        ("треть миллиона", 333_333),
        ("10–15 тысяч", 10_000),
    ],
)
def test_a_budget_in_words_is_read_and_asked_back(raw: str, amount: int) -> None:
    parsed = parse_answer(q("ad_budget"), raw)

    assert parsed == ParsedAnswer({"amount": amount, "currency": "RUB"}, confirm=True)


@pytest.mark.parametrize("raw", ["20 000", "20000 ₽", "0"])
def test_a_budget_in_digits_is_stored_as_typed(raw: str) -> None:
    parsed = parse_answer(q("ad_budget"), raw)

    assert isinstance(parsed, ParsedAnswer) and not parsed.confirm


def test_an_audience_with_a_suffix_is_asked_back() -> None:
    assert parse_answer(q("audience"), "1,2к") == ParsedAnswer(1200, confirm=True)
    assert parse_answer(q("audience"), "1 200") == ParsedAnswer(1200)


def test_a_bad_amount_in_words_is_an_error_not_a_question() -> None:
    assert error(q("audience"), "полтора").code is ErrorCode.NOT_WHOLE
