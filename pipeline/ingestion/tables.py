"""Data tables of the ingestion layer: agency codes, outlet words, caption and promotional
line patterns, month names and file-format extensions. Change behaviour here, not in code.

Every regular expression in this module is applied to a bounded slice of text (a short
paragraph or line; see the *_MAX_CHARS limits), has no nested unbounded quantifiers, and so
runs in time linear in its input."""

from __future__ import annotations

import re

# --- file formats -------------------------------------------------------------------------
SIDECAR_SUFFIX = ".meta.json"
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
JSON_EXTENSIONS = frozenset({".json"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
# Everything else (".txt", ".md", no or unknown extension) goes to the plain-text reader and
# is rejected there if it does not decode as text.

# Metadata fields a sidecar or a JSON record may carry (anything else is ignored).
METADATA_FIELDS = ("title", "outlet", "byline", "published_date", "url", "dateline")

# --- binary detection -----------------------------------------------------------------------
# Leading bytes of common binary formats -> name used in the reject reason. Only signatures
# that no plain text starts with (ASCII-only magic like "MZ" is left to the NUL/control checks).
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/ODT)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office (OLE) document"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"\x00\x00\x00\x01Bud1", "macOS .DS_Store file"),
)
# A decoded text is "binary" when more than this share of its characters are control
# characters other than tab, newline, carriage return and form feed.
MAX_CONTROL_CHAR_SHARE = 0.01
# Single-byte (Latin-1 / cp1252) fallback: only when at most this share of the bytes is
# >= 0x80 and at least this share of the decoded non-ASCII characters are letters or common
# typographic symbols.
LATIN1_MAX_HIGH_BYTE_SHARE = 0.30
LATIN1_MIN_PLAUSIBLE_SHARE = 0.80
LATIN1_PLAUSIBLE_SYMBOLS = frozenset("€£¥¢§¶°±×÷·«»‹›“”‘’‚„–—…•©®™ªº¹²³¼½¾¡¿ \u00a0")

# --- normalization --------------------------------------------------------------------------
# Invisible formatting characters removed from the stored text (soft hyphen, zero-width
# spaces and joiners, word joiner, BOM). They split words ("millio\u00adn") for later stages.
INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Line separators turned into "\n" (besides "\r\n" and "\r").
EXTRA_LINE_BREAKS = "\u2028\u2029\u0085\x0b\x0c"

# --- captions and promotional lines ---------------------------------------------------------
# Only paragraphs up to this length are considered as captions / promotional lines.
CAPTION_MAX_CHARS = 600
# Every caption pattern below contains one of these (lower-case) strings: a cheap pre-filter.
CAPTION_HINTS = ("photo", "picture", "image", "caption", "/")
PROMO_MAX_CHARS = 300

# A paragraph matching any of these (re.search on the paragraph) is a photo caption or a
# photo credit and is removed. Anchored at the start (^) or the end ($) of the paragraph.
CAPTION_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # "... on Feb 2, 2019. PHOTO: NY TIMES" / "... Photo: AFP" / "Photo credit: Jane Roe"
        r"(?:^|[\s.!?\"”)])(?:PHOTOS?|Photos?|PICTURES?|Pictures?|IMAGES?)"
        r"(?: credit| CREDIT)?\s?:\s?[^\n:]{1,80}$",
        # "... (Photo: Reuters)" / "(Picture: AP)" / "(Image: Getty)"
        r"\((?:[Pp]hoto|PHOTO|[Pp]icture|[Ii]mage|IMAGE)s?(?: credit)?\s?:\s?[^()\n]{1,80}\)$",
        # "[Image caption] ..." / "[Photo] ..."
        r"^\[(?:[Ii]mage|[Pp]hoto|[Pp]icture)(?: caption)?\]",
        # "Caption: ...", "Image: ...", "Photo caption: ...", "Image caption ...",
        # "Image copyright AP Image caption ..." (BBC), "Media caption ..."
        r"^(?:Caption|CAPTION|Image|IMAGE|Photo caption|Picture caption)\s?:",
        r"^(?:Image|Media|Photo) (?:caption|copyright)\b",
        # "... sit in a relief camp. REUTERS/Krishna Murari Kishan", "AFP PHOTO / Jane Roe"
        r"(?:^|[\s.!?\"”)])(?:REUTERS|Reuters|AFP(?: PHOTO)?|AP(?: Photo)?|EPA|EPA-EFE"
        r"|Getty Images|XINHUA|Xinhua)\s?/\s?[A-Z][\w.'’-]{0,30}(?: [A-Z][\w.'’-]{0,30}){1,4}$",
    )
)

