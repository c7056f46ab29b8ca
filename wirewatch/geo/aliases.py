"""Hand-kept English name knowledge the GeoNames tables lack.

Country aliases (``U.S.``, ``Britain``), demonyms (``Syrian`` → SY, a country
*hint*, never a place mention), English suffixes of first-order divisions and
the relation words that connect an event to a place.  These are facts of
English usage, not copied text.
"""

from __future__ import annotations

from .regions import REGION_NAMES

COUNTRY_ALIASES: dict[str, str] = {
    "US": "US", "U.S.": "US", "U.S.A.": "US", "USA": "US", "United States of America": "US", "America": "US",
    "the United States": "US", "UK": "GB", "U.K.": "GB", "Britain": "GB", "Great Britain": "GB",
    "United Kingdom": "GB", "Russia": "RU", "Russian Federation": "RU", "Syria": "SY", "Iran": "IR",
    "South Korea": "KR", "North Korea": "KP", "Ivory Coast": "CI", "Cote d'Ivoire": "CI", "Czech Republic": "CZ",
    "Czechia": "CZ", "Burma": "MM", "Myanmar": "MM", "Congo": "CD", "DR Congo": "CD", "DRC": "CD",
    "Democratic Republic of Congo": "CD", "Democratic Republic of the Congo": "CD", "Republic of Congo": "CG",
    "Congo-Brazzaville": "CG", "Holland": "NL", "the Netherlands": "NL", "Netherlands": "NL", "Vatican": "VA",
    "Palestine": "PS", "Palestinian Territories": "PS", "Turkey": "TR", "Türkiye": "TR", "UAE": "AE",
    "U.A.E.": "AE", "Emirates": "AE", "East Timor": "TL", "Cape Verde": "CV", "Swaziland": "SZ", "Eswatini": "SZ",
    "Macedonia": "MK", "North Macedonia": "MK", "Laos": "LA", "Vietnam": "VN", "Viet Nam": "VN", "Moldova": "MD",
    "Bolivia": "BO", "Venezuela": "VE", "Tanzania": "TZ", "Micronesia": "FM", "Bosnia": "BA", "Kosovo": "XK",
    "South Sudan": "SS", "Sudan": "SD", "Libya": "LY", "Brunei": "BN", "Taiwan": "TW", "Gambia": "GM",
    "The Gambia": "GM", "Bahamas": "BS", "The Bahamas": "BS", "Saint Kitts": "KN", "St. Lucia": "LC",
    "Holy See": "VA", "DPRK": "KP", "Democratic People's Republic of Korea": "KP", "PRC": "CN",
    "People's Republic of China": "CN", "Soviet Union": "RU", "USSR": "RU", "T&T": "TT",
    "Republic of Korea": "KR", "ROK": "KR", "Islamic Republic of Iran": "IR", "KSA": "SA",
    # former names still written in older or historical news
    "Zaire": "CD", "Ceylon": "LK", "Siam": "TH", "Dahomey": "BJ", "Upper Volta": "BF", "Kampuchea": "KH",
}

