"""Demo family finding: matching profiles for the waiting children and links that agree with the journeys.

Pure Python (no Django, no clock). `plan` reads the generated children and households and returns:
- the links, each a list of link events (family_finding.rules) for one child or sibling group placed together
  and one household, drawn from the child's own journey: every child at linked, matched or placed has one
  link at that step, agreed on its LINKED date, recommended on its MATCHING_PANEL date, matched on its
  MATCH_DECISION date and placed on its PLACED date; each earlier LINKED … LINK_ENDED on its journey is a link
  ended after it was agreed; waiting children get links at the earlier steps (some ended with each reason,
  some stale), and a matched child a link ended "another link was chosen" on its match date;
- partner households: approved adopters generated (by the household simulator, as of a date before the
  link's shortlisting) for the links, with the household's MATCHED (and MATCH_ENDED) events at the link's
  dates, so the household's journey agrees with the link;
- the RAA's own generated households at matched have their last match moved onto a child's match, or dropped
  when no child fits (they are then approved and waiting);
- a matching profile for every child not yet placed (location rules, contact, early permanence).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from permanence.adopters import rules as hrules
from permanence.children import rules as crules
from permanence.demo.households import GeneratedHousehold, GeneratedPanel, GeneratedRAA, HouseholdSimulator
from permanence.demo.journeys import GeneratedChild
from permanence.family_finding import rules as lrules

CK, HK, LK = crules.Kind, hrules.Kind, lrules.Kind
CS = crules.Stage
DAY = timedelta(days=1)
AT_LINK = frozenset({CS.LINKED, CS.MATCHED, CS.PLACED})
WAITING = frozenset({CS.PLACEMENT_ORDER, CS.SHOULD_BE_PLACED, CS.PLAN_FOR_ADOPTION, CS.IDENTIFIED})
NOT_PLACED = WAITING | {CS.LINKED, CS.MATCHED, CS.IN_CARE}
# The child's journey's words for a link ended after it was agreed, in the link's reasons.
ENDED_REASON = {
    "The adopters decided not to proceed after reading the CPR.": "adopters_declined",
    "The link was not supported at the linking meeting.": "agency_declined",
    "Another child was matched with the adopters.": "another_link",
    "Location: too close to the birth family.": "agency_declined",
}
DECLINE_WHY = ("Travel distance to the birth family's contact venue.", "The child's health needs.",
               "Their own circumstances changed.", "Another child was a closer fit.")
DISTRICTS = ("BS1", "BS3", "BS5", "BS16", "BA1", "BA2", "GL1", "GL50", "SN1", "TA1", "EX1", "BS20")
PARTNER_BASE = 500  # partner households are numbered from here (the RAA's own from 0)


@dataclass
class PlannedLink:
    raa_code: str
    child_keys: tuple[str, ...]  # the lead child first
    household_key: str
    events: list[lrules.EventFact]


@dataclass
class Plan:
    links: list[PlannedLink] = field(default_factory=list)
    partners: list[GeneratedRAA] = field(default_factory=list)
    changed_households: set[str] = field(default_factory=set)  # the RAA's own households whose events changed
    profiles: dict[str, dict] = field(default_factory=dict)  # child key -> ChildMatchingProfile fields


def _f(kind, day: date, seq: int, **details) -> lrules.EventFact:
    return lrules.EventFact(kind, day, seq, details)


def _units(children: Sequence[GeneratedChild]) -> list[list[GeneratedChild]]:
    """Each child alone, or its sibling group when placed together (lead first)."""
    out, groups = [], {}
    for c in children:
        if c.sibling_key and c.sibling_plan == "together":
            if c.sibling_key not in groups:
                groups[c.sibling_key] = []
                out.append(groups[c.sibling_key])
            groups[c.sibling_key].append(c)
        else:
            out.append([c])
    return out


def _approved_on(h: GeneratedHousehold) -> date | None:
    return next((e.date for e in h.events if e.kind is HK.ADM_DECISION and e.details.get("decision") == "approved"),
                None)


def _exploring(rng: random.Random, start: date, before: date, today: date) -> list[tuple[LK, date, dict]]:
    """Shortlisted, contact, a visit and interest between `start` and `before` (exclusive), each step taken."""
    days = max(4, (before - start).days)
    s = start
    c = s + timedelta(days=max(1, days // 5))
    v = c + timedelta(days=max(1, days // 4))
    i = v + timedelta(days=max(1, days // 6))
    steps = [(LK.SHORTLISTED, s, {}), (LK.CONTACT, c, {}), (LK.VISIT, v, {}),
             (LK.INTEREST, i, {"by": rng.choice(("adopters", "agency"))})]
    return [st for st in steps if st[1] < before and st[1] <= today]


class _Partners:
    """Approved households generated for the links, one per link, in the child's RAA."""

    def __init__(self, seed: int, la_codes: dict[str, Sequence[str]]):
        self.seed, self.la_codes = seed, la_codes
        self.by_raa: dict[str, list[GeneratedHousehold]] = {}
        self.panels: dict[str, dict[date, GeneratedPanel]] = {}

    def make(self, raa_code: str, approved_by: date) -> GeneratedHousehold:
        households = self.by_raa.setdefault(raa_code, [])
        number = PARTNER_BASE + len(households)
        sim = HouseholdSimulator(self.seed, approved_by)
        panels = sim.panel_dates(raa_code)
        rng = random.Random(f"{self.seed}/{raa_code}/partner{number}")
        h = sim.household(rng, raa_code, self.la_codes[raa_code], number, "approved", False, panels,
                          dict.fromkeys(panels, 0))
        households.append(h)
        for item in h.panel_items:
            self.panels.setdefault(raa_code, {}).setdefault(
                item.panel_date, GeneratedPanel(raa_code, item.panel_date, item.panel_date - timedelta(days=10),
                                                6, "Dr Farah Okafor"))
        return h

    def raas(self) -> list[GeneratedRAA]:
        return [GeneratedRAA(code, hs, [], sorted(self.panels.get(code, {}).values(), key=lambda p: p.date))
                for code, hs in self.by_raa.items()]


