"""Countries, industries, job titles and company-name parts for the synthetic catalog.

Shipped with the package so generating never touches the network. Lists run from common
to rare where order matters (cities, top-level domains, legal forms).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    weight: float
    # Name locales of the people who live there, with their shares.
    locales: tuple[tuple[str, float], ...]
    tlds: tuple[str, ...]
    # Legal forms a company name may end with, all of which cleanco strips.
    suffixes: tuple[str, ...]
    # (city, state or region), largest first.
    cities: tuple[tuple[str, str], ...]
    # Personal email providers, most used first.
    providers: tuple[str, ...]


def _cities(text: str) -> tuple[tuple[str, str], ...]:
    pairs = (line.strip().split("/") for line in text.strip().splitlines())
    return tuple((city.strip(), region.strip()) for city, region in pairs)


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        "United States",
        42,
        (("en", 0.8), ("es", 0.08), ("hi", 0.05), ("zh", 0.05), ("de", 0.01), ("it", 0.01)),
        ("com", "com", "com", "io", "co", "ai", "net"),
        ("Inc.", "LLC", "Inc", "Corp.", "Corporation", "Co."),
        _cities("""
            New York / New York
            San Francisco / California
            Los Angeles / California
            Chicago / Illinois
            Austin / Texas
            Boston / Massachusetts
            Seattle / Washington
            Dallas / Texas
            Houston / Texas
            Atlanta / Georgia
            Denver / Colorado
            Miami / Florida
            Phoenix / Arizona
            Philadelphia / Pennsylvania
            San Diego / California
            San Jose / California
            Minneapolis / Minnesota
            Portland / Oregon
            Nashville / Tennessee
            Raleigh / North Carolina
            Charlotte / North Carolina
            Salt Lake City / Utah
            Detroit / Michigan
            Columbus / Ohio
            Pittsburgh / Pennsylvania
            St. Louis / Missouri
            Kansas City / Missouri
            Indianapolis / Indiana
            Baltimore / Maryland
            Washington / District of Columbia
            Orlando / Florida
            Tampa / Florida
            Las Vegas / Nevada
            Sacramento / California
            Cincinnati / Ohio
            Milwaukee / Wisconsin
            Boulder / Colorado
            Palo Alto / California
            Cambridge / Massachusetts
            Jersey City / New Jersey
        """),
        ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"),
    ),
    Country(
        "GB",
        "United Kingdom",
        12,
        (("en", 0.85), ("hi", 0.08), ("zh", 0.03), ("fr", 0.02), ("it", 0.02)),
        ("co.uk", "com", "co.uk", "io", "uk"),
        ("Ltd", "Limited", "Ltd.", "PLC", "LLP"),
        _cities("""
            London / England
            Manchester / England
            Birmingham / England
            Edinburgh / Scotland
            Glasgow / Scotland
            Leeds / England
            Bristol / England
            Cambridge / England
            Oxford / England
            Cardiff / Wales
            Belfast / Northern Ireland
            Liverpool / England
            Newcastle upon Tyne / England
            Reading / England
            Nottingham / England
            Sheffield / England
        """),
        ("gmail.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "btinternet.com"),
    ),
    Country(
        "DE",
        "Germany",
        9,
        (("de", 0.9), ("en", 0.04), ("it", 0.02), ("hi", 0.02), ("es", 0.02)),
        ("de", "com", "de", "io"),
        ("GmbH", "AG", "GmbH & Co. KG", "SE"),
        _cities("""
            Berlin / Berlin
            München / Bayern
            Hamburg / Hamburg
            Frankfurt am Main / Hessen
            Köln / Nordrhein-Westfalen
            Stuttgart / Baden-Württemberg
            Düsseldorf / Nordrhein-Westfalen
            Leipzig / Sachsen
            Dresden / Sachsen
            Hannover / Niedersachsen
            Nürnberg / Bayern
            Karlsruhe / Baden-Württemberg
            Bonn / Nordrhein-Westfalen
            Mannheim / Baden-Württemberg
            Essen / Nordrhein-Westfalen
            Bremen / Bremen
        """),
        ("gmail.com", "gmx.de", "web.de", "t-online.de", "outlook.de", "yahoo.de"),
    ),
    Country(
        "FR",
        "France",
        6,
        (("fr", 0.9), ("en", 0.03), ("es", 0.03), ("it", 0.02), ("pt", 0.02)),
        ("fr", "com", "fr", "io"),
        ("SAS", "SA", "SARL"),
        _cities("""
            Paris / Île-de-France
            Lyon / Auvergne-Rhône-Alpes
            Marseille / Provence-Alpes-Côte d'Azur
            Toulouse / Occitanie
            Bordeaux / Nouvelle-Aquitaine
            Lille / Hauts-de-France
            Nantes / Pays de la Loire
            Nice / Provence-Alpes-Côte d'Azur
            Strasbourg / Grand Est
            Montpellier / Occitanie
            Rennes / Bretagne
            Grenoble / Auvergne-Rhône-Alpes
        """),
        ("gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "yahoo.fr", "sfr.fr"),
    ),
    Country(
        "CA",
        "Canada",
        5,
        (("en", 0.72), ("fr", 0.16), ("zh", 0.06), ("hi", 0.06)),
        ("ca", "com", "ca", "io"),
        ("Inc.", "Ltd.", "Corp.", "Inc"),
        _cities("""
            Toronto / Ontario
            Vancouver / British Columbia
            Montréal / Quebec
            Calgary / Alberta
            Ottawa / Ontario
            Edmonton / Alberta
            Waterloo / Ontario
            Quebec City / Quebec
            Halifax / Nova Scotia
            Winnipeg / Manitoba
        """),
        ("gmail.com", "hotmail.com", "yahoo.ca", "outlook.com", "icloud.com", "rogers.com"),
    ),
    Country(
        "IN",
        "India",
        4,
        (("hi", 0.97), ("en", 0.03)),
        ("in", "com", "co.in", "io"),
        ("Pvt. Ltd.", "Private Limited", "Ltd.", "Limited"),
        _cities("""
            Bengaluru / Karnataka
            Mumbai / Maharashtra
            New Delhi / Delhi
            Hyderabad / Telangana
            Chennai / Tamil Nadu
            Pune / Maharashtra
            Gurugram / Haryana
            Noida / Uttar Pradesh
            Kolkata / West Bengal
            Ahmedabad / Gujarat
        """),
        ("gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com", "hotmail.com"),
    ),
    Country(
        "NL",
        "Netherlands",
        3,
        (("nl", 0.88), ("en", 0.04), ("de", 0.04), ("hi", 0.04)),
        ("nl", "com", "io"),
        ("B.V.", "BV", "N.V."),
        _cities("""
            Amsterdam / Noord-Holland
            Rotterdam / Zuid-Holland
            Utrecht / Utrecht
            Eindhoven / Noord-Brabant
            Den Haag / Zuid-Holland
            Groningen / Groningen
        """),
        ("gmail.com", "hotmail.nl", "outlook.com", "ziggo.nl", "kpnmail.nl"),
    ),
    Country(
        "ES",
        "Spain",
        3,
        (("es", 0.94), ("en", 0.02), ("fr", 0.02), ("it", 0.02)),
        ("es", "com", "es"),
        ("S.L.", "S.A.", "SL"),
        _cities("""
            Madrid / Comunidad de Madrid
            Barcelona / Cataluña
            Valencia / Comunidad Valenciana
            Sevilla / Andalucía
            Bilbao / País Vasco
            Málaga / Andalucía
            Zaragoza / Aragón
        """),
        ("gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"),
    ),
    Country(
        "IT",
        "Italy",
        3,
        (("it", 0.95), ("en", 0.02), ("es", 0.03)),
        ("it", "com", "it"),
        ("S.r.l.", "S.p.A.", "Srl"),
        _cities("""
            Milano / Lombardia
            Roma / Lazio
            Torino / Piemonte
            Bologna / Emilia-Romagna
            Firenze / Toscana
            Napoli / Campania
            Padova / Veneto
        """),
        ("gmail.com", "libero.it", "hotmail.it", "yahoo.it", "virgilio.it", "tiscali.it"),
    ),
    Country(
        "AU",
        "Australia",
        3,
        (("en", 0.84), ("zh", 0.08), ("hi", 0.06), ("it", 0.02)),
        ("com.au", "com", "com.au", "io"),
        ("Pty Ltd", "Pty. Ltd.", "Ltd"),
        _cities("""
            Sydney / New South Wales
            Melbourne / Victoria
            Brisbane / Queensland
            Perth / Western Australia
            Adelaide / South Australia
            Canberra / Australian Capital Territory
            Gold Coast / Queensland
        """),
        ("gmail.com", "bigpond.com", "hotmail.com", "outlook.com", "yahoo.com.au"),
    ),
    Country(
        "SE",
        "Sweden",
        2,
        (("sv", 0.92), ("en", 0.04), ("de", 0.02), ("hi", 0.02)),
        ("se", "com", "io"),
        ("AB",),
        _cities("""
            Stockholm / Stockholm
            Göteborg / Västra Götaland
            Malmö / Skåne
            Uppsala / Uppsala
        """),
        ("gmail.com", "hotmail.se", "outlook.com", "telia.com", "icloud.com"),
    ),
    Country(
        "CH",
        "Switzerland",
        2,
        (("de", 0.6), ("fr", 0.25), ("it", 0.1), ("en", 0.05)),
        ("ch", "com", "ch"),
        ("AG", "GmbH", "SA"),
        _cities("""
            Zürich / Zürich
            Genève / Genève
            Basel / Basel-Stadt
            Bern / Bern
            Lausanne / Vaud
            Zug / Zug
        """),
        ("gmail.com", "bluewin.ch", "gmx.ch", "hotmail.com", "outlook.com"),
    ),
    Country(
        "IE",
        "Ireland",
        1.5,
        (("en", 0.9), ("hi", 0.04), ("pt", 0.03), ("es", 0.03)),
        ("ie", "com", "io"),
        ("Ltd", "Limited", "Ltd."),
        _cities("""
            Dublin / Leinster
            Cork / Munster
            Galway / Connacht
            Limerick / Munster
        """),
        ("gmail.com", "eircom.net", "hotmail.com", "outlook.com", "yahoo.ie"),
    ),
    Country(
        "BR",
        "Brazil",
        2,
        (("pt", 0.95), ("it", 0.02), ("es", 0.03)),
        ("com.br", "com", "com.br"),
        ("Ltda.", "S.A.", "Ltda"),
        _cities("""
            São Paulo / São Paulo
            Rio de Janeiro / Rio de Janeiro
            Belo Horizonte / Minas Gerais
            Curitiba / Paraná
            Porto Alegre / Rio Grande do Sul
            Florianópolis / Santa Catarina
            Recife / Pernambuco
        """),
        ("gmail.com", "hotmail.com", "yahoo.com.br", "uol.com.br", "bol.com.br"),
    ),
    Country(
        "SG",
        "Singapore",
        1,
        (("zh", 0.6), ("en", 0.2), ("hi", 0.2)),
        ("sg", "com.sg", "com", "io"),
        ("Pte. Ltd.", "Pte Ltd"),
        _cities("""
            Singapore / Singapore
        """),
        ("gmail.com", "yahoo.com.sg", "hotmail.com", "singnet.com.sg", "outlook.com"),
    ),
    Country(
        "AT",
        "Austria",
        1,
        (("de", 0.94), ("it", 0.02), ("en", 0.02), ("hi", 0.02)),
        ("at", "com", "at"),
        ("GmbH", "AG"),
        _cities("""
            Wien / Wien
            Graz / Steiermark
            Linz / Oberösterreich
            Salzburg / Salzburg
            Innsbruck / Tirol
        """),
        ("gmail.com", "gmx.at", "aon.at", "chello.at", "outlook.com"),
    ),
)


@dataclass(frozen=True, slots=True)
class Industry:
    name: str
    weight: float
    # Words a company in the industry puts after its brand ("Novawave Analytics").
    words: tuple[str, ...]
    # The department most of its people work in.
    core: str
    # Tech companies favour .io / .ai domains.
    tech: bool = False


INDUSTRIES: tuple[Industry, ...] = (
    Industry(
        "Software Development",
        14,
        ("Software", "Systems", "Labs", "Technologies", "Cloud", "Analytics", "AI", "Digital"),
        "engineering",
        tech=True,
    ),
    Industry(
        "IT Services and IT Consulting",
        9,
        ("IT Solutions", "Technologies", "Consulting", "Tech", "Systems", "Networks"),
        "it",
        tech=True,
    ),
    Industry(
        "Computer and Network Security",
        2,
        ("Security", "Cyber", "Defense", "Shield"),
        "engineering",
        tech=True,
    ),
    Industry(
        "Financial Services",
        6,
        ("Capital", "Financial", "Advisors", "Wealth", "Payments", "Finance"),
        "finance",
    ),
    Industry("Banking", 2, ("Bank", "Banking", "Credit"), "finance"),
    Industry("Insurance", 2, ("Insurance", "Assurance", "Underwriters"), "finance"),
    Industry(
        "Venture Capital and Private Equity",
        1,
        ("Ventures", "Capital", "Partners", "Equity"),
        "finance",
    ),
    Industry(
        "Hospitals and Health Care",
        6,
        ("Health", "Medical", "Care", "Clinic", "Healthcare"),
        "medical",
    ),
    Industry(
        "Pharmaceutical Manufacturing",
        2,
        ("Pharma", "Pharmaceuticals", "Therapeutics"),
        "medical",
    ),
    Industry(
        "Biotechnology Research",
        2,
        ("Bio", "Biosciences", "Genomics", "Therapeutics"),
        "data",
        tech=True,
    ),
    Industry(
        "Manufacturing",
        6,
        ("Industries", "Manufacturing", "Components", "Materials", "Works"),
        "operations",
    ),
    Industry(
        "Industrial Machinery Manufacturing",
        2,
        ("Machines", "Machinery", "Robotics", "Automation"),
        "operations",
    ),
    Industry("Motor Vehicle Manufacturing", 1, ("Motors", "Automotive", "Mobility"), "operations"),
    Industry("Retail", 5, ("Retail", "Stores", "Goods", "Market", "Brands", "Outfitters"), "sales"),
    Industry(
        "Transportation, Logistics, Supply Chain and Storage",
        3,
        ("Logistics", "Freight", "Transport", "Shipping", "Supply"),
        "operations",
    ),
    Industry(
        "Business Consulting and Services",
        6,
        ("Consulting", "Advisory", "Associates", "Partners", "Group"),
        "consulting",
    ),
    Industry("Advertising Services", 2, ("Media", "Creative", "Agency", "Studio"), "marketing"),
    Industry("Marketing Services", 3, ("Marketing", "Media", "Digital", "Growth"), "marketing"),
    Industry("Education", 3, ("Academy", "Learning", "Education", "School"), "education"),
    Industry("E-Learning Providers", 1, ("Learning", "Academy", "Edu"), "engineering", tech=True),
    Industry("Renewable Energy", 2, ("Energy", "Solar", "Power", "Renewables"), "operations"),
    Industry("Oil and Gas", 1, ("Energy", "Petroleum", "Resources"), "operations"),
    Industry("Real Estate", 3, ("Properties", "Realty", "Estates", "Homes"), "sales"),
    Industry(
        "Food and Beverage Services",
        3,
        ("Foods", "Kitchen", "Brewing", "Farms", "Coffee"),
        "operations",
    ),
    Industry("Construction", 3, ("Construction", "Builders", "Contractors"), "operations"),
    Industry("Legal Services", 2, ("Law", "Legal", "Law Group"), "legal"),
    Industry("Telecommunications", 2, ("Telecom", "Networks", "Communications"), "engineering"),
    Industry("Hospitality", 2, ("Hotels", "Travel", "Hospitality", "Resorts"), "support"),
    Industry("Staffing and Recruiting", 2, ("Staffing", "Talent", "Recruitment"), "hr"),
    Industry("Media Production", 1, ("Studios", "Productions", "Pictures"), "marketing"),
)

SENIORITY_WEIGHTS: dict[str, float] = {
    "intern": 2,
    "entry": 30,
    "senior": 22,
    "manager": 18,
    "director": 7,
    "head": 3,
    "vp": 3,
    "c_suite": 1,
    "partner": 1,
    "founder": 1,
    "owner": 0.5,
}

DEPARTMENT_WEIGHTS: dict[str, float] = {
    "engineering": 14,
    "sales": 14,
    "marketing": 8,
    "operations": 10,
    "finance": 6,
    "hr": 5,
    "product": 4,
    "design": 3,
    "legal": 2,
    "it": 5,
    "support": 6,
    "data": 4,
    "executive": 2,
    "consulting": 0,
    "education": 0,
    "medical": 0,
}
# A company's core department (its industry's) counts this many times more.
CORE_DEPARTMENT_BOOST = 6.0

_TITLE_TABLE = """
engineering | intern   | Software Engineering Intern
engineering | entry    | Software Engineer; Junior Software Engineer; Developer; Frontend Developer; Backend Engineer; QA Engineer; DevOps Engineer; Mobile Developer; Full Stack Developer
engineering | senior   | Senior Software Engineer; Staff Engineer; Principal Engineer; Senior Backend Engineer; Lead Developer; Senior DevOps Engineer
engineering | manager  | Engineering Manager; Software Development Manager
engineering | director | Director of Engineering; Engineering Director
engineering | head     | Head of Engineering; Head of Platform
engineering | vp       | VP of Engineering; Vice President, Engineering; SVP Engineering
engineering | c_suite  | CTO; Chief Technology Officer
sales       | intern   | Sales Intern
sales       | entry    | Sales Development Representative; Account Executive; Business Development Representative; Inside Sales Representative; Sales Associate
sales       | senior   | Senior Account Executive; Enterprise Account Executive; Senior Sales Executive
sales       | manager  | Sales Manager; Regional Sales Manager; Business Development Manager; Key Account Manager
sales       | director | Director of Sales; Sales Director
sales       | head     | Head of Sales
sales       | vp       | VP of Sales; Vice President of Sales; VP Business Development
sales       | c_suite  | Chief Revenue Officer; Chief Sales Officer
marketing   | intern   | Marketing Intern
marketing   | entry    | Marketing Coordinator; Marketing Specialist; Content Marketer; SEO Specialist; Social Media Specialist
marketing   | senior   | Senior Marketing Specialist; Senior Content Strategist; Growth Marketer
marketing   | manager  | Marketing Manager; Product Marketing Manager; Brand Manager; Demand Generation Manager
marketing   | director | Director of Marketing; Marketing Director
marketing   | head     | Head of Marketing; Head of Growth
marketing   | vp       | VP of Marketing; VP Marketing
marketing   | c_suite  | CMO; Chief Marketing Officer
finance     | intern   | Finance Intern
finance     | entry    | Accountant; Financial Analyst; Accounts Payable Specialist; Staff Accountant
finance     | senior   | Senior Accountant; Senior Financial Analyst
finance     | manager  | Finance Manager; Accounting Manager; Financial Controller
finance     | director | Director of Finance; Finance Director
finance     | head     | Head of Finance
finance     | vp       | VP of Finance; VP Finance
finance     | c_suite  | CFO; Chief Financial Officer
hr          | intern   | HR Intern
hr          | entry    | Recruiter; HR Coordinator; Talent Acquisition Specialist; HR Generalist
hr          | senior   | Senior Recruiter; Senior HR Business Partner
hr          | manager  | HR Manager; Talent Acquisition Manager; People Operations Manager
hr          | director | Director of Human Resources; HR Director
hr          | head     | Head of People; Head of Talent
hr          | vp       | VP of People; VP Human Resources
hr          | c_suite  | Chief People Officer; CHRO
operations  | intern   | Operations Intern
operations  | entry    | Operations Associate; Operations Analyst; Logistics Coordinator; Supply Chain Analyst
operations  | senior   | Senior Operations Analyst; Senior Supply Chain Analyst
operations  | manager  | Operations Manager; Supply Chain Manager; Project Manager; Program Manager
operations  | director | Director of Operations; Operations Director
operations  | head     | Head of Operations
operations  | vp       | VP of Operations; VP Operations
operations  | c_suite  | COO; Chief Operating Officer
product     | intern   | Product Intern
product     | entry    | Associate Product Manager; Product Analyst
product     | senior   | Senior Product Manager; Group Product Manager
product     | manager  | Product Manager; Product Owner
product     | director | Director of Product; Product Director
product     | head     | Head of Product
product     | vp       | VP of Product; VP Product
product     | c_suite  | Chief Product Officer
design      | intern   | Design Intern
design      | entry    | UX Designer; Product Designer; Graphic Designer; UI Designer
design      | senior   | Senior Product Designer; Senior UX Designer; Lead Designer
design      | manager  | Design Manager
design      | director | Design Director; Director of Design
design      | head     | Head of Design
design      | vp       | VP of Design
legal       | entry    | Paralegal; Legal Counsel; Associate Attorney
legal       | senior   | Senior Counsel; Senior Legal Counsel
legal       | manager  | Legal Manager; Compliance Manager
legal       | director | Director of Legal; Compliance Director
legal       | head     | Head of Legal
legal       | vp       | VP Legal
legal       | c_suite  | General Counsel; Chief Legal Officer
legal       | partner  | Partner; Managing Partner
it          | intern   | IT Intern
it          | entry    | IT Support Specialist; System Administrator; Network Engineer; IT Technician; Help Desk Analyst
it          | senior   | Senior Systems Engineer; Senior Network Engineer; IT Architect
it          | manager  | IT Manager; IT Project Manager
it          | director | IT Director; Director of IT
it          | head     | Head of IT
it          | vp       | VP of IT; VP Information Technology
it          | c_suite  | CIO; Chief Information Officer; CISO
support     | intern   | Customer Support Intern
support     | entry    | Customer Support Specialist; Support Engineer; Customer Service Representative; Technical Support Engineer
support     | senior   | Senior Support Engineer; Senior Customer Success Specialist
support     | manager  | Customer Success Manager; Support Manager; Customer Service Manager
support     | director | Director of Customer Success; Director of Support
support     | head     | Head of Customer Success; Head of Support
support     | vp       | VP of Customer Success
support     | c_suite  | Chief Customer Officer
data        | intern   | Data Science Intern
data        | entry    | Data Analyst; Data Scientist; Data Engineer; Business Intelligence Analyst; Machine Learning Engineer
data        | senior   | Senior Data Scientist; Senior Data Engineer; Lead Data Scientist
data        | manager  | Analytics Manager; Data Science Manager
data        | director | Director of Data Science; Director of Analytics
data        | head     | Head of Data
data        | vp       | VP of Data
data        | c_suite  | Chief Data Officer
executive   | c_suite  | CEO; Chief Executive Officer; President; Managing Director
executive   | founder  | Founder; Co-Founder; Founder & CEO; Co-Founder & CTO
executive   | owner    | Owner; Co-Owner
consulting  | entry    | Consultant; Business Analyst; Associate Consultant; Analyst
consulting  | senior   | Senior Consultant; Senior Associate
consulting  | manager  | Engagement Manager; Consulting Manager
consulting  | director | Associate Director; Director
consulting  | partner  | Partner; Principal; Managing Partner
education   | entry    | Teacher; Teaching Assistant; Lecturer; Tutor
education   | senior   | Senior Lecturer; Professor; Associate Professor
education   | manager  | Program Coordinator; Academic Manager
education   | director | Director of Admissions; Academic Director
education   | head     | Head of School; Head Teacher
education   | c_suite  | Principal; Dean
medical     | entry    | Registered Nurse; Medical Assistant; Pharmacist; Physical Therapist
medical     | senior   | Physician; Senior Nurse; Clinical Specialist
medical     | manager  | Nurse Manager; Clinic Manager
medical     | director | Medical Director; Director of Nursing
medical     | head     | Head of Clinical Operations
medical     | c_suite  | Chief Medical Officer
"""


def _titles() -> dict[str, dict[str, tuple[str, ...]]]:
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for line in _TITLE_TABLE.strip().splitlines():
        department, seniority, titles = (part.strip() for part in line.split("|"))
        table.setdefault(department, {})[seniority] = tuple(
            title.strip() for title in titles.split(";")
        )
    return table


# department -> seniority -> titles
TITLES: dict[str, dict[str, tuple[str, ...]]] = _titles()

# Title spellings the same job goes by in another system (a duplicate's noise).
TITLE_VARIANTS: tuple[tuple[str, str], ...] = (
    ("Vice President, ", "VP "),
    ("Vice President of ", "VP of "),
    ("VP of ", "Vice President of "),
    ("Senior ", "Sr. "),
    ("Director of ", "Dir. of "),
    ("Manager", "Mgr"),
    ("Chief Executive Officer", "CEO"),
    ("CEO", "Chief Executive Officer"),
    ("Engineer", "Eng."),
)

# Brand names are a head and a tail ("Nova" + "wave"), sometimes with a link ("Zen" "o" "forge").
BRAND_HEADS: tuple[str, ...] = tuple(
    """Nova Zen Bright Quant Veri Omni Lumi Sky Blue Red Green Silver Gold Iron Stone Oak
    Pine Cedar Maple River Lake Ocean Harbor Summit Peak Ridge Vale North South East West
    Star Sun Moon Astra Aero Terra Aqua Flux Vector Pixel Byte Data Cloud Signal Echo Pulse
    Spark Bolt Swift Rapid Prime Core Apex Vertex Zenith Orbit Nimbus Cirrus Helix Nexus
    Axiom Kinetic Vivid Clear True Open Smart Wise Bold Brave Grand Noble Royal Urban Metro
    Civic Atlas Titan Orion Vega Lyra Polar Arctic Delta Sigma Alpha Gamma Omega Fusion
    Quantum Cipher Logic Ever Evo Neo Meta Hyper Ultra Infini Tri Uni Cobalt Indigo Scarlet
    Amber Jade Onyx Crimson Copper Granite Falcon Eagle Hawk Raven Fox Wolf Bear Lion Tiger
    Otter Birch Willow Aspen Juniper Sage Clover Coral Ember Frost Glacier Horizon Meadow
