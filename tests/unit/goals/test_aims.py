"""The aim in the client's own words → the questionnaire's aim category (issue #14, item 4).

Expected categories were written the way an SMM lead would file a client's aim in a brief,
before the vocabulary was written; none of them is a button label.
"""

from __future__ import annotations

import pytest

from bot.goals.aims import aim_mentions, read_aim, success_metrics
from bot.goals.relevant import aims
from bot.questionnaire.catalogue import Option, load_catalogue

AIM_TEXTS: list[tuple[str, str]] = [
    # sell_stock
    ("закрыть склад до переезда", "sell_stock"),
    ("Распродать летнюю коллекцию до сентября", "sell_stock"),
    ("Хочу избавиться от остатков прошлого сезона", "sell_stock"),
    ("продать старую коллекцию пальто", "sell_stock"),
    ("на складе залежались куртки, надо их продать", "sell_stock"),
    ("освободить склад под новую поставку", "sell_stock"),
    ("Слить неликвид", "sell_stock"),
    ("хотел старую партию товара распродать", "sell_stock"),  # the seed's client
    ("продать старую партию", "sell_stock"),
    ("продать прошлогодние модели велосипедов", "sell_stock"),
    ("распродажа остатков к Новому году", "sell_stock"),
    ("clear old stock before the move", "sell_stock"),
    ("sell off last season's collection", "sell_stock"),
    ("Get rid of excess inventory", "sell_stock"),
    ("we have 400 leftover hoodies to clear", "sell_stock"),
    ("clearance of the warehouse by March", "sell_stock"),
    # leads
    ("набрать группу на весенний курс", "leads"),
    ("Чтобы записывались на пробное занятие", "leads"),
    ("больше заявок на ремонт квартир", "leads"),
    ("получать обращения от юрлиц", "leads"),
    ("Нужны лиды для отдела продаж", "leads"),
    ("чтобы в директ писали новые клиенты", "leads"),
    ("больше записей в салон на маникюр", "leads"),
    ("Набор учеников в школу английского", "leads"),
    ("привлечь новых клиентов на консультации", "leads"),
    ("регистрации на вебинар", "leads"),
    ("запись пациентов в клинику", "leads"),
    ("чтобы звонили и бронировали столики", "leads"),
    ("get more bookings for the salon", "leads"),
    ("More enquiries for our wedding photography", "leads"),
    ("generate leads for the B2B sales team", "leads"),
    ("get sign-ups for the spring course", "leads"),
    ("fill the yoga retreat with registrations", "leads"),
    ("book more consultations", "leads"),
    ("new patients for the dental clinic", "leads"),
    # sales
    ("Больше продаж", "sales"),
    ("увеличить выручку кофейни", "sales"),
    ("чтобы покупали торты на заказ", "sales"),
    ("продавать больше украшений через соцсети", "sales"),
    ("поднять средний чек", "sales"),
    ("увеличить количество заказов доставки", "sales"),
    ("начать зарабатывать на блоге", "sales"),
    ("выйти на оборот 2 млн в месяц", "sales"),
    ("increase sales of handmade candles", "sales"),
    ("more orders for our bakery", "sales"),
    ("grow revenue by the end of the year", "sales"),
    ("sell more tickets to the concert", "sales"),
    ("make the shop profitable", "sales"),
    # awareness
    ("чтобы о нас узнали в городе", "awareness"),
    ("узнаваемость бренда", "awareness"),
    ("рассказать о новой марке косметики", "awareness"),
    ("Расширить аудиторию блога", "awareness"),
    ("стать известным экспертом в нише", "awareness"),
    ("запуск нового бренда одежды", "awareness"),
    ("развивать личный бренд", "awareness"),
    ("Get known in our neighbourhood", "awareness"),
    ("build brand awareness", "awareness"),
    ("grow our audience on Instagram", "awareness"),
    ("put the studio on the map", "awareness"),
    ("launch a new brand", "awareness"),
    # traffic
    ("привести людей на сайт", "traffic"),
    ("больше переходов в карточки на Wildberries", "traffic"),
    ("трафик на лендинг", "traffic"),
    ("увеличить посещаемость интернет-магазина", "traffic"),
    ("чтобы переходили на Ozon", "traffic"),
    ("drive traffic to the website", "traffic"),
    ("more visitors to our online store", "traffic"),
    ("get clicks to our Etsy shop", "traffic"),
    # loyalty
    ("Чтобы возвращались и советовали друзьям", "loyalty"),
    ("больше повторных покупок", "loyalty"),
    ("удержать постоянных клиентов", "loyalty"),
    ("собрать сообщество вокруг бренда", "loyalty"),
    ("чтобы оставляли отзывы", "loyalty"),
    ("сарафанное радио", "loyalty"),
    ("make customers come back", "loyalty"),
    ("more repeat purchases", "loyalty"),
    ("build a community of regulars", "loyalty"),
    ("get more reviews and referrals", "loyalty"),
    # hiring
    ("найти сотрудников в новую кофейню", "hiring"),
    ("закрыть вакансии поваров", "hiring"),
    ("нанять мастеров маникюра", "hiring"),
    ("набрать персонал на сезон", "hiring"),
    ("нужны курьеры, ищем кандидатов", "hiring"),
    ("бренд работодателя", "hiring"),
    ("hire two baristas", "hiring"),
    ("recruit sales staff", "hiring"),
    ("fill our job vacancies", "hiring"),
    ("get applicants for the warehouse jobs", "hiring"),
    # other: nothing here says what the business needs
    ("просто чтобы было красиво", "other"),
    ("хочу как у конкурентов", "other"),
    ("пока не знаю", "other"),
    ("make the feed look nice", "other"),
    ("no idea yet", "other"),
]