def _add_household_events(h: GeneratedHousehold, extra: list[hrules.EventFact]) -> None:
    h.events = sorted([*h.events, *extra], key=lambda e: e.sort_key)
    h._state = None


def plan(seed: int, today: date, children: Sequence[GeneratedChild], raas: Sequence[GeneratedRAA],
         la_raa: dict[str, str], raa_las: dict[str, Sequence[str]]) -> Plan:
    """The demo's links, partner households and matching profiles (see the module's docstring). Deterministic."""
    out = Plan()
    partners = _Partners(seed, raa_las)
    # The RAA's own matched households, waiting to be paired with a matched child: (approved, household).
    matched_own: dict[str, list[GeneratedHousehold]] = {}
    for r in raas:
        for h in r.households:
            if h.state().stage is hrules.Stage.MATCHED and h.events[-1].kind is HK.MATCHED:
                matched_own.setdefault(r.code, []).append(h)
    approved_own = {r.code: [h for h in r.households if h.state().stage is hrules.Stage.APPROVED] for r in raas}
    for n, unit in enumerate(_units(children)):
        lead = unit[0]
        rng = random.Random(f"{seed}/links/{lead.key}")
        raa = la_raa[lead.la_code]
        state = crules.replay(lead.events)
        keys = tuple(c.key for c in unit)
        if state.stage in NOT_PLACED:
            for c in unit:
                out.profiles[c.key] = _profile(rng, c, state.stage)
        if state.stage in AT_LINK:
            _links_from_journey(out, rng, raa, keys, lead, today, partners, matched_own,
                                inter_agency=_inter_agency_partner(seed, lead.key, raa, sorted(raa_las)))
        elif state.stage in (CS.PLACEMENT_ORDER, CS.SHOULD_BE_PLACED) and n % 3 != 2:
            _waiting_links(out, rng, raa, keys, today, approved_own.get(raa, []), partners, n)
    # Own households still matched with no child: their match is dropped (approved, waiting).
    for hs in matched_own.values():
        for h in hs:
            h.events = h.events[:-1]
            h._state = None
            out.changed_households.add(h.key)
    out.partners = partners.raas()
    return out


INTER_AGENCY_SHARE = 0.2  # of the placements with a partner household: another RAA's adopters


