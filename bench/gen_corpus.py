#!/usr/bin/env python3
"""Deterministic synthetic goals repository for okrsite benchmarks.

    python bench/gen_corpus.py N OUTDIR [--seed 1] [--check]

or, from Python:

    from gen_corpus import generate
    stats = generate(10_000, "/tmp/corpus", seed=1)

Writes a complete goals repository (see /work/shared/SPEC.md) that is valid per the spec:

* okrsite.toml with ``title`` and ``as_of = 2026-11-23``;
* content/teams/: a top-level team ``company`` and ~N/50 teams ``team-0001``... in a tree
  (departments under company, teams under departments, some squads under teams);
* content/objectives/<period>/: N objectives ``obj-00001``... (mostly 2026-Q4, some 2026-Q3),
  each with 3-5 key results (numeric up/down, binary ``done:``, a few manual ``progress:``,
  KPI-linked ``kpi:``, some ``history:`` check-ins and ``weight: 2``), a proper alignment tree
  per period (roots owned by ``company`` without parent, every other objective has a ``parent:``
  of the same period and is owned by a team id or a person "Person 0042"), and 2-4 paragraph
  Markdown bodies with a list and occasional ``[[id]]`` links;
* content/kpis/: N/10 KPIs ``kpi-0001``... with owner, unit, direction, target, threshold,
  category, indicator, frequency, source and inline ``values:`` and/or ``data: data/kpi-XXXX.csv``;
  the latest value of each is dated 2026-11-14..2026-11-22, so none is stale on the as-of date;
* content/how-we-do-okrs.md: a plain page.

Standard library only; the same (N, seed) always yields byte-identical files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import shutil
import sys
import time

AS_OF = dt.date(2026, 11, 23)
PERIODS = {
    "2026-Q4": (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    "2026-Q3": (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
}
Q3_SHARE = 0.15          # share of objectives in the past quarter
# shares of objectives (per period) on each alignment level: company objectives (roots, owned by
# `company`), then department, team, squad and individual levels
LEVEL_SHARES = (0.03, 0.12, 0.35, 0.40, 0.10)

# --------------------------------------------------------------------------- word pools

DEPARTMENTS = [
    "Engineering", "Product", "Marketing", "Sales", "Customer Success", "Finance", "People",
    "Operations", "Legal", "Security", "Data", "Design", "Support", "Partnerships", "Research",
    "Infrastructure", "Growth", "Brand", "Procurement", "Quality",
]
AREAS = [
    "Payments", "Search", "Onboarding", "Billing", "Mobile", "Web", "Platform", "Analytics",
    "Identity", "Messaging", "Checkout", "Catalog", "Pricing", "Reporting", "Integrations",
    "Notifications", "Logistics", "Content", "Recruiting", "Compliance", "Retention", "Enterprise",
    "SMB", "EMEA", "APAC", "Americas", "Developer Experience", "Reliability", "Storage", "Networking",
]
SUFFIXES = ["Team", "Squad", "Guild", "Crew", "Group", "Unit", "Pod", "Chapter"]

OBJ_VERBS = [
    "Expand", "Improve", "Accelerate", "Strengthen", "Modernise", "Simplify", "Scale", "Delight",
    "Grow", "Streamline", "Secure", "Reinvent", "Deepen", "Unlock", "Stabilise", "Launch",
]
OBJ_NOUNS = [
    "the customer base", "our onboarding experience", "platform reliability", "enterprise adoption",
    "developer productivity", "the partner ecosystem", "data quality", "the checkout funnel",
    "brand awareness", "gross margin", "employee engagement", "mobile engagement",
    "the self-serve motion", "support quality", "release cadence", "security posture",
    "international revenue", "product-led growth", "the hiring pipeline", "cost efficiency",
]
OBJ_TAILS = [
    "", "", "", " in EMEA", " for SMB customers", " across all regions", " for enterprise accounts",
    " before the holiday season", " with fewer incidents", " on mobile", " in North America",
]
TAGS = ["growth", "retention", "efficiency", "quality", "people", "platform", "revenue",
        "customer", "security", "brand", "hiring", "infra"]

# (title template, unit, low, high, integer?)
UP_METRICS = [
    ("Increase weekly active users to {t}", "users", 2000, 90000, True),
    ("Grow monthly recurring revenue to {t}", "USD", 20000, 900000, True),
    ("Raise NPS to {t}", "points", 10, 70, True),
    ("Sign {t} new enterprise customers", "customers", 5, 120, True),
    ("Reach {t} qualified leads a month", "leads", 200, 9000, True),
    ("Lift trial-to-paid conversion to {t}", "%", 2, 35, False),
    ("Ship {t} roadmap features", None, 3, 25, True),
    ("Increase test coverage to {t}", "%", 40, 95, False),
    ("Run {t} customer interviews", "interviews", 10, 80, True),
    ("Grow organic traffic to {t} visits", "visits", 10000, 500000, True),
    ("Raise employee engagement score to {t}", "points", 50, 90, True),
    ("Publish {t} case studies", None, 2, 15, True),
]
DOWN_METRICS = [
    ("Reduce monthly churn to {t}", "%", 1, 9, False),
    ("Cut p95 page load time to {t}", "ms", 300, 4000, True),
    ("Lower cost per acquisition to {t}", "USD", 40, 900, True),
    ("Reduce open support tickets to {t}", "tickets", 50, 3000, True),
    ("Bring mean time to recovery down to {t}", "minutes", 10, 240, True),
    ("Reduce time to hire to {t}", "days", 15, 90, True),
    ("Cut cloud spend to {t} a month", "USD", 10000, 400000, True),
    ("Reduce critical vulnerabilities to {t}", "vulnerabilities", 0, 60, True),
]
BINARY_KRS = [
    "Publish the new pricing page", "Launch the partner portal", "Complete the SOC 2 audit",
    "Migrate billing to the new platform", "Roll out the design system", "Hire a head of data",
    "Sign the distribution agreement", "Retire the legacy API", "Open the Berlin office",
    "Run the annual customer conference", "Ship single sign-on", "Adopt the new on-call rota",
]
MANUAL_KRS = [
    "Improve the perceived quality of documentation", "Build a culture of experimentation",
    "Strengthen relationships with key analysts", "Make the roadmap process lighter",
    "Raise awareness of the brand in developer communities",
]
HISTORY_NOTES = [
    "campaign started", "release shipped", "holiday dip", "new pricing live", "data fix",
    "migration done", "two hires joined", "outage on the 12th", "webinar series started",
]

KPI_DEFS = [
    # (title, unit, direction, category, indicator, low, high, integer?)
    ("Monthly recurring revenue", "USD", "up", "financial", "lagging", 50000, 2000000, True),
    ("Gross margin", "%", "up", "financial", "lagging", 40, 85, False),
    ("Lead volume", "leads", "up", "operational", "leading", 500, 20000, True),
    ("Weekly active users", "users", "up", "strategic", "leading", 5000, 500000, True),
    ("Net promoter score", "points", "up", "strategic", "lagging", 10, 70, True),
    ("Customer churn", "%", "down", "strategic", "lagging", 1, 9, False),
    ("p95 latency", "ms", "down", "operational", "leading", 100, 3000, True),
    ("Support backlog", "tickets", "down", "operational", "leading", 50, 5000, True),
    ("Cost per acquisition", "USD", "down", "financial", "leading", 40, 900, True),
    ("Deployment frequency", "deploys", "up", "operational", "leading", 10, 400, True),
    ("Employee engagement", "points", "up", "people", "lagging", 50, 90, True),
    ("Time to hire", "days", "down", "people", "lagging", 15, 90, True),
    ("Uptime", "%", "up", "operational", "lagging", 98, 99.99, False),
    ("Cloud spend", "USD", "down", "financial", "lagging", 10000, 800000, True),
]
SOURCES = [
    "Billing system, monthly export", "Product analytics dashboard", "CRM report",
    "Survey tool, quarterly pulse", "Monitoring (Prometheus), monthly p95", "Helpdesk export",
    "Finance spreadsheet", "HR information system", "Data warehouse, dbt model",
]

SENTENCE_STARTS = [
    "This objective matters because", "Last quarter we learned that", "Customers keep telling us that",
    "Our main bet is that", "The biggest risk is that", "We will know we are done when",
    "Compared with our competitors,", "The leadership team agreed that",
]
SENTENCE_ENDS = [
    "the current process does not scale beyond the next two quarters.",
    "small improvements in the funnel compound into meaningful revenue.",
    "reliability is the feature customers notice most when it is missing.",
    "we lose deals when the onboarding takes more than a week.",
    "the team needs clearer ownership of the metrics it reports on.",
    "investing now avoids a much larger migration next year.",
    "a simpler product is easier to sell, support and explain.",
    "we can reuse the platform work for three other initiatives.",
    "the data we have today is good enough to make a first decision.",
    "every region has different constraints that we must respect.",
]
OTHER_STARTS = [
    "In short,", "Historically,", "For context,", "The owner notes that", "In practice,",
    "Reviewers should remember that",
]
LIST_ITEMS = [
    "Agree on the baseline with finance", "Instrument the funnel end to end",
    "Publish a weekly progress note", "Run a pilot with five design partners",
    "Review the metric definitions with the data team", "Staff the work with two engineers",
    "Retire the old dashboard", "Hold a mid-quarter review", "Document the runbook",
    "Share learnings in the all-hands",
]


# --------------------------------------------------------------------------- helpers

def q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def num(x) -> str:
    if isinstance(x, float):
        if x == int(x) and abs(x) < 1e15:
            return str(int(x))
        return repr(round(x, 4))
    return str(x)


def rnd(x: float, integer: bool):
    return int(round(x)) if integer else round(x, 1)


def person(i: int) -> str:
    return f"Person {i:04d}"


def fmt_list(items) -> str:
    return "[" + ", ".join(items) + "]"


class Corpus:
    def __init__(self, n_objectives: int, seed: int):
        self.n = n_objectives
        self.r = random.Random(seed)
        self.n_teams = max(3, round(n_objectives / 50))
        self.n_kpis = max(1, n_objectives // 10)
        self.n_people = max(10, n_objectives // 8)
        self.obj_w = max(5, len(str(n_objectives)))
        self.team_ids = [f"team-{i:04d}" for i in range(1, self.n_teams + 1)]
        self.kpi_ids = [f"kpi-{i:04d}" for i in range(1, self.n_kpis + 1)]
        self.obj_ids = [f"obj-{i:0{self.obj_w}d}" for i in range(1, self.n + 1)]
        self.files: dict[str, str] = {}     # relative path -> text
        self.stats = {"objectives": 0, "key_results": 0, "kpis": 0, "teams": 0,
                      "pages": 0, "csv_files": 0}
        self.kpi_info: dict[str, dict] = {}
        self.kpi_objs: dict[str, list] = {}   # kpi id -> objectives it declares

    # ----------------------------------------------------------------- bodies

    def sentence(self, starts=SENTENCE_STARTS) -> str:
        r = self.r
        return f"{r.choice(starts)} {r.choice(SENTENCE_ENDS)}"

    def link(self, self_id: str) -> str:
        r = self.r
        pool = r.random()
        if pool < 0.6:
            target = r.choice(self.obj_ids)
        elif pool < 0.85:
            target = r.choice(self.kpi_ids)
        else:
            target = r.choice(self.team_ids + ["company"])
        if target == self_id:
            target = "company"
        return f"[[{target}]]"

    def body(self, self_id: str, paragraphs=(2, 4), link_p=0.35, starts=SENTENCE_STARTS) -> str:
        r = self.r
        n_par = r.randint(*paragraphs)
        list_at = r.randrange(n_par)
        out = []
        for p in range(n_par):
            sents = [self.sentence(starts) for _ in range(r.randint(2, 4))]
            if r.random() < link_p:
                i = r.randrange(len(sents))
                sents[i] = sents[i][:-1] + f", see {self.link(self_id)}."
            if r.random() < 0.15:
                sents.append("This is **not** optional: it blocks `release-2026.4`.")
            out.append(" ".join(sents))
            if p == list_at:
                items = r.sample(LIST_ITEMS, r.randint(3, 5))
                if r.random() < 0.5:
                    out.append("\n".join(f"- {it}" for it in items))
                else:
                    out.append("\n".join(f"{k}. {it}" for k, it in enumerate(items, 1)))
        if r.random() < 0.05:
            out.append("| Milestone | Owner | Due |\n|---|---|---|\n"
                       f"| Pilot | {person(r.randint(1, self.n_people))} | 2026-11-15 |\n"
                       f"| Rollout | {person(r.randint(1, self.n_people))} | 2026-12-10 |")
        return "\n\n".join(out) + "\n"

    # ----------------------------------------------------------------- teams

    def gen_teams(self):
        r = self.r
        T = self.n_teams
        n1 = max(1, min(T, round(math.sqrt(T) * 0.6)))
        n2 = max(0, min(T - n1, round((T - n1) * 0.45)))
        parents = {}
        level = {}
        titles = {}
        for k, tid in enumerate(self.team_ids):
            if k < n1:
                parents[tid] = "company"
                level[tid] = 1
                titles[tid] = DEPARTMENTS[k % len(DEPARTMENTS)] + (
                    f" {k // len(DEPARTMENTS) + 1}" if k >= len(DEPARTMENTS) else "")
            elif k < n1 + n2:
                parents[tid] = self.team_ids[r.randrange(n1)]
                level[tid] = 2
            else:
                parents[tid] = self.team_ids[n1 + r.randrange(n2)] if n2 else self.team_ids[r.randrange(n1)]
                level[tid] = level[parents[tid]] + 1
            if tid not in titles:
                titles[tid] = f"{r.choice(AREAS)} {r.choice(SUFFIXES)} {k + 1}"
        self.team_parent = parents
        self.team_title = titles
        # company
        lead = person(1)
        members = [person(i) for i in range(1, 6)]
        self.files["content/teams/company.md"] = (
            "---\n"
            f"title: {q('Acme Corp')}\n"
            f"lead: {q(lead)}\n"
            f"members: {fmt_list(q(m) for m in members)}\n"
            "---\n"
            "The whole company. Company objectives are owned by this team and are the roots of "
            "the alignment tree.\n"
        )
        for tid in self.team_ids:
            lead_i = r.randint(1, self.n_people)
            mem = sorted({lead_i, *(r.randint(1, self.n_people) for _ in range(r.randint(2, 7)))})
            lines = ["---",
                     f"title: {q(titles[tid])}",
                     f"parent: {parents[tid]}",
                     f"lead: {q(person(lead_i))}",
                     f"members: {fmt_list(q(person(m)) for m in mem)}",
                     "---"]
            body = self.body(tid, paragraphs=(1, 2), link_p=0.1, starts=OTHER_STARTS)
            self.files[f"content/teams/{tid}.md"] = "\n".join(lines) + "\n" + body
        self.stats["teams"] = T + 1

    # ----------------------------------------------------------------- KPIs

    def gen_kpis(self):
        r = self.r
        for kid in self.kpi_ids:
            title, unit, direction, category, indicator, lo, hi, integer = r.choice(KPI_DEFS)
            title = f"{title} ({r.choice(AREAS)})"
            target = rnd(r.uniform(lo, hi), integer)
            # threshold: the wrong side of the target
            span = max(abs(target) * r.uniform(0.08, 0.3), 1 if integer else 0.2)
            threshold = rnd(target - span if direction == "up" else target + span, integer)
            if threshold == target:
                threshold = target - 1 if direction == "up" else target + 1
            # latest value: a mix of healthy / warning / critical
            roll = r.random()
            if roll < 0.5:        # healthy
                latest = target + (1 if direction == "up" else -1) * span * r.uniform(0, 0.5)
            elif roll < 0.8:      # warning
                latest = target - (1 if direction == "up" else -1) * span * r.uniform(0.1, 0.9)
            else:                 # critical
                latest = threshold - (1 if direction == "up" else -1) * span * r.uniform(0.1, 0.6)
            latest = max(latest, 0)
            # a monthly series ending mid-November (never stale on 2026-11-23)
            n_months = r.randint(3, 11)
            dates = []
            for m in range(n_months, 0, -1):  # month-ends from (11 - n_months) to October
                month = 11 - m
                year = 2026
                if month <= 0:
                    month += 12
                    year -= 1
                nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
                dates.append(nxt - dt.timedelta(days=1))
            dates.append(dt.date(2026, 11, r.randint(14, 22)))
            start_val = latest * r.uniform(0.7, 1.3) if latest else r.uniform(lo, hi)
            values = []
            k = len(dates)
            for j, d in enumerate(dates):
                frac = j / (k - 1) if k > 1 else 1
                v = start_val + (latest - start_val) * frac
                if j < k - 1:
                    v *= r.uniform(0.97, 1.03)
                values.append((d, rnd(max(v, 0), integer)))
            mode = r.random()
            if mode < 0.45:
                inline, csv = values, []
            elif mode < 0.9:
                inline, csv = [], values
            else:
                inline, csv = values[-2:], values[:-2]
            owner = r.choice(self.team_ids) if r.random() < 0.8 else person(r.randint(1, self.n_people))
            lines = ["---",
                     f"title: {q(title)}",
                     f"owner: {q(owner) if ' ' in owner else owner}",
                     f"unit: {q(unit)}",
                     f"direction: {direction}",
                     f"target: {num(target)}",
                     f"threshold: {num(threshold)}",
                     f"category: {category}",
                     f"indicator: {indicator}",
                     "frequency: monthly",
                     f"source: {q(r.choice(SOURCES))}"]
            if csv:
                path = f"data/{kid}.csv"
                lines.append(f"data: {path}")
                self.files[path] = "date,value\n" + "".join(
                    f"{d.isoformat()},{num(v)}\n" for d, v in csv)
                self.stats["csv_files"] += 1
            if inline:
                lines.append("values:")
                lines.extend(f"  - {{date: {d.isoformat()}, value: {num(v)}}}" for d, v in inline)
            if r.random() < 0.3:
                objs = sorted(r.sample(self.obj_ids, min(len(self.obj_ids), r.randint(1, 3))))
                lines.append(f"objectives: {fmt_list(objs)}")
            lines.append("---")
            body = (f"**Definition.** {title} as reported by the owner, measured "
                    f"{'higher is better' if direction == 'up' else 'lower is better'}.\n\n"
                    + self.body(kid, paragraphs=(1, 2), link_p=0.2, starts=OTHER_STARTS))
            self.files[f"content/kpis/{kid}.md"] = "\n".join(lines) + "\n" + body
            self.kpi_info[kid] = {"direction": direction, "latest": values[-1][1],
                                  "first": values[0][1], "target": target, "integer": integer,
                                  "unit": unit}
        self.stats["kpis"] = len(self.kpi_ids)

    # ----------------------------------------------------------------- objectives

    def history(self, period, start, target, current, integer):
        """2-4 check-ins inside the period, up to the as-of date; last one == current."""
        r = self.r
        p_start, p_end = PERIODS[period]
        last_day = min(p_end, AS_OF)
        n = r.randint(2, 4)
        days = (last_day - p_start).days
        offs = sorted(r.sample(range(3, days + 1), n))
        out = []
        for j, off in enumerate(offs):
            frac = (j + 1) / n
            v = current if j == n - 1 else rnd(start + (current - start) * frac * r.uniform(0.8, 1.1), integer)
            note = r.choice(HISTORY_NOTES) if r.random() < 0.3 else None
            out.append((p_start + dt.timedelta(days=off), v, note))
        return out

    def key_result(self, oid, period, lines):
        r = self.r
        roll = r.random()
        kr = []
        weight = 2 if r.random() < 0.1 else None
        if roll < 0.10 and self.kpi_ids:                          # KPI-linked
            kid = r.choice(self.kpi_ids)
            info = self.kpi_info[kid]
            start = info["first"]
            up = info["direction"] == "up"
            target = info["target"]
            if target == start or (up and target < start) or (not up and target > start):
                # aim beyond the baseline in the KPI's direction
                delta = max(abs(start) * 0.2, 1 if info["integer"] else 0.5)
                target = rnd(start + delta if up else max(start - delta, 0), info["integer"])
                if target == start:
                    target = start + (1 if up else -1) * (1 if info["integer"] else 0.5)
            verb = "Raise" if up else "Bring down"
            kr.append(f"  - title: {q(f'{verb} KPI {kid} to {num(target)}')}")
            kr.append(f"    kpi: {kid}")
            kr.append(f"    start: {num(start)}")
            kr.append(f"    target: {num(target)}")
        elif roll < 0.55:                                         # numeric increasing
            tmpl, unit, lo, hi, integer = r.choice(UP_METRICS)
            target = rnd(r.uniform(lo, hi), integer)
            start = rnd(target * r.uniform(0, 0.8), integer) if r.random() < 0.7 else 0
            if start == target:
                start = 0 if target != 0 else -1
            self._numeric(kr, tmpl, unit, start, target, integer, period)
        elif roll < 0.75:                                         # numeric decreasing
            tmpl, unit, lo, hi, integer = r.choice(DOWN_METRICS)
            target = rnd(r.uniform(lo, hi), integer)
            start = rnd(max(target, 1) * r.uniform(1.2, 2.5), integer)
            if start == target:
                start = target + 1
            self._numeric(kr, tmpl, unit, start, target, integer, period)
        elif roll < 0.95:                                         # binary
            kr.append(f"  - title: {q(r.choice(BINARY_KRS))}")
            kr.append(f"    done: {'true' if r.random() < (0.8 if period == '2026-Q3' else 0.35) else 'false'}")
        else:                                                     # manual
            kr.append(f"  - title: {q(r.choice(MANUAL_KRS))}")
            kr.append(f"    progress: {round(r.uniform(0, 1), 2)}")
        if weight:
            kr.append(f"    weight: {weight}")
        if r.random() < 0.05:
            kr.append(f"    owner: {q(person(r.randint(1, self.n_people)))}")
        lines.extend(kr)

    def _numeric(self, kr, tmpl, unit, start, target, integer, period):
        r = self.r
        late = period == "2026-Q3"
        frac = r.uniform(0.3, 1.15) if late else r.uniform(0, 0.95)
        current = rnd(start + (target - start) * frac, integer)
        kr.append(f"  - title: {q(tmpl.format(t=num(target)))}")
        if start != 0 or r.random() < 0.5:
            kr.append(f"    start: {num(start)}")
        kr.append(f"    target: {num(target)}")
        if unit:
            kr.append(f"    unit: {q(unit)}")
        roll = r.random()
        if roll < 0.3:
            hist = self.history(period, start, target, current, integer)
            if r.random() < 0.2:   # explicit current alongside history
                kr.append(f"    current: {num(current)}")
            kr.append("    history:")
            for d, v, note in hist:
                extra = f", note: {q(note)}" if note else ""
                kr.append(f"      - {{date: {d.isoformat()}, value: {num(v)}{extra}}}")
        elif roll < 0.92:
            kr.append(f"    current: {num(current)}")
        # else: no current -> current = start

    def gen_objectives(self):
        r = self.r
        n = self.n
        # assign periods, then a tree per period (parents always earlier in the same period)
        periods = ["2026-Q3" if r.random() < Q3_SHARE else "2026-Q4" for _ in range(n)]
        by_period: dict[str, list[int]] = {}
        for i, p in enumerate(periods):
            by_period.setdefault(p, []).append(i)
        parent = [None] * n
        for p, idxs in by_period.items():
            # levels: company objectives, then department, team, squad and individual levels;
            # a parent is on the level above (sometimes two above), always earlier in the file order
            bounds, acc = [], 0.0
            for share in LEVEL_SHARES:
                acc += share
                bounds.append(max(bounds[-1] + 1 if bounds else 1, round(len(idxs) * acc)))
            level_of = []
            lvl = 0
            for j in range(len(idxs)):
                while lvl < len(bounds) - 1 and j >= bounds[lvl]:
                    lvl += 1
                level_of.append(lvl)
            starts = [0] + bounds[:-1]
            for j, i in enumerate(idxs):
                lv = level_of[j]
                if lv == 0:
                    continue
                up = 2 if lv >= 2 and r.random() < 0.1 else 1
                lo, hi = starts[lv - up], min(bounds[lv - up], j)
                parent[i] = idxs[r.randrange(lo, hi)]
        root = {i for i in range(n) if parent[i] is None}
        for i in range(n):
            oid = self.obj_ids[i]
            period = periods[i]
            title = f"{r.choice(OBJ_VERBS)} {r.choice(OBJ_NOUNS)}{r.choice(OBJ_TAILS)}"
            if i in root:
                owner = "company"
            elif r.random() < 0.8:
                owner = r.choice(self.team_ids)
            else:
                owner = q(person(r.randint(1, self.n_people)))
            lines = ["---",
                     f"title: {q(title)}",
                     f"period: {period}",
                     f"owner: {owner}"]
            if parent[i] is not None:
                lines.append(f"parent: {self.obj_ids[parent[i]]}")
            if r.random() < 0.2:
                lines.append("kind: aspirational")
            elif r.random() < 0.2:
                lines.append("kind: committed")
            if r.random() < 0.03:
                lines.append(f"status: {r.choice(['at-risk', 'on-track', 'off-track', 'cancelled'])}")
            if r.random() < 0.15:
                ks = sorted(r.sample(self.kpi_ids, min(len(self.kpi_ids), r.randint(1, 2))))
                lines.append(f"kpis: {fmt_list(ks)}")
            if r.random() < 0.6:
                lines.append(f"tags: {fmt_list(sorted(r.sample(TAGS, r.randint(1, 3))))}")
            lines.append("key_results:")
            n_kr = r.randint(3, 5)
            for _ in range(n_kr):
                self.key_result(oid, period, lines)
            lines.append("---")
            sub = "2026-q3" if period == "2026-Q3" else "2026-q4"
            self.files[f"content/objectives/{sub}/{oid}.md"] = (
                "\n".join(lines) + "\n" + self.body(oid))
            self.stats["key_results"] += n_kr
        self.stats["objectives"] = n
        self.stats["periods"] = {p: len(v) for p, v in sorted(by_period.items())}
        self.stats["company_objectives"] = len(root)

    # ----------------------------------------------------------------- misc

    def gen_site(self):
        self.files["okrsite.toml"] = (
            f'title = "Acme Corp goals (bench, {self.n} objectives)"\n'
            "as_of = 2026-11-23\n"
        )
        self.files["content/how-we-do-okrs.md"] = (
            "---\ntitle: \"How we do OKRs\"\n---\n"
            "We set objectives every quarter. Company objectives are owned by [[company]]; every "
            "team aligns its objectives to one of them.\n\n"
            "- Three to five key results per objective\n- Weekly check-ins\n- A grade at the end\n"
        )
        self.stats["pages"] = 1

    def build(self):
        self.gen_site()
        self.gen_teams()
        self.gen_kpis()
        self.gen_objectives()
        return self


GENERATED = ("okrsite.toml", "content", "data")


def generate(n_objectives: int, outdir, seed: int = 1, clean: bool = True) -> dict:
    """Write the corpus into ``outdir`` (created if missing).

    With ``clean`` (the default) okrsite.toml, content/ and data/ in ``outdir`` are removed first,
    so a smaller corpus never inherits stale files from a larger one; nothing else is touched.

    Returns a dict of counts: objectives, key_results, kpis, teams, pages, csv_files, files,
    periods, company_objectives.
    """
    if n_objectives < 1:
        raise ValueError("n_objectives must be >= 1")
    c = Corpus(n_objectives, seed).build()
    outdir = os.fspath(outdir)
    if clean:
        for name in GENERATED:
            path = os.path.join(outdir, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
    made = set()
    for rel, text in c.files.items():
        path = os.path.join(outdir, rel)
        d = os.path.dirname(path)
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    stats = dict(c.stats)
    stats["files"] = len(c.files)
    stats["seed"] = seed
    return stats


# --------------------------------------------------------------------------- self-check

def check(outdir) -> list[str]:
    """Validate a generated corpus against the SPEC rules the generator promises (needs PyYAML)."""
    import csv
    import glob
    import re
    import yaml

    problems = []
    docs = {}
    for path in sorted(glob.glob(os.path.join(outdir, "content", "**", "*.md"), recursive=True)):
        text = open(path, encoding="utf-8").read()
        if not text.startswith("---\n"):
            problems.append(f"{path}: no front matter")
            continue
        end = text.index("\n---\n", 4)
        try:
            fm = yaml.safe_load(text[4:end + 1])
        except yaml.YAMLError as e:
            problems.append(f"{path}: YAML: {e}")
            continue
        rel = os.path.relpath(path, os.path.join(outdir, "content"))
        kind = rel.split(os.sep)[0] if os.sep in rel else "page"
        oid = fm.get("id") or os.path.splitext(os.path.basename(path))[0]
        if oid in docs:
            problems.append(f"{path}: duplicate id {oid}")
        docs[oid] = (kind, fm, text[end + 5:], path)
    teams = {k for k, v in docs.items() if v[0] == "teams"}
    kpis = {k for k, v in docs.items() if v[0] == "kpis"}
    slug = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
    for oid, (kind, fm, body, path) in docs.items():
        for link in re.findall(r"\[\[([^\]]+)\]\]", body):
            if link not in docs:
                problems.append(f"{path}: unknown link {link}")
        if kind == "objectives":
            for key in ("title", "period", "owner", "key_results"):
                if key not in fm:
                    problems.append(f"{path}: missing {key}")
            if fm["period"] not in PERIODS:
                problems.append(f"{path}: bad period")
            if slug.match(str(fm["owner"])) and fm["owner"] not in teams:
                problems.append(f"{path}: owner {fm['owner']} is not a team")
            par = fm.get("parent")
            if par is None:
                if fm["owner"] != "company":
                    problems.append(f"{path}: orphan")
            elif par not in docs or docs[par][0] != "objectives":
                problems.append(f"{path}: unknown parent {par}")
            elif docs[par][1]["period"] != fm["period"]:
                problems.append(f"{path}: period differs from parent's")
            elif par >= oid:
                problems.append(f"{path}: parent not earlier (cycle risk)")
            for k in fm.get("kpis", []):
                if k not in kpis:
                    problems.append(f"{path}: unknown kpi {k}")
            krs = fm["key_results"]
            if not 1 <= len(krs) <= 5:
                problems.append(f"{path}: {len(krs)} key results")
            for kr in krs:
                if "done" in kr or "progress" in kr:
                    continue
                if "target" not in kr or kr.get("start", 0) == kr["target"]:
                    problems.append(f"{path}: bad numeric KR {kr.get('title')}")
                if "kpi" in kr and kr["kpi"] not in kpis:
                    problems.append(f"{path}: unknown KR kpi {kr['kpi']}")
                for h in kr.get("history", []):
                    if not isinstance(h["date"], dt.date) or h["date"] > AS_OF:
                        problems.append(f"{path}: bad history date {h['date']}")
        elif kind == "kpis":
            for key in ("title", "owner", "unit", "direction", "target", "threshold",
                        "category", "indicator", "frequency", "source"):
                if key not in fm:
                    problems.append(f"{path}: missing {key}")
            if slug.match(str(fm["owner"])) and fm["owner"] not in teams:
                problems.append(f"{path}: owner {fm['owner']} is not a team")
            vals = list(fm.get("values") or [])
            if "data" in fm:
                with open(os.path.join(outdir, fm["data"]), newline="") as f:
                    rows = list(csv.reader(f))
                if rows[0] != ["date", "value"]:
                    problems.append(f"{path}: bad CSV header")
                vals += [{"date": dt.date.fromisoformat(a), "value": float(b)} for a, b in rows[1:]]
            if not vals:
                problems.append(f"{path}: no values")
            else:
                latest = max(v["date"] for v in vals)
                if latest > AS_OF or (AS_OF - latest).days > 14:
                    problems.append(f"{path}: latest value {latest} stale or in the future")
                if len({v['date'] for v in vals}) != len(vals):
                    problems.append(f"{path}: duplicate dates")
            for o in fm.get("objectives", []):
                if o not in docs or docs[o][0] != "objectives":
                    problems.append(f"{path}: unknown objective {o}")
        elif kind == "teams":
            par = fm.get("parent")
            if par is not None and par not in teams:
                problems.append(f"{path}: unknown team parent {par}")
            if oid != "company" and par is None:
                problems.append(f"{path}: team without parent")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of objectives")
    ap.add_argument("outdir", help="directory to write the goals repository into")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check", action="store_true",
                    help="validate the written corpus afterwards (needs PyYAML)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    stats = generate(args.n, args.outdir, seed=args.seed)
    secs = time.perf_counter() - t0
    print(f"wrote {stats['files']} files to {args.outdir} in {secs:.2f}s: "
          f"{stats['objectives']} objectives, {stats['key_results']} key results, "
          f"{stats['kpis']} KPIs, {stats['teams']} teams, periods {stats['periods']}")
    if args.check:
        problems = check(args.outdir)
        for p in problems:
            print(p, file=sys.stderr)
        print(f"check: {len(problems)} problem(s)")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
