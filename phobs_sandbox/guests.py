"""Believable guests: names with their country's diacritics, addresses, phones, cards, requests.

Everything is drawn from the ``random.Random`` the caller passes, so a seed reproduces a run.
Cards are the public test PANs of the card schemes; they exist so the PMS side proves it masks them.
"""
import unicodedata

#: code -> (name, phone pattern, given names, surnames, (city, postal code), streets).
COUNTRIES = {
    "HR": (
        "Croatia", "+385 9{d} {ddd} {dddd}",
        ["Ana", "Ivan", "Marija", "Luka", "Petra", "Josip", "Ivana"],
        ["Horvat", "Kovačević", "Babić", "Marić", "Jurić", "Novak", "Knežević"],
        [("Zagreb", "10000"), ("Split", "21000"), ("Rijeka", "51000")],
        ["Ilica", "Vukovarska", "Ulica kralja Zvonimira"]),
    "DE": (
        "Germany", "+49 15{d} {dddd}{dddd}",
        ["Jürgen", "Anna", "Lukas", "Sophie", "Matthias", "Lea"],
        ["Müller", "Schmidt", "Schneider", "Weiß", "Groß", "Becker"],
        [("München", "80331"), ("Berlin", "10115"), ("Köln", "50667")],
        ["Hauptstraße", "Schillerstraße", "Gartenweg"]),
    "AT": (
        "Austria", "+43 66{d} {ddd}{dddd}",
        ["Florian", "Katharina", "Stefan", "Johanna"],
        ["Gruber", "Huber", "Bauer", "Wagner", "Pichler"],
        [("Wien", "1010"), ("Graz", "8010"), ("Salzburg", "5020")],
        ["Mariahilfer Straße", "Ringstraße"]),
    "IT": (
        "Italy", "+39 3{d}{d} {ddd} {dddd}",
        ["Giulia", "Marco", "Francesca", "Lorenzo", "Chiara"],
        ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "De Luca"],
        [("Milano", "20121"), ("Roma", "00184"), ("Trieste", "34121")],
        ["Via Roma", "Corso Italia"]),
    "FR": (
        "France", "+33 6 {dd} {dd} {dd} {dd}",
        ["Chloé", "Léa", "Hugo", "Théo", "Camille", "Benoît"],
        ["Martin", "Bernard", "Dubois", "Lefèvre", "Girard"],
        [("Paris", "75002"), ("Lyon", "69002"), ("Nice", "06000")],
        ["Rue de la Paix", "Avenue Jean Médecin"]),
    "GB": (
        "United Kingdom", "+44 7{ddd} {ddd}{ddd}",
        ["Oliver", "Amelia", "Harry", "Isla", "George", "Siobhan"],
        ["Smith", "Jones", "Taylor", "O'Brien", "Williams", "Evans"],
        [("London", "SW1A 1AA"), ("Manchester", "M1 1AE"), ("Edinburgh", "EH1 1YZ")],
        ["High Street", "Station Road", "Church Lane"]),
    "US": (
        "United States", "+1 {ddd} {ddd} {dddd}",
        ["Emily", "Michael", "Madison", "Jacob", "Ashley"],
        ["Johnson", "Brown", "Garcia", "Miller", "Davis"],
        [("New York", "10001"), ("Chicago", "60601"), ("Austin", "73301")],
        ["Main Street", "Oak Avenue"]),
    "NL": (
        "Netherlands", "+31 6 {dddd}{dddd}",
        ["Daan", "Sanne", "Bram", "Femke"],
        ["de Jong", "Jansen", "van den Berg", "Bakker", "Visser"],
        [("Amsterdam", "1012 AB"), ("Utrecht", "3511 AA")],
        ["Keizersgracht", "Dorpsstraat"]),
    "PL": (
        "Poland", "+48 5{dd} {ddd} {ddd}",
        ["Łukasz", "Agnieszka", "Paweł", "Małgorzata"],
        ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Zieliński"],
        [("Kraków", "30-001"), ("Warszawa", "00-001")],
        ["ulica Długa", "ulica Floriańska"]),
    "SE": (
        "Sweden", "+46 7{d} {ddd} {dd} {dd}",
        ["Åsa", "Björn", "Elin", "Oskar"],
        ["Andersson", "Johansson", "Lindström", "Öberg"],
        [("Stockholm", "111 20"), ("Göteborg", "411 01")],
        ["Drottninggatan", "Storgatan"]),
    "JP": (
        "Japan", "+81 90 {dddd} {dddd}",
        ["Haruto", "Yui", "Sota", "Hina"],
        ["Sato", "Suzuki", "Takahashi", "Tanaka"],
        [("Tokyo", "100-0001"), ("Osaka", "530-0001")],
        ["Chuo-dori", "Midosuji"]),
    "ES": (
        "Spain", "+34 6{dd} {ddd} {ddd}",
        ["José", "María", "Álvaro", "Lucía", "Iñigo"],
        ["García", "Fernández", "López", "Martínez", "Núñez"],
        [("Madrid", "28013"), ("Barcelona", "08002")],
        ["Calle Mayor", "Gran Vía"]),
}
COUNTRY_WEIGHTS = {"DE": 18, "AT": 10, "IT": 10, "HR": 9, "GB": 10, "FR": 8, "US": 8, "NL": 6,
                   "PL": 6, "SE": 5, "ES": 5, "JP": 3}
EMAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "gmx.net", "icloud.com", "proton.me"]
REQUESTS = [
    "Late arrival, around 23:00.",
    "Non-smoking room, please.",
    "Quiet room away from the lift if possible.",
    "We are celebrating our anniversary.",
    "Baby cot needed.",
    "Early check-in requested (arriving 10:00).",
    "Twin beds instead of a double bed.",
    "Gluten-free breakfast, please.",
    "Parking space for one car.",
    "Travelling with a small dog.",
    "Ground floor, guest uses a wheelchair.",
    "Need an invoice for company: Adriatic Consulting d.o.o.",
]
#: (CardCode, test PAN, CVV length) of the schemes' published test numbers.
TEST_CARDS = [
    ("VI", "4111111111111111", 3), ("VI", "4012888888881881", 3), ("MC", "5555555555554444", 3),
    ("MC", "5105105105105100", 3), ("AX", "378282246310005", 4), ("DN", "30569309025904", 3),
    ("DS", "6011111111111117", 3), ("JC", "3530111333300000", 3),
]


def _digits(rng, pattern):
    """Fill ``{d}``, ``{dd}``, ... placeholders with random digits."""
    out = pattern
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        digits = "".join(str(rng.randint(0, 9)) for _ in range(end - start - 1))
        out = out[:start] + digits + out[end + 1:]
    return out


def ascii_slug(value):
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def guest(rng, email_domain=None):
    """One guest; ``email_domain`` is the channel's e-mail relay (Booking.com-style), if any."""
    code = rng.choices(list(COUNTRY_WEIGHTS), weights=list(COUNTRY_WEIGHTS.values()))[0]
    country, phone, given_names, surnames, cities, streets = COUNTRIES[code]
    given, surname = rng.choice(given_names), rng.choice(surnames)
    city, postal = rng.choice(cities)
    handle = "%s.%s" % (ascii_slug(given), ascii_slug(surname))
    if email_domain:
        email = "%s.%d@%s" % (handle, rng.randint(100000, 999999), email_domain)
    else:
        suffix = rng.choice(["", str(rng.randint(1, 99))])
        email = "%s%s@%s" % (handle, suffix, rng.choice(EMAIL_DOMAINS))
    return {
        "given_name": given, "surname": surname, "email": email, "phone": _digits(rng, phone),
        "address_line": "%s %d" % (rng.choice(streets), rng.randint(1, 120)), "city": city,
        "postal_code": postal, "country": code, "country_name": country,
    }


def card(rng, holder, today):
    """A payment card with a test PAN, an expiry 1-4 years out and a CVV."""
    code, number, cvv_length = rng.choice(TEST_CARDS)
    return {
        "code": code, "number": number,
        "cvv": "".join(str(rng.randint(0, 9)) for _ in range(cvv_length)),
        "holder": "%s %s" % (holder["given_name"], holder["surname"]),
        "expire": "%02d%02d" % (rng.randint(1, 12), (today.year + rng.randint(1, 4)) % 100),
    }


def special_requests(rng):
    """None most of the time, otherwise one or two requests."""
    if rng.random() >= 0.3:
        return []
    return rng.sample(REQUESTS, rng.choice([1, 1, 2]))


def children(rng):
    """Ages of the children travelling (usually none)."""
    if rng.random() >= 0.2:
        return []
    return [rng.randint(0, 17) for _ in range(rng.choice([1, 1, 2]))]
