import io
import json
import re
import tomllib
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bot.briefs.render import CHAT_SECTIONS, render_chat, render_diff, render_html, render_pdf
from bot.briefs.snapshot import PersonInfo, brief_changes, brief_hash
from bot.briefs.telegram_html import pack_sections, split_markup, telegram_length
from bot.briefs.versioning import Change, ChangeKind
from bot.briefs.view import field_label
from bot.goals.attainable import Verdict
from bot.i18n import LOCALES_DIR, translator
from bot.questionnaire.catalogue import load_catalogue
from testkit import brief_sample as sample

TELEGRAM_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}
HOSTILE = "<script>alert('x')</script> & <b>bold</b>"
_VOCAB = Path(__file__).resolve().parents[3] / "bot" / "goals" / "vocab.json"


class _Parsed(HTMLParser):
    """What a reader sees: the text after parsing, the tags used, and whether they balance."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: set[str] = set()
        self.open: list[str] = []
        self.balanced = True
        self.feed(markup)
        self.close()
        self.balanced = self.balanced and not self.open

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.balanced = self.balanced and bool(self.open) and self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _telegram_count(message: str) -> int:
    """Telegram's own yardstick, computed independently of the code under test."""
    return len(_Parsed(message).text.encode("utf-16-le")) // 2


def _assert_valid_messages(messages: list[str]) -> str:
    for message in messages:
        parsed = _Parsed(message)
        assert parsed.balanced, message[:200]
        assert parsed.tags <= TELEGRAM_TAGS
        assert 0 < _telegram_count(message) <= 4096
    return "\n".join(_Parsed(message).text for message in messages)


def _headings(language: str) -> list[str]:
    i18n = translator(language)
    keys = [name for name in CHAT_SECTIONS if name != "header"]
    return [i18n("brief.title")] + [i18n(f"brief.section.{name}") for name in keys]


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# --- chat: splitting ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "en"])
def test_big_brief_splits_at_section_boundaries_under_the_limit(language: str) -> None:
    snapshot = sample.snapshot(goal_count=10, channels=8)
    messages = render_chat(snapshot, language, content_hash=brief_hash(snapshot))
    text = _assert_valid_messages(messages)
    assert len(messages) > 1
    positions = [text.index(heading) for heading in _headings(language)]
    assert positions == sorted(positions)  # every section, in reading order
    starts = tuple(f"<b>{emoji}" for emoji in "📋👥🎯📣🗓🕐✅💰📊✍")
    assert all(message.startswith(starts) for message in messages)
    for goal in sample.goals(5):
        assert goal.text in text
    # Handle, audience and formats of each channel, four availability rows of each side.
    assert text.count("◦ ") == 8 * 3 + 2 * 4


def test_small_brief_fits_one_message() -> None:
    snapshot = sample.snapshot(goal_count=1, channels=1)
    assert len(render_chat(snapshot, "ru", content_hash=brief_hash(snapshot))) == 1


@pytest.mark.parametrize(
    "long_answer",
    [
        "\n".join(f"Строка {n}: " + "вязаные шапки и шарфы " * 6 for n in range(22)),  # ~3 000
        "длинныйответ" * 500,  # 6 000 characters without a single line break
    ],
)
def test_long_answers_are_split_inside_their_section(long_answer: str) -> None:
    snapshot = sample.snapshot(goal_count=5, channels=8, long_answer=long_answer)
    messages = render_chat(snapshot, "ru", content_hash=brief_hash(snapshot))
    text = _assert_valid_messages(messages)
    assert re.sub(r"\s", "", long_answer) in re.sub(r"\s", "", text)
    for heading in _headings("ru"):
        assert heading in text


def test_a_three_thousand_character_answer_keeps_its_section_whole() -> None:
    long_answer = "Тёплые вещи ручной работы. " * 111  # 2 997 characters on one line
    snapshot = sample.snapshot(goal_count=5, channels=8, long_answer=long_answer)
    messages = render_chat(snapshot, "ru", content_hash=brief_hash(snapshot))
    _assert_valid_messages(messages)
    holding = [m for m in messages if long_answer.strip() in _Parsed(m).text]
    assert len(holding) == 1 and _Parsed(holding[0]).text.count(
        translator("ru")("brief.section.aim")
    )


def test_telegram_length_counts_entities_once_tags_never_and_emoji_twice() -> None:
    assert telegram_length("<b>a&amp;b</b>") == 3
    assert telegram_length('<a href="https://t.me/x">&lt;hi&gt;</a>') == 4
    assert telegram_length("😀é") == 3
    assert telegram_length("&#34;x&#39;") == 3