# Promotional / navigation lines. "tail" patterns are removed only from the end of the text
# (repeatedly, so a block of them goes); "anywhere" patterns are removed wherever a whole
# line matches. Matched with re.match against one stripped line, case-insensitive.
PROMO_TAIL_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"join [^\n]{0,60}\b(?:telegram|whatsapp|facebook|viber|line)\b[^\n]{0,40}\b(?:channel|group|page)",
        r"follow (?:us|[^\n]{0,40}) on (?:twitter|facebook|instagram|x|linkedin|telegram|youtube)\b",
        r"(?:sign up|subscribe|register)\b[^\n]{0,60}\b(?:newsletter|updates|alerts|emails?)\b",
        r"subscribe (?:now|today|to|for)\b",
        r"get the latest [^\n]{0,80}\bdelivered\b",
        r"(?:read|see) (?:more|also)\s?:",
        r"read (?:the )?full (?:story|article|report)\b",
        r"click here\b",
        r"download (?:the|our) [^\n]{0,40}\bapp\b",
        r"like us on facebook\b",
        r"share (?:this|on) (?:article|story|facebook|twitter)\b",
        r"topics\s?:",
        r"tags\s?:",
        r"first posted\b",
        r"(?:more|related) (?:stories|articles|coverage)\s?:?$",
        r"related\s?:?$",
        r"advertisement$",
        r"copyright\s?(?:©|\(c\))?\s?\d{4}\b[^\n]{0,120}$",
        r"©\s?\d{4}\b[^\n]{0,120}$",
        r"all rights reserved\.?$",
    )
)
# Every "anywhere" pattern starts (after spaces) with one of these words: a cheap pre-filter.
PROMO_ANYWHERE_STARTS = ("read", "see", "also", "advertisement", "join")
PROMO_ANYWHERE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?:read|see) (?:more|also)\s?:",
        r"also read\s?:",
        r"advertisement$",
        r"join [^\n]{0,60}\btelegram\b[^\n]{0,40}\bchannel\b",
    )
)

# --- header: headline, byline, outlet ------------------------------------------------------
HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 35
# A first line ending with one of these is a sentence, not a headline.
SENTENCE_ENDINGS = (".", '."', ".”", ".'", ".’", ";", ",")
# Paragraphs after the headline in which bylines and the dateline are looked for.
HEADER_MAX_PARAGRAPHS = 6
HEADER_MAX_CHARS = 3000
BYLINE_MAX_CHARS = 120
BYLINE_PREFIX = re.compile(r"(?:By|BY|by)\s+(?=[A-Z])")
# Lines that look like names but are page furniture.
NOT_A_BYLINE = frozenset(
    {
        "updated",
        "update",
        "breaking news",
        "analysis",
        "opinion",
        "news",
        "advertisement",
        "live",
        "exclusive",
        "video",
        "photos",
        "listen",
        "share",
    }
)

