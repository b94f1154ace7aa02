"""Demo partners, referrals both ways, shared family plans, and the municipality-run team.

Part of the seeded demo (core/demo.py): synthetic people and invented partners only, the same
every time. Familiehjælpen (demo) cooperates with Rødovre's job centre and family department,
which are linked to the organisation "Rødovre Kommune (demo)": its caseworkers see the
Rødovre families who consented to sharing with the municipality. Rødovre Kommune (demo) also
runs its own team, "Sammen om Familien": one entry for families who get help from both the job
centre and the family department, with a team coordinator and caseworkers of both departments.
"""

from __future__ import annotations

import datetime

from samspil.core.models import Branch, Organisation, Postcode, Role, User
from samspil.engagements.models import Engagement, EngagementState, EngagementType
from samspil.households import services as household_services
from samspil.households.models import ConsentPurpose, Household, MemberRole
from samspil.partners import services
from samspil.partners.models import CaseworkerProfile, Partner

DEMO_PASSWORD = "samspil-demo-2026"  # core.demo.DEMO_PASSWORD
TEAM_BRANCH = "Sammen om Familien"
# username, first name, last name, role, department (caseworkers), team branch
TEAM_USERS = [
    ("sagsbehandler", "Sanne", "Sagsbehandler", Role.CASEWORKER, "job_centre", False),
    ("sagsbehandler.familie", "Frederik", "Familierådgiver", Role.CASEWORKER,
     "family_department", False),
    ("teamkoordinator", "Tina", "Teamleder", Role.COORDINATOR, "", True),
]


def _day(today: datetime.date, days_ago: int) -> datetime.date:
    return today - datetime.timedelta(days=days_ago)


def _team(municipality_org: Organisation) -> tuple[Branch, list[User]]:
    team, _ = Branch.objects.get_or_create(organisation=municipality_org, name=TEAM_BRANCH,
                                           defaults={"municipality_id": "0175"})
    users = []
    for username, first, last, role, department, in_team in TEAM_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.organisation, user.role = municipality_org, role
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.branches.set([team] if in_team else [])
        if department:
            CaseworkerProfile.objects.update_or_create(user=user,
                                                       defaults={"department": department})
        users.append(user)
    return team, users


def _partners(actor: User, municipality_org: Organisation, today) -> dict[str, Partner]:
    made = {}
    for key, values, contacts, agreement in [
        ("job", {"kind": "job_centre", "name": "Jobcenter Rødovre", "municipality_id": "0175",
                 "linked_organisation": municipality_org, "address": "Rødovre Parkvej 150",
                 "phone": "+4536377000"},
         [("Lise Holm", "Jobkonsulent", "lise.holm@example.org")],
         ("Samarbejdsaftale om mentorer", 300, 430)),
        ("family", {"kind": "family_department",
                    "name": "Børne- og Familieafdelingen, Rødovre Kommune",
                    "municipality_id": "0175", "linked_organisation": municipality_org},
         [("Mads Winther", "Familierådgiver", "mads.winther@example.org")],
         ("Aftale om henvisning af familier", 200, 530)),
        ("school", {"kind": "school", "name": "Islev Skole (demo)"},
         [("Pia Juhl", "Skolesocialrådgiver", "")], None),
        ("housing", {"kind": "housing", "name": "Boligsocial indsats Rødovre Nord (demo)"},
         [("Karim Dahl", "Projektleder", "")], ("Fælles familiecafé", 120, None)),
        ("company", {"kind": "company", "name": "Bageriet Hjørnet ApS (demo)"},
         [("Bent Friis", "Indehaver", "")], None),
        ("education", {"kind": "education", "name": "Voksenuddannelsescenter Vest (demo)"},
         [], None),
        ("aarhus", {"kind": "job_centre", "name": "Jobcenter Aarhus", "municipality_id": "0751"},
         [], None),
    ]:
        partner = services.partner_create(actor=actor, values=values)
        for name, title, email in contacts:
            services.contact_add(actor=actor, partner=partner, name=name, title=title,
                                 email=email)
        if agreement:
            title, started, ends_in = agreement
            services.agreement_add(
                actor=actor, partner=partner, title=title, starts_on=_day(today, started),
                ends_on=today + datetime.timedelta(days=ends_in) if ends_in else None)
        made[key] = partner
    return made