def test_the_table_is_broad() -> None:
    russian = [text for text, _ in AIM_TEXTS if any("а" <= ch <= "я" for ch in text.lower())]
    assert len(AIM_TEXTS) >= 80
    assert len(russian) >= 45
    assert {aim for _, aim in AIM_TEXTS} == set(aims())


@pytest.mark.parametrize(("text", "aim"), AIM_TEXTS)
def test_maps_the_words_to_a_category(text: str, aim: str) -> None:
    assert read_aim(text).aim == aim


def test_the_business_outcome_beats_the_audience_on_a_tie() -> None:
    reading = read_aim("чтобы о нас узнали и начали покупать")

    assert reading.aim == "sales"
    assert set(aim_mentions("чтобы о нас узнали и начали покупать")) == {"sales", "awareness"}


def test_stems_cover_russian_endings() -> None:
    for text in ("распродать", "распродажа", "распродажи", "распродаж"):
        assert read_aim(text).aim == "sell_stock", text


def test_a_whole_word_term_does_not_match_a_longer_word() -> None:
    # «лид» is a lead, «лидер рынка» is not.
    assert read_aim("стать лидером рынка").aim != "leads"


def test_nothing_found_is_other_with_no_mentions() -> None:
    reading = read_aim("просто чтобы было")

    assert (reading.aim, reading.matched) == ("other", ())
    assert aim_mentions("просто чтобы было") == ()


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("К сентябрю на складе не осталось летней коллекции", "units_sold"),
        ("в директ каждую неделю пишут новые покупатели", "leads"),
        ("выручка выросла на треть", "revenue"),
        ("new customers message us every week", "leads"),
        ("the spring group is full", "leads"),
        ("больше переходов на сайт", "traffic"),
    ],
)
def test_a_success_answer_names_its_metrics(text: str, first: str) -> None:
    assert success_metrics(text)[0] == first


def test_success_metrics_follow_the_order_of_the_words() -> None:
    assert success_metrics("заявок стало больше, а охват неважен") == ("leads", "reach")


@pytest.mark.parametrize("option", load_catalogue().question("aim").options, ids=lambda o: o.key)
def test_every_button_label_and_key_maps_to_its_own_option(option: Option) -> None:
    assert read_aim(option.key).aim == option.key
    assert read_aim(option.label.ru).aim == option.key
    assert read_aim(option.label.en).aim == option.key


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("продали всё до переезда", "units_sold"),
        ("we sold out the winter line", "units_sold"),
        ("our calendar is fully booked", "leads"),
        ("на вакансию откликнулись 20 человек", "leads"),
        ("more people visit the site", "traffic"),
        ("people recognise our brand", "reach"),
        ("много отзывов и повторных покупок", "engagement"),
    ],
)
def test_more_success_answers(text: str, metric: str) -> None:
    assert metric in success_metrics(text)
