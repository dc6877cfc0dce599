"""Demo personas: three realistic, fictional participants with every section filled in.

Facilitators load them (``mentoring-mosaic demo``, or "Show a demo persona" in the app) to show
each stage filled in. Names are invented. Dates are relative to today, so deadlines and next
meetings always lie in the future. Every id (domains, qualities, habits, scenarios, skills,
objectives, competencies) is a real content id, checked by ``tests/unit/test_demo.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from .model import (
    ActionItem,
    Consent,
    DomainRating,
    Evaluation,
    Goal,
    ManagingUpPlan,
    Needs,
    Person,
    Profile,
    Qualities,
    ScenarioNote,
    Workbook,
)

if TYPE_CHECKING:
    from .store import Store

DEMO_KEYS = ("demo-pgy3", "demo-junior", "demo-midcareer")
"""Stable store keys of the personas, in the order facilitators usually show them."""

DEMO_WORKBOOK_IDS: dict[str, str] = {
    "demo-pgy3": "de000000000000000000000000000001",
    "demo-junior": "de000000000000000000000000000002",
    "demo-midcareer": "de000000000000000000000000000003",
}
"""Fixed workbook ids of the personas (real workbooks get random ones), by store key."""


def _day(offset: int, today: dt.date | None = None) -> dt.date:
    return (today or dt.date.today()) + dt.timedelta(days=offset)


def _ratings(pairs: dict[str, tuple[int, int]]) -> dict[str, DomainRating]:
    """domain id -> (support, need), both 1-4."""
    return {d: DomainRating(support=s, need=n) for d, (s, n) in pairs.items()}


def _decided(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today, dt.time(11, 40), tzinfo=dt.UTC)


# -- persona 1: a PGY-3 heading to fellowship ----------------------------------------------------
def pgy3(today: dt.date | None = None) -> Workbook:
    """Dr Maya Okafor, PGY-3 pediatrics resident about to start a neonatology fellowship."""
    t = today or dt.date.today()
    d = lambda n: _day(n, t)  # noqa: E731
    people = [
        Person(id="mo-chen", name="Dr Lin Chen", title="program director", level="senior",
               place="division", domains=["career_guidance", "feedback", "sponsorship"],
               tie_strength=3, frequency="monthly",
               qualities=["honest", "tailored_vision", "sponsor", "accessible"],
               next_step="Ask for a letter-writing check-in before fellowship starts",
               next_step_date=d(14)),
        Person(id="mo-abara", name="Dr Tunde Abara", title="NICU attending", level="senior",
               place="institution", domains=["clinical_skills", "role_model", "research"],
               tie_strength=2, frequency="quarterly",
               qualities=["enthusiasm", "active_listener", "models_mentoring"],
               next_step="Send my QI abstract draft with two specific questions",
               next_step_date=d(10)),
        Person(id="mo-kim", name="Sara Kim", title="co-resident", level="peer", place="division",
               domains=["emotional_support", "accountability", "work_life"],
               tie_strength=3, frequency="weekly", qualities=["compassion", "trustworthy"],
               next_step="Keep our Sunday study-and-walk hour", next_step_date=d(5)),
        Person(id="mo-osei", name="Kwame Osei", title="PGY-1 with coding skills", level="junior",
               place="division", domains=["research"], tie_strength=1, frequency="rarely",
               qualities=["enthusiasm"],
               next_step="Swap: he shows me R for my QI run charts, I review his case report",
               next_step_date=d(21)),
        Person(id="mo-mum", name="My mother", title="retired nurse", level="senior",
               place="personal",
               domains=["emotional_support", "work_life", "role_model"], tie_strength=3,
               frequency="weekly", qualities=["compassion", "honest"],
               next_step="Tell her the fellowship start date and the move plan",
               next_step_date=d(7)),
        Person(id="mo-fellowdir", name="Fellowship director, new job",
               title="program director at the new institution",
               status="potential", level="senior", place="external",
               domains=["career_guidance", "research", "networking"], tie_strength=1,
               next_step="Email to ask for a 20-minute call about choosing a research mentor",
               next_step_date=d(30)),
        Person(id="mo-2ndyear", name="A second-year fellow there", title="neonatology fellow",
               status="potential", level="peer", place="external",
               domains=["clinical_skills", "networking", "emotional_support"], tie_strength=1,
               next_step="Ask the program coordinator for an introduction",
               next_step_date=d(25)),
    ]
    return Workbook(
        workbook_id=DEMO_WORKBOOK_IDS["demo-pgy3"],
        profile=Profile(
            display_name="Dr Maya Okafor",
            current_role="Resident (PGY-3), pediatrics",
            next_role="Neonatology fellow",
            transition_date=d(200),
            whats_new=("A new city and hospital, a research year to plan from scratch, and no one "
                       "there who knows my work yet."),
            mentors_others=False,
        ),
        needs=Needs(
            ratings=_ratings({
                "career_guidance": (3, 4), "clinical_skills": (3, 3), "research": (1, 4),
                "teaching": (2, 2), "leadership": (1, 2), "sponsorship": (2, 3),
                "emotional_support": (4, 3), "work_life": (2, 3), "role_model": (3, 2),
                "networking": (1, 4), "feedback": (3, 3), "accountability": (3, 2),
            }),
            top_needs=["research", "networking", "career_guidance"],
        ),
        goals=[
            Goal(id="mo-g1", need="research",
                 goal="Choose a fellowship research mentor whose work fits my interest in "
                      "neonatal nutrition.",
                 steps="1. List three possible mentors from the faculty page. 2. Read two "
                       "papers of each. 3. Ask each for a 20-minute call. 4. Decide with my PD.",
                 measure="A research mentor agreed in writing, with a first project idea.",
                 deadline=d(120), partner="Dr Lin Chen",
                 barriers="Competing demands of night shifts; hard to judge fit from far away."),
            Goal(id="mo-g2", need="networking",
                 goal="Know at least three people at the new hospital before day one.",
                 steps="Ask for introductions; join the fellows' group chat; visit once.",
                 measure="Three names with a first conversation held.",
                 deadline=d(180), partner="Sara Kim",
                 barriers="Distance, and feeling awkward asking strangers."),
            Goal(id="mo-g3", need="career_guidance",
                 goal="Draft a two-year fellowship plan (clinical, research, life).",
                 steps="Write a one-page plan; review it with Dr Chen; update after month one.",
                 measure="A plan reviewed by two mentors.",
                 deadline=d(90), partner="Dr Lin Chen",
                 barriers="Hard to reflect when on service."),
        ],
        people=people,
        managing_up={
            "mo-chen": ManagingUpPlan(
                need_from="Honest advice on choosing a research mentor, and a strong letter.",
                offer_back="Help with the intern orientation she runs; updates on my QI project.",
                meeting_frequency="Monthly, 30 minutes", agenda_setter="me", channel="In person",
                last_meeting=d(-20), next_meeting=d(14),
                one_ask="Would you look at my list of three possible research mentors?",
                self_rating=3, one_change="Send the agenda two days ahead, not the morning of.",
                habits=["send_agenda", "book_next_meeting", "follow_up", "keep_goals_current"]),
            "mo-abara": ManagingUpPlan(
                need_from="Feedback on my QI abstract and what NICU research really looks like.",
                offer_back="Clean run-chart data for his unit's dashboard.",
                meeting_frequency="Every three months", agenda_setter="shared", channel="Email",
                last_meeting=d(-60), next_meeting=d(10),
                one_ask="Two specific comments on the methods section.",
                self_rating=2, one_change="Report back on what came of his last advice.",
                habits=["respect_time", "ask_feedback"]),
            "mo-kim": ManagingUpPlan(
                need_from="A weekly check that I am keeping my goals.",
                offer_back="The same for her boards preparation.",
                meeting_frequency="Weekly", agenda_setter="shared", channel="Walk and text",
                last_meeting=d(-3), next_meeting=d(5),
                one_ask="Ask me about the research-mentor list every Sunday.",
                self_rating=4, one_change="Write our goals down instead of just talking.",
                habits=["state_needs", "offer_back", "keep_goals_current"]),
        },
        qualities=Qualities(
            ratings={
                "mo-chen": {"honest": 4, "tailored_vision": 4, "accessible": 3, "sponsor": 3,
                            "commits_time": 3},
                "mo-abara": {"enthusiasm": 4, "active_listener": 3, "accessible": 2,
                             "models_mentoring": 4},
                "mo-kim": {"compassion": 4, "trustworthy": 4, "supports_balance": 4},
            },
            priorities=["accessible", "tailored_vision", "opens_networks"],
            self_check={},
        ),
        scenarios={
            "moving_for_fellowship": ScenarioNote(
                strategy="Keep Dr Chen and Sara as long-distance ties with a set call each term; "
                         "ask Dr Chen to introduce me to one person at the new hospital.",
                discussed=True),
            "recruit_new_mentor": ScenarioNote(
                strategy="Open with a small, specific ask: 20 minutes about their project and "
                         "whether a first-year fellow could help. Send my CV and one paragraph.",
                discussed=True),
            "learning_from_junior": ScenarioNote(
                strategy="Offer Kwame a fair swap instead of just asking for his time.",
                discussed=False),
        },
        actions=[
            ActionItem(id="mo-a1", text="Email Dr Chen the agenda and my mentor shortlist",
                       who="Dr Lin Chen", due=d(12), source="managing_up"),
            ActionItem(id="mo-a2", text="Ask the fellowship coordinator for an introduction to "
                       "a second-year fellow", who="Program coordinator", due=d(25),
                       source="outreach"),
            ActionItem(id="mo-a3", text="Write the one-page fellowship plan", due=d(60),
                       source="goal"),
            ActionItem(id="mo-a4", text="Book the R session with Kwame", who="Kwame Osei",
                       due=d(21), source="outreach"),
        ],
        evaluation=Evaluation(
            headline=5,
            objectives_met={"name_needs": 5, "manage_up": 4, "good_mentoring": 4,
                            "build_expand_mosaic": 5, "both_roles": 3},
            confidence_before={"naming_needs": 2, "managing_up": 2, "recognising_mentoring": 3,
                               "building_mosaic": 1, "expanding_mosaic": 1,
                               "recruiting_mentor": 2},
            confidence_after={"naming_needs": 4, "managing_up": 4, "recognising_mentoring": 4,
                              "building_mosaic": 4, "expanding_mosaic": 4,
                              "recruiting_mentor": 3},
            change_30_days="Ask one person at my fellowship site for a 20-minute call.",
            comments="Seeing the empty research and networking tiles was the wake-up call.",
            submitted_at=_decided(t),
        ),
        consent=Consent(share_anonymised=True, decided_at=_decided(t)),
    )


# -- persona 2: a new junior faculty member ------------------------------------------------------
def junior(today: dt.date | None = None) -> Workbook:
    """Dr Daniel Reyes, first-year assistant professor in general pediatrics."""
    t = today or dt.date.today()
    d = lambda n: _day(n, t)  # noqa: E731
    people = [
        Person(id="dr-haddad", name="Dr Rania Haddad", title="division chief", level="senior",
               place="division", domains=["leadership", "sponsorship", "career_guidance"],
               tie_strength=2, frequency="quarterly", qualities=["opens_networks", "sponsor"],
               next_step="Ask for 20 minutes on the promotion timeline", next_step_date=d(18)),
        Person(id="dr-mensah", name="Dr Ama Mensah", title="former fellowship mentor",
               level="senior",
               place="external", domains=["research", "career_guidance", "feedback"],
               tie_strength=3, frequency="monthly",
               qualities=["honest", "tailored_vision", "commits_time", "active_listener"],
               next_step="Send the K-award specific aims for a read", next_step_date=d(30)),
        Person(id="dr-novak", name="Dr Petra Novak", title="clinic medical director",
               level="senior",
               place="institution", domains=["clinical_skills", "leadership"], tie_strength=2,
               frequency="monthly", qualities=["accessible", "honest"],
               next_step="Clarify my clinic template and protected time", next_step_date=d(9)),
        Person(id="dr-ito", name="Dr Ken Ito", title="junior faculty, same year", level="peer",
               place="division", domains=["emotional_support", "accountability", "work_life"],
               tie_strength=3, frequency="weekly", qualities=["trustworthy", "compassion"],
               next_step="Start a fortnightly writing hour together", next_step_date=d(6)),
        Person(id="dr-writing", name="Peer writing group", title="medical education", level="peer",
               place="institution", domains=["accountability", "feedback", "teaching"],
               tie_strength=2, frequency="monthly", qualities=["enthusiasm"],
               next_step="Bring the curriculum paper outline", next_step_date=d(20)),
        Person(id="dr-chief-res", name="Chief residents", title="for teaching feedback",
               level="junior",
               place="division", domains=["teaching", "feedback"], tie_strength=1,
               frequency="quarterly", qualities=["honest"],
               next_step="Ask for their view on my noon-conference series",
               next_step_date=d(28)),
        Person(id="dr-partner", name="My partner", level="peer", place="personal",
               domains=["emotional_support", "work_life"], tie_strength=3, frequency="weekly",
               qualities=["compassion", "supports_balance"],
               next_step="Agree on two protected evenings a week", next_step_date=d(3)),
        Person(id="dr-sponsor", name="National society research lead",
               title="senior member of the research committee", status="potential",
               level="senior", place="external",
               domains=["sponsorship", "networking"], tie_strength=1,
               next_step="Ask Dr Mensah for an introduction at the spring meeting",
               next_step_date=d(45)),
        Person(id="dr-faculty-affairs", name="Faculty affairs mentoring lead",
               status="potential", level="senior", place="institution",
               domains=["career_guidance", "leadership"], tie_strength=1,
               next_step="Book the new-faculty promotion briefing", next_step_date=d(35)),
    ]
    return Workbook(
        workbook_id=DEMO_WORKBOOK_IDS["demo-junior"],
        profile=Profile(
            display_name="Dr Daniel Reyes",
            current_role="Junior faculty (first year), general pediatrics",
            next_role="Junior faculty with a funded education project",
            transition_date=d(365),
            whats_new="Clinic, teaching and research all at once, and nobody sets my goals.",
            mentors_others=True,
        ),
        needs=Needs(
            ratings=_ratings({
                "career_guidance": (2, 4), "clinical_skills": (3, 2), "research": (3, 3),
                "teaching": (2, 3), "leadership": (1, 2), "sponsorship": (1, 4),
                "emotional_support": (4, 2), "work_life": (2, 4), "role_model": (2, 2),
                "networking": (2, 3), "feedback": (3, 3), "accountability": (3, 3),
            }),
            top_needs=["sponsorship", "work_life", "career_guidance"],
        ),
        goals=[
            Goal(id="dr-g1", need="sponsorship",
                 goal="Find a sponsor who can put my name forward nationally.",
                 steps="Name what I want to be put forward for; ask Dr Mensah who could help; "
                       "prepare a one-paragraph pitch; ask for the introduction.",
                 measure="One national committee nomination or invited talk.",
                 deadline=d(270), partner="Dr Ama Mensah",
                 barriers="Feels self-promoting; hard to know who to ask."),
            Goal(id="dr-g2", need="work_life",
                 goal="Protect two evenings a week and one writing half-day.",
                 steps="Block the calendar; tell the clinic director; review monthly with Ken.",
                 measure="Eight protected evenings and four writing half-days a month.",
                 deadline=d(60), partner="Dr Ken Ito",
                 barriers="Competing demands; a stressful clinic schedule."),
            Goal(id="dr-g3", need="career_guidance",
                 goal="Understand the promotion criteria for the education track.",
                 steps="Attend the faculty-affairs briefing; map my CV against the criteria.",
                 measure="A CV gap list reviewed by my chief.",
                 deadline=d(90), partner="Dr Rania Haddad",
                 barriers="Hard to make a plan without knowing the rules."),
        ],
        people=people,
        managing_up={
            "dr-haddad": ManagingUpPlan(
                need_from="Clarity on expectations for promotion, and visibility for my work.",
                offer_back="Lead the division's resident teaching survey.",
                meeting_frequency="Quarterly, 20 minutes", agenda_setter="me", channel="In person",
                last_meeting=d(-75), next_meeting=d(18),
                one_ask="Which committee in the department would suit me this year?",
                self_rating=2, one_change="Arrive with one written question and a proposal.",
                habits=["send_agenda", "respect_time", "state_needs"]),
            "dr-mensah": ManagingUpPlan(
                need_from="Research direction and honest reads of my drafts.",
                offer_back="Co-review for the journal she edits; data from my clinic cohort.",
                meeting_frequency="Monthly video call", agenda_setter="me", channel="Video",
                last_meeting=d(-25), next_meeting=d(30),
                one_ask="An introduction to the society's research committee chair.",
                self_rating=4, one_change="Tell her what came of her last three pieces of advice.",
                habits=["send_agenda", "book_next_meeting", "follow_up", "close_the_loop",
                        "set_expectations", "ask_feedback"]),
            "dr-novak": ManagingUpPlan(
                need_from="A clinic template that leaves room for teaching.",
                offer_back="Cover the Friday precepting gap for two months.",
                meeting_frequency="Monthly", agenda_setter="mentor", channel="In person",
                last_meeting=d(-30), next_meeting=d(9),
                one_ask="Move my second clinic half-day to Thursday morning.",
                self_rating=3, one_change="Agree who leads our meetings.",
                habits=["agree_who_leads", "follow_up"]),
            "dr-ito": ManagingUpPlan(
                need_from="Accountability for writing, and someone to laugh with.",
                offer_back="The same, plus feedback on his grant budget.",
                meeting_frequency="Weekly coffee", agenda_setter="shared", channel="In person",
                last_meeting=d(-4), next_meeting=d(6),
                one_ask="Start the writing hour next week.",
                self_rating=4, one_change="Keep a shared goals document.",
                habits=["offer_back", "keep_goals_current"]),
        },
        qualities=Qualities(
            ratings={
                "dr-haddad": {"opens_networks": 3, "sponsor": 2, "accessible": 1,
                              "commits_time": 1},
                "dr-mensah": {"honest": 4, "tailored_vision": 4, "commits_time": 4,
                              "active_listener": 4, "models_mentoring": 4},
                "dr-novak": {"accessible": 3, "honest": 3, "supports_balance": 2},
                "dr-ito": {"trustworthy": 4, "compassion": 4, "supports_balance": 3},
            },
            priorities=["sponsor", "supports_balance", "tailored_vision"],
            self_check={"communication": 3, "aligning_expectations": 2,
                        "assessing_understanding": 3, "addressing_diversity": 2,
                        "fostering_independence": 2, "professional_development": 3},
        ),
        scenarios={
            "no_sponsor": ScenarioNote(
                strategy="Ask my strongest mentor 'who should know about my work?' and make it "
                         "easy: a short bio and a specific opportunity.",
                discussed=True),
            "chief_keeps_cancelling": ScenarioNote(
                strategy="Offer a 15-minute slot after division meeting and send the agenda "
                         "with one decision I need.",
                discussed=True),
            "limited_time": ScenarioNote(
                strategy="One page, three bullets, one ask; follow up the same day.",
                discussed=False),
        },
        actions=[
            ActionItem(id="dr-a1", text="Book 20 minutes with Dr Haddad about promotion",
                       who="Dr Rania Haddad", due=d(18), source="managing_up"),
            ActionItem(id="dr-a2", text="Ask Dr Mensah for the research-committee introduction",
                       who="Dr Ama Mensah", due=d(30), source="outreach"),
            ActionItem(id="dr-a3", text="Block two evenings a week in the calendar", due=d(3),
                       source="goal"),
            ActionItem(id="dr-a4", text="Register for the faculty-affairs promotion briefing",
                       due=d(35), source="goal"),
            ActionItem(id="dr-a5", text="Ask the chief residents for teaching feedback",
                       who="Chief residents", due=d(28), source="own"),
        ],
        evaluation=Evaluation(
            headline=4,
            objectives_met={"name_needs": 4, "manage_up": 4, "good_mentoring": 4,
                            "build_expand_mosaic": 4, "both_roles": 4},
            confidence_before={"naming_needs": 3, "managing_up": 2, "recognising_mentoring": 3,
                               "building_mosaic": 2, "expanding_mosaic": 2,
                               "recruiting_mentor": 1},
            confidence_after={"naming_needs": 4, "managing_up": 4, "recognising_mentoring": 4,
                              "building_mosaic": 4, "expanding_mosaic": 3,
                              "recruiting_mentor": 3},
            change_30_days="Ask Dr Mensah who should know about my work, and ask for the intro.",
            comments="The sponsorship card named something I had never put into words.",
            submitted_at=_decided(t),
        ),
        consent=Consent(share_anonymised=True, decided_at=_decided(t)),
    )


# -- persona 3: a mid-career faculty member who also mentors -------------------------------------
def midcareer(today: dt.date | None = None) -> Workbook:
    """Dr Priya Natarajan, associate professor of pediatric cardiology, mentor of three."""
    t = today or dt.date.today()
    d = lambda n: _day(n, t)  # noqa: E731
    people = [
        Person(id="pn-brooks", name="Dr Alan Brooks", title="department chair", level="senior",
               place="institution", domains=["leadership", "sponsorship"], tie_strength=2,
               frequency="quarterly", qualities=["sponsor", "opens_networks"],
               next_step="Discuss the associate program director role", next_step_date=d(21)),
        Person(id="pn-lindqvist", name="Dr Eva Lindqvist", title="national collaborator",
               level="peer", place="external", domains=["research", "networking", "feedback"],
               tie_strength=3, frequency="monthly",
               qualities=["honest", "enthusiasm", "commits_time"],
               next_step="Plan the multi-site registry paper", next_step_date=d(14)),
        Person(id="pn-coach", name="Leadership coach", title="faculty development program",
               level="senior", place="institution", domains=["leadership", "work_life"],
               tie_strength=2, frequency="monthly",
               qualities=["active_listener", "tailored_vision"],
               next_step="Bring the 360 feedback summary", next_step_date=d(11)),
        Person(id="pn-circle", name="Women in medicine circle", title="mid-career peers",
               level="peer",
               place="institution", domains=["emotional_support", "work_life", "role_model"],
               tie_strength=2, frequency="monthly", qualities=["compassion", "trustworthy"],
               next_step="Host the next circle dinner", next_step_date=d(27)),
        Person(id="pn-fellow-tech", name="Dr Omar Haddad", title="cardiology fellow, imaging AI",
               level="junior", place="division", domains=["clinical_skills", "research"],
               tie_strength=1, frequency="rarely", qualities=["enthusiasm"],
               next_step="Ask him to walk me through the new 3D echo software",
               next_step_date=d(16)),
        Person(id="pn-emeritus", name="My emeritus professor", title="trained me", level="senior",
               place="external", domains=["career_guidance", "role_model"], tie_strength=3,
               frequency="yearly", qualities=["models_mentoring", "honest", "tailored_vision"],
               next_step="Call about the leadership move", next_step_date=d(40)),
        Person(id="pn-dean", name="Associate dean", title="faculty development", status="potential",
               level="senior", place="institution", domains=["sponsorship", "leadership",
               "networking"], tie_strength=1,
               next_step="Ask my chair for an introduction", next_step_date=d(45)),
        Person(id="pn-m1", name="Dr Jonah Weiss", title="junior faculty", role="mentee",
               level="junior", place="division", domains=["career_guidance", "research"],
               tie_strength=3, frequency="monthly", qualities=[],
               next_step="Review his first R01 aims page", next_step_date=d(12)),
        Person(id="pn-m2", name="Dr Aisha Bello", title="cardiology fellow", role="mentee",
               level="junior", place="division", domains=["clinical_skills", "career_guidance",
               "emotional_support"], tie_strength=2, frequency="monthly", qualities=[],
               next_step="Help her plan the job search timeline", next_step_date=d(19)),
        Person(id="pn-m3", name="Resident research mentee", title="PGY-2", role="mentee",
               level="junior", place="institution", domains=["research", "feedback"],
               tie_strength=1, frequency="quarterly", qualities=[],
               next_step="Set expectations and a no-fault ending clause in writing",
               next_step_date=d(24)),
    ]
    return Workbook(
        workbook_id=DEMO_WORKBOOK_IDS["demo-midcareer"],
        profile=Profile(
            display_name="Dr Priya Natarajan",
            current_role="Associate professor, pediatric cardiology",
            next_role="Associate program director and senior faculty",
            transition_date=d(150),
            whats_new="Leading people instead of projects, and mentoring more than I am mentored.",
            mentors_others=True,
        ),
        needs=Needs(
            ratings=_ratings({
                "career_guidance": (2, 3), "clinical_skills": (4, 1), "research": (4, 2),
                "teaching": (3, 2), "leadership": (2, 4), "sponsorship": (2, 4),
                "emotional_support": (3, 2), "work_life": (2, 3), "role_model": (3, 2),
                "networking": (3, 3), "feedback": (2, 3), "accountability": (2, 2),
            }),
            top_needs=["leadership", "sponsorship", "feedback"],
        ),
        goals=[
            Goal(id="pn-g1", need="leadership",
                 goal="Prepare for the associate program director role.",
                 steps="Shadow the current APD for one recruitment season; complete the "
                       "leadership program module on difficult conversations.",
                 measure="Led two recruitment meetings and one remediation plan.",
                 deadline=d(150), partner="Leadership coach",
                 barriers="Competing clinical and research demands."),
            Goal(id="pn-g2", need="sponsorship",
                 goal="Be considered for the department's education leadership pipeline.",
                 steps="Tell my chair what I want; ask for one stretch assignment.",
                 measure="Named to one department-level committee.",
                 deadline=d(200), partner="Dr Alan Brooks",
                 barriers="Hard to ask for myself rather than for my mentees."),
            Goal(id="pn-g3", need="feedback",
                 goal="Get honest feedback on how I mentor.",
                 steps="Ask my three mentees for two things to keep and one to change.",
                 measure="Written feedback from all three mentees, and one change made.",
                 deadline=d(60), partner="Dr Eva Lindqvist",
                 barriers="Mentees may not feel safe being critical."),
        ],
        people=people,
        managing_up={
            "pn-brooks": ManagingUpPlan(
                need_from="Sponsorship for the APD role and honest advice on readiness.",
                offer_back="Lead the department's mentoring-program refresh.",
                meeting_frequency="Quarterly, 30 minutes", agenda_setter="me",
                channel="In person", last_meeting=d(-80), next_meeting=d(21),
                one_ask="Would you put my name forward for the APD search?",
                self_rating=2, one_change="Say plainly what I want instead of hinting.",
                habits=["send_agenda", "respect_time"]),
            "pn-lindqvist": ManagingUpPlan(
                need_from="A thinking partner for research and for mentoring dilemmas.",
                offer_back="Co-lead the registry; share our site's data dictionary.",
                meeting_frequency="Monthly video call", agenda_setter="shared",
                channel="Video", last_meeting=d(-18), next_meeting=d(14),
                one_ask="How do you ask your mentees for feedback?",
                self_rating=4, one_change="Close the loop on her advice about delegation.",
                habits=["book_next_meeting", "follow_up", "offer_back", "ask_feedback"]),
            "pn-coach": ManagingUpPlan(
                need_from="Practice for difficult conversations.",
                offer_back="Feedback on the program's new module.",
                meeting_frequency="Monthly, 45 minutes", agenda_setter="mentor",
                channel="In person", last_meeting=d(-12), next_meeting=d(11),
                one_ask="Role-play a remediation conversation.",
                self_rating=3, one_change="Bring one real situation each time.",
                habits=["state_needs", "ask_feedback", "keep_goals_current"]),
        },
        qualities=Qualities(
            ratings={
                "pn-brooks": {"sponsor": 3, "opens_networks": 3, "accessible": 1,
                              "commits_time": 2},
                "pn-lindqvist": {"honest": 4, "enthusiasm": 4, "commits_time": 3,
                                 "active_listener": 4},
                "pn-coach": {"active_listener": 4, "tailored_vision": 3, "supports_balance": 3},
            },
            priorities=["sponsor", "honest", "models_mentoring"],
            self_check={"communication": 3, "aligning_expectations": 2,
                        "assessing_understanding": 3, "addressing_diversity": 3,
                        "fostering_independence": 4, "professional_development": 3},
        ),
        scenarios={
            "mentor_own_project": ScenarioNote(
                strategy="As a mentor: ask each mentee what they want before offering my "
                         "projects, and say out loud when a suggestion serves me.",
                discussed=True),
            "graceful_ending": ScenarioNote(
                strategy="Agree a no-fault ending at the start; review fit every six months.",
                discussed=True),
            "learning_from_junior": ScenarioNote(
                strategy="Ask Omar for a one-hour walkthrough and credit him in the teaching "
                         "session I build from it.",
                discussed=True),
            "mismatched_expectations": ScenarioNote(
                strategy="Write a one-page mentoring compact with each mentee.",
                discussed=False),
        },
        actions=[
            ActionItem(id="pn-a1", text="Ask Dr Brooks to put my name forward for APD",
                       who="Dr Alan Brooks", due=d(21), source="managing_up"),
            ActionItem(id="pn-a2", text="Send each mentee a 'keep / change' feedback request",
                       who="My three mentees", due=d(14), source="goal"),
            ActionItem(id="pn-a3", text="Ask my chair for an introduction to the associate "
                       "dean", who="Dr Alan Brooks", due=d(45), source="outreach"),
            ActionItem(id="pn-a4", text="Write a mentoring compact template for my mentees",
                       due=d(30), source="own"),
            ActionItem(id="pn-a5", text="Book the 3D echo walkthrough with Omar",
                       who="Dr Omar Haddad", due=d(16), source="outreach"),
        ],
        evaluation=Evaluation(
            headline=4,
            objectives_met={"name_needs": 4, "manage_up": 3, "good_mentoring": 5,
                            "build_expand_mosaic": 4, "both_roles": 5},
            confidence_before={"naming_needs": 3, "managing_up": 3, "recognising_mentoring": 4,
                               "building_mosaic": 3, "expanding_mosaic": 2,
                               "recruiting_mentor": 3},
            confidence_after={"naming_needs": 4, "managing_up": 4, "recognising_mentoring": 5,
                              "building_mosaic": 4, "expanding_mosaic": 4,
                              "recruiting_mentor": 4},
            change_30_days="Ask my three mentees what to keep and what to change in how I mentor.",
            comments="Useful to sit on both sides of the mosaic in one session.",
            submitted_at=_decided(t),
        ),
        consent=Consent(share_anonymised=True, decided_at=_decided(t)),
    )


_BUILDERS: dict[str, tuple[str, Callable[[dt.date | None], Workbook]]] = {
    "demo-pgy3": ("PGY-3 resident heading to fellowship (Dr Maya Okafor)", pgy3),
    "demo-junior": ("New junior faculty member (Dr Daniel Reyes)", junior),
    "demo-midcareer": ("Mid-career faculty member who also mentors (Dr Priya Natarajan)",
                       midcareer),
}


_DEMO_GOAL_IDS = frozenset(
    goal.id for _key, (_label, build) in _BUILDERS.items() for goal in build(None).goals
)


_DEMO_IDS = frozenset(DEMO_WORKBOOK_IDS.values())


def demo_personas(today: dt.date | None = None) -> dict[str, tuple[str, Workbook]]:
    """Every persona: key -> (label, workbook), dated relative to ``today``."""
    return {key: (label, build(today)) for key, (label, build) in _BUILDERS.items()}


def is_demo_workbook(workbook: Workbook) -> bool:
    """Whether a workbook is (or started as) one of the demo personas.

    The personas' workbooks and goals carry fixed ids ("mo-g1", ...) while real ones get random
    ids, so a participant who loaded a persona to look around is not counted as a real
    participant.
    """
    if workbook.workbook_id in _DEMO_IDS:
        return True
    return any(goal.id in _DEMO_GOAL_IDS for goal in workbook.goals)


def store_demo_personas(store: Store) -> list[tuple[str, str]]:
    """Store (or refresh) every persona under its stable key; returns (key, label) pairs.

    A persona already stored is replaced; the store keeps the old one as a backup.
    """
    out = []
    for key, (label, workbook) in demo_personas().items():
        store.save_workbook(key, workbook, reason="demo", is_demo=True)
        out.append((key, label))
    return out


__all__ = [
    "DEMO_KEYS",
    "DEMO_WORKBOOK_IDS",
    "demo_personas",
    "is_demo_workbook",
    "store_demo_personas",
]