def _consent(actor, household, today, days_ago=90) -> None:
    given_by = household.members.filter(role=MemberRole.PARENT).first().full_name
    household_services.consent_record(
        actor=actor, household=household, person=None, purpose=ConsentPurpose.MUNICIPALITY,
        given_by=given_by, given_on=_day(today, days_ago))


def _parent(household):
    return household.members.filter(role=MemberRole.PARENT).order_by("id").first()


def _refer(actor, household, partner, today, *, direction, help_kind, days_ago, message,
           shared=("names", "contact", "work")):
    return services.referral_create(
        actor=actor, household=household, partner=partner, direction=direction,
        help_kind=help_kind, parent=_parent(household) if "mentor" in help_kind else None,
        consent_given_by=_parent(household).full_name, consent_given_on=_day(today, days_ago + 2),
        shared_fields=list(shared), sent_on=_day(today, days_ago), message=message)


def _plan(actor, household, today, *, caseworkers: list[User], coordinator: User) -> None:
    parent = _parent(household)
    work = services.plan_goal_add(actor=actor, household=household, area="work",
                                  text=f"{parent.first_name} kommer i praktik inden sommer")
    home = services.plan_goal_add(actor=actor, household=household, area="parenting",
                                  text="Faste rutiner om morgenen for børnene")
    economy = services.plan_goal_add(actor=actor, household=household, area="economy",
                                     text="Overblik over regninger og gæld")
    actions = [
        (work, "Skrive CV sammen med mentoren", f"member:{parent.pk}", 14, "in_progress"),
        (work, "Afklaringssamtale om praktikplads", f"user:{caseworkers[0].pk}", 21, "open"),
        (home, "Morgenskema på køleskabet", f"member:{parent.pk}", 7, "done"),
        (economy, "Budgetmøde med frivillig rådgiver", f"user:{coordinator.pk}", 30, "open"),
    ]
    if len(caseworkers) > 1:
        actions.append((home, "Tilbud om familiebehandling drøftes",
                        f"user:{caseworkers[1].pk}", 28, "open"))
    for goal, text, owner, due, status in actions:
        action = services.plan_action_add(actor=actor, household=household, goal=goal,
                                          text=text, owner=owner,
                                          due_on=today + datetime.timedelta(days=due))
        if status != "open":
            services.plan_action_update(actor=actor, action=action, status=status)
    services.plan_review_record(
        actor=actor, household=household, held_on=_day(today, 10),
        participants=f"{parent.full_name}, {coordinator.get_full_name()}, "
                     + ", ".join(c.get_full_name() for c in caseworkers),
        record="Planen er lagt. Morgenrutinen virker; CV er i gang.",
        next_review_on=today + datetime.timedelta(days=50))


def _team_households(team: Branch, coordinator: User, today) -> list[Household]:
    postcode = Postcode.objects.get(code="2610")
    households = []
    for i, (mother, father, last, child) in enumerate([
        ("Amina", "Omar", "Hussein", "Aya"), ("Louise", "", "Madsen", "Oscar"),
        ("Olena", "Andrij", "Kovalenko", "Maja"),
    ]):
        members = [household_services.MemberData(values={
            "role": MemberRole.PARENT, "first_name": mother, "last_name": last,
            "birth_date": datetime.date(1988 + i, 3, 14), "gender": "female",
            "school_grade": "", "work_status": "activation"})]
        if father:
            members.append(household_services.MemberData(values={
                "role": MemberRole.PARENT, "first_name": father, "last_name": last,
                "birth_date": datetime.date(1985 + i, 9, 2), "gender": "male",
                "school_grade": "", "work_status": "unemployed"}))
        members.append(household_services.MemberData(values={
            "role": MemberRole.CHILD, "first_name": child, "last_name": last,
            "birth_date": datetime.date(2015 + i, 5, 1), "gender": "", "school_grade": "5",
            "work_status": ""}))
        household = household_services.household_create(actor=coordinator, values={
            "branch": team, "address": f"Tårnvej {20 + i * 7}", "postcode": postcode,
            "municipality": postcode.municipality, "phone": f"+452{i}334455", "email": "",
            "preferred_language": "da", "notes": ""}, members=members)
        household_services.consent_record(
            actor=coordinator, household=household, person=None,
            purpose=ConsentPurpose.REGISTRATION, given_by=f"{mother} {last}",
            given_on=_day(today, 120))
        if i < 2:
            _consent(coordinator, household, today, days_ago=120)
        households.append(household)
    return households


