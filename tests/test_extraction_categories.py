"""Counted nouns and categories: the event decides before the noun, households, places,
vehicles and things keep their own category, elliptical subjects take the verb's."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extraction import extract_figures


def figure(text: str, mention: str):
    for f in extract_figures(text):
        if f.mention == mention:
            return f
    raise AssertionError(f"{mention!r} not found in {[g.mention for g in extract_figures(text)]}")


@pytest.mark.parametrize(
    ("text", "mention", "category", "unit"),
    [
        # What happened to the people decides before who they are.
        ("12 civilians were killed in the attack.", "12", "killed", "civilians"),
        ("8,000 families were evacuated from the area.", "8,000", "households", "families"),
        ("Some 300 IS militants are holed up in the enclave.", "Some 300", "fighters", "militants"),
        ("Police said 30 others were wounded.", "30", "injured", "others"),
        ("At least 41 people have died in floods.", "At least 41", "killed", "people"),
        ("They said 4,150 people were forced to evacuate.", "4,150", "evacuees", "people"),
        ("Nearly 10,000 people have been displaced.", "Nearly 10,000", "displaced", "people"),
        ("Four people are missing after the landslide.", "Four", "missing", "people"),
        ("About 30,000 villagers were told to go home.", "About 30,000", "returnees", "villagers"),
        ("Rebels abducted 27 students on Monday.", "27", "detainees", "students"),
        ("The gang freed three hostages.", "three", "detainees", "hostages"),
        ("Over 4,000 rebel fighters left the city.", "Over 4,000", "evacuees", "fighters"),
        ("About 6,300 fighters joined the group.", "About 6,300", "recruits", "fighters"),
        ("It lured some 40,000 recruits to its state.", "some 40,000", "recruits", "recruits"),
        (
            "There were 12,000 foreign fighters in the country.",
            "12,000",
            "recruits",
            "foreign fighters",
        ),
        ("The army deployed some 12,000 troops.", "some 12,000", "troops", "troops"),
        ("Some 10,000 civilians live in border villages.", "Some 10,000", "civilians", "civilians"),
        (
            "More than 300 firefighters spent the night there.",
            "More than 300",
            "people",
            "firefighters",
        ),
        ("It said 500,000 IDPs are in need of aid.", "500,000", "displaced", "idps"),
        ("It affected more than 20 million people.", "more than 20 million", "people", "people"),
        # Households, places, vehicles and things keep their own category.
        ("An AP team counted at least 22 trucks.", "at least 22", "vehicles", "trucks"),
        ("22 flatbed trucks left the enclave.", "22", "vehicles", "trucks"),
        ("The floods affected nine southern provinces.", "nine", "places", "provinces"),
        ("Five relief camps were opened.", "Five", "places", "relief camps"),
        ("At least 60 homes were destroyed.", "At least 60", "other", "homes"),
        ("The storm flattened more than 200 houses.", "more than 200", "other", "houses"),
        (
            "More than fifty homes and shops were burned.",
            "More than fifty",
            "other",
            "homes and shops",
        ),
        ("Aid went to dozens of families.", "dozens", "households", "families"),
        ("The floods claimed more than 80 lives.", "more than 80", "killed", "lives"),
        ("Rescuers found four bodies.", "four", "killed", "bodies"),
        # Coordinated nouns through "of".
        (
            "A convoy carried hundreds of men, women and children out of the town.",
            "hundreds",
            "people",
            "men, women and children",
        ),
        ("Thousands of villagers have fled.", "Thousands", "evacuees", "villagers"),
        # Verbs before the number.
        ("The quake killed at least 615 people.", "at least 615", "killed", "people"),
        ("Floods displaced thousands of residents.", "thousands", "displaced", "residents"),
        ("Police arrested about 300 people.", "about 300", "detainees", "people"),
        ("Shelling injured three other family members.", "three", "injured", "family members"),
        ("The rains forced 337,000 people to evacuate.", "337,000", "evacuees", "people"),
        ("The floods have left 16 people dead.", "16", "killed", "people"),
        ("The storm left hundreds stranded.", "hundreds", "people", None),
        # Coordinated subjects share their verb.
        ("Three soldiers and 11 suspected jihadists were killed.", "Three", "killed", "soldiers"),
        ("Three soldiers and 11 suspected jihadists were killed.", "11", "killed", "jihadists"),
        ("Fifty-three police and four others died.", "Fifty-three", "killed", "police"),
        # Places of displacement in the clause.
        ("Thousands remain in evacuation centres.", "Thousands", "displaced", None),
        ("Some 20,000 Indians have fled to relief camps.", "Some 20,000", "evacuees", "indians"),
        # Hedged events are not tallies.
        ("Officials said 10 people were feared killed.", "10", "people", "people"),
    ],
)
def test_categories_and_units(text: str, mention: str, category: str, unit: str | None) -> None:
    f = figure(text, mention)
    assert (f.kind, f.category, f.unit) == ("count", category, unit)


@pytest.mark.parametrize(
    ("text", "mention", "category"),
    [
        (
            "In past weeks, nearly 20,000 have walked for hours through a corridor to exit.",
            "nearly 20,000",
            "evacuees",
        ),
        ("Seven people have died in Hunan, five in Jiangxi.", "five", "killed"),
        ("160 killed and hundreds left stranded by flooding.", "160", "killed"),
        ("14 dead, 337,000 evacuated in southern China", "337,000", "evacuees"),
        ("Another 10,000 have been evacuated.", "10,000", "evacuees"),
        ("9,000 are homeless following the floods.", "9,000", "displaced"),
        ("The death toll in West Bengal rose to 70 on Tuesday.", "70", "killed"),
        ("It has killed 27 people, including eight on Thursday.", "eight", "killed"),
        ("Two of them were released in November.", "Two", "detainees"),
        ("The number of displaced has now dropped to 8,921.", "8,921", "displaced"),
        ("The militants killed 34 soldiers, killing at least one.", "at least one", "killed"),
    ],
)
def test_elliptical_subjects_take_the_verb(text: str, mention: str, category: str) -> None:
    f = figure(text, mention)
    assert (f.kind, f.category, f.unit) == ("count", category, None)


@pytest.mark.parametrize(
    "text",
    [
        "One person was killed in a landslide.",
        "One dead, 10,000 relocated in central China",
        "At least one person has died.",
        "Only one soldier died in the attack.",
        "The blast killed one person.",
    ],
)
def test_a_tally_of_one_is_a_figure(text: str) -> None:
    ones = [f for f in extract_figures(text) if f.value == 1]
    assert len(ones) == 1 and ones[0].category == "killed"


def test_categories_stay_in_the_vocabulary() -> None:
    from pipeline.contract import CATEGORIES

    text = Path(__file__).read_text(encoding="utf-8")
    for f in extract_figures(text):
        assert f.category is None or f.category in CATEGORIES
