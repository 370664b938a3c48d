"""Words that say what a goal measures (docs/goal-spec.md §1), as data.

:data:`CUES` maps each of the 14 metrics to the words that name it, Russian and English, on
normalized text (lower case, «ё» → «е»). A cue is only evidence: the extractor weighs cues by
where they sit relative to the goal number, means vs outcome and the tie-breaks of §1. The
contexts below (mailing lists, events, selling off stock) carry those tie-breaks.

Nothing here decides the metric on its own, and nothing here is user-facing text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final

from bot.goals.scanning import WordPatterns, word_starts

__all__ = [
    "CUES",
    "EVENT_CONTEXT_RE",
    "LIST_CONTEXT_RE",
    "SELL_VERB_RE",
    "Cue",
    "CueKind",
    "find_cues",
]


class CueKind(Enum):
    NOUN = "noun"  # names the metric outright: «подписчиков», "demo requests"
    RATE = "rate"  # a rate whose level is a percent even without «%»: ER, вовлечённость
    COUNTED = "counted"  # a metric only right after a number: «30 мест», "20 clients"
    STOCK = "stock"  # остатки, партия, коллекция: units_sold only when selling is mentioned
    WEAK = "weak"  # loose evidence used when nothing better is said: «человек», «продать»
    SIGNUP = "signup"  # регистрации, sign-ups: leads, or subscribers when joining a list


@dataclass(frozen=True, slots=True)
class Cue:
    metric: str
    kind: CueKind
    start: int
    end: int


_N, _R, _C, _S, _W, _U = (
    CueKind.NOUN,
    CueKind.RATE,
    CueKind.COUNTED,
    CueKind.STOCK,
    CueKind.WEAK,
    CueKind.SIGNUP,
)

CUES: Final[tuple[tuple[str, CueKind, tuple[str, ...]], ...]] = (
    (
        "cpl",
        _N,
        (
            r"(?:стоимост[а-я]*|цен[аеуы]|cost)\s+(?:одного\s+|одной\s+|за\s+|per\s+|of\s+(?:a\s+|one\s+)?)?"
            r"(?:лид[а-я]*|заяв(?:ки|ку|ок|ка)|обращени[а-я]*|leads?)",
            r"cpl",
            r"cost[- ]per[- ]lead",
        ),
    ),
    (
        "conversion",
        _N,
        (
            r"(?:конверси[а-я]*|cr)\s+(?:из\s+[а-я]+\s+)?(?:в|to|into)\s+(?:заявк[а-я]*|покупк[а-я]*"
            r"|продаж[а-я]*|лид[а-я]*|оплат[а-я]*|запис[а-я]*|регистрац[а-я]*|заказ[а-я]*|sales?"
            r"|leads?|purchases?|orders?|sign-?ups?)",
            r"(?:leads?|sales?|purchase|checkout|visit|visitor)(?:[- ]to[- ](?:lead|sale|purchase|order))?"
            r"\s+conversion(?: rate)?",
            r"конверси[а-я]*",
            r"cr",
            r"cvr",
            r"conversion rates?",
            r"conversion",
        ),
    ),
    (
        "ctr",
        _N,
        (r"ctr", r"кликабельн[а-я]*", r"click-?through(?:[- ]rates?)?", r"click through rates?"),
    ),
    (
        "engagement",
        _R,
        (r"err?", r"вовлеченност[а-я]*", r"вовлечени[а-я]*", r"engagement(?: rates?)?"),
    ),
    (
        "engagement",
        _N,
        (
            r"лайк[а-я]*",
            r"likes?",
            r"комментари[а-я]*",
            r"коммент(?:ы|ов|а|ам)?",
            r"comments?",
            r"реакци[а-я]*",
            r"reactions?",
            r"репост[а-я]*",
            r"reposts?",
            r"shares",
            r"шер(?:ы|ов)",
            r"сохранени[а-я]*",
            r"сохранок",
            r"сейв(?:ы|ов)",
            r"saves",
            r"interactions?",
            r"взаимодейств[а-я]*",
            r"активност[а-я]*",
        ),
    ),
    (
        "reach",
        _N,
        (
            r"охват[а-я]*",
            r"people reached",
            r"unique reach",
            # the noun, not the verb: "increase reach to 8,000" but not "reach 50k people"
            r"(?<!to )reach(?!\s+(?:\d|\$|the\b|an?\b|our\b|at least|over\b|more than|up to|around\b"
            r"|about\b|approx\w*|roughly|one\b|two\b|three\b|five\b|ten\b|twenty\b|fifty\b|half\b"
            r"|new\b))",
        ),
    ),
    (
        "views",
        _N,
        (
            r"просмотр[а-я]*",
            r"views?",
            r"view count",
            r"прочтени[а-я]*",
            r"дочитыван[а-я]*",
            r"reads",
            r"plays",
            r"прослушивани[а-я]*",
            r"показ(?:ы|ов|ам|ами)",
            r"impressions?",
        ),
    ),
    (
        "traffic",
        _N,
        (
            r"переход[а-я]*",
            r"визит[а-я]*",
            r"посетител[а-я]*",
            r"посещени[а-я]*",
            r"посещаемост[а-я]*",
            r"трафик[а-я]*",
            r"клик(?:ов|и|а|ам|ами)?",
            r"visits?",
            r"visitors?",
            r"traffic",
            r"clicks?",
            r"sessions?",
            r"click-?throughs",
        ),
    ),
    (
        "leads",
        _N,
        (
            r"заяв(?:ка|ки|ок|ку|кам|ками|ке|ках|очк[а-я]*)",
            r"лид(?:ы|ов|а|ам|ами|у|ом|ах)?",
            r"лидогенерац[а-я]*",
            r"лидген[а-я]*",
            r"обращени[а-я]*",
            r"запис(?:ь|и|ей|ям|ями|ях)",
            r"предзапис[а-я]*",
            r"записал[а-я]*",
            r"записаться",
            r"бронировани[а-я]*",
            r"брон(?:ь|и|ей)",
            r"звонк(?:и|ов|а|ам)",
            r"анкет[а-я]*",
            r"отклик[а-я]*",
            r"leads?",
            r"bookings?",
            r"booked (?:calls?|demos?|consultations?|appointments?)",
            r"demo requests?",
            r"demos?",
            r"inquir[a-z]*",
            r"enquir[a-z]*",
            r"appointments?",
            r"consultations?",
            r"applications?",
            r"applicants?",
            r"mqls?",
            r"sqls?",
            r"quote requests?",
            r"requests?",
        ),
    ),
    (
        "leads",
        _U,
        (
            r"регистрац[а-я]*",
            r"зарегистрир[а-я]*",
            r"registrations?",
            r"registrants?",
            r"sign-?ups?",
            r"sign ups?",
        ),
    ),
    (
        "leads",
        _C,
        (
            r"calls?",
            r"prospects?",
            # enrolments on a course: sign-ups counted as people («40 учеников на курс»)
            r"учени(?:ков|ка|ки|к)",
            r"учениц",
            r"студент(?:ов|а|ы)?",
            r"слушател(?:ей|я|и)",
            r"students?",
            r"enrol(?:l)?ments?",
            r"attendees?",
        ),
    ),
    (
        "sales",
        _N,
        (
            r"продаж[а-я]*",
            r"заказ(?:ы|ов|а|у|ом|ам|ами|ах)?",
            r"покуп(?:ок|ки|ка|ку|кам|ками)",
            r"сдел(?:ок|ки|ка|ку|кам)",
            r"билет[а-я]*",
            r"оплат[а-я]*",
            r"абонемент[а-я]*",
            r"sales?",
            r"orders?",
            r"purchases?",
            r"deals?",
            r"tickets?",
            r"transactions?",
            r"enrol+ments?",
            r"(?:новых|постоянных|платящих)\s+(?:клиент[а-я]*|покупател[а-я]*)",
            r"(?:new|paying)\s+(?:customers?|clients?)",
        ),
    ),
    (
        "sales",
        _C,
        (
            r"мест(?:а)?",
            r"seats?",
            r"клиент[а-я]*",
            r"покупател[а-я]*",
            r"customers?",
            r"clients?",
            r"buyers?",
        ),
    ),
    (
        "units_sold",
        _N,
        (
            r"шт\b\.?",
            r"штук[а-я]*",
            r"единиц[а-я]*",
            r"units?",
            r"pieces?",
            r"pcs",
            r"неликвид[а-я]*",
        ),
    ),
    (
        "units_sold",
        _C,
        (
            r"пар(?:ы)?",
            r"items?",
            r"комплект(?:а|ов|ы)?",
            r"позици(?:я|и|й|ю)",
            r"товар(?:а|ов|ы)?",
            r"издели(?:е|я|й)",
            r"skus?",
        ),
    ),
    (
        "units_sold",
        _S,
        (
            r"остат(?:ок|ки|ков|кам|ками|ка)",
            r"сток[а-я]*",
            r"парти(?:я|ю|и)",
            r"коллекци[а-я]*",
            r"stock",
            r"inventory",
            r"leftovers?",
            r"collection",
        ),
    ),
    (
        "revenue",
        _N,
        (
            r"выручк[а-я]*",
            r"оборот[а-я]*",
            r"доход[а-я]*",
            r"заработ[а-я]*",
            r"зарабатыва[а-я]*",
            r"прибыл[а-я]*",
            r"revenue",
            r"earn(?:ings|ing|ed)?",
            r"income",
            r"turnover",
            r"gmv",
            r"mrr",
            r"arr",
            r"profits?",
        ),
    ),
    (
        "followers",
        _N,
        (
            r"подписч[а-я]*",
            r"подпищик[а-я]*",
            r"подписот[а-я]*",
            r"подпис(?:ок|ки|ку)",
            r"участник[а-я]*",
            r"фол+ов[еа]р[а-я]*",
            r"фал+ов[еа]р[а-я]*",
            r"мембер[а-я]*",
            r"members?",
            r"followers?",
            r"follows",
            r"subscribers?",
            r"subs",
            r"subscriptions?",
            r"(?:при)?рост[а-я]* аудитори[а-я]*",
            r"audience growth",
            r"fans?",
            r"fanbase",
            r"вступлени[а-я]*",
        ),
    ),
    (
        "content",
        _N,
        (
            r"пост(?:ов|ы|а|ам|ами|ах|ик[а-я]*)?",
            r"публикаци[а-я]*",
            r"ролик[а-я]*",
            r"видеоролик[а-я]*",
            r"клип(?:ов|ы|а|ам)?",
            r"стат(?:ья|ьи|ей|ью|ьям|ьями)",
            r"сторис[а-я]*",
            r"сториз",
            r"видео",
            r"рилс[а-я]*",
            r"шортс[а-я]*",
            r"выпуск[а-я]*",
            r"подкаст[а-я]*",
            r"пин(?:ов|ы|а)",
            r"эфир(?:ов|ы|а)?",
            r"стрим[а-я]*",
            r"лонгрид[а-я]*",
            r"карусел[а-я]*",
            r"кейс(?:ов|а|ы)",
            r"писем",
            r"posts?",
            r"pins?",
            r"pinning",
            r"videos?",
            r"articles?",
            r"stories",
            r"reels?",
            r"shorts",
            r"episodes?",
            r"blog ?posts?",
            r"publications?",
            r"carousels?",
            r"newsletters",
            r"tiktoks",
            r"live streams?",
            r"streams?",
            r"podcasts?",
            r"emails",
        ),
    ),
    ("reach", _W, (r"reach(?:ing|ed)?",)),
    ("followers", _W, (r"аудитори[а-я]*", r"audience", r"человек", r"людей", r"people")),
    (
        "units_sold",
        _W,
        (
            r"(?:рас)?прода(?:ть|ем|м|дим|вать|вали|ли|ди|йте|ст|ет|ют|лось|дут)",
            r"реализова[а-я]*",
            r"реализаци[а-я]*",
            r"слить",
            r"сливать",
            r"распрода[а-я]*",
            r"sell[a-z]*",
            r"sold",
            r"clear(?:ing)?",
        ),
    ),
)

_CUE_INDEX: Final = WordPatterns(
    (((metric, kind), pattern, ()) for metric, kind, patterns in CUES for pattern in patterns),
    suffix=r"(?![a-zа-я])",
)

SELL_VERB_RE: Final = re.compile(
    r"(?<![\w-])(?:(?:рас)?прода[а-я]*|реализ[а-я]*|слить|сливать|слей|sell[a-z]*|sold|clear(?:ing)?|"
    r"move|offload|liquidat[a-z]*)(?![a-zа-я])"
)
LIST_CONTEXT_RE: Final = re.compile(
    r"(?<![\w])(?:рассылк[а-я]*|e-?mail[a-zа-я]*|имейл[а-я]*|емейл[а-я]*|почт[а-я]*|newsletter[a-z]*"
    r"|mailing[a-z]*|(?:чат-?)?бот(?:а|у|ом|е|ов|ы)?|chat-?bots?|bots?|senler|сенлер[а-я]*"
    r"|waitlist|wait list|лист[а-я]* ожидания|opt-?ins?|(?:contact|subscriber) list)(?![a-zа-я])"
)
EVENT_CONTEXT_RE: Final = re.compile(
    r"(?<![\w-])(?:вебинар[а-я]*|webinars?|пробн[а-я]*|trials?|консультаци[а-я]*|consultations?"
    r"|мероприяти[а-я]*|events?|интенсив[а-я]*|марафон[а-я]*|мастер-?класс[а-я]*|masterclass[a-z]*"
    r"|урок[а-я]*|lessons?|demos?|демо|эфир[а-я]*|встреч[а-я]*|workshops?|воркшоп[а-я]*|classes"
    r"|курс[а-я]*|courses?|конференци[а-я]*|conferences?|экскурси[а-я]*|тренировк[а-я]*|занят[а-я]*)"
    r"(?![a-zа-я])"
)


def find_cues(norm: str, starts: Sequence[int] | None = None) -> list[Cue]:
    """Every metric cue in normalized text, in order; overlapping cues keep the longest.

    «стоимость заявки» is one ``cpl`` cue, not also a ``leads`` cue; «конверсия в заявку» is
    one ``conversion`` cue. ``starts`` are the word starts of ``norm`` if already known.
    """
    if starts is None:
        starts = word_starts(norm)
    # «email-рассылка»: a cue never starts right after a hyphen.
    heads = [i for i in starts if i == 0 or norm[i - 1] != "-"] if "-" in norm else starts
    return [
        Cue(found.key[0], found.key[1], found.start, found.end)
        for found in _CUE_INDEX.longest(norm, heads)
    ]