""".split()
)
BRAND_LINKS: tuple[str, ...] = ("", "", "", "a", "o", "i", "er", "an", "ex", "ly")
BRAND_TAILS: tuple[str, ...] = tuple(
    """ly io ify ity wave stack forge point bridge nest loop path scale sync hub works base
    line grid mind spark leaf stone field gate port ware logic bit cast flow shift lane mark
    wise well craft sense view vision light tree rock wind fire frame fleet dock yard mint
    lab ion ora ova ara ium eon ix ex on ia us is era able sphere verse shore crest
""".split()
)
# "Blue Harbor Software", "Pacific Health Partners".
PLACE_WORDS: tuple[str, ...] = tuple(
    """Pacific Atlantic Midwest Northern Southern Coastal Global International National
    United First Premier Continental Metropolitan Central Western Eastern Alpine Highland
    Lakeside Riverside Bay Valley Capital Heritage Liberty Pioneer Frontier Keystone
""".split()
)
NOUN_WORDS: tuple[str, ...] = tuple(
    """Harbor Bridge Summit Ridge Anchor Beacon Compass Lantern Arrow Crown Shield Tower
    Gate Forge Mill Orchard Grove Haven Harvest Meridian Canyon Prairie Quarry Current Tide
    Signal Circuit Engine Atlas Vector Keystone Cornerstone Lighthouse Pinnacle Crossing
""".split()
)

DESCRIPTIONS: tuple[str, ...] = (
    "{name} is a {industry} company based in {city}, {country}.",
    "Founded in {founded}, {name} is a {industry} company headquartered in {city}.",
    "{name} serves customers worldwide from {city}, {country}. Industry: {industry}.",
    "{name} ({industry}) was founded in {founded} and is based in {city}.",
)

# Where job postings live besides LinkedIn.
JOB_BOARDS: tuple[str, ...] = (
    "https://boards.greenhouse.io/{slug}/jobs/{id}",
    "https://jobs.lever.co/{slug}/{id}",
    "https://careers.{domain}/jobs/{id}",
    "https://{slug}.bamboohr.com/careers/{id}",
)
