#!/usr/bin/env python3
"""Synthetic news corpus for claimgraph's benchmarks (standard library only).

Two modes, both deterministic for a given --seed and size:

  articles   python3 tools/generate_corpus.py --articles 100000 --seed 7 \\
                 --out scratch/gen/articles.jsonl [--truth scratch/gen/truth.jsonl] \\
                 [--html-share 0.2]
  mentions   python3 tools/generate_corpus.py --mentions 1000000 --seed 7 \\
                 --out scratch/gen/mentions.jsonl

A world of incidents is drawn first (about one per 8 articles or mentions): kind,
date in 2005-2025, a real city (gazetteer.tsv, feature "city", population >= 100,000,
weighted by population^0.5), true death toll and injured count, a perpetrator from
armed_groups.tsv (aliases used in text), whether it claimed the attack, an accused
party (country or group), who accuses it and who denies. Reports are spread over the
incidents Zipf-like (many incidents get one or two reports, a few get 50 or more),
published on the incident date up to six weeks later, and written out in order of
publication; death tolls grow with a report's delay. 10% of articles are distractors
(sport, economy, weather) with no incident.

Articles: one JSON object a line,
  {"text"|"html": ..., "url": ..., "title": ..., "published": "YYYY-MM-DD", "source": ...}
Truth (--truth): one line per article, in the same order,
  {"url": ..., "incidents": ["inc-000123", ...], "background": ["inc-000045", ...]}
  "incidents" are the incidents the article reports (a report of one incident, now and
  then a second incident in a "separate attack" paragraph); "background" are earlier
  incidents it only mentions in passing; both are empty for distractors.
Mentions: one incident mention a line, as a cross-document resolver would receive them
  from extraction (noisy: kind confusions, month-only or missing dates, the dateline
  city instead of the incident's, evolving or missing death tolls, aliases):
  {"doc", "published", "kind", "date", "place", "country", "lat", "lon", "killed",
   "actors", "label", "truth"}
"""

import argparse
import bisect
import datetime
import html as htmlmod
import json
import math
import os
import random
import re
import sys
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "extract", "data")

FIRST_DAY = datetime.date(2005, 1, 1).toordinal()
LAST_DAY = datetime.date(2025, 12, 31).toordinal()
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTHS_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
             "Oct.", "Nov.", "Dec."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMWORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve"]

# --------------------------------------------------------------------------- data files


_FOLD = {"’": "'", "‘": "'", "ʿ": "'", "ʾ": "'", "ʼ": "'", "ø": "o", "Ø": "O", "ł": "l",
         "Ł": "L", "ı": "i", "đ": "d", "Đ": "D", "–": "-", "—": "-", "`": "'"}


def display_name(name):
    """How an English-language newspaper would spell a gazetteer name: 'Halle (Saale)'
    -> 'Halle', 'Donostia / San Sebastián' -> 'Donostia', transliterations beyond
    Latin-1 folded ('Al Başrah' -> 'Al Basrah'); é, ü, ã kept."""
    name = re.sub(r"\s*\(.*?\)", "", name).split(" / ")[0].strip()
    if any(ord(ch) > 0xFF for ch in name):
        name = "".join(_FOLD.get(ch, ch) for ch in name)
        name = "".join(ch for ch in unicodedata.normalize("NFKD", name)
                       if not unicodedata.combining(ch))
        name = unicodedata.normalize("NFC", name).lstrip("'")
    return name