def test_split_markup_prefers_line_breaks_and_reopens_tags() -> None:
    parts = split_markup("<b>aaaa\nbbbb\ncccc</b>", limit=10)
    assert parts == ["<b>aaaa\nbbbb</b>", "<b>cccc</b>"]
    hard = split_markup('<i><a href="x">' + "z" * 25 + "</a></i>", limit=10)
    assert [telegram_length(part) for part in hard] == [10, 10, 5]
    assert all(part.startswith('<i><a href="x">') and part.endswith("</a></i>") for part in hard)
    assert split_markup("😀😀😀", limit=5) == ["😀😀", "😀"]
    with pytest.raises(ValueError):
        split_markup("x", limit=1)


def test_pack_sections_joins_what_fits_and_skips_empty_ones() -> None:
    assert pack_sections(["aaa", "", "bbb", "ccc"], limit=8) == ["aaa\n\nbbb", "ccc"]
    assert pack_sections(["a" * 12, "bb"], limit=10) == ["a" * 10, "aa\n\nbb"]


# --- chat: content -----------------------------------------------------------------------------


def test_chat_spells_out_every_smart_letter_in_the_readers_language() -> None:
    snapshot = sample.snapshot(goal_count=5, channels=2)
    digest = brief_hash(snapshot)
    ru = "\n".join(_Parsed(m).text for m in render_chat(snapshot, "ru", content_hash=digest))
    en = "\n".join(_Parsed(m).text for m in render_chat(snapshot, "en", content_hash=digest))
    assert "S · Конкретная: проданные товары, ВКонтакте" in ru
    assert "M · Измеримая: 0 шт. → 40 шт." in ru
    assert "A · Достижимая: реалистично" in ru
    assert "R · Значимая: работает на цель «Распродать остатки»" in ru
    assert "T · Ограничена сроком: 30 сентября 2026" in ru
    assert "M · Measurable: 1,200 people → +500 people" in en
    assert "R · Relevant: kept on purpose: Нужна узнаваемость перед открытием" in en
    assert "A · Attainable: unrealistic" in en
    assert "A · Attainable: not checked yet" in en  # goal 4 has no verdict yet
    assert "M · Measurable: 900 → +20%" in en  # a relative gain starts from a count
    assert "T · Time-bound: 30 November 2026" in en
    assert "Как поймём, что получилось: К сентябрю" in ru
    assert f"Контрольный код: {digest[:8]}" in ru
    assert "Version 3 · 1 August 2026, 14:05, Yekaterinburg (UTC+5)" in en


def test_relevance_says_when_a_goal_does_not_serve_the_aim() -> None:
    snapshot = sample.snapshot(goal_count=2)
    snapshot["goals"][0]["serves_aim"] = False
    snapshot["goals"][1]["serves_aim"] = None
    messages = render_chat(snapshot, "ru", content_hash=brief_hash(snapshot))
    text = "".join(_Parsed(m).text for m in messages)
    assert "R · Значимая: не связана напрямую с целью «Распродать остатки»" in text
    assert "R · Значимая: ещё не проверена" in text


def test_sign_off_time_follows_the_readers_time_zone() -> None:
    snapshot = sample.snapshot()
    messages = render_chat(
        snapshot, "ru", content_hash=brief_hash(snapshot), timezone="Europe/Moscow"
    )
    assert "1 августа 2026, 12:05, Москва (UTC+3)" in _Parsed(messages[-1]).text
    bare = sample.snapshot(specialist=PersonInfo("Анна"))
    text = _Parsed(render_chat(bare, "ru", content_hash=brief_hash(bare))[-1]).text
    assert "1 августа 2026, 09:05, UTC" in text


def test_availability_falls_back_to_the_profile_and_shows_a_missing_client() -> None:
    answers = sample.answers(1)
    del answers["work_days.client"], answers["timezone.client"]
    snapshot = sample.snapshot(channels=1, extra_answers=answers)
    snapshot["answers"] = {k: v for k, v in snapshot["answers"].items() if k in answers}
    text = "".join(_Parsed(m).text for m in render_chat(snapshot, "ru", content_hash="0" * 64))
    assert "Дни на связи: пн–сб" in text  # the client's profile has Saturday
    assert "Часовой пояс: Москва (UTC+3)" in text
    lonely = sample.snapshot(client=None, goal_count=0)
    text = "".join(_Parsed(m).text for m in render_chat(lonely, "en", content_hash="0" * 64))
    assert "the client has not joined the project yet" in text
    assert "No goals yet" in text