def _inter_agency_partner(seed: int, key: str, raa: str, codes: Sequence[str]) -> str | None:
    """Another RAA whose adopters take this child, for about one placement in five (its own random stream, so
    the rest of the plan is the same with or without it); None: the child's own RAA's."""
    others = [c for c in codes if c != raa]
    rng = random.Random(f"{seed}/inter-agency/{key}")
    return others[rng.randrange(len(others))] if others and rng.random() < INTER_AGENCY_SHARE else None


def _links_from_journey(out: Plan, rng: random.Random, raa: str, keys: tuple[str, ...], lead: GeneratedChild,
                        today: date, partners: _Partners, matched_own: dict[str, list[GeneratedHousehold]], *,
                        inter_agency: str | None = None) -> None:
    """The child's links as its journey tells them. `inter_agency`: the RAA whose adopters the child is placed
    with, if not its own (inter-agency)."""
    events = sorted(lead.events, key=lambda e: e.sort_key)
    linked = [i for i, e in enumerate(events) if e.kind is CK.LINKED]
    previous_end = None
    for li in linked:
        agreed = events[li].date
        after = events[li + 1:next((j for j in linked if j > li), len(events))]
        ended = next((e for e in after if e.kind in (CK.LINK_ENDED, CK.LINKED)), None)
        ended = ended if ended is not None and ended.kind is CK.LINK_ENDED else None
        start = agreed - timedelta(days=rng.randint(30, 70))
        if previous_end is not None:
            start = max(start, previous_end - timedelta(days=rng.randint(0, 20)))
        start = min(start, agreed - timedelta(days=10))
        steps = _exploring(rng, start, agreed, today)
        steps.append((LK.LINK_AGREED, agreed, {}))
        h_extra: list[hrules.EventFact] = []
        household = None
        if ended is not None:
            steps.append((LK.ENDED, ended.date, {"reason": ENDED_REASON.get(ended.details.get("reason"),
                                                                            "agency_declined"),
                                                 "why": ended.details.get("reason", "")}))
            previous_end = ended.date
        else:
            rest = {e.kind: e for e in after}
            panel, decision, placed = rest.get(CK.MATCHING_PANEL), rest.get(CK.MATCH_DECISION), rest.get(CK.PLACED)
            if panel is not None:
                booked = max(agreed + DAY, panel.date - timedelta(days=rng.randint(14, 28)))
                steps += [(LK.PANEL_BOOKED, booked, {"panel_date": panel.date.isoformat()}),
                          (LK.PANEL_RECOMMENDATION, panel.date, {"recommendation": "match"})]
            elif agreed + timedelta(days=7) <= today and rng.random() < 0.6:
                steps.append((LK.PANEL_BOOKED, agreed + timedelta(days=7),
                              {"panel_date": (agreed + timedelta(days=rng.randint(30, 50))).isoformat()}))
            if decision is not None:
                steps.append((LK.MATCH_DECISION, decision.date, {"decision": "agreed"}))
                h_extra.append(hrules.EventFact(HK.MATCHED, decision.date, 0, {}))
                intro = decision.date + timedelta(days=2)
                if (placed is not None and intro < placed.date) or (placed is None and intro <= today - 3 * DAY
                                                                    and rng.random() < 0.5):
                    steps.append((LK.INTRODUCTIONS, intro, {}))
                # The RAA's own matched household, moved onto this match, when it was approved in time.
                for h in ([] if CK.DISRUPTION in rest else list(matched_own.get(raa, []))):
                    approved = _approved_on(h)
                    if approved and approved < start and h.events[-2].date < decision.date:
                        matched_own[raa].remove(h)
                        h.events = [*h.events[:-1], hrules.EventFact(HK.MATCHED, decision.date, 0, {})]
                        h._state = None
                        out.changed_households.add(h.key)
                        household, h_extra = h, []
                        break
            if placed is not None:
                steps.append((LK.PLACED, placed.date, {}))
                disrupted = rest.get(CK.DISRUPTION)
                if disrupted is not None and h_extra:  # the placement ended: so did the household's match
                    h_extra.append(hrules.EventFact(HK.MATCH_ENDED, disrupted.date, 0,
                                                    {"reason": disrupted.details.get("reason", "Disrupted.")}))
            # Another household explored for the child, ended when this match was made.
            if decision is not None:
                other = partners.make(raa, start - timedelta(days=rng.randint(5, 60)))
                ex = _exploring(rng, start + DAY, decision.date, today)[:rng.randint(1, 4)]
                ex.append((LK.ENDED, decision.date, {"reason": "another_link", "why": "Another link was chosen."}))
                out.links.append(PlannedLink(raa, keys, other.key, _facts(ex)))
        if household is None:
            placing = inter_agency if inter_agency and ended is None and CK.PLACED in {e.kind for e in after} \
                else raa
            household = partners.make(placing, start - timedelta(days=rng.randint(5, 90)))
            if h_extra:
                _add_household_events(household, h_extra)
        out.links.append(PlannedLink(raa, keys, household.key, _facts(steps)))


