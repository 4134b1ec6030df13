"""Realistic customers for the benchmark: Russian and German names, e-mails, phones in mixed formats."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sellerdesk.core import phones

# (Cyrillic, Latin) pairs; the Latin form makes the e-mail address.
RU_MALE = [
    ("Александр", "aleksandr"),
    ("Дмитрий", "dmitry"),
    ("Максим", "maxim"),
    ("Сергей", "sergey"),
    ("Андрей", "andrey"),
    ("Алексей", "alexey"),
    ("Иван", "ivan"),
    ("Михаил", "mikhail"),
    ("Николай", "nikolay"),
    ("Павел", "pavel"),
    ("Егор", "egor"),
    ("Тимур", "timur"),
    ("Роман", "roman"),
    ("Владимир", "vladimir"),
    ("Кирилл", "kirill"),
    ("Артём", "artem"),
    ("Борис", "boris"),
    ("Глеб", "gleb"),
    ("Юрий", "yuri"),
    ("Олег", "oleg"),
]
RU_FEMALE = [
    ("Анна", "anna"),
    ("Мария", "maria"),
    ("Елена", "elena"),
    ("Ольга", "olga"),
    ("Наталья", "natalia"),
    ("Татьяна", "tatiana"),
    ("Ирина", "irina"),
    ("Светлана", "svetlana"),
    ("Екатерина", "ekaterina"),
    ("Алина", "alina"),
    ("Дарья", "daria"),
    ("Ксения", "ksenia"),
    ("Полина", "polina"),
    ("Вера", "vera"),
    ("Юлия", "yulia"),
    ("Софья", "sofia"),
    ("Виктория", "viktoria"),
    ("Людмила", "ludmila"),
    ("Галина", "galina"),
    ("Нина", "nina"),
]
# Male surname; the female form is derived (-ов → -ова, -ий → -ая …).
RU_LAST = [
    ("Иванов", "ivanov"),
    ("Смирнов", "smirnov"),
    ("Кузнецов", "kuznetsov"),
    ("Попов", "popov"),
    ("Васильев", "vasiliev"),
    ("Петров", "petrov"),
    ("Соколов", "sokolov"),
    ("Михайлов", "mikhailov"),
    ("Новиков", "novikov"),
    ("Фёдоров", "fedorov"),
    ("Морозов", "morozov"),
    ("Волков", "volkov"),
    ("Алексеев", "alekseev"),
    ("Лебедев", "lebedev"),
    ("Семёнов", "semenov"),
    ("Егоров", "egorov"),
    ("Павлов", "pavlov"),
    ("Козлов", "kozlov"),
    ("Степанов", "stepanov"),
    ("Николаев", "nikolaev"),
    ("Орлов", "orlov"),
    ("Андреев", "andreev"),
    ("Макаров", "makarov"),
    ("Никитин", "nikitin"),
    ("Захаров", "zakharov"),
    ("Зайцев", "zaitsev"),
    ("Соловьёв", "soloviev"),
    ("Борисов", "borisov"),
    ("Яковлев", "yakovlev"),
    ("Григорьев", "grigoriev"),
    ("Романов", "romanov"),
    ("Воробьёв", "vorobiev"),
    ("Сергеев", "sergeev"),
    ("Кузьмин", "kuzmin"),
    ("Фролов", "frolov"),
    ("Александров", "aleksandrov"),
    ("Дмитриев", "dmitriev"),
    ("Королёв", "korolev"),
    ("Гусев", "gusev"),
    ("Киселёв", "kiselev"),
    ("Ильин", "ilyin"),
    ("Максимов", "maksimov"),
    ("Поляков", "polyakov"),
    ("Сорокин", "sorokin"),
    ("Виноградов", "vinogradov"),
    ("Ковалёв", "kovalev"),
    ("Белов", "belov"),
    ("Медведев", "medvedev"),
    ("Антонов", "antonov"),
    ("Тарасов", "tarasov"),
    ("Жуков", "zhukov"),
    ("Баранов", "baranov"),
    ("Филиппов", "filippov"),
    ("Комаров", "komarov"),
    ("Давыдов", "davydov"),
    ("Беляев", "belyaev"),
    ("Герасимов", "gerasimov"),
    ("Богданов", "bogdanov"),
    ("Осипов", "osipov"),
    ("Сидоров", "sidorov"),
    ("Матвеев", "matveev"),
    ("Титов", "titov"),
    ("Марков", "markov"),
    ("Миронов", "mironov"),
    ("Крылов", "krylov"),
    ("Куликов", "kulikov"),
    ("Карпов", "karpov"),
    ("Власов", "vlasov"),
    ("Мельников", "melnikov"),
    ("Денисов", "denisov"),
    ("Гаврилов", "gavrilov"),
    ("Тихонов", "tikhonov"),
    ("Казаков", "kazakov"),
    ("Афанасьев", "afanasiev"),
    ("Данилов", "danilov"),
    ("Савельев", "saveliev"),
    ("Тимофеев", "timofeev"),
    ("Фомин", "fomin"),
    ("Чернов", "chernov"),
    ("Абрамов", "abramov"),
    ("Мартынов", "martynov"),
    ("Ефимов", "efimov"),
    ("Федотов", "fedotov"),
    ("Щербаков", "shcherbakov"),
    ("Назаров", "nazarov"),
    ("Калинин", "kalinin"),
    ("Исаев", "isaev"),
    ("Чернышёв", "chernyshev"),
    ("Быков", "bykov"),
    ("Маслов", "maslov"),
    ("Родионов", "rodionov"),
    ("Коновалов", "konovalov"),
    ("Лазарев", "lazarev"),
    ("Воронин", "voronin"),
    ("Климов", "klimov"),
    ("Филатов", "filatov"),
    ("Пономарёв", "ponomarev"),
    ("Голубев", "golubev"),
    ("Кудрявцев", "kudryavtsev"),
    ("Прохоров", "prokhorov"),
    ("Наумов", "naumov"),
    ("Потапов", "potapov"),
    ("Журавлёв", "zhuravlev"),
    ("Овчинников", "ovchinnikov"),
    ("Трофимов", "trofimov"),
    ("Леонов", "leonov"),
    ("Соболев", "sobolev"),
    ("Ермаков", "ermakov"),
    ("Колесников", "kolesnikov"),
    ("Гончаров", "goncharov"),
    ("Емельянов", "emelyanov"),
    ("Никифоров", "nikiforov"),
    ("Грачёв", "grachev"),
    ("Котов", "kotov"),
    ("Гришин", "grishin"),
    ("Ефремов", "efremov"),
    ("Архипов", "arkhipov"),
    ("Громов", "gromov"),
    ("Кириллов", "kirillov"),
    ("Малышев", "malyshev"),
    ("Панов", "panov"),
    ("Моисеев", "moiseev"),
    ("Румянцев", "rumyantsev"),
    ("Акимов", "akimov"),
    ("Кондратьев", "kondratiev"),
    ("Бирюков", "biryukov"),
    ("Горбунов", "gorbunov"),
    ("Анисимов", "anisimov"),
    ("Еремин", "eremin"),
    ("Тихомиров", "tikhomirov"),
    ("Галкин", "galkin"),
    ("Лукьянов", "lukyanov"),
    ("Михеев", "mikheev"),
    ("Скворцов", "skvortsov"),
    ("Юдин", "yudin"),
    ("Белоусов", "belousov"),
    ("Нестеров", "nesterov"),
    ("Симонов", "simonov"),
    ("Прокофьев", "prokofiev"),
    ("Харитонов", "kharitonov"),
    ("Князев", "knyazev"),
    ("Цветков", "tsvetkov"),
    ("Левин", "levin"),
    ("Митрофанов", "mitrofanov"),
    ("Воронцов", "vorontsov"),
    ("Аксёнов", "aksenov"),
    ("Софронов", "sofronov"),
    ("Мальцев", "maltsev"),
    ("Логинов", "loginov"),
    ("Горшков", "gorshkov"),
    ("Савин", "savin"),
    ("Краснов", "krasnov"),
    ("Майоров", "mayorov"),
    ("Демидов", "demidov"),
    ("Елисеев", "eliseev"),
    ("Рыбаков", "rybakov"),
    ("Сафонов", "safonov"),
    ("Плотников", "plotnikov"),
    ("Суханов", "sukhanov"),
    ("Ширяев", "shiryaev"),
    ("Брагин", "bragin"),
    ("Зуев", "zuev"),
    ("Островский", "ostrovsky"),
    ("Вишневский", "vishnevsky"),
]
DE_FIRST = [
    "Lukas",
    "Leon",
    "Finn",
    "Jonas",
    "Paul",
    "Felix",
    "Maximilian",
    "Elias",
    "Noah",
    "Ben",
    "Moritz",
    "Jakob",
    "Tim",
    "Niklas",
    "Tobias",
    "Florian",
    "Stefan",
    "Thomas",
    "Michael",
    "Andreas",
    "Anna",
    "Lea",
    "Hannah",
    "Mia",
    "Emma",
    "Sophie",
    "Lena",
    "Laura",
    "Julia",
    "Katharina",
    "Johanna",
    "Clara",
    "Marie",
    "Charlotte",
    "Greta",
    "Sabine",
    "Petra",
    "Ursula",
    "Monika",
    "Jülide",
]
DE_LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Martin",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Schulte",
    "Dietrich",
    "Ziegler",
    "Kuhn",
    "Kühn",
    "Pohl",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Thomas",
    "Voigt",
    "Sauer",
    "Arnold",
    "Wolff",
    "Pfeiffer",
]
RU_DOMAINS = ["yandex.ru", "mail.ru", "gmail.com", "rambler.ru", "bk.ru", "inbox.ru", "list.ru"]
DE_DOMAINS = ["gmail.com", "web.de", "gmx.de", "t-online.de", "posteo.de", "outlook.de", "freenet.de"]
_DE_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})

RU_PHONE_FORMATS = [
    "+7 9{a} {b}-{c}-{d}",
    "8 (9{a}) {b}-{c}-{d}",
    "+79{a}{b}{c}{d}",
    "89{a}{b}{c}{d}",
    "+7 (9{a}) {b} {c} {d}",
    "8-9{a}-{b}-{c}-{d}",
]
DE_PHONE_FORMATS = [
    "+49 15{a} {b}{c}{d}",
    "015{a} {b}{c}{d}",
    "0049 15{a} {b} {c}{d}",
    "+49 (0) 15{a}-{b}{c}{d}",
    "015{a}/{b}{c}{d}",
]


def _female(last: str, latin: str) -> tuple[str, str]:
    if last.endswith(("ов", "ев", "ёв", "ин")):
        return last + "а", latin + "a"
    if last.endswith("ский"):
        return last[:-2] + "ая", latin[:-1] + "aya"
    return last, latin


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str
    phone: str
    region: str  # the phone's home region: RU or DE

    @property
    def phone_digits(self) -> str:
        return phones.normalize(self.phone, self.region)

    @property
    def last_name(self) -> str:
        return self.name.rsplit(" ", 1)[-1]


def phone_number(rng: random.Random, region: str) -> str:
    fmt = rng.choice(RU_PHONE_FORMATS if region == "RU" else DE_PHONE_FORMATS)
    return fmt.format(
        a=rng.randint(10, 99) if region == "RU" else rng.randint(1, 9),
        b=rng.randint(100, 999),
        c=f"{rng.randint(0, 99):02d}",
        d=f"{rng.randint(0, 99):02d}",
    )


def person(rng: random.Random, serial: int) -> Person:
    """One customer. `serial` keeps the e-mail unique across the marketplace."""
    if rng.random() < 0.6:
        region = "RU"
        female = rng.random() < 0.55
        first, first_latin = rng.choice(RU_FEMALE if female else RU_MALE)
        last, last_latin = rng.choice(RU_LAST)
        if female:
            last, last_latin = _female(last, last_latin)
        domain = rng.choice(RU_DOMAINS)
    else:
        region = "DE"
        first = rng.choice(DE_FIRST)
        last = rng.choice(DE_LAST)
        first_latin = first.lower().translate(_DE_TRANSLIT)
        last_latin = last.lower().translate(_DE_TRANSLIT)
        domain = rng.choice(DE_DOMAINS)
    style = rng.randrange(4)
    if style == 0:
        local = f"{first_latin}.{last_latin}"
    elif style == 1:
        local = f"{first_latin[0]}{last_latin}"
    elif style == 2:
        local = f"{last_latin}.{first_latin}"
    else:
        local = f"{first_latin}_{last_latin[:4]}"
    email = f"{local}{serial}@{domain}" if rng.random() > 0.04 else ""  # a few buy by phone only
    phone = phone_number(rng, region) if rng.random() > 0.03 else ""
    return Person(name=f"{first} {last}", email=email, phone=phone, region=region)