def test_user_text_is_escaped_everywhere_in_chat() -> None:
    hostile_person = replace(sample.CLIENT, name=HOSTILE, username="a<b>")
    snapshot = sample.snapshot(
        brand=HOSTILE,
        client=hostile_person,
        long_answer=HOSTILE,
        extra_answers={"channel.vk.handle": HOSTILE, "tone": HOSTILE},
    )
    snapshot["goals"][0]["text"] = HOSTILE
    snapshot["goals"][1]["relevance_reason"] = HOSTILE
    snapshot["goals"][1]["serves_aim"] = False
    messages = render_chat(snapshot, "en", content_hash=brief_hash(snapshot))
    text = _assert_valid_messages(messages)
    assert "<script" not in "".join(messages)
    assert text.count(HOSTILE) >= 7
    assert "@a<b>" in text


# --- document ----------------------------------------------------------------------------------


def test_html_document_is_self_contained_and_escaped() -> None:
    snapshot = sample.snapshot(goal_count=5, channels=8, brand=HOSTILE)
    snapshot["goals"][0]["text"] = HOSTILE
    digest = brief_hash(snapshot)
    document = render_html(snapshot, "ru", content_hash=digest)
    parsed = _Parsed(document.split("<body>", 1)[1])
    assert "<script" not in document
    for marker in ("<link", "src=", "href=", "url(", "@import"):
        assert marker not in document
    assert "size: A4" in document
    assert parsed.text.count(HOSTILE) >= 3  # heading, goal table, footer
    for heading in _headings("ru"):
        assert heading in parsed.text
    footer = re.search(r"<footer>(.*?)</footer>", document, re.S)
    assert footer is not None
    footer_text = _Parsed(footer.group(1)).text
    assert all(part in footer_text for part in (HOSTILE, "1 августа 2026", "Версия 3", digest[:8]))


def test_html_document_in_english() -> None:
    snapshot = sample.snapshot(goal_count=2)
    document = render_html(snapshot, "en", content_hash=brief_hash(snapshot))
    assert '<html lang="en">' in document
    for heading in _headings("en"):
        assert heading in document
    assert "S · Specific" in document and "T · Time-bound" in document


def test_pdf_has_cyrillic_goals_escaped_text_and_the_hash() -> None:
    snapshot = sample.snapshot(
        goal_count=5,
        channels=8,
        brand="Свитер <script> & <b>Ко</b>",
        client=replace(sample.CLIENT, name="Борис <i>&</i>"),
        extra_answers={"tone": "<b>тёплый</b> & <script>"},
    )
    digest = brief_hash(snapshot)
    pdf = render_pdf(snapshot, "ru", content_hash=digest)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    for expected in ("Анна Смирнова", "Продать 40 курток прошлого сезона", "Подписание"):
        assert expected in text
    assert "Свитер <script> & <b>Ко</b>" in text
    assert "Борис <i>&</i>" in text
    assert "<b>тёплый</b> & <script>" in text
    assert digest[:8] in text


def test_pdf_in_english_keeps_russian_user_text() -> None:
    snapshot = sample.snapshot(goal_count=1, channels=1)
    text = _pdf_text(render_pdf(snapshot, "en", content_hash=brief_hash(snapshot)))
    assert "SMART brief" in text and "Sign-off" in text
    assert "Уютный свитер" in text


# --- what changed ------------------------------------------------------------------------------


def test_diff_names_fields_and_shows_old_and_new() -> None:
    before = sample.snapshot(goal_count=2)
    answers = {**sample.answers(2), "channel.vk.audience": 1500, "tone": HOSTILE}
    del answers["constraints"]
    after = sample.snapshot(goal_count=2, extra_answers=answers)
    after["answers"].pop("constraints")
    after["goals"] = sample.snapshot(goal_count=3)["goals"]
    after["goals"][0].update(deadline="2026-12-31", verdict="ambitious")
    after["participants"]["client"]["timezone"] = "Asia/Yekaterinburg"
    changes = brief_changes(before, after)
    message = render_diff(changes, "ru", load_catalogue(), snapshot=after)
    parsed = _Parsed(message)
    assert parsed.balanced and parsed.tags <= TELEGRAM_TAGS
    text = parsed.text
    assert "Что изменилось" in text
    assert "ВКонтакте · Аудитория сейчас: 1\xa0000 → 1\xa0500" in text
    assert f"Тон: Дружелюбно, на «вы» → {HOSTILE}" in text
    assert "Что ещё учесть: удалено: Распродажа до 31 августа" in text
    assert (
        "Цель «Продать 40 курток прошлого сезона» · срок: 30 сентября 2026 → 31 декабря 2026"
        in text
    )
    assert "· достижимость: реалистично → амбициозно, но возможно" in text
    assert "Цель: добавлено: Выручка 500 000 ₽ в месяц" in text
    assert "Заказчик · часовой пояс: Москва (UTC+3) → Екатеринбург (UTC+5)" in text
    assert "<script" not in message


