"""The demo's raw material: companies, campaigns, names, titles, reasons, stage mix."""

from django.utils.translation import gettext_noop

from leads.models import Channel
from leads.stages import Stage

COMPANIES = [
    # (domain, name, industry, employees, country)
    ("acmeanalytics.com", "Acme Analytics", "Software", 420, "US"),
    ("brightpath.io", "BrightPath", "Software", 85, "US"),
    ("northwind-logistics.com", "Northwind Logistics", "Logistics", 2300, "US"),
    ("globex.co.uk", "Globex UK", "Manufacturing", 5400, "GB"),
    ("umbrella-health.com", "Umbrella Health", "Healthcare", 12000, "US"),
    ("initech.com", "Initech", "Financial services", 650, "US"),
    ("hooli.com", "Hooli", "Software", 30000, "US"),
    ("vandelay-imports.com", "Vandelay Imports", "Retail", 140, "US"),
    ("telefonia-iberica.es", "Telefonía Ibérica", "Telecommunications", 8700, "ES"),
    ("banco-azul.es", "Banco Azul", "Financial services", 15000, "ES"),
    ("ferreteria-lopez.es", "Ferretería López", "Retail", 25, "ES"),
    ("clinicasol.es", "Clínica Sol", "Healthcare", 310, "ES"),
    ("datamar.es", "Datamar", "Software", 120, "ES"),
    ("energia-verde.es", "Energía Verde", "Energy", 960, "ES"),
    ("logistica-norte.es", "Logística Norte", "Logistics", 480, "ES"),
    ("aceros-monterrey.mx", "Aceros Monterrey", "Manufacturing", 4100, "MX"),
    ("fintech-cdmx.mx", "Pagos CDMX", "Financial services", 210, "MX"),
    ("andes-software.co", "Andes Software", "Software", 95, "CO"),
    ("pampa-agro.com.ar", "Pampa Agro", "Agriculture", 780, "AR"),
    ("kraftwerk-systems.de", "Kraftwerk Systems", "Manufacturing", 2600, "DE"),
    ("lumiere-media.fr", "Lumière Media", "Media", 340, "FR"),
    ("uni-example.edu", "Example University", "Education", 9000, "US"),
]

CAMPAIGNS = [
    # (name, channel, utm code, starts days ago)
    ("Spring webinar: scoring that sales trusts", Channel.WEBINARS, "webinar-scoring", 110),
    ("Google Ads — lead management", Channel.PAID_SEARCH, "gads-lead-mgmt", 100),
    ("LinkedIn — RevOps leaders", Channel.SOCIAL, "li-revops", 80),
    ("SEO — MQL vs SQL guide", Channel.ORGANIC_SEARCH, "seo-mql-sql", 120),
    ("Partner referrals Q3", Channel.REFERRAL, "partner-q3", 60),
    ("Madrid SaaS Summit", Channel.EVENTS, "madrid-saas-summit", 45),
    ("Newsletter — October", Channel.EMAIL, "newsletter-oct", 30),
]

# Monthly marketing spend per campaign (EUR), so cost per lead / SQL has numbers.
MONTHLY_SPEND = {
    "webinar-scoring": 2400, "gads-lead-mgmt": 5200, "li-revops": 3800, "seo-mql-sql": 900,
    "partner-q3": 1500, "madrid-saas-summit": 9000, "newsletter-oct": 300,
}  # fmt: skip
MONTHLY_SALES_COST = 18_000

FIRST_NAMES = [
    "Ana",
    "Lucía",
    "Carmen",
    "Javier",
    "Pablo",
    "Sofía",
    "Diego",
    "Elena",
    "Hugo",
    "Marta",
    "Emily",
    "James",
    "Olivia",
    "Liam",
    "Grace",
    "Noah",
    "Chloe",
    "Daniel",
    "Valentina",
    "Mateo",
    "Camila",
    "Andrés",
    "Lena",
    "Jonas",
    "Claire",
    "Louis",
]
LAST_NAMES = [
    "García",
    "Rodríguez",
    "González",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Ruiz",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Davies",
    "Müller",
    "Schmidt",
    "Dubois",
    "Moreau",
    "Herrera",
    "Castro",
]
TITLES = [
    ("VP Marketing", "vp"),
    ("Head of Sales", "head"),
    ("Marketing Manager", "manager"),
    ("Demand Generation Lead", "manager"),
    ("RevOps Analyst", "individual"),
    ("CEO", "c-level"),
    ("CMO", "c-level"),
    ("Sales Director", "director"),
    ("Student", "student"),
    ("Growth Marketer", "individual"),
]
SOURCES = ["website", "webinar", "google_ads", "linkedin", "referral", "event", "content"]
# Shipped texts (stored in English, read through the catalogue in the reader's language).
REJECT_REASONS = [
    gettext_noop("Bad timing: budget frozen until next quarter"),
    gettext_noop("Not a fit: too small"),
    gettext_noop("No authority: intern collecting information"),
    gettext_noop("Duplicate of an open deal"),
]
DISQUALIFY_REASONS = [
    gettext_noop("Student"),
    gettext_noop("Competitor"),
    gettext_noop("Spam"),
    gettext_noop("Bad data: invalid phone and email"),
]
LOST_REASONS = [
    gettext_noop("Lost to a competitor on price"),
    gettext_noop("No decision: project cancelled"),
]

# How demo leads spread over the stages, and the paths that lead there.
STAGE_MIX = [
    (Stage.LEAD, 34),
    (Stage.MQL, 14),
    (Stage.SAL, 10),
    (Stage.SQL, 8),
    (Stage.CUSTOMER, 7),
    (Stage.NURTURE, 16),
    (Stage.DISQUALIFIED, 11),
]
PATHS = {
    Stage.LEAD: [[Stage.LEAD]],
    Stage.MQL: [[Stage.LEAD, Stage.MQL]],
    Stage.SAL: [[Stage.LEAD, Stage.MQL, Stage.SAL]],
    Stage.SQL: [[Stage.LEAD, Stage.MQL, Stage.SAL, Stage.SQL]],
    Stage.CUSTOMER: [[Stage.LEAD, Stage.MQL, Stage.SAL, Stage.SQL, Stage.CUSTOMER]],
    Stage.NURTURE: [
        [Stage.LEAD, Stage.MQL, Stage.NURTURE],
        [Stage.LEAD, Stage.MQL, Stage.SAL, Stage.NURTURE],
        [Stage.LEAD, Stage.MQL, Stage.SAL, Stage.SQL, Stage.NURTURE],
    ],
    Stage.DISQUALIFIED: [
        [Stage.LEAD, Stage.DISQUALIFIED],
        [Stage.LEAD, Stage.MQL, Stage.DISQUALIFIED],
        [Stage.LEAD, Stage.MQL, Stage.SAL, Stage.DISQUALIFIED],
    ],
}
