"""Places a figure refers to: sentence place, dateline and main-place fallbacks, longest match,
stop-listed names, aliases, and linear time on hostile input."""

from __future__ import annotations

import time

import pytest

from pipeline.contract import DocumentContext
from pipeline.extraction.gazetteer import get_index
from pipeline.extraction.places import DocumentPlaces, PlaceMatch


def place_of(text: str, sentence: str, **context: str | None) -> PlaceMatch | None:
    """The place for `sentence`, which must occur in `text`."""
    start = text.index(sentence)
    places = DocumentPlaces(text, DocumentContext(**context))
    return places.for_sentence(start, start + len(sentence))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The most specific place the sentence names.
        (
            "Seven people have died in central China's Hunan Province, five in the eastern "
            "province of Jiangxi.",
            PlaceMatch("Hunan", "CHN"),
        ),
        (
            "Flooding forced 10,000 residents from Suining County, central China's Hunan Province.",
            PlaceMatch("Suining", "CHN"),
        ),
        ("At least 41 people died in southeast Brazil.", PlaceMatch("Brazil", "BRA")),
        (
            "In Espirito Santo state, officials reported 27 fatalities.",
            PlaceMatch("Espírito Santo", "BRA"),
        ),
        ("Some 300 families fled to Deir al-Zour.", PlaceMatch("Deir ez-Zor", "SYR")),
        ("About 2,000 people sheltered in al-Anbar.", PlaceMatch("Al Anbar", "IRQ")),
        # Longest match.
        ("Officials in New Delhi said 12 people died.", PlaceMatch("New Delhi", "IND")),
        ("Fighting displaced 5,000 people in South Sudan.", PlaceMatch("South Sudan", "SSD")),
        (
            "Floods hit Bosnia and Herzegovina, killing 20.",
            PlaceMatch("Bosnia and Herzegovina", "BIH"),
        ),
        # Aliases the gazetteer lacks.
        ("The U.S. sent 200 troops.", PlaceMatch("United States", "USA")),
        (
            "Some 1,000 refugees crossed from the DRC.",
            PlaceMatch("Democratic Republic of the Congo", "COD"),
        ),
        ("Burma said 30 villagers were missing.", PlaceMatch("Myanmar", "MMR")),
        # Demonyms do not name the place: the named place does.
        ("About 300 Syrian refugees arrived in Lebanon.", PlaceMatch("Lebanon", "LBN")),
    ],
)
def test_place_named_in_sentence(sentence: str, expected: PlaceMatch) -> None:
    assert place_of(sentence, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Most of the 300 people left on foot.",  # "Most" is a Czech town
        "Along the road, 40 trucks waited.",  # "Along" is an Indian town
        "Police said 12 people were arrested.",  # "Police" is a Polish town
        "Hurricane Florence forced 10,000 people from their homes.",
        "Mark Gunning said 116 houses had been destroyed.",
        "The Kenya Red Cross said 500 families needed shelter.",
        "The Syrian Democratic Forces said 300 militants surrendered.",
        "The New York Times reported 20 deaths.",
        "President Donald Trump said 2,000 troops would leave.",
    ],
)
def test_common_words_and_names_are_not_places(sentence: str) -> None:
    places = DocumentPlaces(sentence, DocumentContext())
    assert places.for_sentence(0, len(sentence)) is None
    assert places.mentions() == []


AP_TEXT = (
    "Children flee Islamic State\n\n"
    "BAGHOUZ, Syria — A convoy of trucks carrying hundreds of men, women and children left "
    "the last enclave held by Islamic State militants in eastern Syria on Wednesday.\n\n"
    "Some 300 IS militants — many of them foreign fighters — are believed to be holed up in "
    "the enclave, along with several hundred civilians.\n"
)
NYT_TEXT = (
    "A desperate exodus from ISIS' final village\n\n"
    "DEIR AL-ZOUR PROVINCE, SYRIA (NYTIMES) - The men who emerge from the Islamic State's "
    "last sliver of land are ordered to sit behind one of two orange lines.\n\n"
    "Several of the escapees are so badly wounded that they have to be carried on mattresses.\n"
)


@pytest.mark.parametrize(
    ("text", "dateline", "sentence", "expected"),
    [
        (
            AP_TEXT,
            "BAGHOUZ, Syria",
            "Some 300 IS militants — many of them foreign fighters — are believed to be holed up "
            "in the enclave, along with several hundred civilians.",
            PlaceMatch("Baghouz", "SYR"),
        ),
        (
            NYT_TEXT,
            "DEIR AL-ZOUR PROVINCE, SYRIA",
            "Several of the escapees are so badly wounded that they have to be carried on "
            "mattresses.",
            PlaceMatch("Deir ez-Zor", "SYR"),
        ),
        (
            "Officials said 30 homes burned.",
            "CHANGSHA, May 10 (Xinhua)",
            "Officials said 30 homes burned.",
            PlaceMatch("Changsha", "CHN"),
        ),
        (
            "About 20 homes burned.",
            "JACKSON, Miss.",
            "About 20 homes burned.",
            PlaceMatch("Jackson", "USA"),
        ),
        ("About 20 homes burned.", "CHAD", "About 20 homes burned.", PlaceMatch("Chad", "TCD")),
        (
            "About 20 homes burned.",
            "R.S. PORA, India/SIALKOT, Pakistan",
            "About 20 homes burned.",
            PlaceMatch("R.S. Pora", "IND"),
        ),
        # An ambiguous dateline name resolves to the country the text is about.
        (
            "Floods hit Jonglei in South Sudan. About 20 homes burned.",
            "BOR",
            "About 20 homes burned.",
            PlaceMatch("Bor", "SSD"),
        ),
    ],
)
def test_dateline_fallback(text: str, dateline: str, sentence: str, expected: PlaceMatch) -> None:
    assert place_of(text, sentence, dateline=dateline) == expected


