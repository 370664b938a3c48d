"""Step order, resume, skips, progress, Back and what is still missing — per role."""

from __future__ import annotations

import pytest

from bot.questionnaire.answers import JsonValue, ParsedAnswer, skip_marker
from bot.questionnaire.catalogue import load_catalogue
from bot.questionnaire.flow import (
    Flow,
    Step,
    answer_key,
    chosen_channels,
    missing_required,
    unused_answers,
)
from bot.questionnaire.parsing import parse_answer
from bot.roles import Role

CLIENT_STEPS = [
    "aim",
    "aim_success",
    "topics",
    "photos_by",
    "product_info_by",
    "tone",
    "taboos",
    "work_days.client",
    "work_hours.client",
    "timezone.client",
    "response_time.client",
    "approval",
    "ad_budget",
    "constraints",
]


def keys(steps: tuple[Step, ...]) -> list[str]:
    return [step.key for step in steps]


def answer_all(role: Role | None, given: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """Every open step answered with the question's own example."""
    answers = dict(given)
    for step in Flow(role, given).steps:
        if step.key in answers:
            continue
        parsed = parse_answer(step.question, step.question.example.ru)
        assert isinstance(parsed, ParsedAnswer)
        answers[step.key] = parsed.value
    return answers


def test_specialist_steps_expand_channels_in_catalogue_order() -> None:
    flow = Flow(Role.SPECIALIST, {"channels": ["telegram", "vk"]})
    assert keys(flow.steps) == [
        "channels",
        "channel.vk.handle",
        "channel.vk.audience",
        "channel.telegram.handle",
        "channel.telegram.audience",
        "channel.vk.formats",
        "channel.telegram.formats",
        "topics",
        "photos_by",
        "product_info_by",
        "tone",
        "taboos",
        "channel.vk.posts_per_week",
        "channel.telegram.posts_per_week",
        "report_frequency",
        "report_format",
        "work_days.specialist",
        "work_hours.specialist",
        "timezone.specialist",
        "response_time.specialist",
        "approval",
    ]
    assert flow.step("channel.vk.audience") == Step(
        load_catalogue().question("audience"),
        "channel.vk.audience",
        channel=load_catalogue().channel("vk"),
    )


def test_no_channel_follow_ups_before_channels_are_chosen() -> None:
    flow = Flow(Role.SPECIALIST, {})
    assert not any(step.channel for step in flow.steps)
    assert flow.progress(flow.steps[0]) == (1, 13)


def test_unknown_or_malformed_channel_answers_expand_nothing() -> None:
    catalogue = load_catalogue()
    assert chosen_channels(catalogue, {"channels": ["myspace", "ok"]}) == (catalogue.channel("ok"),)
    assert chosen_channels(catalogue, {"channels": "vk"}) == ()


def test_steps_are_worked_out_once_per_role_and_channels_and_never_mixed_up() -> None:
    """Flows are made several times per update; the steps of one role and one set of channels
    are shared, whatever else was answered."""
    vk = Flow(Role.SPECIALIST, {"channels": ["vk"]})
    again = Flow(Role.SPECIALIST, {"channels": ["vk"], "tone": "friendly"})
    assert again.steps is vk.steps
    both = Flow(Role.SPECIALIST, {"channels": ["vk", "telegram"]})
    assert "channel.telegram.handle" in keys(both.steps)
    assert "channel.telegram.handle" not in keys(vk.steps)
    client = Flow(Role.CLIENT, {"channels": ["vk"]})
    assert keys(client.steps) == CLIENT_STEPS
    assert client.step("channel.vk.handle") is None
    assert vk.step("channel.vk.handle") is not None


def test_client_steps() -> None:
    flow = Flow(Role.CLIENT, {"channels": ["vk"]})
    assert keys(flow.steps) == CLIENT_STEPS
    assert flow.step("work_hours.client") is not None
    assert flow.step("work_hours.specialist") is None


def test_everyone_sees_both_copies() -> None:
    flow = Flow(None, {"channels": ["vk"]})
    all_keys = keys(flow.steps)
    assert all_keys.index("work_hours.specialist") + 1 == all_keys.index("work_hours.client")
    assert len(all_keys) == 17 + 4 + 4  # 17 plain questions, 4 second copies, 4 for VK
    assert set(CLIENT_STEPS) <= set(all_keys)


def test_step_text_names_the_channel() -> None:
    flow = Flow(Role.SPECIALIST, {"channels": ["vk"]})
    step = flow.step("channel.vk.audience")
    assert step is not None
    assert step.text("ru") == "ВКонтакте: сколько там сейчас подписчиков?"
    assert step.text("en") == "VK: how many followers are there now?"
    aim = Flow(Role.CLIENT, {}).steps[0]
    assert aim.text("ru") == load_catalogue().question("aim").text.ru


def test_resume_after_partial_answers() -> None:
    answers: dict[str, JsonValue] = {
        "aim": "sell_stock",
        "aim_success": "Пустой склад",
        "tone": "ок",
    }
    step = Flow(Role.CLIENT, answers).next_step()
    assert step is not None and step.key == "topics"
    answers.update(topics="новинки", photos_by="client", product_info_by="client")
    step = Flow(Role.CLIENT, answers).next_step()
    assert step is not None and step.key == "taboos"


def test_either_question_answered_by_the_other_side_is_not_asked_again() -> None:
    specialist_answers: dict[str, JsonValue] = {"aim": "leads", "aim_success": "заявки"}
    specialist_answers["topics"] = "советы"  # the specialist got there first
    step = Flow(Role.CLIENT, specialist_answers).next_step()
    assert step is not None and step.key == "photos_by"


def test_skipped_optional_is_not_asked_again() -> None:
    answers: dict[str, JsonValue] = {key: "x" for key in CLIENT_STEPS[:6]}
    answers["taboos"] = skip_marker()
    step = Flow(Role.CLIENT, answers).next_step()
    assert step is not None and step.key == "work_days.client"


def test_skip_marker_on_required_question_does_not_count() -> None:
    answers: dict[str, JsonValue] = {"aim": skip_marker()}
    flow = Flow(Role.CLIENT, answers)
    step = flow.next_step()
    assert step is not None and step.key == "aim"
    assert "aim" in keys(flow.missing_required())


def test_none_value_is_not_an_answer() -> None:
    flow = Flow(Role.CLIENT, {"aim": None})
    assert not flow.is_done(flow.steps[0])


def test_all_done() -> None:
    done = Flow(Role.CLIENT, answer_all(Role.CLIENT, {}))
    assert done.next_step() is None
    assert done.missing_required() == ()


def test_progress_numbers() -> None:
    flow = Flow(Role.CLIENT, {})
    assert flow.progress(flow.steps[0]) == (1, 14)
    assert flow.remaining() == 14
    answered = {flow.steps[0].key: "sales", flow.steps[1].key: "Продажи +20 %"}
    after_two = Flow(Role.CLIENT, answered)
    assert after_two.progress(after_two.steps[2]) == (3, 14)
    assert after_two.remaining() == 12 == 14 - 2  # the card and the steps say the same
    specialist = Flow(Role.SPECIALIST, {"channels": ["vk", "telegram", "ozon"]})
    assert specialist.progress(specialist.steps[-1]) == (2, 13 + 3 * 4)  # channels is done


def test_progress_moves_by_one_over_questions_answered_elsewhere() -> None:
    """Steps done before the person opened the questionnaire (the other side's, the profile's)
    are counted in neither number: the client sees 1, 2, 3 of 9 — not 1, 2, 8 of 14 — even
    where the next open question is further on."""
    blank = Flow(Role.CLIENT, {})
    first, second = blank.steps[0], blank.steps[1]
    answers: dict[str, object] = {step.key: "x" for step in blank.steps[2:7]}
    already = Flow(Role.CLIENT, answers).done_count()
    assert already == 5
    seen = []
    for step, value in ((first, "sales"), (second, "x"), (None, None)):
        flow = Flow(Role.CLIENT, answers)
        shown = flow.next_step()
        assert shown is not None
        seen.append(flow.progress(shown, already))
        if step is not None:
            answers[step.key] = value
    assert seen == [(1, 9), (2, 9), (3, 9)]
    assert Flow(Role.CLIENT, answers).remaining() == 9 - 2


def test_progress_of_a_step_that_is_no_longer_asked() -> None:
    with_vk = Flow(Role.SPECIALIST, {"channels": ["vk"]})
    step = with_vk.step("channel.vk.audience")
    assert step is not None
    without_vk = Flow(Role.SPECIALIST, {"channels": ["telegram"]})
    with pytest.raises(ValueError, match=r"channel\.vk\.audience"):
        without_vk.progress(step)


def test_previous_and_following_steps() -> None:
    flow = Flow(Role.SPECIALIST, {"channels": ["vk", "telegram"]})
    first = flow.steps[0]
    assert flow.previous_step(first) is None
    telegram_handle = flow.step("channel.telegram.handle")
    assert telegram_handle is not None
    back = flow.previous_step(telegram_handle)
    assert back is not None and back.key == "channel.vk.audience"
    forward = flow.following_step(back)
    assert forward == telegram_handle
    assert flow.following_step(flow.steps[-1]) is None


def test_back_goes_to_answered_steps_too() -> None:
    flow = Flow(Role.CLIENT, {"aim": "leads", "aim_success": "заявки"})
    current = flow.next_step()
    assert current is not None and current.key == "topics"
    back = flow.previous_step(current)
    assert back is not None and back.key == "aim_success"


def test_sections_for_the_summary() -> None:
    client = Flow(Role.CLIENT, {})
    assert [section.key for section, _ in client.sections()] == [
        "aim",
        "content",
        "availability",
        "budget",
    ]
    everyone = Flow(None, {"channels": ["vk"]})
    grouped = dict((section.key, keys(steps)) for section, steps in everyone.sections())
    assert list(grouped) == ["aim", "channels", "content", "cadence", "availability", "budget"]
    assert grouped["channels"] == ["channels", "channel.vk.handle", "channel.vk.audience"]
    assert sum(len(steps) for steps in grouped.values()) == len(everyone.steps)


def test_missing_required_per_role() -> None:
    missing = missing_required({})
    specialist = keys(missing[Role.SPECIALIST])
    client = keys(missing[Role.CLIENT])
    assert specialist[0] == "channels"
    assert "taboos" not in client and "ad_budget" not in client and "constraints" not in client
    assert "topics" in specialist and "topics" in client  # shared: either side can close it
    assert "work_days.client" in client and "work_days.client" not in specialist


def test_missing_required_follows_chosen_channels() -> None:
    answers: dict[str, JsonValue] = {"channels": ["vk"]}
    specialist = keys(missing_required(answers)[Role.SPECIALIST])
    assert "channel.vk.audience" in specialist and "channel.vk.handle" not in specialist
    answers["channel.vk.audience"] = 1200
    assert "channel.vk.audience" not in keys(missing_required(answers)[Role.SPECIALIST])


def test_missing_required_empty_when_both_sides_are_done() -> None:
    answers = answer_all(None, {"channels": ["vk", "ozon"]})
    assert missing_required(answers) == {Role.SPECIALIST: (), Role.CLIENT: ()}


def test_unused_answers_after_unticking_a_channel() -> None:
    answers: dict[str, JsonValue] = {
        "channels": ["vk"],
        "channel.vk.audience": 10,
        "channel.ok.audience": 20,
        "retired_question": "x",
    }
    assert unused_answers(answers) == ["channel.ok.audience", "retired_question"]


def test_answer_keys() -> None:
    catalogue = load_catalogue()
    assert answer_key(catalogue.question("aim")) == "aim"
    assert answer_key(catalogue.question("audience"), channel="vk") == "channel.vk.audience"
    assert answer_key(catalogue.question("work_hours"), owner=Role.CLIENT) == "work_hours.client"
    with pytest.raises(ValueError, match="per channel"):
        answer_key(catalogue.question("audience"))
    with pytest.raises(ValueError, match="each side"):
        answer_key(catalogue.question("work_hours"))