def test_diff_in_english_with_goal_ids_people_and_unknown_paths() -> None:
    changes = [
        Change(("goals", 7, "metric"), "followers", "units_sold", ChangeKind.CHANGED),
        Change(("goals", 7, "unit"), "people", "units", ChangeKind.CHANGED),
        Change(("goals", 7, "target_is_gain"), True, False, ChangeKind.CHANGED),
        Change(("goals", 7, "channel"), "vk", "multi", ChangeKind.CHANGED),
        Change(("goals", 7, "target"), 500, 1500.5, ChangeKind.CHANGED),
        Change(("work_hours.specialist",), None, None, ChangeKind.CHANGED),
        Change(
            ("answers", "work_hours.client"),
            None,
            {"start": "09:00", "end": "18:00"},
            ChangeKind.ADDED,
        ),
        Change(("answers", "gone_question"), "old", None, ChangeKind.REMOVED),
        Change(("participants", "client"), None, {"name": "<Bob>"}, ChangeKind.ADDED),
        Change(("participants", "specialist", "name"), "Ann", "Anna <A>", ChangeKind.CHANGED),
        Change(("project", "brand"), "Old & Co", "New <Co>", ChangeKind.CHANGED),
        Change(("future", "field"), [1, 2], {"a": "б"}, ChangeKind.CHANGED),
    ]
    text = _Parsed(render_diff(changes, "en", load_catalogue())).text
    assert "Goal #7 · metric: followers → units sold" in text
    assert "Goal #7 · unit: people → units" in text
    assert "Goal #7 · target is a gain: yes → no" in text
    assert "Goal #7 · channel: VK → several channels" in text
    assert "Goal #7 · target: 500 → 1,500.5" in text
    assert "Client · Available hours: added: 09:00 to 18:00" in text
    assert "gone_question: removed: old" in text
    assert "Client: added: <Bob>" in text
    assert "SMM specialist · name: Ann → Anna <A>" in text
    assert "Brand: Old & Co → New <Co>" in text
    assert 'future · field: [1, 2] → {"a": "б"}' in text


def test_diff_without_changes_says_so() -> None:
    snapshot = sample.snapshot()
    assert "Nothing has changed." in render_diff(
        brief_changes(snapshot, snapshot), "en", load_catalogue()
    )


# --- catalogs ----------------------------------------------------------------------------------


def _keys(table: dict[str, Any], prefix: str = "") -> set[str]:
    keys = set()
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        keys |= _keys(value, key) if isinstance(value, dict) else {key}
    return keys


def test_both_languages_have_the_same_brief_keys_and_cover_the_vocabularies() -> None:
    tables = {}
    for language in ("ru", "en"):
        with (LOCALES_DIR / language / "brief.toml").open("rb") as file:
            tables[language] = _keys(tomllib.load(file))
    assert tables["ru"] == tables["en"]
    vocab = json.loads(_VOCAB.read_text(encoding="utf-8"))
    for language in ("ru", "en"):
        i18n = translator(language)
        for question in load_catalogue().questions:
            assert i18n.has(f"brief.field.{question.key}"), question.key
        for verdict in Verdict:
            assert i18n.has(f"brief.verdict.{verdict}")
        assert all(i18n.has(f"brief.metric.{metric}") for metric in vocab["metric"])
        assert all(i18n.has(f"brief.amount.{unit}") for unit in vocab["unit"])


def test_a_question_without_a_short_name_is_labelled_by_its_wording() -> None:
    question = replace(load_catalogue().question("audience"), key="audience_next_year")
    assert field_label(question, translator("en")) == "how many followers are there now?"


def test_bench_still_runs_and_reports_both_figures(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.brief import main

    chat, pdf = main(runs=1)
    assert chat.wall_ms > 0 and pdf.wall_ms > 0
    printed = capsys.readouterr().out
    assert "brief chat:" in printed and "brief pdf:" in printed


def test_a_total_and_a_rate_say_how_their_number_counts() -> None:
    snapshot = sample.snapshot(goal_count=2)
    snapshot["goals"][0].update(kind="total", baseline=0)
    snapshot["goals"][1].update(
        kind="rate", period="month", metric="leads", unit="leads", target=30, baseline=None,
        target_is_gain=False,
    )  # fmt: skip
    ru = "\n".join(_Parsed(m).text for m in render_chat(snapshot, "ru", content_hash="0" * 64))
    assert "M · Измеримая: 40 шт. — сумма за период" in ru and "0 шт. →" not in ru
    assert "M · Измеримая: 30 заявок в месяц" in ru
