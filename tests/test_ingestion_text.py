"""The stored text and the header read from it: normalization, captions and promotional lines,
headline / byline / outlet / dateline / date, on both seeds and on small table-driven cases."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from pipeline.ingestion import document_from_bytes, normalize_text, parse_header
from pipeline.ingestion.cleaning import clean_text
from pipeline.ingestion.header import parse_byline, parse_dateline

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AP = "ap-children-flee-islamic-state.txt"
NYT = "nyt-desperate-exodus-from-isis-final-village.txt"


def seed(name: str):
    return document_from_bytes((SEEDS / name).read_bytes(), name)


def test_ap_seed_header():
    doc = seed(AP)
    assert doc.status == "ok"
    assert doc.title == "Children flee Islamic State"
    assert doc.byline == "Sarah El Deeb"
    assert doc.outlet == "The Associated Press"
    assert doc.dateline == "BAGHOUZ, Syria"
    assert doc.text.split("\n")[0] == "Children flee Islamic State"
    assert "BAGHOUZ, Syria — A convoy of trucks" in doc.text
    assert "Some 300 IS militants" in doc.text


def test_nyt_seed_header_caption_and_promo():
    doc = seed(NYT)
    assert doc.status == "ok"
    assert doc.title == "A desperate exodus from ISIS' final village"
    assert doc.dateline == "DEIR AL-ZOUR PROVINCE, SYRIA"
    assert doc.outlet == "The New York Times"
    assert doc.text.startswith("A desperate exodus from ISIS' final village\n\nDEIR AL-ZOUR")
    assert "PHOTO: NY TIMES" not in doc.text
    assert "rooftop near the village of Baghuz" not in doc.text
    assert "Telegram" not in doc.text
    assert doc.text.endswith("did not survive the caliphate.")
    assert "between 20,000 and 30,000" in doc.text


def test_normalization():
    raw = "Head\r\nline  \r\n\r\n\r\n\r\n\r\nCafe\u0301 millio\u00adn\u200b\t \rlast\u2028x  \n\n"
    assert normalize_text(raw) == "Head\nline\n\nCafé million\nlast\nx"
    assert normalize_text(normalize_text(raw)) == normalize_text(raw)


CLEANING = [
    (
        "caption ending PHOTO:",
        "Head\n\nMen on a roof, Feb 2. PHOTO: NY TIMES\n\nBody.",
        "Head\n\nBody.",
    ),
    ("(Photo: Reuters)", "Head\n\nA boy in a camp. (Photo: Reuters)\n\nBody.", "Head\n\nBody."),
    ("Photo: AFP", "Head\n\nRescuers dig. Photo: AFP\n\nBody.", "Head\n\nBody."),
    ("credit line", "Head\n\nPhoto: UN Photo/Tim McKulka\n\nBody.", "Head\n\nBody."),
    ("[Image caption]", "Head\n\n[Image caption] Refugees at a border\n\nBody.", "Head\n\nBody."),
    ("Caption:", "Head\n\nCaption: Tents in a field\n\nBody.", "Head\n\nBody."),
    ("Image:", "Head\n\nImage: Getty\n\nBody.", "Head\n\nBody."),
    ("BBC", "Head\n\nImage copyright AP Image caption Both sides fired\n\nBody.", "Head\n\nBody."),
    (
        "agency/photographer",
        "Head\n\nVillagers sit. REUTERS/Krishna Kishan\n\nBody.",
        "Head\n\nBody.",
    ),
    (
        "Telegram",
        "Head\n\nBody.\n\nJoin ST's Telegram channel and get the latest breaking news "
        "delivered to you.",
        "Head\n\nBody.",
    ),
    (
        "tail block",
        "Head\n\nBody.\n\nFollow us on Twitter\nSign up for our newsletter\n\nTopics: "
        "floods\n\nFirst posted",
        "Head\n\nBody.",
    ),
    ("read more anywhere", "Head\n\nRead more: Other story with 30 dead\n\nBody.", "Head\n\nBody."),
    ("credit kept", "Head\n\nBody.\n\nAFP/Reuters", "Head\n\nBody.\n\nAFP/Reuters"),
    (
        "agency mark kept",
        "Head\n\nA photo of a flood. (Xinhua)\n\nBody.",
        "Head\n\nA photo of a flood. (Xinhua)\n\nBody.",
    ),
    (
        "Photo taken kept",
        "Head\n\nPhoto taken on May 10 shows 10,000 relocated.\n\nBody.",
        "Head\n\nPhoto taken on May 10 shows 10,000 relocated.\n\nBody.",
    ),
    ("headline never removed", "Photo: the headline\n\nBody.", "Photo: the headline\n\nBody."),
]


@pytest.mark.parametrize(("case", "text", "expected"), CLEANING, ids=[c[0] for c in CLEANING])
def test_captions_and_promotional_lines(case, text, expected):
    assert clean_text(normalize_text(text)) == expected


DATELINES = [
    ("BAGHOUZ, Syria — A convoy", "BAGHOUZ, Syria", None, None),
    (
        "DEIR AL-ZOUR PROVINCE, SYRIA (NYTIMES) - The men",
        "DEIR AL-ZOUR PROVINCE, SYRIA",
        "The New York Times",
        None,
    ),
    ("JINGGU, Yunnan, Oct. 8 (Xinhua) -- A vigil", "JINGGU, Yunnan", "Xinhua", None),
    ("MOSCOW (Sputnik) – The Soufan Group", "MOSCOW", "Sputnik", None),
    ("KOLKATA: Floods from days of rain", "KOLKATA", None, None),
    (
        "P.S. PORA, India/SIALKOT, Pakistan, Oct 10 (Thomson Reuters Foundation) - It was",
        "P.S. PORA, India/SIALKOT, Pakistan",
        "Thomson Reuters Foundation",
        None,
    ),
    ("September 10, 2015 (BOR) - Persistent floods", "BOR", None, date(2015, 9, 10)),
    ("CHAD (23 Aug.) - Thousands of homes", "CHAD", None, None),
    ("Jayapura (ANTARA News) - At least 153", "Jayapura", "Antara News", None),
    ("South Darfur — A downpour", "South Darfur", None, None),
    (
        "UNITED NATIONS, Jan. 5, 2016 (AP) — Aid",
        "UNITED NATIONS",
        "The Associated Press",
        date(2016, 1, 5),
    ),
    ("LAGOS, Nigeria (XYZWIRE) — New", "LAGOS, Nigeria", "XYZWIRE", None),
]
NOT_DATELINES = [
    "Three of the 17 Americans - kidnapped in October - were freed.",
    "The mayor said: Many people fled.",
    "Officials say - without evidence - that 20 died.",
    "Kashmir: Civilians flee as border fighting continues",
    "Update 26 June 2014",
]


@pytest.mark.parametrize(("para", "place", "outlet", "published"), DATELINES)
def test_datelines(para, place, outlet, published):
    found = parse_dateline(para)
    assert found is not None
    assert (found.place, found.outlet, found.published_date) == (place, outlet, published)


@pytest.mark.parametrize("para", NOT_DATELINES)
def test_not_datelines(para):
    assert parse_dateline(para) is None


BYLINES = [
    ("Sarah El Deeb\nThe Associated Press", ("Sarah El Deeb", "The Associated Press")),
    ("By Fayaz Bukhari and Katharine Houreld", ("Fayaz Bukhari and Katharine Houreld", None)),
    ("By Jane Roe, Reuters", ("Jane Roe", "Reuters")),
    ("BY JOHN SMITH\nAP", ("JOHN SMITH", "The Associated Press")),
    ("Sarah El Deeb / The Associated Press", ("Sarah El Deeb", "The Associated Press")),
    ("Updated", (None, None)),
    ("Iraq Floods", (None, None)),
    ("Thousands fled the town on Monday.", (None, None)),
]


@pytest.mark.parametrize(("block", "expected"), BYLINES)
def test_bylines(block, expected):
    assert parse_byline(block) == expected


HEADERS = [
    # (text, title, dateline, published_date)
    (
        "Malaysia – 3,000 Evacuate After Floods\n\nNDMA reports 3,000 evacuated.",
        "Malaysia – 3,000 Evacuate After Floods",
        None,
        None,
    ),
    ("MOSCOW (Sputnik) – The group said 12,000 fighters came.\n\nMore.", None, "MOSCOW", None),
    ("Three soldiers were killed on Thursday.\n\nMore text.", None, None, None),
    (
        "Headline\n\n| Updated Tue, December 1st 2015 at 00:00 GMT +3\n\nBody 3.",
        "Headline",
        None,
        date(2015, 12, 1),
    ),
    ("Headline\n\nPublished: 3 March 2019\n\nBody 3.", "Headline", None, date(2019, 3, 3)),
    ("Only one line", None, None, None),
    ("Is this a question?\n\nYes, 3.", "Is this a question?", None, None),
]


@pytest.mark.parametrize(("text", "title", "dateline", "published"), HEADERS)
def test_headers(text, title, dateline, published):
    h = parse_header(text)
    assert (h.title, h.dateline, h.published_date) == (title, dateline, published)


def test_hostile_single_long_line_is_linear():
    line = ("A - " * 250_000) + ("PHOTO: " * 100_000) + ("(" * 100_000)
    start = time.perf_counter()
    doc = document_from_bytes(line.encode(), "long.txt")
    assert doc.status == "ok"
    assert time.perf_counter() - start < 5