# Demonyms and adjectives: evidence about the country of an article or sentence.
DEMONYMS: dict[str, str] = {
    "Syrian": "SY", "Syrians": "SY", "Iraqi": "IQ", "Iraqis": "IQ", "Turkish": "TR", "Turks": "TR", "Egyptian": "EG",
    "Egyptians": "EG", "Russian": "RU", "Russians": "RU", "American": "US", "Americans": "US", "British": "GB",
    "Sudanese": "SD", "South Sudanese": "SS", "Afghan": "AF", "Afghans": "AF", "Iranian": "IR", "Iranians": "IR",
    "Israeli": "IL", "Israelis": "IL", "Palestinian": "PS", "Palestinians": "PS", "Lebanese": "LB",
    "Jordanian": "JO", "Saudi": "SA", "Yemeni": "YE", "Libyan": "LY", "Nigerian": "NG", "Somali": "SO",
    "Kenyan": "KE", "Ethiopian": "ET", "Pakistani": "PK", "Indian": "IN", "Chinese": "CN", "French": "FR",
    "German": "DE", "Ukrainian": "UA", "Malian": "ML", "Congolese": "CD", "Cameroonian": "CM", "Burundian": "BI",
    "Algerian": "DZ", "Tunisian": "TN", "Moroccan": "MA", "Mexican": "MX", "Colombian": "CO", "Filipino": "PH",
    "Canadian": "CA", "Australian": "AU", "Japanese": "JP", "Korean": "KR", "Italian": "IT", "Spanish": "ES",
    "Mozambican": "MZ", "Ugandan": "UG", "Rwandan": "RW", "Zimbabwean": "ZW", "Burkinabe": "BF", "Nigerien": "NE",
    "Chadian": "TD", "Eritrean": "ER", "Kurdish": "", "Kazakh": "KZ", "Swiss": "CH", "Dutch": "NL",
    "Belgian": "BE", "Polish": "PL", "Greek": "GR", "Brazilian": "BR", "Argentine": "AR", "Venezuelan": "VE",
    "Bahraini": "BH", "Omani": "OM", "Tajik": "TJ", "Uzbek": "UZ", "Turkmen": "TM", "Azeri": "AZ",
    "Armenian": "AM", "Georgian": "GE", "Bangladeshi": "BD", "Nepali": "NP", "Sri Lankan": "LK", "Thai": "TH",
    "Vietnamese": "VN", "Indonesian": "ID", "Malaysian": "MY", "Burmese": "MM", "Cuban": "CU", "Haitian": "HT",
    "Peruvian": "PE", "Chilean": "CL", "Irish": "IE", "Scottish": "GB", "Welsh": "GB", "English": "GB",
    "Norwegian": "NO", "Swedish": "SE", "Danish": "DK", "Finnish": "FI", "Austrian": "AT", "Hungarian": "HU",
    "Romanian": "RO", "Bulgarian": "BG", "Serbian": "RS", "Croatian": "HR", "Bosnian": "BA", "Albanian": "AL",
    "Portuguese": "PT", "Senegalese": "SN", "Ghanaian": "GH", "Ivorian": "CI", "Liberian": "LR", "Zambian": "ZM",
    "Angolan": "AO", "Namibian": "NA", "Tanzanian": "TZ", "Malawian": "MW", "Gambian": "GM", "Guinean": "GN", "Qatari": "QA", "Emirati": "AE", "Kuwaiti": "KW",
    "Czech": "CZ", "Slovak": "SK", "Slovenian": "SI", "Cypriot": "CY", "Latvian": "LV", "Lithuanian": "LT",
    "Estonian": "EE", "Icelandic": "IS", "Maltese": "MT", "Belarusian": "BY", "Moldovan": "MD", "Macedonian": "MK",
    "Montenegrin": "ME", "Azerbaijani": "AZ", "Kyrgyz": "KG", "Mongolian": "MN", "Cambodian": "KH", "Laotian": "LA",
    "Singaporean": "SG", "Taiwanese": "TW", "Salvadoran": "SV", "Guatemalan": "GT", "Honduran": "HN",
    "Nicaraguan": "NI", "Costa Rican": "CR", "Panamanian": "PA", "Jamaican": "JM", "Dominican": "DO",
    "Ecuadorian": "EC", "Bolivian": "BO", "Paraguayan": "PY", "Uruguayan": "UY", "Philippine": "PH",
    "Malagasy": "MG", "Mauritanian": "MR", "Togolese": "TG", "Beninese": "BJ", "Gabonese": "GA",
    "Djiboutian": "DJ", "South African": "ZA", "New Zealander": "NZ", "Botswanan": "BW", "Sierra Leonean": "SL",
}
# plurals of the -an / -i forms ("Latvians", "Saudis"); -ese, -ish and -ch forms take none
DEMONYMS.update({k + "s": v for k, v in list(DEMONYMS.items()) if k.endswith(("an", "i")) and k + "s" not in DEMONYMS})

# Generic words GeoNames puts in first-order/second-order division names.
ADMIN_AFFIXES = (
    "governorate", "province", "state", "region", "district", "county", "parish", "oblast", "prefecture",
    "department", "municipality", "division", "territory", "muhafazat", "wilayat", "velayat", "provincia",
    "departamento", "estado", "region of", "province of", "state of", "city of", "mintaqat", "kraj", "voivodeship",
)

# Nouns that, following a name, make it a place ("Homs province", "Sousian village").
PLACE_NOUNS_ADMIN = frozenset(
    {"province", "governorate", "state", "region", "district", "county", "parish", "prefecture", "department",
     "oblast", "territory", "division", "municipality", "provinces", "governorates", "states", "regions"}
)
# Of those, the ones that name a province only when the name before them is one: "Borno State", "Tigray
# region"; "Columbia State" is a college and "the Houston region" the city and around it.
PROVINCE_ONLY_NOUNS = frozenset({"state", "states", "region", "regions"})
PLACE_NOUNS_LOCAL = frozenset(
    {"village", "town", "city", "area", "camp", "neighbourhood", "neighborhood", "suburb", "countryside",
     "outskirts", "valley", "river", "mountains", "border", "crossing", "airport", "base", "desert", "island",
     "villages", "towns", "cities", "district", "districts", "quarter"}
)