def test_sentence_place_beats_dateline() -> None:
    sentence = "the last enclave held by Islamic State militants in eastern Syria on Wednesday."
    assert place_of(AP_TEXT, sentence, dateline="BAGHOUZ, Syria") == PlaceMatch("Syria", "SYR")


def test_document_main_place_fallback_weights_headline() -> None:
    text = (
        "Floods displace thousands in Kenya\n\n"
        "Heavy rain fell for a week. About 4,000 families were displaced. Kenya's Red Cross "
        "said more rain was expected. A convoy reached the Uganda border with 12 trucks."
    )
    assert place_of(text, "About 4,000 families were displaced.") == PlaceMatch("Kenya", "KEN")
    # The title given in the context counts even when the text does not repeat it.
    body = "About 4,000 families were displaced. Aid came from Uganda. Uganda sent 12 trucks."
    assert place_of(body, "About 4,000 families were displaced.") == PlaceMatch("Uganda", "UGA")
    assert place_of(
        body, "About 4,000 families were displaced.", title="Kenya floods: Kenya, Kenya"
    ) == PlaceMatch("Kenya", "KEN")


def test_no_place_anywhere_gives_none() -> None:
    text = "About 4,000 families were displaced by the rains."
    assert place_of(text, text) is None


@pytest.mark.parametrize(
    ("text", "sentence", "expected"),
    [
        # An ambiguous name resolves to the country the document is about.
        (
            "Storms hit the United States. In Georgia, 12 people died.",
            "In Georgia, 12 people died.",
            PlaceMatch("Georgia", "USA"),
        ),
        (
            "In Georgia, 12 people died.",
            "In Georgia, 12 people died.",
            PlaceMatch("Georgia", "GEO"),
        ),
        (
            "Pakistan was hit hard. In Punjab 40 people died.",
            "In Punjab 40 people died.",
            PlaceMatch("Punjab", "PAK"),
        ),
        (
            "India was hit hard. In Punjab 40 people died.",
            "In Punjab 40 people died.",
            PlaceMatch("Punjab", "IND"),
        ),
        # A headline in title case still names its places.
        (
            "14 Dead, 337,000 Evacuated In Southern China Floods\n\nThe storms hit hard.",
            "The storms hit hard.",
            PlaceMatch("China", "CHN"),
        ),
    ],
)
def test_context_resolves_ambiguous_names(text: str, sentence: str, expected: PlaceMatch) -> None:
    assert place_of(text, sentence) == expected


def test_seed_sentence_names_places() -> None:
    sentence = (
        "Its recapture by U.S.-backed Syrian fighters would spell the territorial defeat of IS "
        "and allow President Donald Trump to begin withdrawing American troops from northern "
        "Syria, as he has pledged to do."
    )
    assert place_of(sentence, sentence) == PlaceMatch("Syria", "SYR")


def test_for_sentence_outside_any_match_and_empty_text() -> None:
    places = DocumentPlaces("", DocumentContext())
    assert places.for_sentence(0, 0) is None
    text = "Kenya said 30 died."
    assert DocumentPlaces(text, DocumentContext()).for_sentence(50, 80) == PlaceMatch(
        "Kenya", "KEN"
    )


def test_index_is_built_once() -> None:
    assert get_index() is get_index()


@pytest.mark.parametrize(
    "hostile",
    [
        "A" * 1_000_000,
        "Syria" * 200_000,
        " ".join(["Kenya", "Red", "Cross", "Nairobi"] * 25_000),  # 100,000 capitalised words
        " ".join(["New"] * 100_000),
        ("al-" * 300_000) + "Anbar",
        "U.S." * 250_000,
        "\n".join(["Kenya Of The And"] * 20_000),
    ],
)
def test_hostile_input_finishes_in_linear_time(hostile: str) -> None:
    get_index()
    started = time.process_time()
    places = DocumentPlaces(hostile, DocumentContext(title=hostile[:1000], dateline=hostile[:500]))
    places.for_sentence(0, len(hostile))
    assert time.process_time() - started < 5.0


def test_gazetteer_cache_round_trip(tmp_path, monkeypatch) -> None:
    """The compact cache file gives back the index that was built, candidate for candidate."""
    from pipeline.extraction import gazetteer

    monkeypatch.setenv("FIGURES_CACHE_DIR", str(tmp_path))
    built = gazetteer._load_or_build()  # no cache yet: builds and writes it
    assert gazetteer.cache_path().exists()
    loaded = gazetteer.load_cached()
    assert loaded is not None
    assert loaded.places == built.places and loaded.prefixes == built.prefixes
    assert loaded.stop == built.stop and loaded.country_names == built.country_names
    for key in ("syria", "new delhi", "deir ez zor", "hunan", "drc", "syrian"):
        assert loaded.candidates(key) == built.candidates(key) != ()
    assert loaded.candidates("no such place") == ()


def test_gazetteer_cache_off_and_unreadable(tmp_path, monkeypatch) -> None:
    from pipeline.extraction import gazetteer

    monkeypatch.setenv("FIGURES_CACHE_DIR", "")
    assert gazetteer.cache_path() is None and gazetteer.load_cached() is None
    monkeypatch.setenv("FIGURES_CACHE_DIR", str(tmp_path))
    gazetteer.cache_path().write_bytes(b"not a marshal stream")
    assert gazetteer.load_cached() is None