def seed_partners(orgs: dict[str, Organisation], today: datetime.date) -> list[User]:
    """The partners part of the demo. Users get their password back each time; partners,
    referrals, plans and the team's families are made only the first time."""
    charity, municipality_org = orgs["Familiehjælpen (demo)"], orgs["Rødovre Kommune (demo)"]
    team, users = _team(municipality_org)
    team_coordinator = next(u for u in users if u.role == Role.COORDINATOR)
    caseworkers = [u for u in users if u.role == Role.CASEWORKER]
    if not Household.objects.filter(branch=team).exists():
        # The municipality's own team: one entry, one plan, caseworkers of both departments.
        families = _team_households(team, team_coordinator, today)
        _plan(team_coordinator, families[0], today, caseworkers=caseworkers,
              coordinator=team_coordinator)
    if not Partner.objects.filter(organisation=charity).exists():
        _charity(charity, municipality_org, caseworkers, today)
    return users[1:]  # sagsbehandler is listed by core.demo already


def _charity(charity: Organisation, municipality_org: Organisation, caseworkers: list[User],
             today: datetime.date) -> None:
    coordinator = User.objects.get(username="koordinator")
    partners = _partners(coordinator, municipality_org, today)
    # Households without an open mentor engagement: the accepted referral below starts one, and
    # a second open engagement of the same kind is refused (engagements.services).
    open_mentoring = Engagement.objects.filter(type=EngagementType.JOB_MENTOR).exclude(
        state=EngagementState.ENDED).values("household_id")
    rodovre = list(Household.objects.filter(organisation=charity, branch__name="Rødovre",
                                            municipality_id="0175")
                   .exclude(pk__in=open_mentoring).order_by("id")[:6])
    if len(rodovre) >= 5:
        for household in rodovre[:4]:
            _consent(coordinator, household, today)
        first, second, third, fourth, private = rodovre[:5]
        # In: the job centre asks for a mentor for a parent; accepted, so an engagement starts.
        referral = _refer(coordinator, first, partners["job"], today, direction="in",
                          help_kind="job_mentor", days_ago=40,
                          message="Mor ønsker støtte til at komme i praktik.")
        services.referral_transition(actor=coordinator, referral=referral,
                                     to_status="accepted", on=_day(today, 35))
        _plan(coordinator, first, today, caseworkers=caseworkers, coordinator=coordinator)
        # In: the family department asks for a family friend; waiting for the branch.
        _refer(coordinator, second, partners["family"], today, direction="in",
               help_kind="family_friend", days_ago=5,
               message="Familien har brug for en familieven til lektier og hverdag.",
               shared=("names", "contact", "children"))
        # Out: the family needs an assessment the organisation must not make.
        out = _refer(coordinator, third, partners["family"], today, direction="out",
                     help_kind="assessment", days_ago=60,
                     message="Familien ønsker selv en samtale med kommunen om støtte.",
                     shared=("names", "contact", "children", "engagement"))
        services.referral_transition(actor=coordinator, referral=out, to_status="received",
                                     on=_day(today, 58))
        services.referral_transition(actor=coordinator, referral=out, to_status="accepted",
                                     on=_day(today, 50))
        services.referral_transition(actor=coordinator, referral=out, to_status="completed",
                                     on=_day(today, 20),
                                     outcome="Familien er i kontakt med kommunen.")
        # In, declined: the job centre asks for a workplace mentor; none is free.
        declined = _refer(coordinator, fourth, partners["job"], today, direction="in",
                          help_kind="workplace_mentor", days_ago=30,
                          message="Far kan starte i praktik hos en lokal virksomhed.")
        services.referral_transition(actor=coordinator, referral=declined,
                                     to_status="declined", on=_day(today, 25),
                                     reason="Ingen erhvervsmentor ledig lige nu.")
        # Out to a school, for a family who shares nothing with the municipality.
        _refer(coordinator, private, partners["school"], today, direction="out",
               help_kind="school_support", days_ago=12,
               message="Aftalt med mor: lektiecafé på skolen.", shared=("names",))