# Words before a name that make it a place ("in Homs", "near al-Bab").
PLACE_PREPOSITIONS = frozenset(
    {"in", "near", "at", "from", "to", "outside", "into", "towards", "toward", "around", "across", "of", "via",
     "inside", "within", "between", "through", "throughout", "north", "south", "east", "west", "northeast",
     "northwest", "southeast", "southwest", "besieged", "outskirts", "visit", "visited", "entered", "captured",
     "recaptured", "seized", "took", "retook", "fled", "left", "reached", "held", "stormed"}
)

# "8 km northwest of X": bearing in degrees clockwise from north.
BEARINGS: dict[str, float] = {
    "north": 0.0, "northeast": 45.0, "north-east": 45.0, "east": 90.0, "southeast": 135.0, "south-east": 135.0,
    "south": 180.0, "southwest": 225.0, "south-west": 225.0, "west": 270.0, "northwest": 315.0, "north-west": 315.0,
}

# "western Mosul", "northern Syria": still the place (precision 2 when part of a town).
PART_ADJECTIVES = frozenset(
    {"western", "eastern", "northern", "southern", "central", "northwestern", "northeastern", "southwestern",
     "southeastern", "north-western", "north-eastern", "south-western", "south-eastern", "rural", "greater",
     "downtown", "outer", "inner", "old"}
)

# Capitalised words that are never place names in news prose even though GeoNames has a town so called.
NOT_PLACES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
     "april", "may", "june", "july", "august", "september", "october", "november", "december", "police", "army",
     "state", "government", "reuters", "president", "minister", "general", "colonel", "bar", "police", "god",
     "justice", "defense", "defence", "security", "court", "congress", "senate", "parliament", "white", "house",
     "union", "national", "federal", "republic", "islamic", "united", "nations", "news", "media", "press",
     "photo", "file", "editing", "reporting", "writing", "additional", "university", "college", "school",
     "hospital", "church", "mosque", "street", "road", "the", "a", "an", "and", "but", "for", "it", "this", "that",
     "he", "she", "they", "we", "i", "you", "his", "her", "its", "their", "our", "if", "when", "as", "so", "not",
     "no", "yes", "mr", "mrs", "ms", "dr", "sir", "lt", "gen", "maj", "capt", "sgt", "said", "says", "earlier",
     "later", "after", "before", "during", "since", "until", "while", "about", "over", "under", "more", "most",
     "many", "some", "all", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "first", "second", "third", "last", "next", "new", "old", "big", "great", "little", "best", "good", "well",
     "also", "only", "even", "just", "still", "then", "there", "here", "where", "what", "who", "why", "how",
     "with", "without", "by", "on", "in", "at", "of", "to", "from", "up", "down", "out", "off", "into", "again",
     "brigade", "front", "forces", "force", "council", "committee", "party", "movement", "ministry", "office",
     "center", "centre", "market", "square", "bridge", "gate", "port", "division", "battalion", "special",
     "prime", "secretary", "chief", "commander", "spokesman", "spokeswoman", "deputy", "director", "leader",
     "king", "queen", "prince", "pope", "saint", "st", "mount", "lake", "cape", "bay", "fort", "obama", "trump",
     "christian", "christians", "muslim", "muslims", "jewish", "catholic", "sunni", "shi'ite", "shiite", "kurd",
     "kurds", "arab", "arabs", "western", "eastern", "northern", "southern", "central", "north", "south", "east",
     "west", "democrats", "republicans", "democrat", "republican", "conservative", "liberal", "labour", "labor",
     "world", "war", "peace", "human", "rights", "observatory", "agency", "tv", "radio", "telegram", "twitter",
     "facebook", "internet", "online", "social", "network", "company", "inc", "corp", "group", "bank", "fund",
     "home", "page", "story", "video", "image", "today", "tomorrow", "yesterday", "morning", "evening", "night",
     "day", "week", "month", "year", "christmas", "easter", "ramadan", "eid", "summer", "winter", "spring",
     "autumn", "fall", "time", "times", "post", "daily", "herald", "tribune", "journal", "mail", "sun", "star",
     "global", "international", "american", "european", "african", "asian", "commission", "authority",
     "department", "service", "services", "guard", "guards", "navy", "air", "marine", "marines", "coalition",
     "alliance", "democratic", "popular", "liberation", "revolutionary", "free", "independent", "health",
     "education", "energy", "oil", "gas", "water", "fire", "emergency", "medical", "doctors", "hope", "victoria",
     "florence", "charlotte", "austin", "jackson", "lincoln", "washington", "madison", "clinton", "franklin",
     "hamilton", "jefferson", "monroe", "houston", "dallas", "paris", "london", "georgia", "jordan", "chad",
     "israel", "china", "india", "virginia", "carolina", "sydney", "adelaide", "regina", "eugene", "marion",
     "canal", "gulf", "sea", "ocean", "river", "valley", "desert", "strait", "coast", "island", "islands",
     "mountain", "mountains", "peninsula", "dam", "wadi", "jebel", "jabal", "tell", "tal", "bab", "mamoun",
     "sheikh", "ash", "al", "el", "abu", "bin", "ibn", "mosque", "palace", "theatre", "theater", "temple",
     "heritage", "site", "world", "region", "province", "district", "village", "town", "city", "county",
     "northeast", "northwest", "southeast", "southwest", "midwest", "hamas", "hezbollah", "taliban", "passover",
     "commerce", "metro", "titan", "marriott", "ismaili", "baha'i", "delta", "mary", "patrick", "moore", "turner",
    }
)
# Of NOT_PLACES, those that are also very common real place names: only blocked when the
# context says person (PERSON label, title before, "said" after), never by themselves.
PERSON_LIKE_PLACES = frozenset(
    {"victoria", "florence", "charlotte", "austin", "jackson", "lincoln", "washington", "madison", "clinton",
     "franklin", "hamilton", "jefferson", "monroe", "houston", "dallas", "paris", "london", "georgia", "jordan",
     "chad", "israel", "china", "india", "virginia", "carolina", "sydney", "adelaide", "regina", "eugene", "marion"}
)