# Agency / outlet codes as written in datelines and credits -> display name.
AGENCY_CODES: dict[str, str] = {
    "AP": "The Associated Press",
    "ASSOCIATED PRESS": "The Associated Press",
    "THE ASSOCIATED PRESS": "The Associated Press",
    "AFP": "Agence France-Presse",
    "AGENCE FRANCE-PRESSE": "Agence France-Presse",
    "REUTERS": "Reuters",
    "THOMSON REUTERS FOUNDATION": "Thomson Reuters Foundation",
    "TRF": "Thomson Reuters Foundation",
    "NYTIMES": "The New York Times",
    "NYT": "The New York Times",
    "NEW YORK TIMES": "The New York Times",
    "THE NEW YORK TIMES": "The New York Times",
    "WASHINGTON POST": "The Washington Post",
    "XINHUA": "Xinhua",
    "ANTARA": "Antara",
    "ANTARA NEWS": "Antara News",
    "SPUTNIK": "Sputnik",
    "TASS": "TASS",
    "RIA NOVOSTI": "RIA Novosti",
    "ANADOLU": "Anadolu Agency",
    "AA": "Anadolu Agency",
    "DPA": "dpa",
    "EFE": "EFE",
    "ANSA": "ANSA",
    "KYODO": "Kyodo News",
    "YONHAP": "Yonhap",
    "PTI": "Press Trust of India",
    "IANS": "IANS",
    "ANI": "ANI",
    "UNI": "United News of India",
    "APP": "Associated Press of Pakistan",
    "BERNAMA": "Bernama",
    "PNA": "Philippine News Agency",
    "IRNA": "IRNA",
    "SANA": "SANA",
    "WAM": "WAM",
    "SPA": "Saudi Press Agency",
    "MENA": "MENA",
    "KUNA": "KUNA",
    "QNA": "QNA",
    "IRIN": "IRIN",
    "UPI": "UPI",
    "CNN": "CNN",
    "BBC": "BBC News",
    "AL JAZEERA": "Al Jazeera",
    "ST": "The Straits Times",
    "CNA": "CNA",
    "BLOOMBERG": "Bloomberg",
}
# Words that mark a line or a bracketed name as an outlet rather than a person.
OUTLET_WORDS = frozenset(
    {
        "press",
        "news",
        "times",
        "post",
        "tribune",
        "herald",
        "journal",
        "agency",
        "reuters",
        "gazette",
        "guardian",
        "telegraph",
        "observer",
        "independent",
        "standard",
        "chronicle",
        "radio",
        "television",
        "tv",
        "network",
        "media",
        "daily",
        "weekly",
        "wire",
        "broadcasting",
        "corporation",
        "foundation",
        "xinhua",
        "associated",
        "agence",
        "france-presse",
        "bbc",
        "cnn",
        "star",
        "mail",
        "express",
        "monitor",
        "nation",
        "review",
        "magazine",
        "service",
        "online",
        "today",
        "inquirer",
        "dispatch",
        "bulletin",
        "courier",
        "sun",
    }
)

# --- dateline -------------------------------------------------------------------------------
# Separators between the dateline and the first sentence, longest first.
DATELINE_SEPARATORS = (" -- ", " — ", " – ", " - ", "—", "–", "--", " -", ": ")
# Separators after which a title-case (not upper-case) place is accepted as a dateline.
STRONG_DATELINE_SEPARATORS = frozenset({"—", "–", "--"})
DATELINE_MAX_CHARS = 120
DATELINE_MAX_WORDS = 10
# Lower-case words allowed inside a place name ("Bosnia and Herzegovina", "Dar es Salaam").
PLACE_CONNECTORS = frozenset(
    {
        "and",
        "of",
        "the",
        "de",
        "del",
        "da",
        "do",
        "dos",
        "la",
        "le",
        "el",
        "al",
        "es",
        "du",
        "des",
        "van",
        "von",
        "upon",
        "on",
        "am",
    }
)

# --- dates ----------------------------------------------------------------------------------
MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Labels of a publication-date line in the header ("Published: 3 March 2019").
DATE_LINE_LABELS = re.compile(
    r"(?:\|\s?)?(?:published|posted|updated|update|first published|last updated|date)"
    r"(?: on)?\s?:?\s?",
    re.IGNORECASE,
)
DATE_LINE_MAX_CHARS = 80