def _waiting_links(out: Plan, rng: random.Random, raa: str, keys: tuple[str, ...], today: date,
                   approved: list[GeneratedHousehold], partners: _Partners, n: int) -> None:
    """One to three links at the steps before agreement, some ended with a reason; some go stale."""
    for j in range(rng.randint(1, 3)):
        start = today - timedelta(days=rng.randint(5, 150))
        fits = [h for h in approved if (_approved_on(h) or today) < start]
        household = fits[(n + j) % len(fits)] if fits else partners.make(raa, start - timedelta(days=30))
        steps = _exploring(rng, start, today + DAY, today)[:rng.randint(1, 4)]
        ending = (n + j) % 5
        if ending < 3:
            reason = ("adopters_declined", "agency_declined", "plan_changed")[ending]
            end = min(today, steps[-1][1] + timedelta(days=rng.randint(3, 20)))
            steps.append((LK.ENDED, end, {"reason": reason,
                                          "why": rng.choice(DECLINE_WHY) if reason != "plan_changed" else ""}))
        out.links.append(PlannedLink(raa, keys, household.key, _facts(steps)))
        if any(pl.household_key == household.key and pl.child_keys == keys for pl in out.links[:-1]):
            out.links.pop()  # one link between a child and a household


def _facts(steps: list[tuple[LK, date, dict]]) -> list[lrules.EventFact]:
    return [_f(k, d, i, **det) for i, (k, d, det) in enumerate(sorted(steps, key=lambda s: (s[1], lrules.STAGE_ORDER
                                                                                             .index(lrules.Stage(
                                                                                                 _STAGE_OF[s[0]])))))]


_STAGE_OF = {LK.SHORTLISTED: "shortlisted", LK.CONTACT: "contact", LK.VISIT: "visit", LK.INTEREST: "interest",
             LK.LINK_AGREED: "link_agreed", LK.PANEL_BOOKED: "panel_booked",
             LK.PANEL_RECOMMENDATION: "panel_recommended", LK.MATCH_DECISION: "matched",
             LK.INTRODUCTIONS: "introductions", LK.PLACED: "placed", LK.ENDED: "ended"}


def _profile(rng: random.Random, c: GeneratedChild, stage) -> dict:
    r = rng.random()
    ep = "needed" if (r < 0.08 and stage in (CS.IDENTIFIED, CS.IN_CARE)) else "possible" if r < 0.3 else ""
    direct = rng.random() < 0.2
    return {
        "avoid_birth_family_la": rng.random() < 0.45,
        "avoid_places": [rng.choice(DISTRICTS)] if rng.random() < 0.15 else [],
        "reference_district": rng.choice(DISTRICTS) if rng.random() < 0.6 else "",
        "max_distance_miles": rng.choice((None, None, 50, 75, 100, 150)),
        "min_distance_miles": rng.choice((None, None, None, 10, 20)),
        "letterbox_contact": None if rng.random() < 0.15 else rng.random() < 0.9,
        "direct_contact": None if rng.random() < 0.3 else direct,
        "sibling_contact": None if rng.random() < 0.3 else (c.sibling_key is not None and rng.random() < 0.6),
        "early_permanence": ep,
        "religion": rng.choice(("", "", "", "Christian", "Muslim")),
        "languages": rng.choice(("", "", "English", "English, Polish", "English, Urdu")),
    }