# Words that end an organisation name: a place inside "Mosul University" is not the event place.
ORG_HEADS = frozenset(
    {"army", "brigade", "brigades", "front", "forces", "force", "council", "party", "movement", "ministry",
     "university", "college", "school", "hospital", "bank", "company", "corporation", "inc", "corp", "group",
     "observatory", "agency", "committee", "organization", "organisation", "institute", "times", "post",
     "news", "television", "tv", "radio", "airways", "airlines", "league", "club", "fc", "united", "city",
     "police", "guard", "unit", "units", "battalion", "regiment", "division", "corps", "command", "foundation",
     "association", "federation", "union", "center", "centre", "church", "mosque", "cathedral", "times",
     "herald", "tribune", "journal", "gazette", "daily", "review", "exchange", "stadium"}
)

# AP-style US state abbreviations ("Gainesville, Ga.") -> GeoNames admin1 code.
US_STATE_ABBREVIATIONS: dict[str, str] = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT", "Del.": "DE",
    "D.C.": "DC", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Kans.": "KS", "Ky.": "KY",
    "La.": "LA", "Md.": "MD", "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO",
    "Mont.": "MT", "Neb.": "NE", "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY",
    "N.C.": "NC", "N.D.": "ND", "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC",
    "S.D.": "SD", "Tenn.": "TN", "Tex.": "TX", "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV",
    "W. Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
}

# Common abbreviations of Canadian and Australian first-order divisions -> GeoNames admin1 code.
PROVINCE_ABBREVIATIONS: dict[str, str] = {
    "B.C.": "CA.02", "BC": "CA.02", "Alta.": "CA.01", "Sask.": "CA.11", "Ont.": "CA.08", "Que.": "CA.10",
    "NSW": "AU.02", "N.S.W.": "AU.02", "Qld": "AU.04",
}

# Regions news names often that GeoNames' populated places lack: recognised as places, left unresolved
# (never matched to a same-named village abroad).
UNLISTED_REGIONS = frozenset(
    {"middle east", "sinai", "sinai peninsula", "sahel", "darfur", "kurdistan", "levant", "balkans", "caucasus",
     "north caucasus", "horn of africa", "north africa", "west africa", "east africa", "central africa",
     "southern africa", "central asia", "southeast asia", "south asia", "east asia", "latin america",
     "central america", "persian gulf", "arabian peninsula", "maghreb", "gulf of aden", "red sea",
     "mediterranean", "black sea", "caspian sea", "euphrates", "tigris", "nile", "golan heights",
     "donbas", "donbass", "kashmir", "punjab region", "tigray region", "sub saharan africa",
     "atlantic", "pacific", "atlantic ocean", "pacific ocean", "indian ocean", "arctic", "korean peninsula",
     "west coast", "east coast", "gulf coast", "gulf of mexico", "caribbean", "mideast", "west africa"}
)
# those with a point resolve to it (see .regions); "Gaza Strip", "West Bank" and "Crimea" are GeoNames divisions
UNLISTED_REGIONS = UNLISTED_REGIONS | REGION_NAMES
# Capitalised phrases that are never places though a town somewhere shares the name.
NOT_PLACE_PHRASES = frozenset({"white house", "situation room", "oval office", "downing street", "capitol hill"})