def load_cities():
    """Cities with population >= 100,000: list of (display name, cc, lat, lon, pop)."""
    cities, countries = [], {}
    with open(os.path.join(DATA, "gazetteer.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            p = line.rstrip("\n").split("\t")
            if len(p) < 6:
                continue
            if p[5] == "country":
                countries[p[1]] = p[0]
            elif p[5] == "city" and p[4].isdigit() and int(p[4]) >= 100000:
                cities.append((display_name(p[0]), p[1], float(p[2]), float(p[3]), int(p[4])))
    cities.sort(key=lambda c: (c[1], c[0], -c[4]))
    return cities, countries


def load_groups():
    """Armed groups: list of (canonical, [aliases], cc)."""
    groups = []
    with open(os.path.join(DATA, "armed_groups.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            aliases = [a for a in (p[1].split("|") if len(p) > 1 else []) if a]
            # short acronyms and lower-case variants read badly in running text
            aliases = [a for a in aliases if len(a) > 3 or a.isupper()]
            groups.append((p[0], aliases, p[2] if len(p) > 2 else ""))
    return groups


def load_demonyms():
    dem = {}
    try:
        with open(os.path.join(DATA, "nationalities.tsv"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                p = line.rstrip("\n").split("\t")
                if len(p) > 1 and p[1] and p[1] not in dem:
                    dem[p[1]] = p[0]
    except OSError:
        pass
    return dem


# --------------------------------------------------------------------------- vocabulary

OUTLETS = [  # (name, domain, is_wire, uk_dates)
    ("Meridian Wire", "meridianwire", True, False),
    ("The Harbour Post", "harbourpost", False, True),
    ("Northgate Tribune", "northgatetribune", False, False),
    ("Continental Dispatch", "continentaldispatch", True, True),
    ("Saltmarsh Herald", "saltmarshherald", False, True),
    ("The Lantern Daily", "lanterndaily", False, False),
    ("Coastline Chronicle", "coastlinechronicle", False, False),
    ("Crossroads News Agency", "crossroadsnews", True, True),
    ("The Evening Ledger", "eveningledger", False, True),
    ("Highland Courier", "highlandcourier", False, True),
    ("Atlas Newswire", "atlasnewswire", True, False),
    ("The Riverside Gazette", "riversidegazette", False, False),
    ("Beacon Times", "beacontimes", False, False),
    ("Quarterline News", "quarterline", False, True),
    ("The Compass Report", "compassreport", False, False),
    ("Horizon Press Service", "horizonpress", True, True),
    ("The Capital Sentinel", "capitalsentinel", False, False),
    ("Eastbridge Observer", "eastbridgeobserver", False, True),
    ("Westfield Bulletin", "westfieldbulletin", False, False),
    ("Ironwood Journal", "ironwoodjournal", False, False),
    ("The Granite Record", "graniterecord", False, True),
    ("Sandstone Times", "sandstonetimes", False, True),
    ("Cedar Valley Monitor", "cedarvalleymonitor", False, False),
    ("The Mariner", "themariner", False, True),
    ("Oasis Post", "oasispost", False, True),
    ("Tidewater Dispatch", "tidewaterdispatch", False, False),
    ("The Orchard Review", "orchardreview", False, True),
    ("Keystone Wire", "keystonewire", True, False),
    ("Blue Delta Press", "bluedeltapress", True, True),
    ("The Silk Road Courier", "silkroadcourier", False, True),
    ("Parallel News Network", "parallelnews", False, False),
    ("The Night Desk", "nightdesk", False, False),
    ("Amber Coast Times", "ambercoasttimes", False, True),
    ("Pinecrest Herald", "pinecrestherald", False, False),
    ("The Longitude Post", "longitudepost", False, True),
    ("Copperfield Chronicle", "copperfieldchronicle", False, False),
    ("Lighthouse Media", "lighthousemedia", False, True),
    ("Stonebridge News", "stonebridgenews", False, True),
    ("Crescent Bay Tribune", "crescentbaytribune", False, False),
    ("Bluewater Bulletin", "bluewaterbulletin", False, True),
    ("The Verity Times", "veritytimes", False, False),
    ("Far Field Reporter", "farfieldreporter", False, False),
]

# Invented names by region: (male first, female first, last)
NAMES = {
    "sa": ("Imran Tariq Asif Rahul Sanjay Vikram Farhan Zahid Naveed Abdul Hamid Rohan Arjun "
           "Kamran Bilal Suresh Anil Javed Wasim Dinesh Faisal Ghulam Rajesh Noor Sardar",
           "Ayesha Sana Priya Fatima Nadia Shabnam Sunita Meena Farzana Rukhsana Anjali "
           "Kavita Zainab Nasreen Shazia Lakshmi Mahnoor Deepa",
           "Khan Ahmed Malik Qureshi Sharma Patel Singh Rahman Hussain Iqbal Chaudhry Baloch "
           "Shinwari Popalzai Karimi Verma Nair Das Mehsud Yousafzai Hashimi Siddiqui Gupta "
           "Reddy Haider Afridi Durrani Bhatt Mirza Jatoi"),
    "me": ("Ahmed Mohammed Omar Khalid Hassan Yusuf Karim Samir Walid Mahmoud Ali Hussein "
           "Nabil Tarek Ibrahim Mustafa Reza Amir Mehdi Hamza Adel Ziad Majid Fadi Saeed",
           "Fatima Layla Noor Mariam Huda Rania Amal Salma Yasmin Dalia Zahra Leila Samira "
           "Hiba Nadine Reem Maryam Shirin",
           "Haddad al-Masri Nasser Saleh Abdullah al-Jubouri Khalil Mansour Darwish Hamdan "
           "al-Amiri Tehrani Rostami Bouzid Benali el-Sayed Farouk Qasim Aziz al-Obeidi "
           "Haidari Mahdavi Shalaby al-Hakim Jaber Sabbagh Yilmaz Demir Kaya Moradi"),
    "af": ("Ibrahim Musa Abdullahi Emmanuel Chinedu Oumar Moussa Amadou Jean-Pierre Kwame "
           "Tesfaye Dawit Abdirahman Joseph Patrice Samuel Yakubu Kofi Baba Issa Boubacar "
           "Peter Mohamed Daniel",
           "Amina Aisha Fatoumata Grace Chiamaka Halima Hawa Amara Marthe Tigist Faith "
           "Esther Ngozi Aminata Beatrice Hodan Mercy",
           "Abubakar Okafor Adeyemi Traoré Diallo Coulibaly Ouédraogo Warsame Farah Kamau "
           "Otieno Ndlovu Mukendi Bekele Haile Mensah Sangaré Keita Bello Lawal Nyambura "
           "Mutua Ilunga Gebremedhin Osman Maiga Cissé Ogunleye Hassan Nkemelu"),
    "la": ("Carlos José Luis Juan Miguel Jorge Andrés Diego Alejandro Fernando João Rafael "
           "Ricardo Eduardo Julio Héctor Pablo Sergio",
           "María Ana Lucía Gabriela Camila Valentina Paula Daniela Fernanda Carmen Isabel "
           "Mariana Rosa Patricia Beatriz",
           "García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres "
           "Flores Rivera Gómez Díaz Moreno Silva Oliveira Castillo Vargas Rojas Mendoza "
           "Guerrero Salazar Ortega Cabrera"),
    "eu": ("Thomas Daniel Pierre Jan Marco Stefan Lukas Andreas Luca Paul Michael Antoine "
           "Henrik Nikos Sean Martin Tomasz Erik Javier Mathieu",
           "Sophie Anna Claire Julia Elena Marie Laura Sarah Katarzyna Ingrid Giulia Emma "
           "Eleni Siobhan Chloé Lena Astrid",
           "Müller Schmidt Dubois Rossi Bianchi Jansen de Vries Nowak Kowalski Andersson "
           "Larsen O'Brien Murphy Papadopoulos Fischer Lefebvre Moreau Walsh Becker Hughes "
           "Clarke Bauer Fontaine Lindqvist Ferreira Horvath Novak"),
    "ru": ("Sergei Dmitry Oleksandr Andriy Ivan Mykola Alexei Vladimir Yuriy Pavel Rustam "
           "Timur Viktor Bohdan Artem Ruslan",
           "Olga Natalia Iryna Svetlana Yulia Oksana Tatiana Anastasia Kateryna Marina "
           "Lyudmila Halyna Aigerim",
           "Ivanov Petrenko Kovalenko Shevchenko Smirnov Volkov Bondarenko Melnyk Kuznetsov "
           "Sokolov Tkachenko Morozov Karimov Aliyev Nazarov Lysenko Orlov Gusev Boyko"),
    "as": ("Wei Jun Hiroshi Min-jun Ahmad Budi Somchai Aung Rizal Ramon Minh Arief Kenji "
           "Hyun-woo Thant Bayu Eduardo Jae-sung",
           "Mei Yuki Ji-woo Siti Dewi Maria Nang Ploy Rosa Linh Sari Haruka Su-bin Maricel "
           "Thida",
           "Wang Li Zhang Chen Tanaka Sato Kim Park Santos Reyes Cruz Wibowo Hidayat Santoso "
           "Kyaw Win Tun Nguyen Tran Wongsawat Suzuki Lim Bautista Mendoza Pratama Aquino"),
    "na": ("James Michael Robert David Kevin Brian Marcus Tyler Anthony Derek Luis Omar",
           "Jennifer Emily Ashley Rachel Megan Laura Denise Tamara Keisha Caroline",
           "Johnson Williams Brown Miller Davis Anderson Thompson Walker Mitchell Carter "
           "Robinson Sullivan Bennett Coleman Foster Hayes"),
}
NAMES = {k: (m.split(), f.split(), l.split()) for k, (m, f, l) in NAMES.items()}
# "de Vries"-style two-word surnames were split above; glue them back
for _k, (_m, _f, _l) in list(NAMES.items()):
    fixed, skip = [], False
    for i, w in enumerate(_l):
        if skip:
            skip = False
            continue
        if w in ("de", "van", "al", "el") and i + 1 < len(_l):
            fixed.append(w + " " + _l[i + 1])
            skip = True
        else:
            fixed.append(w)
    NAMES[_k] = (_m, _f, fixed)
REGION_KEYS = sorted(NAMES)

CAPITALS = {  # where the largest city in the gazetteer is not the capital
    "AE": "Abu Dhabi", "AU": "Canberra", "BJ": "Porto-Novo", "BO": "La Paz", "BR": "Brasília",
    "BY": "Minsk", "CA": "Ottawa", "CH": "Bern", "CI": "Abidjan", "CM": "Yaoundé",
    "CN": "Beijing", "EC": "Quito", "IL": "Jerusalem", "IN": "New Delhi", "KZ": "Astana",
    "LK": "Colombo", "MA": "Rabat", "MM": "Naypyidaw", "NG": "Abuja", "NZ": "Wellington",
    "PH": "Manila", "PK": "Islamabad", "SY": "Damascus", "TR": "Ankara", "TZ": "Dodoma",
    "US": "Washington", "VN": "Hanoi", "ZA": "Pretoria", "UA": "Kyiv", "RU": "Moscow",
    "AF": "Kabul", "IQ": "Baghdad", "YE": "Sanaa", "LY": "Tripoli", "SO": "Mogadishu",
    "ML": "Bamako", "BF": "Ouagadougou", "NE": "Niamey", "CD": "Kinshasa", "SD": "Khartoum",
    "ET": "Addis Ababa", "KE": "Nairobi", "EG": "Cairo", "IR": "Tehran", "SA": "Riyadh",
    "DE": "Berlin", "IT": "Rome", "ES": "Madrid", "GB": "London", "FR": "Paris",
    "MX": "Mexico City", "CO": "Bogotá", "VE": "Caracas", "ID": "Jakarta", "KR": "Seoul",
    "JP": "Tokyo", "MZ": "Maputo", "UG": "Kampala", "SS": "Juba", "TD": "N'Djamena",
}

REGION_OF = {}
for _r, _codes in {
    "sa": "PK IN AF BD LK NP BT MV",
    "me": "IQ SY YE EG LY LB PS SA JO TN DZ MA IR TR IL KW QA AE BH OM SD MR EH",
    "af": "NG SO KE ML BF NE CD ET SS CM TD MZ UG CF TZ ZA RW BI GH SN CI GN ER ZW ZM AO "
          "MW MG BJ TG SL LR CG GA DJ",
    "la": "MX CO VE PE BR AR SV HN GT NI EC BO CL PY UY CU DO HT PA CR",
    "eu": "GB FR DE ES IT BE SE NO GR IE NL PL PT AT CH DK FI CZ HU RO BG RS HR SI SK",
    "ru": "RU UA BY GE AM AZ KZ UZ KG TJ TM MD",
    "as": "CN JP KR KP PH ID TH MM MY VN KH LA TW SG MN HK MO BN TL PG",
    "na": "US CA AU NZ",
}.items():
    for _c in _codes.split():
        REGION_OF[_c] = _r

OFFICIAL_ROLES = [  # (appositive, title before a name, gender: m, f or None)
    ("the city's police chief", "Police Chief", None),
    ("a police spokesman", "police spokesman", "m"),
    ("a spokeswoman for the provincial police", "police spokeswoman", "f"),
    ("the provincial governor", "Governor", None),
    ("a spokesman for the interior ministry", "interior ministry spokesman", "m"),
    ("the deputy health minister", "Deputy Health Minister", None),
    ("the head of the regional emergency service", "emergency services chief", None),
    ("a senior security official", "security official", None),
    ("the district administrator", "district administrator", None),
    ("an army spokesman", "army spokesman", "m"),
    ("the mayor", "Mayor", None),
    ("a counter-terrorism official", "counter-terrorism official", None),
    ("the head of the local hospital", "hospital director", None),
    ("a civil defence spokeswoman", "civil defence spokeswoman", "f"),
]
ACCUSER_ROLES = [
    "the interior minister", "the prime minister", "the president", "the foreign ministry",
    "the defence minister", "a government spokesman", "the army chief", "the information minister",
    "the national security adviser", "the provincial governor",
]
RIGHTS_GROUPS = ["the Coalition for Civilian Protection", "Lantern Rights Watch",
                 "the Independent Casualty Monitor", "the Observatory for Human Security",
                 "the Civilian Harm Tracking Project", "the Centre for Conflict Records"]
ACCUSED_STATES = ["IR", "IL", "RU", "UA", "US", "PK", "IN", "SA", "TR", "AF", "RW", "SD",
                  "SY", "AE", "QA", "EG", "ET", "ER", "CN", "GB", "FR", "AZ", "AM", "VE",
                  "CO", "SO", "KE", "LY", "IQ", "YE"]

# (full, short, preposition, victims)
T_URBAN = [
    ("a crowded market", "the market", "in", "shoppers"),
    ("a police checkpoint", "the checkpoint", "at", "police officers"),
    ("a mosque during Friday prayers", "the mosque", "at", "worshippers"),
    ("a busy bus station", "the bus station", "at", "passengers"),
    ("a wedding party", "the wedding", "at", "guests"),
    ("a government office", "the building", "outside", "civil servants"),
    ("a hotel popular with foreigners", "the hotel", "at", "guests"),
    ("a university campus", "the campus", "on", "students"),
    ("a church", "the church", "at", "worshippers"),
    ("a political rally", "the rally", "at", "supporters"),
    ("a crowded restaurant", "the restaurant", "in", "diners"),
    ("a shopping centre", "the shopping centre", "in", "shoppers"),
    ("a police station", "the police station", "at", "police officers"),
    ("a train station", "the station", "at", "commuters"),
    ("a funeral procession", "the procession", "at", "mourners"),
    ("an army recruitment centre", "the recruitment centre", "outside", "recruits"),
    ("a military convoy", "the convoy", "near", "soldiers"),
    ("a Shiite shrine", "the shrine", "at", "pilgrims"),
]
T_STRIKE = [
    ("a residential building", "the building", "on", "residents"),
    ("a crowded market", "the market", "on", "shoppers"),
    ("a school sheltering displaced families", "the school", "on", "displaced people"),
    ("a hospital", "the hospital", "near", "patients"),
    ("a weapons depot", "the depot", "on", "fighters"),
    ("a vehicle carrying suspected militants", "the vehicle", "on", "militants"),
    ("a power station", "the power station", "on", "workers"),
    ("a residential neighbourhood", "the neighbourhood", "on", "residents"),
    ("a compound used by armed groups", "the compound", "on", "fighters"),
    ("a bakery", "the bakery", "near", "customers"),
    ("a fuel depot", "the depot", "on", "workers"),
    ("a railway station", "the station", "on", "passengers"),
]
T_MASSACRE = [
    ("a village", "the village", "in", "villagers"),
    ("a camp for displaced people", "the camp", "in", "displaced people"),
    ("a farming community", "the community", "in", "farmers"),
    ("a church service", "the church", "at", "worshippers"),
    ("a gold mine", "the mine", "at", "miners"),
    ("a cattle market", "the market", "at", "herders"),
    ("a mosque", "the mosque", "at", "worshippers"),
]
T_HOSTAGE = [
    ("a hotel", "the hotel", "at", "guests"),
    ("a school", "the school", "at", "pupils"),
    ("a bank", "the bank", "in", "customers"),
    ("a gas facility", "the facility", "at", "workers"),
    ("a passenger bus", "the bus", "on", "passengers"),
    ("a hospital", "the hospital", "at", "patients"),
    ("a shopping mall", "the mall", "in", "shoppers"),
    ("a theatre", "the theatre", "in", "spectators"),
]
T_ARSON = [
    ("a market", "the market", "in", "traders"),
    ("a school", "the school", "at", "pupils"),
    ("a church", "the church", "at", "worshippers"),
    ("a police station", "the police station", "at", "police officers"),
    ("a block of homes", "the homes", "in", "residents"),
    ("a polling station", "the polling station", "at", "election workers"),
    ("a government office", "the office", "at", "staff"),
    ("a bus depot", "the depot", "at", "workers"),
]
T_ASSASSIN = [  # victims of assassinations: (description, short)
    ("a senior police commander", "the commander"), ("a provincial lawmaker", "the lawmaker"),
    ("a prominent cleric", "the cleric"), ("a district judge", "the judge"),
    ("a local journalist", "the journalist"), ("a retired army general", "the general"),
    ("a tribal elder", "the elder"), ("an opposition politician", "the politician"),
    ("a deputy governor", "the deputy governor"), ("a senior intelligence officer", "the officer"),
    ("a human rights lawyer", "the lawyer"), ("a district mayor", "the mayor"),
]

# kind -> nouns, agents (subject of the lead), headline agent, label, targets,
#         killed (mu, sigma of log), zero share
KINDS = {
    "armed_assault": (["attack", "assault", "shooting", "gun attack"],
                      ["gunmen", "armed men", "militants", "a group of attackers"],
                      "Gunmen", "armed attack", T_URBAN, (1.8, 1.0), 0.0),
    "bombing": (["bombing", "bomb attack", "blast", "explosion", "bomb blast"],
                ["a bomb", "a car bomb", "a roadside bomb", "an explosive device",
                 "a bomb hidden on a motorcycle"],
                "Bomb", "bombing", T_URBAN, (2.0, 1.0), 0.0),
    "suicide_bombing": (["suicide bombing", "suicide attack", "blast", "bombing"],
                        ["a suicide bomber", "a suicide car bomber", "a bomber wearing an explosives vest"],
                        "Suicide bomber", "suicide bombing", T_URBAN, (2.6, 0.9), 0.0),
    "hostage_taking": (["hostage-taking", "siege", "hostage crisis", "attack"],
                       ["gunmen", "armed men", "militants"],
                       "Gunmen", "hostage-taking", T_HOSTAGE, (1.6, 1.1), 0.15),
    "assassination": (["assassination", "killing", "shooting", "attack"],
                      ["gunmen", "unidentified gunmen", "men on a motorcycle", "an assassin"],
                      "Gunmen", "assassination", None, (0.2, 0.5), 0.0),
    "arson": (["arson attack", "fire", "arson", "attack"],
              ["attackers", "a mob", "arsonists", "unidentified men"],
              "Arsonists", "arson attack", T_ARSON, (1.0, 1.1), 0.3),
    "airstrike": (["airstrike", "air raid", "strike", "bombardment"],
                  ["an airstrike", "warplanes", "an air raid", "fighter jets"],
                  "Airstrike", "airstrike", T_STRIKE, (2.0, 1.0), 0.0),
    "missile_strike": (["missile strike", "missile attack", "strike", "rocket attack"],
                       ["a missile", "a ballistic missile", "a cruise missile", "rockets"],
                       "Missile", "missile strike", T_STRIKE, (1.9, 1.0), 0.05),
    "drone_strike": (["drone strike", "drone attack", "strike"],
                     ["a drone", "an armed drone", "a drone strike"],
                     "Drone strike", "drone strike", T_STRIKE, (1.3, 0.8), 0.05),
    "shelling": (["shelling", "artillery barrage", "bombardment", "attack"],
                 ["artillery fire", "shelling", "mortar rounds", "heavy shelling"],
                 "Shelling", "shelling", T_STRIKE, (1.5, 0.9), 0.1),
    "massacre": (["massacre", "attack", "killings", "raid"],
                 ["gunmen", "armed men", "militiamen", "fighters"],
                 "Gunmen", "massacre", T_MASSACRE, (3.4, 0.8), 0.0),
}
KIND_NAMES = list(KINDS)
KIND_WEIGHTS = [16, 16, 10, 4, 7, 5, 10, 7, 8, 9, 6]
KIND_CONFUSE = {
    "bombing": ["suicide_bombing", "armed_assault"], "suicide_bombing": ["bombing"],
    "airstrike": ["drone_strike", "missile_strike"], "drone_strike": ["airstrike"],
    "missile_strike": ["airstrike", "shelling"], "shelling": ["missile_strike", "airstrike"],
    "armed_assault": ["massacre", "hostage_taking"], "massacre": ["armed_assault"],
    "hostage_taking": ["armed_assault"], "assassination": ["armed_assault"],
    "arson": ["armed_assault"],
}
STRIKE_KINDS = {"airstrike", "missile_strike", "drone_strike", "shelling"}
BLAST_KINDS = {"bombing", "suicide_bombing"}

# --------------------------------------------------------------------------- templates
# Each is a str.format template over the article context (see Article.ctx).

LEAD = {
    "armed_assault": [
        "{Agent} opened fire on {target} in {city} {when}, killing {killed} and wounding {injured}, {src} said.",
        "{Agent} stormed {target} in {city} {when}, killing {killed}.",
        "{Killed} {were} killed {when} when {agent} attacked {target} in the {adj} city of {city}, {src} said.",
        "At least {n_min} people died after {agent} sprayed {target} in {city} with gunfire {when}.",
    ],
    "bombing": [
        "{Agent} exploded {at_target} in {city} {when}, killing {killed} and wounding {injured}.",
        "{Killed} {were} killed when {agent} ripped through {target} in {city} {when}, {src} said.",
        "An explosion tore through {target} in the {adj} city of {city} {when}, killing {killed}, {src} said.",
        "A powerful blast {at_target} in {city} killed {killed} {when}, {src} said.",
    ],
    "suicide_bombing": [
        "{Agent} blew himself up {at_target} in {city} {when}, killing {killed}, {src} said.",
        "{Killed} {were} killed {when} when {agent} detonated explosives {at_target} in {city}.",
        "A suicide attack {at_target} in the {adj} city of {city} killed {killed} and wounded {injured} {when}, {src} said.",
        "{Agent} struck {target} in {city} {when}, killing {killed} in one of the deadliest attacks in {country} this year.",
    ],
    "hostage_taking": [
        "{Agent} seized {hostages} hostages at {target} in {city} {when}, and {killed} {were} killed before security forces ended the siege, {src} said.",
        "A siege at {target} in {city} that began {when} ended with {killed} dead, {src} said.",
        "{Agent} took {hostages} people hostage {at_target} in {city} {when}; {killed} {were} killed when troops stormed the building.",
    ],
    "assassination": [
        "{Agent} shot dead {victim}, {victim_name}, in {city} {when}, {src} said.",
        "{Victim_cap}, {victim_name}, was killed {when} when {agent} opened fire on {his} car in {city}, {src} said.",
        "{Victim_name}, {victim}, was assassinated in {city} {when}, in an attack that killed {killed}.",
        "{Victim_cap} was shot dead outside {his} home in {city} {when}, {src} said. {Victim_name} died on the way to hospital.",
    ],
    "arson": [
        "{Agent} set fire to {target} in {city} {when}, killing {killed}, {src} said.",
        "{Killed} {were} killed when {agent} torched {target} in {city} {when}.",
        "A fire deliberately set at {target} in {city} {when} killed {killed}, {src} said.",
    ],
    "airstrike": [
        "{Agent} hit {target} in {city} {when}, killing {killed}, {src} said.",
        "{Killed} {were} killed when {agent} struck {target} in the {adj} city of {city} {when}.",
        "An airstrike on {target} in {city} killed {killed} and wounded {injured} {when}, {src} said.",
    ],
    "missile_strike": [
        "{Agent} slammed into {target} in {city} {when}, killing {killed}, {src} said.",
        "{Killed} {were} killed when {agent} struck {target} in {city} {when}.",
        "A missile strike on {target} in the {adj} city of {city} killed {killed} {when}, {src} said.",
    ],
    "drone_strike": [
        "{Agent} hit {target} in {city} {when}, killing {killed}, {src} said.",
        "A drone strike on {target} near {city} killed {killed} {when}, {src} said.",
        "{Killed} {were} killed {when} when {agent} targeted {target} in {city}.",
    ],
    "shelling": [
        "{Agent} hit {target} in {city} {when}, killing {killed} and wounding {injured}, {src} said.",
        "Shelling of {city} {when} killed {killed}, {src} said.",
        "{Killed} {were} killed when {agent} pounded {target} in {city} {when}.",
    ],
    "massacre": [
        "{Agent} killed {killed} in an attack on {target} near {city} {when}, {src} said.",
        "{Killed} {were} massacred {when} when {agent} raided {target} outside {city}, {src} said.",
        "{Agent} went house to house in {target} near {city} {when}, killing {killed}, in one of the deadliest massacres in {country} in years.",
    ],
}
LEAD_ZERO = [  # the second sentence is added when the first does not say no one died
    "{Agent} {zverb} {target} in {city} {when}, but no one was killed, {src} said.",
    "{Noun_cap} {at_target} in {city} {when} caused no deaths, {src} said, although {injured} {were_inj} hurt.",
    "No casualties were reported after {agent} {zverb} {target} in {city} {when}.",
    "{Agent} {zverb} {target} in {city} {when}, {src} said.",
]
ZERO_VERB = {"arson": "set fire to", "shelling": "hit", "missile_strike": "struck",
             "drone_strike": "struck", "hostage_taking": "seized hostages at",
             "airstrike": "hit"}
LEAD_LATER = [  # leads for reports a week or more after the incident
    "{Ref_cap} in {city}, which killed {killed}, continues to reverberate across {country}.",
    "Investigators in {city} are still piecing together how {ref} unfolded.",
    "Families of the victims of {ref} in {city} say they are still waiting for answers.",
    "{Days} days after {ref} in {city}, questions remain over who was responsible.",
    "Authorities in {country} have come under growing pressure since {ref} in {city}, which killed {killed}.",
]
DETAIL = {
    "blast": [
        "The blast shattered windows several streets away and left a crater in the road.",
        "Witnesses said the explosion sent a column of black smoke over {city}.",
        "Charred vehicles and debris were strewn across the street, images on social media showed.",
        "The bomb went off as {victims} were gathering, a witness said.",
        "Police said the device had been packed with ball bearings to maximise casualties.",
    ],
    "gun": [
        "Witnesses said the attackers arrived in two pickup trucks and fired indiscriminately.",
        "The gunfire lasted for about {minutes} minutes before security forces arrived.",
        "Some of the attackers were wearing military uniforms, a police officer said.",
        "Security forces killed {n_attackers} of the attackers in an exchange of fire, officials said.",
        "Survivors said the gunmen moved from room to room.",
    ],
    "assassin": [
        "The attackers fled on a motorcycle before police arrived.",
        "{Victim_short_cap} had received threats in recent months, colleagues said.",
        "A bodyguard was also wounded in the attack, {src} said.",
        "Police said the gunmen had waited for {victim_short} near {his} office.",
        "Several bullet casings were found at the scene.",
    ],
    "siege": [
        "Negotiators tried for hours to secure the release of the hostages.",
        "Special forces stormed {target_short} before dawn.",
        "Some hostages escaped through a back door, witnesses said.",
        "The attackers demanded the release of prisoners held by the government.",
        "Security forces killed {n_attackers} of the attackers during the rescue operation, officials said.",
    ],
    "massacre": [
        "Survivors said the attackers set homes on fire before leaving.",
        "Many of the victims were women and children, local leaders said.",
        "Residents who escaped fled into the surrounding countryside.",
        "The attackers arrived on motorcycles at dawn, witnesses said.",
        "Local leaders said the army arrived hours after the killing had stopped.",
    ],
    "strike": [
        "Rescue workers were still pulling bodies from the rubble late into the night.",
        "The strike flattened {target_short} and damaged several neighbouring buildings.",
        "Residents said they heard {strike_sound} shortly before the explosions.",
        "Ambulances struggled to reach the area because of debris blocking the roads.",
        "Local television showed firefighters battling a blaze at the site.",
    ],
    "fire": [
        "Firefighters took several hours to bring the blaze under control.",
        "Witnesses said the attackers poured petrol on the doors before setting them alight.",
        "Most of the victims died of smoke inhalation, a hospital official said.",
    ],
}
TALLY = [
    "{Killed} {were} killed and {injured} wounded, according to {src2}.",
    "{Src2_cap} put the death toll at {n_word}.",
    "{Children_cap} of the dead were children, {src} said.",
    "{Hospital} said it had received {n_bodies} and was treating the wounded.",
    "Officials warned that the toll could rise because several of the wounded were in critical condition.",
    "Most of the victims were {victims}, {src} said.",
]
TALLY_ROSE = [
    "The death toll rose to {n_word} on {pub_weekday}, up from {early} reported earlier, {src} said.",
    "The number of people killed climbed to {n_num} after {late_deaths} of the wounded died in hospital.",
    "Officials raised the death toll to {killed}, from an initial figure of {early}.",
    "By {pub_weekday}, the toll had risen to {n_num}, {src2} said.",
]
TALLY_ZERO = [
    "No one was killed, {src} said.",
    "{Src2_cap} said there were no fatalities.",
]
INJURED = [
    "More than {inj_floor} people were wounded.",
    "{Injured_people_cap} {were_inj} taken to hospitals in {city}, {n_crit} of them in critical condition.",
    "At least {inj_num} people were injured, {src2} said.",
    "The wounded included {inj_children}.",
    "A further {inj_word} {inj_people} being treated for injuries.",
]
CASUALTY_DISPUTE = [
    "{Group} claimed its fighters had killed {inflated} people, a figure that could not be independently verified.",
    "{Rights}, a monitoring group, said {higher} civilians had been killed, more than the official figure.",
    "Local residents said the real toll was higher than the figure given by the authorities.",
]
CLAIM = [
    "{Group} claimed responsibility in a statement posted on {channel}.",
    "{Group} said its fighters carried out the attack.",
    "In a statement, {group} said the attack was in retaliation for {grievance}.",
    "A spokesman for {group}, who gave his name as {spokes}, told {outlet} by telephone that the group was behind the attack.",
    "{Group} later claimed {ref}, saying it had targeted {victims}.",
    "Responsibility was claimed by {group}, which has carried out similar attacks in {country}.",
    "{Group} said on {channel} that one of its members carried out the operation.",
]
CLAIM_FOLLOW = [
    "The claim could not be independently verified.",
    "The authenticity of the statement could not immediately be confirmed.",
    "Security analysts said the attack bore the hallmarks of the group.",
    "The group has carried out dozens of attacks in the region in recent years.",
]
NO_CLAIM = [
    "No group immediately claimed responsibility for the attack.",
    "There was no immediate claim of responsibility, but suspicion fell on {group}, which is active in the area.",
    "No one has claimed responsibility.",
    "It was not clear who was behind the attack.",
]
ACCUSE = [
    "{Accuser_cap} blamed {accused} for the attack.",
    "{Accuser_cap} accused {accused} of {crime}.",
    "{Accuser_name}, {accuser}, said {accused} was behind the attack.",
    "{Accuser_cap} said there was evidence that {accused} had {crime_pp}.",
    "The government pointed the finger at {accused}.",
    "Speaking to reporters in {capital}, {accuser} said {accused} would \"pay a heavy price\".",
    "Officials accused {accused} of {crime}.",
    "\"This attack was planned and financed by {accused},\" {accuser_name}, {accuser}, told a news conference.",
]
ACCUSE_STATE = [
    "{Country} summoned {accused_adj} ambassador to protest.",
    "{Accuser_cap} said {accused} had provided weapons and training to the attackers.",
]
DENY = [
    "{Denier_cap} denied any involvement.",
    "{Denier_cap} dismissed the accusation as baseless.",
    "{Denier_cap} rejected the allegations as \"absurd\".",
    "In a statement, {denier} said it had \"nothing to do\" with the attack and condemned it.",
    "{Denier_cap} rejected the claim, calling it an attempt to divert attention from security failures.",
    "{Denier_cap} said the accusations were \"fabricated\".",
    "{Denier_cap} denied responsibility and called for an independent investigation.",
]
WARN = [
    "Authorities had warned of possible attacks ahead of {occasion}.",
    "Several foreign embassies had issued security alerts for {city} days before the attack.",
    "{Group} had threatened last month to step up attacks on {victims}.",
    "Intelligence officials said they had received warnings of a plot {weeks} weeks earlier.",
    "The {adj} interior ministry had issued a warning on {warn_date} about a possible attack in {city}.",
]
OFFICIAL_Q = [
    "We will hunt down those responsible",
    "This cowardly act will not go unpunished",
    "The attackers wanted to spread fear, but they will not succeed",
    "Our forces have secured the area and the situation is now under control",
    "We are treating this as a terrorist attack",
    "Rescue teams are still working at the scene",
    "Several suspects have been detained and are being questioned",
    "The security forces responded within minutes",
    "We appeal to people to donate blood",
    "It is too early to say who carried out this attack",
    "Every resource of the state is being used to find the perpetrators",
    "The number of casualties may rise",
    "We had reinforced security in the area, but the attackers found a gap",
    "The attackers targeted innocent civilians",
]
WITNESS_ANY = [
    "There were bodies everywhere, I could not believe my eyes",
    "My brother was inside, we still cannot find him",
    "People were screaming and looking for their children",
    "I carried two injured women to a car",
    "I have lived here all my life and never seen anything like this",
    "The ambulances took a long time to arrive",
    "Nobody came to help us for more than an hour",
]
WITNESS_Q = {
    "blast": ["I heard a huge bang and then everyone was running",
              "I was thrown to the ground by the blast",
              "The windows of my shop were blown out",
              "There was smoke everywhere and we could not see anything",
              "It lasted only a few seconds, but it felt like forever"],
    "gun": ["We hid under the tables until the shooting stopped",
            "They were shooting at anyone who moved",
            "I heard gunfire and ran to the back of the building",
            "The shooting went on and on"],
    "strike": ["We heard the planes and then the ground shook",
               "My neighbour's house was completely destroyed",
               "We were sleeping when the first strike hit",
               "There is nothing left of our street"],
    "fire": ["The flames spread so fast",
             "We tried to put out the fire with buckets of water",
             "The smoke was so thick we could not breathe"],
    "assassin": ["I heard several shots and saw a car crash into the wall",
                 "The men on the motorcycle fled before anyone could react",
                 "He was a good man who served this city for years"],
}
WITNESS_Q = {k: v + WITNESS_ANY for k, v in WITNESS_Q.items()}
WITNESS_OF = {"blast": "blast", "strike": "strike", "fire": "fire", "assassin": "assassin",
              "siege": "gun", "massacre": "gun", "gun": "gun"}
WITNESS_ROLES = ["a shopkeeper", "a taxi driver", "a teacher", "a student", "a street vendor",
                 "a resident", "a nurse", "a security guard", "a farmer", "a mechanic",
                 "a father of three", "an engineer", "a pharmacist", "a baker"]
QUOTE_FRAMES = [
    "\"{q},\" said {name}, {role}.",
    "\"{q},\" {name}, {role}, told {outlet}.",
    "{Name}, {role}, said: \"{q}.\"",
    "\"{q},\" {name}, {age}, {role}, said.",
    "\"{q},\" {role_cap} {name} said.",
]
REACTION = [
    "The United Nations secretary-general condemned the attack and called for those responsible to be brought to justice.",
    "The {adj} government declared {mourn_days} days of national mourning.",
    "Neighbouring governments sent condolences and offered assistance.",
    "The European Union called the attack \"an act of senseless violence\".",
    "Religious leaders appealed for calm.",
    "Hundreds of people gathered in central {city} to denounce the violence.",
    "The {adj} leader cut short a visit abroad and returned to {capital}.",
    "Opposition politicians criticised the government for failing to protect civilians.",
    "Officials said the head of state had chaired an emergency security meeting.",
    "Foreign embassies in {capital} advised their citizens to avoid the area.",
    "Condemnations poured in from around the world.",
    "The main opposition party called for the interior minister to resign.",
]
SECURITY = [
    "Security forces sealed off the area and set up checkpoints across {city}.",
    "Authorities imposed a curfew in parts of {city}.",
    "Schools and government offices in {city} were closed on {pub_weekday}.",
    "Mobile internet was suspended in the area, residents said.",
    "Troops were deployed to guard {places} across the province.",
    "Police said security had been tightened at airports and border crossings.",
    "Police said they had defused a second device found near the scene.",
    "Roads leading to {site} remained closed on {pub_weekday}.",
    "Soldiers patrolled the streets of {city} in armoured vehicles.",
]
FUNERAL = [
    "Hundreds of mourners attended funerals for the victims on {pub_weekday}.",
    "Relatives gathered outside the hospital morgue to identify the dead.",
    "Many of the victims were buried in a mass funeral in {city}.",
    "Shops in {city} stayed shut as a mark of respect for the dead.",
    "Coffins draped in the national flag were carried through the streets.",
    "Grieving relatives described the victims as ordinary people going about their lives.",
    "Candles and flowers were laid at {site}.",
]
INVESTIGATION = [
    "Police said they had arrested {n_suspects} suspects in connection with the attack.",
    "Investigators were examining security camera footage from the area.",
    "A forensic team was sent from {capital} to help with the investigation.",
    "The government has ordered an inquiry into how the attackers evaded security.",
    "Prosecutors said the suspects would be charged with terrorism offences.",
    "Officials said at least one of the attackers was a foreign national.",
    "Officials said the attackers had entered the city several days before the attack.",
    "Police said they were searching for {n_fugitives} suspects who fled the scene.",
    "Investigators recovered fragments of the weapons used and sent them for analysis.",
]
BACKGROUND = [
    "{Ref2_cap} came {gap} after {bg_kill} were killed in {bg_agent} in {bg_city} on {bg_date}.",
    "In {bg_month}, {bg_kill} were killed in {bg_agent} in {bg_city}{bg_claim}.",
    "The violence recalled {bg_agent} in {bg_city} on {bg_date}, in which {bg_kill} died{bg_claim}.",
    "It was the latest in a series of attacks in {country}. On {bg_date}, {bg_kill} were killed in {bg_agent} in {bg_city}.",
    "{Country} has seen repeated attacks in recent years, including {bg_agent} in {bg_city} in {bg_month} that killed {bg_kill}.",
]
BACKGROUND_NONE = [
    "{Country} has faced a wave of violence in recent years.",
    "The area had been relatively calm in recent months.",
    "Armed groups have stepped up their activity in the region, analysts say.",
]
SECONDARY = [
    "In a separate attack {sec_when}, {sec_kill} {sec_were} killed when {sec_agent} hit {sec_target} in {sec_city}, {src} said.",
    "Separately, {sec_agent} killed {sec_kill} in {sec_city} {sec_when}, {src} said.",
    "Elsewhere in {country}, {sec_kill} died in {sec_label} in {sec_city} {sec_when}.",
]
SECONDARY_FOREIGN = [
    "In {sec_country}, {sec_kill} {sec_were} killed {sec_when} when {sec_agent} hit {sec_target} in {sec_city}.",
    "Meanwhile in {sec_country}, {sec_agent} killed {sec_kill} in {sec_city} {sec_when}, officials there said.",
]
CONTEXT = [
    "{city} is home to about {pop} people.",
    "{city} has been the scene of frequent attacks in recent years.",
    "The province borders areas where armed groups have long operated.",
    "Many families displaced by earlier fighting have settled in the area.",
    "The area around {site} is usually crowded at that time of day.",
    "Security in {city} had been tightened in recent weeks.",
    "The road linking {city} to {capital} is one of the busiest in the country.",
]
ANALYSIS = [
    "Analysts said the attack showed that {suspect} retained the ability to strike in major cities.",
    "{name}, a security analyst based in {capital}, said the choice of target was meant to send a message to the government.",
    "Experts say armed groups in the region have exploited weak border controls.",
    "The attack is likely to increase pressure on the government to change its security strategy.",
    "Diplomats said the violence could complicate efforts to revive peace talks.",
    "\"The pattern is familiar,\" said {name2}, who studies political violence at a university in {capital}.",
    "Some analysts questioned whether the government's account of the attack was complete.",
    "The government has repeatedly said that the militants have been defeated.",
]
AID = [
    "Aid agencies said hospitals in the area were running short of blood and medicines.",
    "The local Red Crescent said it had sent {n_amb} ambulances to the scene.",
    "Doctors at the hospital appealed for blood donations.",
    "A hotline was set up for relatives searching for missing family members.",
    "Medical teams worked through the night to treat the wounded.",
    "Some of the seriously injured were flown to {capital} for treatment.",
]
GRIEVANCES = ["the killing of its commanders", "government military operations",
              "recent airstrikes on its positions", "the arrest of its members",
              "the execution of its fighters", "attacks on its supporters"]
CHANNELS = ["its Telegram channel", "social media", "a website linked to the group",
            "its propaganda outlet", "a messaging app"]
CRIMES = [("arming the attackers", "armed the attackers"),
          ("sheltering the militants", "sheltered the militants"),
          ("planning the attack from across the border", "planned the attack from across the border"),
          ("financing the group behind the attack", "financed the group behind the attack"),
          ("orchestrating the attack", "orchestrated the attack")]
OCCASIONS = ["the holiday season", "national elections", "Independence Day celebrations",
             "a major religious festival", "the visit of a foreign delegation", "the new year"]
PLACES_GUARD = ["markets and mosques", "churches and schools", "government buildings",
                "hotels and embassies", "bus stations"]

TOPUP_ANY = [REACTION, SECURITY, FUNERAL, INVESTIGATION, ANALYSIS, AID, CONTEXT]

# templates that need deaths, many deaths, or many injured; articles leave them out
# when the figures do not fit
_DEATHY = re.compile(r"bod(y|ies)|dead|funeral|mourn|victim|killed|killing|toll|buried|"
                     r"morgue|coffin|condolence|griev|respect for", re.I)
NO_DEATHS = {}
for _pool in [REACTION, SECURITY, FUNERAL, INVESTIGATION, ANALYSIS, AID, CONTEXT,
              OFFICIAL_Q, *DETAIL.values(), *WITNESS_Q.values()]:
    NO_DEATHS[id(_pool)] = [t for t in _pool if not _DEATHY.search(t)]
# templates naming the capital, left out when the incident is in the capital
CAPITAL_KEYS = set()
for _pool in [REACTION, SECURITY, FUNERAL, INVESTIGATION, ANALYSIS, AID, CONTEXT, ACCUSE]:
    for _p in (_pool, NO_DEATHS.get(id(_pool), [])):
        CAPITAL_KEYS.update((id(_p), i) for i, t in enumerate(_p) if "{capital}" in t)
TALLY_FEW = [t for t in TALLY if "children" not in t and "Most of" not in t]
INJURED_FEW = [t for t in INJURED
               if "{n_crit}" not in t and "{inj_children}" not in t and "{inj_floor}" not in t]

# distractors: (title, lead sentence) pairs and body sentences
D_SPORT_TITLES = [
    ("{team1} beat {team2} {s1}-{s2} to stay top of the league",
     "{team1} beat {team2} {s1}-{s2} in {city} on {pub_weekday} to stay top of the league."),
    ("{team1} stun {team2} with late winner",
     "{player} scored in stoppage time as {team1} beat {team2} {s1}-{s2} in {city} on {pub_weekday}."),
    ("{team2} coach under pressure after {s1}-{s2} defeat",
     "{team2} lost {s1}-{s2} to {team1} in {city} on {pub_weekday}, piling pressure on their coach."),
    ("{team1} ease past {team2} in {city}",
     "{team1} beat {team2} {s1}-{s2} in {city} on {pub_weekday}, with {player} scoring twice."),
]
D_SPORT = [
    "{player} struck in the {minute}th minute to give {team1} the lead.",
    "The visitors launched a series of attacks in the second half but could not find an equaliser.",
    "{team2} were reduced to ten men after a reckless challenge shortly before half-time.",
    "\"We showed character tonight,\" said {team1} coach {name}.",
    "A crowd of {crowd} watched the match at the {stadium}.",
    "{player_pos} shot from the edge of the area killed off the contest.",
    "The defeat leaves {team2} {pts} points behind the leaders with {left} games left.",
    "{team1} had lost three of their previous five matches.",
    "The referee awarded a penalty after a video review, which {player} converted.",
    "Fans set off flares in the stands after the final whistle.",
    "{team2_pos} goalkeeper made a string of saves to keep the score respectable.",
    "The home side dominated possession from the opening whistle.",
    "{team1} will face {team2} again in the cup next month.",
    "Injuries have left the squad stretched at a crucial stage of the season.",
    "\"It was a difficult night, but we will come back stronger,\" said {team2} captain {player2}.",
    "The club's new signing made his debut as a second-half substitute.",
    "Ticket prices had been criticised by supporters' groups before the game.",
    "League officials said they would review the crowd trouble after the match.",
    "{player2} hit the post for the visitors just before the break.",
    "The teams meet again in the return fixture in {team2_city} later in the season.",
]
D_ECON_TITLES = [
    ("{country} central bank raises rates to {rate}%",
     "The central bank of {country} raised its benchmark interest rate to {rate}% on {pub_weekday}."),
    ("Inflation in {country} eases to {infl}% in {month}",
     "Annual inflation in {country} eased to {infl}% in {month}, the statistics office said on {pub_weekday}."),
    ("{company} shares jump after strong quarterly results",
     "Shares in {company} rose {pct}% on {pub_weekday} after the company reported higher-than-expected profits."),
    ("Dock workers' strike disrupts exports from {city}",
     "A strike by dock workers in {city} entered its {nth} day on {pub_weekday}, delaying shipments."),
    ("{country} economy grows {gdp}% as exports rebound",
     "The economy of {country} grew by {gdp}% in the last quarter, driven by exports and construction."),
]
D_ECON = [
    "\"The outlook remains uncertain,\" said {name}, chief economist at {company}.",
    "The currency fell {pct2}% against the dollar in early trading.",
    "Analysts said the government's budget deficit was likely to widen.",
    "Exports of manufactured goods rose for a {nth} consecutive month.",
    "Unions said the strike would continue until wages were raised.",
    "The finance ministry said it expected growth to slow next year.",
    "Investors were also watching oil prices, which hit a three-month high.",
    "The government announced new subsidies for small businesses.",
    "Retail sales rose {pct2}% from a year earlier.",
    "The stock exchange's main index closed {pct3}% higher.",
    "Economists polled before the decision had expected rates to stay on hold.",
    "The trade deficit narrowed for the first time in six months.",
    "Business groups welcomed the measures but said more reforms were needed.",
    "Fuel prices have risen sharply since the start of the year.",
    "The ministry said foreign investment had reached its highest level in a decade.",
    "The port handles about a third of the country's exports.",
    "Shares in rival firms also rose.",
]
D_WEATHER_TITLES = [
    ("Heavy rain brings flooding to {city}",
     "Heavy rain caused flooding in parts of {city} on {pub_weekday}, forecasters said."),
    ("Heatwave grips {country} as temperatures hit {temp}C",
     "Temperatures in {city} reached {temp}C on {pub_weekday}, the highest for the month since records began."),
    ("Storm leaves thousands without power in {city}",
     "A storm brought down trees and power lines in {city} on {pub_weekday}, leaving thousands of homes without electricity."),
    ("Snow disrupts flights at {city} airport",
     "Heavy snow forced the cancellation of dozens of flights at {city} airport on {pub_weekday}."),
]
D_WEATHER_ANY = [
    "The weather service issued an orange warning for the region.",
    "\"We expect conditions to improve by the weekend,\" said {name}, a meteorologist.",
    "Schools in several districts were closed as a precaution.",
    "Train services between {city} and neighbouring towns were suspended.",
    "Forecasters said the unsettled weather would last until the middle of next week.",
    "Officials urged people to avoid unnecessary travel.",
    "Emergency services said they had received hundreds of calls.",
    "Scientists say extreme weather has become more frequent in the region.",
    "Local businesses reported a sharp drop in customers.",
]
D_WEATHER = [
    D_WEATHER_ANY + [
        "Rivers in the province were close to bursting their banks, officials said.",
        "Emergency services rescued dozens of people from flooded homes.",
        "Rainfall over the past week was more than twice the monthly average.",
        "Residents queued for sandbags at distribution points across the city.",
        "Several roads were blocked by landslides in hilly districts.",
        "Farmers said the rains had damaged crops in low-lying areas."],
    D_WEATHER_ANY + [
        "Authorities opened cooling centres and urged residents to stay indoors.",
        "Hospitals reported a rise in cases of heatstroke.",
        "Electricity demand hit a record as residents turned on air conditioners.",
        "Water was rationed in several districts.",
        "Outdoor work was banned during the hottest hours of the day."],
    D_WEATHER_ANY + [
        "Power companies said they had restored electricity to most homes by the evening.",
        "Wind gusts of more than 100 kilometres an hour were recorded on the coast.",
        "Fallen trees blocked several main roads.",
        "Ferry services were suspended until further notice.",
        "The last comparable storm hit the region more than a decade ago."],
    D_WEATHER_ANY + [
        "Snow ploughs worked through the night to clear the runways.",
        "Up to 40 centimetres of snow fell in some areas.",
        "Motorists were stranded for hours on the main highway.",
        "Schools in mountain villages were closed for a second day.",
        "Airport officials said de-icing crews were working at full capacity.",
        "Passengers spent the night in the terminal waiting for news of their flights.",
        "Temperatures were expected to stay below freezing for several days.",
        "Bus services were reduced and several rural roads were closed."],
]
TEAMS_A = ["United", "City", "Rovers", "Athletic", "Sporting", "Dynamo", "Wanderers", "Racing"]
COMPANIES = ["Northwind Holdings", "Aurelia Group", "Bayfront Industries", "Solace Energy",
             "Tallis Bank", "Kestrel Motors", "Pioneer Cement", "Orion Telecom"]

# --------------------------------------------------------------------------- world model


class World:
    """Incidents, sorted by date; parallel lists keep memory low for a million mentions."""

    def __init__(self, n_incidents, rng):
        self.cities, self.countries = load_cities()
        self.groups = load_groups()
        self.demonyms = load_demonyms()
        # cumulative weights for city choice (population ^ 0.5)
        acc, cum = 0.0, []
        for c in self.cities:
            acc += math.sqrt(c[4])
            cum.append(acc)
        self.city_cum = cum
        self.city_total = acc
        # cities by country, largest first (dateline noise, background places)
        self.by_cc = {}
        for i, c in enumerate(self.cities):
            self.by_cc.setdefault(c[1], []).append(i)
        for lst in self.by_cc.values():
            lst.sort(key=lambda i: -self.cities[i][4])
        self.groups_by_cc = {}
        for i, g in enumerate(self.groups):
            self.groups_by_cc.setdefault(g[2], []).append(i)
        self.global_groups = self.groups_by_cc.get("", list(range(len(self.groups))))
        # capitals: the list below, else the country's largest city
        self.capital = {cc: self.cities[lst[0]][0] for cc, lst in self.by_cc.items()}
        self.capital.update(CAPITALS)
        self.accused_states = [cc for cc in ACCUSED_STATES if cc in self.countries]

        n = max(1, n_incidents)
        recs = []
        kind_cum = []
        a = 0
        for w in KIND_WEIGHTS:
            a += w
            kind_cum.append(a)
        for _ in range(n):
            date = rng.randint(FIRST_DAY, LAST_DAY)
            ci = bisect.bisect_left(cum, rng.random() * acc)
            recs.append((date, ci, bisect.bisect_left(kind_cum, rng.random() * a)))
        recs.sort()
        self.n = n
        self.date = [r[0] for r in recs]
        self.city = [r[1] for r in recs]
        self.kind = [r[2] for r in recs]
        self.killed, self.injured, self.perp, self.claimed = [], [], [], []
        self.accused, self.accuser, self.denies, self.target, self.tod = [], [], [], [], []
        for i in range(n):
            k = KIND_NAMES[self.kind[i]]
            spec = KINDS[k]
            mu, sigma = spec[5]
            if rng.random() < spec[6]:
                killed = 0
            else:
                killed = max(1, int(round(math.exp(rng.gauss(mu, sigma)))))
                if k == "assassination":
                    killed = min(killed, 4)
                killed = min(killed, 900)
            inj = int(killed * rng.uniform(0.3, 3.5) + rng.randint(0, 12))
            if k == "assassination" and rng.random() < 0.5:
                inj = rng.randint(0, 2)
            if killed == 0 and inj == 0:
                inj = rng.randint(1, 9)
            cc = self.cities[self.city[i]][1]
            local = self.groups_by_cc.get(cc)
            if local and rng.random() < 0.75:
                perp = rng.choice(local)
            elif rng.random() < 0.6:
                perp = rng.choice(self.global_groups)
            else:
                perp = rng.randrange(len(self.groups))
            claimed = rng.random() < (0.35 if k in STRIKE_KINDS else 0.6)
            # accused party: ("g", group index) or ("c", country code); None = nobody blamed
            r = rng.random()
            if r < 0.25:
                accused = None
            elif r < 0.5:
                accused = ("g", perp)
            elif r < 0.65:
                accused = ("g", rng.randrange(len(self.groups)))
            else:
                choices = [c for c in self.accused_states if c != cc] or ["US"]
                accused = ("c", rng.choice(choices))
            self.killed.append(killed)
            self.injured.append(inj)
            self.perp.append(perp)
            self.claimed.append(claimed)
            self.accused.append(accused)
            self.accuser.append(rng.randrange(len(ACCUSER_ROLES)))
            # deniers: the accused (unless it is the group that claimed), sometimes the
            # perpetrator when it did not claim
            den = []
            if accused is not None and not (accused == ("g", perp) and claimed):
                if rng.random() < 0.85:
                    den.append(accused)
            if not claimed and accused != ("g", perp) and rng.random() < 0.2:
                den.append(("g", perp))
            self.denies.append(tuple(den))
            tl = spec[4]
            self.target.append(rng.randrange(len(tl) if tl else len(T_ASSASSIN)))
            self.tod.append(rng.randrange(6))
        # incidents by country, by date (background and "separate attack" lookups)
        self.cc_dates, self.cc_idx = {}, {}
        for i in range(n):
            cc = self.cities[self.city[i]][1]
            self.cc_idx.setdefault(cc, []).append(i)
        for cc, lst in self.cc_idx.items():
            self.cc_dates[cc] = [self.date[i] for i in lst]

    def cc(self, i):
        return self.cities[self.city[i]][1]

    def country_name(self, cc):
        return self.countries.get(cc, cc)

    def adj(self, cc):
        return self.demonyms.get(cc) or self.countries.get(cc, cc)

    def earlier_in_country(self, i, rng, max_back=25):
        """An incident in the same country before incident i, or None."""
        cc = self.cc(i)
        dates = self.cc_dates[cc]
        j = bisect.bisect_left(dates, self.date[i] - 3)
        if j == 0:
            return None
        lo = max(0, j - max_back)
        return self.cc_idx[cc][rng.randrange(lo, j)]

    def recent_incident(self, i, pub, rng):
        """Another incident a report published on pub may also cover: one in the same
        country in the 10 days up to pub, else one anywhere in the 2 days up to pub.
        Returns (index or None, whether it is in another country)."""
        cc = self.cc(i)
        dates, idx = self.cc_dates[cc], self.cc_idx[cc]
        lo = bisect.bisect_left(dates, pub - 10)
        hi = bisect.bisect_right(dates, pub)
        cand = [idx[j] for j in range(lo, hi) if idx[j] != i]
        if cand:
            return rng.choice(cand), False
        lo = bisect.bisect_left(self.date, pub - 2)
        hi = bisect.bisect_right(self.date, pub)
        cand = [j for j in range(lo, hi) if j != i]
        if cand:
            j = rng.choice(cand)
            return j, self.cc(j) != cc
        return None, False

    def group_name(self, gi, rng, canonical_share=0.7):
        name, aliases, _ = self.groups[gi]
        if aliases and rng.random() > canonical_share:
            return rng.choice(aliases)
        return name


def report_counts(n_inc, total, rng):
    """Reports per incident, Zipf-like: about 20% get one report, half get three or
    fewer, 2% get 50 or more (at most max(60, total/250)); every incident gets one if
    total allows."""
    if total <= n_inc:
        counts = [0] * n_inc
        for i in rng.sample(range(n_inc), total):
            counts[i] = 1
        return counts
    w = [min(rng.paretovariate(1.3) - 1.0, 100.0) for _ in range(n_inc)]
    W = sum(w) or 1.0
    extra = total - n_inc
    # no incident takes more than 0.4% of a big corpus, or 60 reports of a small one
    top = max(60, total // 250)
    counts = [min(top, 1 + int(extra * x / W + rng.random())) for x in w]
    left = total - sum(counts)
    cum, acc = [], 0.0
    for x in w:
        acc += x
        cum.append(acc)
    while left > 0:
        i = min(n_inc - 1, bisect.bisect_left(cum, rng.random() * acc))
        if counts[i] < top or rng.random() < 0.01:
            counts[i] += 1
            left -= 1
    while left < 0:
        i = rng.randrange(n_inc)
        if counts[i] > 1:
            counts[i] -= 1
            left += 1
    return counts


def draw_delay(rng):
    r = rng.random()
    if r < 0.38:
        return 0
    if r < 0.62:
        return 1
    if r < 0.74:
        return 2
    return min(45, 3 + int(rng.expovariate(1 / 6.0)))


def reported_toll(true_killed, delay, rng):
    if true_killed <= 1 or delay >= 3:
        return true_killed
    lo = (0.35, 0.6, 0.8)[delay]
    return max(1, min(true_killed, int(round(true_killed * rng.uniform(lo, 1.0)))))


# --------------------------------------------------------------------------- text helpers


def cap(s):
    return s[:1].upper() + s[1:] if s else s


def num(n, rng, words=True):
    if words and n <= 10 and rng.random() < 0.85:
        return NUMWORDS[n]
    return f"{n:,}"


def casualties(n, noun, rng):
    """'at least 12 people' for n deaths (n >= 1), and whether the phrase is plural."""
    if n == 1:
        return rng.choice(("one person", "one person", "a " + noun[1])), False
    pl = noun[0]
    r = rng.random()
    if n >= 200 and r < 0.15:
        return f"hundreds of {pl}", True
    if 24 <= n < 100 and r < 0.12:
        return f"dozens of {pl}", True
    r = rng.random()
    if r < 0.35:
        return f"at least {num(n, rng)} {pl}", True
    if r < 0.5 and n >= 11:
        m = (n - 1) // 5 * 5 if n < 100 else (n - 1) // 10 * 10
        return f"more than {num(m, rng)} {pl}", True
    if r < 0.58 and n >= 17:
        m = (n + 9) // 10 * 10
        if 0 < m - n <= 3:
            return f"nearly {m:,} {pl}", True
    if r < 0.66 and n >= 20:
        return f"about {int(round(n / 5.0)) * 5:,} {pl}", True
    if r < 0.72:
        return f"as many as {num(n, rng)} {pl}", True
    return f"{num(n, rng)} {pl}", True


def fmt_date(o, uk, year=False, ap=False):
    d = datetime.date.fromordinal(o)
    m = (MONTHS_AP if ap else MONTHS)[d.month - 1]
    if uk:
        s = f"{d.day} {m}"
        return f"{s} {d.year}" if year else s
    s = f"{m} {d.day}"
    return f"{s}, {d.year}" if year else s


TOD_SAME = [("on {wd}", "on {wd}"), ("early on {wd}", "on {wd}"), ("on {wd} morning", "on {wd}"),
            ("on {wd} afternoon", "on {wd}"), ("on {wd} evening", "on {wd}"),
            ("late on {wd}", "on {wd}")]


def when_phrase(inc_date, tod, pub, uk, rng):
    """How a report published on pub refers to the day of the incident."""
    k = pub - inc_date
    wd = WEEKDAYS[datetime.date.fromordinal(inc_date).weekday()]
    if k <= 6:
        if k >= 1 and rng.random() < 0.25:
            return "on " + fmt_date(inc_date, uk)
        if k >= 2 and rng.random() < 0.15:
            return "last " + wd
        return TOD_SAME[tod][0 if rng.random() < 0.7 else 1].format(wd=wd)
    same_year = datetime.date.fromordinal(inc_date).year == datetime.date.fromordinal(pub).year
    return "on " + fmt_date(inc_date, uk, year=not same_year)


def ref_phrase(inc_date, pub, noun, uk, rng):
    k = pub - inc_date
    if k == 0:
        return "the " + noun
    if k <= 6:
        return WEEKDAYS[datetime.date.fromordinal(inc_date).weekday()] + "'s " + noun
    if k <= 13 and rng.random() < 0.4:
        return "last week's " + noun
    return "the " + fmt_date(inc_date, uk) + " " + noun


def gap_phrase(days):
    if days < 25:
        return "less than a month"
    months = int(round(days / 30.4))
    if months < 12:
        return f"{NUMWORDS[months] if months <= 12 else months} months" if months > 1 else "a month"
    years = days // 365
    if years <= 1:
        return "just over a year" if months < 15 else "more than a year"
    return f"{NUMWORDS[years] if years <= 12 else years} years"


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(title):
    s = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = _SLUG_RE.sub(" ", s).split()
    return "-".join(words[:9]) or "story"


SMALL = {"a", "an", "the", "and", "but", "or", "for", "nor", "on", "at", "to", "from", "by",
         "of", "in", "with", "as", "after", "over"}


def title_case(s):
    out = []
    for i, w in enumerate(s.split(" ")):
        if i and w in SMALL:
            out.append(w)
        elif w[:1].islower() and not w.startswith(("al-", "el-")):
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
    return " ".join(out)


# --------------------------------------------------------------------------- articles


class Writer:
    def __init__(self, world, rng):
        self.w = world
        self.rng = rng
        self.zero = False  # the article reports no deaths

    # -- names
    def person(self, cc, female=None):
        rng = self.rng
        region = REGION_OF.get(cc) or rng.choice(REGION_KEYS)
        m, f, l = NAMES[region]
        if female is None:
            female = rng.random() < 0.35
        return f"{rng.choice(f if female else m)} {rng.choice(l)}"

    def pick(self, pool, used, fresh=False):
        """A template from pool not yet used in this article; if none is found, any
        template (or None with fresh=True)."""
        rng = self.rng
        if self.zero:
            pool = NO_DEATHS.get(id(pool), pool)
        n = len(pool)
        if n == 0:
            return None
        key = id(pool)
        for _ in range(6):
            i = rng.randrange(n)
            if (key, i) not in used:
                used.add((key, i))
                return pool[i]
        for i in range(n):
            if (key, i) not in used:
                used.add((key, i))
                return pool[i]
        return None if fresh else pool[rng.randrange(n)]

    def quote(self, ctx, used, official):
        rng = self.rng
        cc = ctx["cc"]
        if official:
            role = rng.choice(OFFICIAL_ROLES)
            name = self.person(cc, None if role[2] is None else role[2] == "f")
            q = self.pick(OFFICIAL_Q, used)
            frame = QUOTE_FRAMES[rng.choice((0, 1, 2, 4))]
            if "{role_cap}" in frame:
                return frame.format(q=q, name=name, role_cap=role[1], outlet=ctx["outlet"])
            return frame.format(q=q, name=name, Name=name, role=role[0], outlet=ctx["outlet"])
        name = self.person(cc)
        q = self.pick(WITNESS_Q[WITNESS_OF[ctx["dkey"]]], used)
        role = rng.choice(WITNESS_ROLES)
        frame = self.pick(QUOTE_FRAMES[:4], used)
        return frame.format(q=q, name=name, Name=name, role=role, outlet=ctx["outlet"],
                            age=rng.randint(19, 71))

    # -- one incident report
    def report(self, inc, pub, outlet, extra_bg, out_truth):
        rng, w = self.rng, self.w
        kind = KIND_NAMES[w.kind[inc]]
        nouns, agents, hl_agent, label, tlist, _, _ = KINDS[kind]
        cname, cc, _, _, cpop = w.cities[w.city[inc]]
        country = w.country_name(cc)
        adj = w.adj(cc)
        oname, _, wire, uk = outlet
        delay = pub - w.date[inc]
        true_k = w.killed[inc]
        n_k = reported_toll(true_k, delay, rng)
        inj = w.injured[inc] if delay >= 2 else int(w.injured[inc] * rng.uniform(0.5, 1.0))
        if tlist is None:
            vic = T_ASSASSIN[w.target[inc]]
            target = (vic[0], vic[1], "near", "officials")
        else:
            target = tlist[w.target[inc]]
        victims = target[3]
        noun = rng.choice(nouns)
        agent = rng.choice(agents)
        ctx = {
            "cc": cc, "city": cname, "country": country, "Country": country, "adj": adj,
            "capital": w.capital.get(cc, cname), "outlet": oname,
            "agent": agent, "Agent": cap(agent), "noun": noun, "Noun_cap": cap(noun),
            "target": target[0], "target_short": target[1],
            "at_target": f"{target[2]} {target[0]}", "victims": victims,
            "when": when_phrase(w.date[inc], w.tod[inc], pub, uk, rng),
            "pub_weekday": WEEKDAYS[datetime.date.fromordinal(pub).weekday()],
            "src": rng.choice(("police", "officials", "local officials", "a security official",
                               "authorities", "a police spokesman", "medical sources")),
            "src2": rng.choice(("the health ministry", "local officials", "the police",
                                "hospital officials", "the provincial government",
                                "the civil defence agency", "security sources")),
            "hostages": rng.choice(("dozens of", "more than 20", "about 30", "at least 15",
                                    "scores of")),
            "Days": cap(num(max(delay, 2), rng)),
            "kind": kind, "late_lead": delay >= 7, "uk": uk, "early": None,
            "pop": (f"{cpop / 1e6:.1f} million" if cpop >= 1e6
                    else f"{int(round(cpop, -3)):,}"),
            "n_amb": num(rng.randint(4, 30), rng), "n_fugitives": num(rng.randint(2, 5), rng),
            "name": self.person(cc), "angle": "news",
        }
        ctx["Src2_cap"] = cap(ctx["src2"])
        ctx["_nk"], ctx["_inj"] = n_k, inj
        ctx["name2"] = self.person(cc)
        ctx["suspect"] = "armed groups"
        ctx.update(
            mourn_days=num(rng.randint(1, 3), rng), n_suspects=num(rng.randint(2, 9), rng),
            places=rng.choice(PLACES_GUARD), minutes=num(rng.choice((10, 15, 20, 30, 40)), rng),
            n_attackers=num(rng.randint(1, 5), rng), channel=rng.choice(CHANNELS),
            grievance=rng.choice(GRIEVANCES), spokes=self.person(cc, female=False),
            occasion=rng.choice(OCCASIONS), weeks=num(rng.randint(2, 6), rng),
            warn_date=fmt_date(w.date[inc] - rng.randint(3, 20), uk))
        ref = ref_phrase(w.date[inc], pub, noun, uk, rng)
        ctx["ref"] = ref
        ctx["Ref_cap"] = cap(ref)
        ctx["Ref2_cap"] = cap(ref) if delay else "The attack"
        if tlist is None:
            female = rng.random() < 0.15
            vname = self.person(cc, female=female)
            ctx["victim"], ctx["victim_name"] = vic[0], vname
            ctx["Victim_cap"] = cap(vic[0])
            ctx["Victim_name"] = vname
            ctx["victim_short"] = vic[1]
            ctx["Victim_short_cap"] = cap(vic[1])
            ctx["his"] = "her" if female else "his"
            ctx["site"] = "the scene"
        else:
            ctx["site"] = target[1]
        self.zero = n_k == 0
        dkey = ("blast" if kind in BLAST_KINDS else "strike" if kind in STRIKE_KINDS
                else "fire" if kind == "arson" else "assassin" if kind == "assassination"
                else "siege" if kind == "hostage_taking" else "massacre" if kind == "massacre"
                else "gun")
        ctx["dkey"] = dkey
        ctx["zverb"] = ZERO_VERB.get(kind, "attacked")
        ctx["strike_sound"] = ("aircraft overhead" if kind == "airstrike" else
                               "a drone overhead" if kind == "drone_strike" else
                               "a whistling sound")
        if n_k > 0:
            kp, plural = casualties(n_k, (rng.choice(("people", "people", victims)),
                                          "person"), rng)
            ctx["killed"], ctx["Killed"] = kp, cap(kp)
            ctx["were"] = "were" if plural else "was"
            ctx["n_num"] = f"{n_k:,}"
            ctx["n_word"] = num(n_k, rng)
            ctx["n_min"] = f"{n_k:,}"
            if delay >= 1 and n_k >= 4:
                early = max(1, int(round(n_k * rng.uniform(0.3, 0.75))))
                if early < n_k:
                    ctx["early"] = num(early, rng)
                    ctx["late_deaths"] = num(n_k - early, rng)
        inj_phrase, inj_pl = (casualties(inj, ("others" if n_k else "people", "other"), rng)
                              if inj else ("no one", False))
        ctx["injured"], ctx["Injured_cap"] = inj_phrase, cap(inj_phrase)
        ctx["Injured_people_cap"] = cap(inj_phrase.replace(" others", " people")
                                        .replace(" other", " person"))
        ctx["were_inj"] = "were" if inj_pl else "was"
        ctx["inj_num"] = f"{max(inj, 1):,}"
        ctx["inj_word"] = num(max(inj, 1), rng)
        ctx["inj_people"] = "people were" if inj != 1 else "person was"
        ctx["inj_floor"] = f"{max(1, inj - 1 if inj < 20 else inj // 10 * 10 - (10 if inj % 10 == 0 else 0)):,}"
        ctx["n_crit"] = num(max(1, inj // rng.randint(3, 9)), rng)
        ic = max(1, inj // rng.randint(4, 12))
        ctx["inj_children"] = num(ic, rng) + (" children" if ic > 1 else " child")
        ctx["Children_cap"] = cap(num(max(2, n_k // rng.randint(3, 8)), rng))
        nb = max(1, n_k - rng.randint(0, max(1, n_k // 3)))
        ctx["n_bodies"] = num(nb, rng) + (" bodies" if nb > 1 else " body")
        ctx["Hospital"] = rng.choice((f"{cname} General Hospital", "The main city hospital",
                                      f"{cname} Central Hospital", "A military hospital"))
        perp = w.perp[inc]
        gname = w.group_name(perp, rng)
        ctx["group"], ctx["Group"] = gname, cap(gname)

        used = set(CAPITAL_KEYS) if ctx["capital"] == cname else set()
        paragraphs = []
        headline = self.headline(inc, pub, ctx, kind, n_k, delay, hl_agent, label)

        # -- target length
        words_target = int(math.exp(rng.gauss(6.02, 0.55)))
        words_target = min(1150, max(170, words_target))
        n_par = min(12, max(4, int(round(2.5 + words_target / 110.0))))
        per_par = words_target / n_par

        # -- sections in order: (name, sentences, pools to top a short paragraph up from)
        q_off = lambda c, u: [self.quote(c, u, True), self.quote(c, u, True)]  # noqa: E731
        q_wit = lambda c, u: [self.quote(c, u, False), self.quote(c, u, False)]  # noqa: E731
        later = [("tally", self.sec_tally, (AID, CONTEXT)),
                 ("detail", lambda c, u: self.sec_detail(dkey, c, u), (CONTEXT, AID))]
        claim_known = w.claimed[inc] and (delay > 0 or rng.random() < 0.4
                                          or ctx["angle"] == "claim")
        if claim_known:
            ctx["suspect"] = gname
        later.append(("claim", lambda c, u: self.sec_claim(inc, claim_known, c, u),
                      (ANALYSIS,)))
        acc = w.accused[inc]
        if acc is not None and (ctx["angle"] == "blame"
                                or rng.random() < (0.45 if delay == 0 else 0.8)):
            later.append(("accuse", lambda c, u: self.sec_accuse(inc, c, u), (ANALYSIS, REACTION)))
            if w.denies[inc] and rng.random() < (0.5 if delay == 0 else 0.85):
                later.append(("deny", lambda c, u: self.sec_deny(inc, c, u), (ANALYSIS,)))
        later.append(("official", q_off, (INVESTIGATION, SECURITY)))
        later.append(("witness", q_wit, (DETAIL[dkey], CONTEXT)))
        if rng.random() < 0.3:
            later.append(("warn", lambda c, u: self.sentences(WARN, c, u, 2, warn=(inc, pub)),
                          (SECURITY, ANALYSIS)))
        bg = None
        if rng.random() < 0.6:
            bg = w.earlier_in_country(inc, rng)
            later.append(("background", lambda c, u: self.sec_background(bg, inc, pub, c, u),
                          (ANALYSIS, CONTEXT)))
        sec = None
        if delay <= 3 and rng.random() < 0.12:
            sec, foreign = w.recent_incident(inc, pub, rng)
            if sec is not None:
                later.insert(2, ("secondary",
                                 lambda c, u: self.sec_secondary(sec, foreign, pub, c, u), ()))
        if delay >= 4 or rng.random() < 0.3:
            later.append(("funeral", lambda c, u: self.sentences(FUNERAL, c, u, 3), (AID,)))
        # the headline's angle comes first after the lead
        first = {"claim": ("claim",), "blame": ("accuse", "deny"), "toll": ("tally",)}.get(
            ctx["angle"], ())
        if first:
            later = [x for x in later if x[0] in first] + [x for x in later if x[0] not in first]
        sections = [("lead", self.sec_lead, (DETAIL[dkey],))] + later
        fillers = [(lambda c, u: self.sentences(REACTION, c, u, 3), (REACTION, ANALYSIS)),
                   (lambda c, u: self.sentences(SECURITY, c, u, 3), (SECURITY, CONTEXT)),
                   (lambda c, u: self.sentences(INVESTIGATION, c, u, 3), (INVESTIGATION,)),
                   (lambda c, u: [self.quote(c, u, rng.random() < 0.5), self.quote(c, u, True)],
                    (ANALYSIS,)),
                   (lambda c, u: self.sentences(ANALYSIS, c, u, 3), (ANALYSIS, CONTEXT)),
                   (lambda c, u: self.sentences(AID, c, u, 2), (AID, FUNERAL)),
                   (lambda c, u: self.sentences(FUNERAL, c, u, 2), (FUNERAL, REACTION))]

        total = 0
        si = 0
        while len(paragraphs) < 12:
            if si < len(sections):
                _, fn, topup = sections[si]
            else:
                fn, topup = fillers[rng.randrange(len(fillers))]
            si += 1
            sents = [x for x in fn(ctx, used) if x]
            if not sents:
                continue
            goal = per_par * rng.uniform(0.7, 1.2)
            para, pw = [], 0
            for x in sents:
                para.append(x)
                pw += x.count(" ") + 1
                if pw >= goal:
                    break
            tries = 0
            while pw < goal * 0.95 and tries < 10:
                tries += 1
                pool = (topup[rng.randrange(len(topup))] if topup and tries <= 4
                        else TOPUP_ANY[rng.randrange(len(TOPUP_ANY))])
                x = self.pick(pool, used, fresh=True)
                if x is None:
                    continue
                x = cap(x.format_map(ctx))
                para.append(x)
                pw += x.count(" ") + 1
            paragraphs.append(" ".join(para))
            total += pw
            if total >= words_target and len(paragraphs) >= 4 and si >= min(len(sections), 4):
                break
        while total > 1200 and len(paragraphs) > 4:
            total -= paragraphs.pop().count(" ") + 1

        # dateline
        r = rng.random()
        if wire and r < 0.75:
            ap = not uk and rng.random() < 0.5
            dl = f"{cname.upper()}, {fmt_date(pub, uk, ap=ap)} ({oname}) - "
            paragraphs[0] = dl + paragraphs[0]
        elif r < 0.35:
            paragraphs[0] = f"{cname.upper()} — " + paragraphs[0]
        truth = [f"inc-{inc + 1:06d}"]
        if sec is not None:
            truth.append(f"inc-{sec + 1:06d}")
        if out_truth is not None:
            out_truth.extend(truth)
        if extra_bg is not None and bg is not None:
            extra_bg.append(f"inc-{bg + 1:06d}")
        return headline, paragraphs

    def headline(self, inc, pub, ctx, kind, n_k, delay, hl_agent, label):
        rng, w = self.rng, self.w
        city = ctx["city"]
        noun = ctx["noun"]
        options = []
        if kind == "assassination" and (delay == 0 or rng.random() < 0.3):
            ctx["angle"] = "news"
            vic = ctx["victim"]
            vic = vic[2:] if vic.startswith("a ") else vic[3:] if vic.startswith("an ") else vic
            options = [f"{cap(vic)} shot dead in {city}",
                       f"Gunmen kill {vic} in {ctx['country']}",
                       f"{ctx['victim_name']} assassinated in {city}"]
        elif delay == 0 or rng.random() < 0.25:
            ctx["angle"] = "news"
            if n_k == 1:
                options = [f"One killed in {city} {noun}",
                           f"{cap(noun)} in {city} kills one"]
            elif n_k > 0:
                options = [f"{hl_agent} kills {n_k} at {ctx['target_short'][4:]} in {city}",
                           f"{n_k} killed in {city} {noun}",
                           f"{cap(noun)} in {city} kills at least {n_k}",
                           f"At least {n_k} dead after {noun} in {ctx['country']}",
                           f"{cap(label)} in {city} leaves {n_k} dead, dozens hurt"
                           if n_k >= 5 else f"{cap(label)} in {city} leaves {n_k} dead"]
            else:
                options = [f"{cap(label)} in {city} causes no casualties",
                           f"{hl_agent} targets {ctx['target_short'][4:]} in {city}"]
        else:
            r = rng.random()
            if r < 0.25 and n_k >= 5 and delay <= 4:
                ctx["angle"] = "toll"
                options = [f"Death toll from {city} {noun} rises to {n_k}",
                           f"{city} {noun} toll climbs to {n_k}"]
            elif r < 0.45 and w.claimed[inc]:
                ctx["angle"] = "claim"
                options = [f"{ctx['Group']} claims {city} {noun}",
                           f"{ctx['Group']} says it was behind deadly {city} {noun}"]
            elif r < 0.65 and w.accused[inc] is not None:
                ctx["angle"] = "blame"
                acc = self.party(w.accused[inc], canonical=True)
                options = [f"{ctx['country']} blames {acc} for {city} {noun}",
                           f"{cap(acc)} denies role in {city} {noun}" if w.denies[inc]
                           else f"{cap(acc)} accused over {city} {noun}"]
            else:
                ctx["angle"] = "aftermath"
                options = [f"Funerals held for victims of {city} {noun}",
                           f"Investigators search for clues after {city} {noun}",
                           f"{city} mourns dead after {noun}",
                           f"Police arrest suspects over {city} {noun}",
                           f"Families demand answers after {city} {noun}",
                           f"Security stepped up in {ctx['country']} after {city} {noun}"]
        h = rng.choice(options)
        if h.startswith(("Gunmen ", "Arsonists ")):  # plural subjects
            h = h.replace(" kills ", " kill ", 1).replace(" targets ", " target ", 1)
        return h

    # -- sections
    def sentences(self, pool, ctx, used, n, warn=None):
        rng = self.rng
        if warn is not None:
            inc, pub = warn
            ctx.setdefault("occasion", rng.choice(OCCASIONS))
            ctx.setdefault("weeks", num(rng.randint(2, 6), rng))
            ctx.setdefault("warn_date", fmt_date(self.w.date[inc] - rng.randint(3, 20), False))
        if "mourn_days" not in ctx:
            ctx["mourn_days"] = num(rng.randint(1, 3), rng)
            ctx["n_suspects"] = num(rng.randint(2, 9), rng)
            ctx["places"] = rng.choice(PLACES_GUARD)
        out = []
        for _ in range(n):
            x = self.pick(pool, used, fresh=True)
            if x is not None:
                out.append(cap(x.format_map(ctx)))
        return out

    def sec_lead(self, ctx, used):
        rng = self.rng
        out = []
        if ctx.get("killed") is None:
            lead = cap(rng.choice(LEAD_ZERO).format_map(ctx))
            out.append(lead)
            if "no one" not in lead and "No casualties" not in lead and "no deaths" not in lead:
                out.append(cap(rng.choice(TALLY_ZERO).format_map(ctx)))
            return out
        if ctx.get("late_lead") and rng.random() < 0.6:
            out.append(cap(rng.choice(LEAD_LATER).format_map(ctx)))
        out.append(cap(rng.choice(LEAD[ctx["kind"]]).format_map(ctx)))
        return out

    def sec_tally(self, ctx, used):
        rng = self.rng
        out = []
        n_k, inj = ctx["_nk"], ctx["_inj"]
        injured = INJURED if inj >= 6 else INJURED_FEW
        if ctx.get("killed") is None:
            if inj:
                out.append(cap(self.pick(injured, used).format_map(ctx)))
            return out
        if ctx.get("early") is not None and rng.random() < 0.7:
            out.append(cap(self.pick(TALLY_ROSE, used).format_map(ctx)))
        out.append(cap(self.pick(TALLY if n_k >= 6 else TALLY_FEW, used).format_map(ctx)))
        if inj:
            out.append(cap(self.pick(injured, used).format_map(ctx)))
        if rng.random() < 0.15:
            ctx["inflated"] = f"{int(n_k * rng.uniform(1.5, 4)) + 2:,}"
            ctx["higher"] = f"{int(n_k * rng.uniform(1.1, 1.8)) + 1:,}"
            ctx["Rights"] = cap(rng.choice(RIGHTS_GROUPS))
            out.append(cap(self.pick(CASUALTY_DISPUTE, used).format_map(ctx)))
        return out

    def sec_detail(self, key, ctx, used):
        rng = self.rng
        ctx.setdefault("minutes", num(rng.choice((10, 15, 20, 30, 40)), rng))
        ctx.setdefault("n_attackers", num(rng.randint(1, 5), rng))
        pool = DETAIL[key]
        out = []
        for _ in range(2):
            x = self.pick(pool, used, fresh=True)
            if x is not None:
                out.append(cap(x.format_map(ctx)))
        return out

    def sec_claim(self, inc, known, ctx, used):
        rng = self.rng
        ctx.setdefault("channel", rng.choice(CHANNELS))
        ctx.setdefault("grievance", rng.choice(GRIEVANCES))
        ctx.setdefault("spokes", self.person(ctx["cc"], female=False))
        if known:
            return [cap(self.pick(CLAIM, used).format_map(ctx)),
                    cap(self.pick(CLAIM_FOLLOW, used).format_map(ctx))]
        return [cap(self.pick(NO_CLAIM, used).format_map(ctx))]

    def party(self, p, canonical=False):
        kind, v = p
        if kind == "c":
            return self.w.country_name(v)
        return self.w.group_name(v, self.rng, 1.0 if canonical else 0.7)

    def sec_accuse(self, inc, ctx, used):
        rng, w = self.rng, self.w
        acc = w.accused[inc]
        accused = self.party(acc)
        role = ACCUSER_ROLES[w.accuser[inc]]
        ctx["accused"] = accused
        ctx["accuser"] = role
        if rng.random() < 0.6:
            ctx["Accuser_cap"] = cap(role)
        else:  # "the Pakistani interior minister", "a Pakistani government spokesman"
            art, rest = role.split(" ", 1)
            ctx["Accuser_cap"] = cap(f"{art} {ctx['adj']} {rest}")
        ctx["accuser_name"] = self.person(ctx["cc"])
        ctx["Accuser_name"] = ctx["accuser_name"]
        crime = rng.choice(CRIMES)
        ctx["crime"], ctx["crime_pp"] = crime
        out = [cap(self.pick(ACCUSE, used).format_map(ctx))]
        if acc[0] == "c":
            ctx["accused_adj"] = accused + "'s"
            if rng.random() < 0.5:
                out.append(cap(self.pick(ACCUSE_STATE, used).format_map(ctx)))
        return out

    def sec_deny(self, inc, ctx, used):
        rng, w = self.rng, self.w
        out = []
        for d in w.denies[inc]:
            if d[0] == "c":
                name = w.country_name(d[1])
                denier = rng.choice((name, f"the {w.adj(d[1])} foreign ministry",
                                     f"the {w.adj(d[1])} government", f"{name}'s foreign ministry"))
            else:
                g = self.party(d)
                denier = rng.choice((g, f"a spokesman for {g}", g))
            ctx["denier"], ctx["Denier_cap"] = denier, cap(denier)
            out.append(cap(self.pick(DENY, used).format_map(ctx)))
        return out

    def sec_background(self, bg, inc, pub, ctx, used):
        rng, w = self.rng, self.w
        if bg is None:
            return [cap(self.pick(BACKGROUND_NONE, used).format_map(ctx))]
        bkind = KIND_NAMES[w.kind[bg]]
        label = KINDS[bkind][3]
        bk = w.killed[bg]
        if bk == 0:
            return [cap(self.pick(BACKGROUND_NONE, used).format_map(ctx))]
        kp, pl = casualties(bk, ("people", "person"), rng)
        art = "an" if label[0] in "aeiou" else "a"
        ctx["bg_kill"] = kp
        ctx["bg_agent"] = f"{art} {label}"
        ctx["bg_city"] = w.cities[w.city[bg]][0]
        ctx["bg_date"] = fmt_date(w.date[bg], ctx["uk"], year=True)
        d = datetime.date.fromordinal(w.date[bg])
        ctx["bg_month"] = f"{MONTHS[d.month - 1]} {d.year}"
        ctx["gap"] = gap_phrase(w.date[inc] - w.date[bg])
        ctx["bg_claim"] = (f", an attack claimed by {w.group_name(w.perp[bg], rng)}"
                           if w.claimed[bg] and rng.random() < 0.5 else "")
        s = cap(self.pick(BACKGROUND, used).format_map(ctx))
        if not pl:
            s = s.replace(" were killed", " was killed")
        return [s]

    def sec_secondary(self, sec, foreign, pub, ctx, used):
        rng, w = self.rng, self.w
        skind = KIND_NAMES[w.kind[sec]]
        _, agents, _, label, tlist, _, _ = KINDS[skind]
        sk = max(1, reported_toll(w.killed[sec], pub - w.date[sec], rng))
        kp, pl = casualties(sk, ("people", "person"), rng)
        scc = w.cc(sec)
        ctx["sec_kill"], ctx["sec_were"] = kp, "were" if pl else "was"
        ctx["sec_agent"] = rng.choice(agents)
        ctx["sec_label"] = ("an " if label[0] in "aeiou" else "a ") + label
        ctx["sec_target"] = (tlist or T_URBAN)[w.target[sec] % len(tlist or T_URBAN)][0]
        ctx["sec_city"] = w.cities[w.city[sec]][0]
        ctx["sec_country"] = w.country_name(scc)
        ctx["sec_when"] = when_phrase(w.date[sec], w.tod[sec], pub, ctx["uk"], rng)
        tpl = self.pick(SECONDARY_FOREIGN if foreign else SECONDARY, used)
        return [cap(tpl.format_map(ctx))]

    # -- distractors
    def distractor(self, pub, cc, city):
        rng, w = self.rng, self.w
        r = rng.random()
        ctx = {
            "city": city, "country": w.country_name(cc),
            "pub_weekday": WEEKDAYS[datetime.date.fromordinal(pub).weekday()],
            "name": self.person(cc), "month": MONTHS[(datetime.date.fromordinal(pub).month - 2) % 12],
        }
        if r < 0.4:
            ctx.update(team1=f"{city} {rng.choice(TEAMS_A)}",
                       team2_city=w.cities[rng.choice(w.by_cc.get(cc) or [0])][0],
                       s1=rng.randint(1, 4), s2=0, player=self.person(cc, female=False),
                       player2=self.person(cc, female=False),
                       minute=rng.randint(11, 89), crowd=f"{rng.randint(8, 70) * 1000:,}",
                       stadium=f"{city} Municipal Stadium", pts=num(rng.randint(2, 12), rng),
                       left=num(rng.randint(3, 12), rng))
            ctx["s2"] = rng.randint(0, ctx["s1"] - 1)
            ctx["team2"] = f"{ctx['team2_city']} {rng.choice(TEAMS_A)}"
            if ctx["team2"] == ctx["team1"]:
                ctx["team2"] = f"{ctx['team2_city']} Olympic"
            for k in ("team1", "team2", "player"):
                ctx[k + "_pos"] = ctx[k] + ("'" if ctx[k].endswith("s") else "'s")
            sub = rng.randrange(len(D_SPORT_TITLES))
            (title, lead), pool = D_SPORT_TITLES[sub], D_SPORT
        elif r < 0.75:
            ctx.update(rate=f"{rng.uniform(1, 18):.2f}", infl=f"{rng.uniform(1, 25):.1f}",
                       company=rng.choice(COMPANIES), pct=f"{rng.uniform(0.5, 9):.1f}",
                       pct2=f"{rng.uniform(0.2, 4):.1f}", pct3=f"{rng.uniform(0.1, 3):.1f}",
                       nth=rng.choice(("second", "third", "fourth", "fifth")),
                       gdp=f"{rng.uniform(-2, 8):.1f}")
            sub = rng.randrange(len(D_ECON_TITLES))
            (title, lead), pool = D_ECON_TITLES[sub], D_ECON
        else:
            ctx.update(temp=rng.randint(36, 48))
            sub = rng.randrange(len(D_WEATHER_TITLES))
            (title, lead), pool = D_WEATHER_TITLES[sub], D_WEATHER[sub]
        title = title.format_map(ctx)
        # distractors are short: 150-300 words, as many sentences as the pool allows
        target = rng.randint(150, 300)
        used, paras, total = set(), [], 0
        first = cap(lead.format_map(ctx))
        while total < target:
            ss = []
            for _ in range(rng.randint(2, 4)):
                x = self.pick(pool, used, fresh=True)
                if x is not None:
                    ss.append(cap(x.format_map(ctx)))
            if not ss:
                break
            if first:
                ss.insert(0, first)
                first = None
            p = " ".join(ss)
            paras.append(p)
            total += p.count(" ") + 1
        return title, paras


HTML_TMPL = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {source}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:site_name" content="{source}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}T{hh:02d}:{mm:02d}:00Z">
<link rel="stylesheet" href="/assets/site.{css}.css">
</head>
<body>
<header class="site-header"><a class="logo" href="/">{source}</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
</header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By {byline} | {published}</p>
{body}
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/{yyyy}/{mm2}/">More stories from {month}</a></li><li><a href="/newsletter">Sign up for our morning briefing</a></li></ul></aside>
</main>
<footer><p>&copy; {year} {source}. All rights reserved.</p><p><a href="/about">About us</a> · <a href="/privacy">Privacy</a> · <a href="/contact">Contact</a></p></footer>
</body>
</html>"""


def render_html(title, paras, published, source, byline, rng):
    e = htmlmod.escape
    d = datetime.date.fromisoformat(published)
    body = "\n".join(f"<p>{e(p, quote=False)}</p>" for p in paras)
    return HTML_TMPL.format(title=e(title), source=e(source), published=published,
                            hh=rng.randint(0, 23), mm=rng.randint(0, 59),
                            css=f"{rng.getrandbits(24):06x}", byline=e(byline), body=body,
                            yyyy=d.year, mm2=f"{d.month:02d}", month=MONTHS[d.month - 1],
                            year=d.year)


def gen_articles(args):
    rng = random.Random(args.seed)
    n = args.articles
    n_dis = int(round(n * 0.1))
    n_rep = n - n_dis
    n_inc = max(1, round(n / 8))
    world = World(n_inc, rng)
    counts = report_counts(n_inc, n_rep, rng)
    SH = 1 << 24
    DIS = SH - 1
    keys = []
    for i, c in enumerate(counts):
        d = world.date[i]
        for _ in range(c):
            keys.append((d + draw_delay(rng)) * SH + i)
    for _ in range(n_dis):
        keys.append(rng.randint(FIRST_DAY, LAST_DAY + 30) * SH + DIS)
    keys.sort()
    del counts

    writer = Writer(world, rng)
    hrng = random.Random(args.seed * 1000003 + 17)
    out = open(args.out, "w", encoding="utf-8")
    tout = open(args.truth, "w", encoding="utf-8") if args.truth else None
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for a, key in enumerate(keys):
        pub, inc = divmod(key, SH)
        outlet = OUTLETS[rng.randrange(len(OUTLETS))]
        truth, bgs = [], []
        if inc == DIS:
            ci = bisect.bisect_left(world.city_cum, rng.random() * world.city_total)
            c = world.cities[ci]
            title, paras = writer.distractor(pub, c[1], c[0])
        else:
            title, paras = writer.report(inc, pub, outlet, bgs, truth)
        if outlet[3] is False and rng.random() < 0.5:
            title = title_case(title)
        published = datetime.date.fromordinal(pub).isoformat()
        url = f"https://{outlet[1]}.example/{published[:4]}/{published[5:7]}/{slugify(title)}-{a + 1}"
        if hrng.random() < args.html_share:
            m, f, l = NAMES[REGION_KEYS[hrng.randrange(len(REGION_KEYS))]]
            byline = f"{hrng.choice(f if hrng.random() < 0.4 else m)} {hrng.choice(l)}"
            rec = {"html": render_html(title, paras, published, outlet[0], byline, hrng)}
        else:
            rec = {"text": "\n\n".join(paras)}
        rec["url"] = url
        rec["title"] = title
        rec["published"] = published
        rec["source"] = outlet[0]
        out.write(dumps(rec))
        out.write("\n")
        if tout is not None:
            tout.write(dumps({"url": url, "incidents": truth, "background": bgs}))
            tout.write("\n")
    out.close()
    if tout is not None:
        tout.close()
    return n, world.n




# --------------------------------------------------------------------------- mentions


def gen_mentions(args):
    rng = random.Random(args.seed)
    n = args.mentions
    n_inc = max(1, round(n / 8))
    world = World(n_inc, rng)
    # mentions per document, decided up front so the total is exactly n
    per_doc = bytearray()
    total = 0
    while total < n:
        r = rng.random()
        m = 1 if r < 0.78 else 2 if r < 0.95 else 3
        m = min(m, n - total)
        per_doc.append(m)
        total += m
    counts = report_counts(n_inc, len(per_doc), rng)
    SH = 1 << 24
    keys = []
    for i, c in enumerate(counts):
        d = world.date[i]
        for _ in range(c):
            keys.append((d + draw_delay(rng)) * SH + i)
    keys.sort()
    del counts
    out = open(args.out, "w", encoding="utf-8")
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    width = max(6, len(str(len(keys))))
    cities = world.cities
    for di, key in enumerate(keys):
        pub, inc = divmod(key, SH)
        doc = f"d{di + 1:0{width}d}"
        published = datetime.date.fromordinal(pub).isoformat()
        m = per_doc[di]
        lines = [mention(world, rng, doc, published, pub, inc)]
        for _ in range(m - 1):
            r = rng.random()
            other = None
            if r < 0.45:
                other = world.earlier_in_country(inc, rng)
                if other is not None:
                    lines.append(mention(world, rng, doc, published, pub, other, background=True))
                    continue
            elif r < 0.75:
                other, _ = world.recent_incident(inc, pub, rng)
                if other is not None:
                    lines.append(mention(world, rng, doc, published, pub, other))
                    continue
            # a second mention of the same incident (another sentence, another place word)
            lines.append(mention(world, rng, doc, published, pub, inc, duplicate=True))
        for rec in lines:
            out.write(dumps(rec))
            out.write("\n")
    out.close()
    return n, world.n


def mention(world, rng, doc, published, pub, inc, background=False, duplicate=False):
    kind = KIND_NAMES[world.kind[inc]]
    if rng.random() < 0.08:
        kind = rng.choice(KIND_CONFUSE[kind])
    d = world.date[inc]
    r = rng.random()
    if background:
        date = (datetime.date.fromordinal(d).isoformat()[:7] if r < 0.55
                else datetime.date.fromordinal(d).isoformat() if r < 0.9 else None)
    else:
        if r < 0.03:
            d += rng.choice((-1, 1))
        date = (datetime.date.fromordinal(d).isoformat() if r < 0.82
                else datetime.date.fromordinal(d).isoformat()[:7] if r < 0.88 else None)
    ci = world.city[inc]
    cc = world.cities[ci][1]
    if rng.random() < (0.25 if duplicate else 0.08):
        lst = world.by_cc[cc]
        ci = lst[0] if rng.random() < 0.6 else lst[rng.randrange(min(len(lst), 5))]
    city = world.cities[ci]
    delay = pub - world.date[inc]
    killed = None
    if rng.random() < (0.5 if duplicate else 0.82):
        killed = reported_toll(world.killed[inc], 30 if background else delay, rng)
    actors = []
    if world.claimed[inc] or rng.random() < 0.35:
        actors.append(world.group_name(world.perp[inc], rng, 0.6))
    acc = world.accused[inc]
    if acc is not None and rng.random() < 0.4:
        name = world.country_name(acc[1]) if acc[0] == "c" else world.group_name(acc[1], rng, 0.6)
        if name not in actors:
            actors.append(name)
    spec = KINDS[kind]
    label_noun = rng.choice(spec[0])
    r = rng.random()
    if r < 0.4:
        label = f"{city[0]} {label_noun}"
    elif r < 0.7:
        label = f"{label_noun} in {city[0]}"
    elif r < 0.85 and spec[4] is not None:
        t = spec[4][world.target[inc] % len(spec[4])]
        label = f"{label_noun} {t[2]} {t[0]} in {city[0]}"
    else:
        label = f"{spec[3]} in {world.country_name(cc)}"
    return {"doc": doc, "published": published, "kind": kind, "date": date,
            "place": city[0], "country": cc, "lat": city[2], "lon": city[3],
            "killed": killed, "actors": actors, "label": label,
            "truth": f"inc-{inc + 1:06d}"}


# --------------------------------------------------------------------------- main


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--articles", type=int, help="number of articles to write")
    g.add_argument("--mentions", type=int, help="number of incident mentions to write")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth", help="articles mode: ground-truth incidents per article")
    ap.add_argument("--html-share", type=float, default=0.2,
                    help="share of articles given as HTML pages (default 0.2)")
    args = ap.parse_args(argv)
    if (args.articles if args.articles is not None else args.mentions) < 1:
        ap.error("the number of articles or mentions must be at least 1")
    if not 0.0 <= args.html_share <= 1.0:
        ap.error("--html-share must be between 0 and 1")
    if args.mentions is not None and args.truth:
        ap.error("--truth applies to --articles only (mentions carry their truth)")
    d = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(d, exist_ok=True)
    if args.truth:
        os.makedirs(os.path.dirname(os.path.abspath(args.truth)), exist_ok=True)
    t0 = time.perf_counter()
    if args.articles is not None:
        n, ninc = gen_articles(args)
        what = "articles"
    else:
        n, ninc = gen_mentions(args)
        what = "mentions"
    print(f"wrote {n:,} {what} about {ninc:,} incidents to {args.out} "
          f"in {time.perf_counter() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
