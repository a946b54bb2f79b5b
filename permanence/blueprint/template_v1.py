"""Version 1 of the blueprint review template: the 17 domains of the Adoption Support Service Brief Review tool
(seed 001, after the ASGLB's 2019 blueprint for adoption support services), with the seed's "why is this
needed?" as each domain's guidance. Loaded by migration 0002 so it exists on a fresh database; later versions
are data too (`permanence load-blueprint <file.yaml>`, services.add_version)."""

VERSION = 1
TITLE = "Adoption Support Service Brief Review (blueprint for adoption support services, 2019)"
VALID_FROM = "2022-01-01"
SOURCE = "Seed 001: summary of adoption support brief reviews in 14 RAAs (RAA Leaders' programme, 2023)"

DOMAINS = [
    ("An outcomes-based vision for adoption support services with measurable aims and goals",
     "A vision statement with measurable goals ensures services focus on outcomes rather than activity, engages "
     "services beyond the adoption support team, underpins measuring and evaluating impact, lets improvements be "
     "managed and is a powerful message to staff, adoptive families and providers."),
    ("A methodology for quantifying the potential need for adoption support across social care, education, "
     "children's health and wellbeing, and parents' emotional wellbeing",
     "Understanding the number of children and families, and their level of need, is fundamental to service "
     "development, resource planning and co-ordination."),
    ("A governing body for adoption support with representation from health services, education services and "
     "adopters",
     "Viewed strategically, adoption support can prevent adoption breakdown, renew family life, give a window onto "
     "the whole looked after system and drive system improvement; its governance should include health, education "
     "and adopters."),
    ("A multi-agency, multi-professional delivery model which incorporates CAMHS and education support services",
     "Adoptive families often need support from professionals employed by different agencies (RAA and LA social "
     "work, CAMHS, virtual schools and educational psychology, schools, VAAs and the third sector); the system "
     "must be easy to navigate and joined up."),
    ("Provision of information about services, with regular communication with adopters throughout their journey "
     "and information for adopters, birth parents and adopted adults",
     "Effective adoption support needs a partnership between services accountable to different agencies, and "
     "clear information so that families, birth parents and adopted adults know what is available and how to ask."),
    ("Adopter engagement, including service development activity and regular feedback on services and family needs",
     "Keeping in touch with adopters after the adoption order helps prevent family stress and makes families more "
     "likely to seek help sooner."),
    ("Communication with children and young people in appropriate language, with their views influencing the "
     "development of services",
     "Understanding the lived experience of adopted children and young people is crucial to developing, "
     "evaluating and improving services."),
    ("One initial referral and assessment process which gives access to services within an identified timescale",
     "A clear referral and assessment process lays the foundation for a prompt response, a holistic assessment "
     "gives access to the right service (including the ASF), and shared information means adopters repeat their "
     "story fewer times."),
    ("Adoption support services are structured and co-ordinated to meet different levels of need",
     "A range of services for different needs (universal, targeted, specialist) gives transparency and some "
     "choice to adopters and reserves the most intensive provision for the highest needs."),
    ("An appropriate response to situations of possible risk",
     "When there are safeguarding and edge of care issues, a co-ordinated response sensitive to the wider needs of "
     "the adoptive family is required, across every LA the service works with."),
    ("Commissioning and procurement activity",
     "The ASF has brought unprecedented commissioning; services should be commissioned with due process, a "
     "preferred provider framework and evaluation of delivery and outcomes."),
    ("Birth family relationships are promoted",
     "Engaging birth families can help the child's adoption through future contact, and benefit the birth parents; "
     "with social media, supporting birth family relationships matters for placement stability."),
    ("Support to birth parents",
     "Birth parents are offered independent support (counselling, groups, help with contact) and are asked about "
     "the service they receive."),
    ("Adopted adults",
     "Adopted adults need access to information and answers about their identity and history, without long waits, "
     "including access to intermediary services."),
    ("A workforce development plan",
     "Adoption support needs a well trained workforce in touch with developing practice in child development, "
     "evidence-based therapeutic interventions and education."),
    ("Monitoring and evaluation",
     "Quality monitoring and evaluation against the service's outcomes identifies the need for change and "
     "improvement, and its learning should influence the wider system."),
    ("The agency promotes improvements to the wider looked after and adoption system",
     "Learning from adoption support should be captured and disseminated, with mechanisms to implement change in "
     "the wider adoption and looked after system."),
]


def load(version_model, domain_model) -> None:
    """Create version 1 and its domains (idempotent); takes the models so a migration can pass historical ones."""
    version, created = version_model.objects.get_or_create(
        version=VERSION, defaults={"title": TITLE, "valid_from": VALID_FROM, "source": SOURCE})
    if created:
        domain_model.objects.bulk_create(domain_model(version=version, number=i, title=t, guidance=g)
                                         for i, (t, g) in enumerate(DOMAINS, start=1))
