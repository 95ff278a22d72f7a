#!/usr/bin/env python3
"""Deterministic synthetic git history of a goals repository, for the history benchmark.

    python bench/gen_history.py N_FILES N_COMMITS OUTDIR [--seed 1] [--check]

or, from Python (with ``bench/`` on ``sys.path``):

    from gen_history import generate_history, cached_history
    stats = generate_history(1000, 10_000, "/tmp/goals-git", seed=1)
    path, stats, secs = cached_history(1000, 10_000, seed=1)   # bench/.cache/history-...

Makes a git repository in OUTDIR whose HEAD is a complete, valid goals repository (see
/work/shared/SPEC.md) with N_COMMITS commits behind it:

* The files come from ``gen_corpus`` with as many objectives as it takes for objectives + KPIs
  (gen_corpus makes N/10 KPIs) to reach N_FILES goal files: 1,000 gives 910 objectives + 91 KPIs
  = 1,001 goal files, plus 19 team files, one plain page and ~50 KPI CSV files under data/.
* All commits are written by ONE ``git fast-import`` process (no process per commit). Author
  and committer are one of a fixed set of people (one non-ASCII name); dates strictly increase
  from 2026-07-01 08:00 UTC to 2026-11-22 18:00 UTC, in a few time zones.
* The first commit adds every file. Each numeric key result with a ``current:`` line starts at its
  ``start`` value, and KPI values dated after the first commit are held back.
* Every later commit does one of these:
  - a check-in: rewrites the value on 1-3 ``current:`` lines of one objective (sometimes also one
    of another objective), moving it from ``start`` towards gen_corpus' value as time passes;
  - turns a ``done: false`` into ``done: true``;
  - edits only the Markdown body of an objective (appends an "Update" paragraph);
  - appends the KPI values that have come due (dated on or before the commit's day), to the CSV
    under data/ or to the inline ``values:`` list, so at HEAD every KPI has all gen_corpus values;
  - every 200th commit renames an objective file (``R`` in fast-import): alternately a move into
    a subfolder named after the owner, or a longer file name with an ``id:`` line added to keep
    the id.
* Afterwards ``git reset --hard`` makes the work tree match HEAD. ``okrsite check OUTDIR`` passes
  (``--check`` runs it, and checks the work tree is clean and the commit count).

Standard library and git only; the same parameters always give the same commits (same hashes).
OUTDIR must be missing, empty, or an earlier output of this script (which is then replaced).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CACHE = os.path.join(HERE, ".cache")
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402

START = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 11, 22, 18, 0, tzinfo=dt.UTC)
RENAME_EVERY = 200
STAMP = "okrsite-bench-history.json"  # in OUTDIR/.git/, so the work tree stays clean
BRANCH = "main"

# (name, email, time zone in minutes east of UTC)
AUTHORS = [
    ("Ana Lima", "ana.lima@example.com", 60),
    ("Ben Okafor", "ben.okafor@example.com", 0),
    ("Chloé Martin", "chloe.martin@example.com", 120),
    ("Dev Patel", "dev.patel@example.com", 0),
    ("Emma Schulz", "emma.schulz@example.com", 120),
    ("Farid Haddad", "farid.haddad@example.com", 60),
    ("Grace Kim", "grace.kim@example.com", -300),
    ("Hugo Rossi", "hugo.rossi@example.com", 120),
    ("Ines Costa", "ines.costa@example.com", 60),
    ("Jonas Berg", "jonas.berg@example.com", 120),
    ("Kate Walsh", "kate.walsh@example.com", -300),
    ("Luis Ortega", "luis.ortega@example.com", -300),
]

KR_START = re.compile(r"^  - title: ")
VALUE_LINE = re.compile(r"^  - \{date: (\d{4}-\d\d-\d\d), value: [^}]*\}$")
UPDATE_NOTES = [
    "Reviewed in the weekly check-in; no change to the plan.",
    "The pilot customers gave positive feedback and asked for an export.",
    "Two people moved to the incident follow-ups for a week.",
    "We re-baselined the funnel numbers with finance.",
    "The dependency on the platform team is resolved.",
    "Scope for this quarter is now frozen.",
    "Added a dashboard link to the team's wiki page.",
    "The owner changed after the re-org; the targets stay as agreed.",
]


def n_objectives_for(n_files: int) -> int:
    """The smallest objective count whose objectives + KPIs (N/10) reach ``n_files``."""
    n = max(1, round(n_files / 1.1) - 2)
    while n + max(1, n // 10) < n_files:
        n += 1
    return n


def _tz(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _fmt(x: float, integer: bool) -> str:
    return str(round(x)) if integer else gen_corpus.num(round(x, 1))


class KR:
    __slots__ = ("idx", "start", "target", "final", "integer", "value")

    def __init__(self, idx, start, target, final, integer):
        self.idx, self.start, self.target, self.final, self.integer = idx, start, target, final, integer
        self.value = start


class Doc:
    """One file as a list of lines ("\\n".join(lines) is its text)."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.lines = text.split("\n")
        self.krs: list[KR] = []       # numeric KRs with a current: line
        self.done: list[int] = []     # indexes of "done: false" lines
        self.oid = os.path.splitext(os.path.basename(path))[0]
        self.renamed = False

    def text(self) -> str:
        return "\n".join(self.lines)

    def shift(self, at: int, by: int) -> None:
        for kr in self.krs:
            if kr.idx >= at:
                kr.idx += by
        self.done = [i + by if i >= at else i for i in self.done]


def _parse_objective(doc: Doc) -> None:
    end = doc.lines.index("---", 1)
    krs, cur = [], None
    for i in range(1, end):
        line = doc.lines[i]
        if KR_START.match(line):
            cur = {}
            krs.append(cur)
        elif cur is not None and line.startswith("    ") and ": " in line:
            key, _, value = line.strip().partition(": ")
            cur[key] = (i, value)
    for kr in krs:
        if "current" in kr and "target" in kr and "kpi" not in kr:
            idx, cur_tok = kr["current"]
            start_tok = kr.get("start", (None, "0"))[1]
            target_tok = kr["target"][1]
            start, target = float(start_tok), float(target_tok)
            integer = ("." not in start_tok + target_tok + cur_tok
                       and max(abs(start), abs(target)) >= 20)
            doc.krs.append(KR(idx, start, target, float(cur_tok), integer))
            line = doc.lines[idx]   # the first commit has the start value
            doc.lines[idx] = line[:line.index(": ") + 2] + _fmt(start, integer)
        elif kr.get("done", (None, ""))[1] == "false":
            doc.done.append(kr["done"][0])


class Timeline:
    def __init__(self, n_files: int, n_commits: int, seed: int):
        if n_commits < 1:
            raise ValueError("n_commits must be >= 1")
        span = int((END - START).total_seconds())
        if n_commits > span:
            raise ValueError(f"at most {span} commits fit between {START} and {END}")
        self.n_commits = n_commits
        self.n_obj = n_objectives_for(n_files)
        self.corpus = gen_corpus.Corpus(self.n_obj, seed).build()
        self.r = random.Random(seed * 1_000_003 + 17)
        self.docs: dict[str, Doc] = {p: Doc(p, t) for p, t in sorted(self.corpus.files.items())}
        self.objectives = [d for p, d in self.docs.items() if p.startswith("content/objectives/")]
        for d in self.objectives:
            _parse_objective(d)
        self.numeric = [d for d in self.objectives if d.krs]
        self.binary = [d for d in self.objectives if d.done]
        self.times = self._times()
        self.pending: dict[str, list] = {}   # kpi id -> [(date, doc path, kind)] not yet committed
        self._hold_back_kpi_values()
        self.stats = {"objectives": self.n_obj, "kpis": len(self.corpus.kpi_ids),
                      "goal_files": self.n_obj + len(self.corpus.kpi_ids),
                      "files": len(self.docs), "commits": n_commits, "checkins": 0,
                      "current_edits": 0, "done_flips": 0, "body_edits": 0, "kpi_commits": 0,
                      "kpi_values_added": 0, "renames": 0, "seed": seed}

    # ----------------------------------------------------------------- time line

    def _times(self) -> list[tuple[int, int]]:
        """(epoch seconds, tz minutes) per commit: strictly increasing, START..END."""
        t0, t1 = int(START.timestamp()), int(END.timestamp())
        n = self.n_commits
        if n == 1:
            return [(t1, 0)]
        step = (t1 - t0) / (n - 1)
        out, prev = [], t0 - 1
        for i in range(n):
            base = t0 + round(i * step)
            jitter = int(self.r.uniform(-0.3, 0.3) * step) if 0 < i < n - 1 else 0
            t = min(max(base + jitter, prev + 1), t1 - (n - 1 - i))
            out.append((t, 0))
            prev = t
        return out

    def local_day(self, i: int, tz: int) -> dt.date:
        return dt.datetime.fromtimestamp(self.times[i][0] + tz * 60, dt.UTC).date()

    # ----------------------------------------------------------------- KPI values

    def _hold_back_kpi_values(self) -> None:
        """KPI values dated after the first commit's day are added later, when they come due."""
        if self.n_commits == 1:
            return
        first = self.local_day(0, 0)
        for kid in self.corpus.kpi_ids:
            rows = []
            csv_path = f"data/{kid}.csv"
            if csv_path in self.docs:
                doc = self.docs[csv_path]
                keep = [doc.lines[0]]
                for line in doc.lines[1:]:
                    if line and dt.date.fromisoformat(line[:10]) > first:
                        rows.append((dt.date.fromisoformat(line[:10]), csv_path, line))
                    else:
                        keep.append(line)
                if keep[-1] != "":
                    keep.append("")
                doc.lines = keep
            doc = self.docs[f"content/kpis/{kid}.md"]
            if "values:" in doc.lines:
                head = doc.lines.index("values:")
                at = head + 1
                while at < len(doc.lines) and VALUE_LINE.match(doc.lines[at]):
                    d = dt.date.fromisoformat(VALUE_LINE.match(doc.lines[at]).group(1))
                    if d > first:
                        rows.append((d, doc.path, doc.lines.pop(at)))
                    else:
                        at += 1
                if not VALUE_LINE.match(doc.lines[head + 1]):   # none left: empty for now
                    doc.lines[head] = "values: []"
            if rows:
                self.pending[kid] = sorted(rows)

    def _append_kpi_values(self, kid: str, day: dt.date | None, touched: dict) -> int:
        rows = self.pending[kid]
        due = [row for row in rows if day is None or row[0] <= day]
        self.pending[kid] = rows[len(due):]
        if not self.pending[kid]:
            del self.pending[kid]
        for _, path, line in due:
            doc = self.docs[path]
            if path.endswith(".csv"):
                doc.lines.insert(len(doc.lines) - 1, line)  # before the final ""
            else:
                if "values: []" in doc.lines:
                    at = doc.lines.index("values: []")
                    doc.lines[at] = "values:"
                at = doc.lines.index("values:") + 1
                while VALUE_LINE.match(doc.lines[at]):
                    at += 1
                doc.lines.insert(at, line)
            touched[path] = doc
        self.stats["kpi_values_added"] += len(due)
        return len(due)

    # ----------------------------------------------------------------- edits

    def _checkin(self, doc: Doc, frac: float, k: int, touched: dict) -> list[str]:
        r = self.r
        said = []
        for kr in r.sample(doc.krs, min(k, len(doc.krs))):
            old = doc.lines[kr.idx]
            v = kr.start + (kr.final - kr.start) * frac * r.uniform(0.9, 1.08)
            if min(kr.start, kr.target) >= 0:
                v = max(v, 0.0)
            new = _fmt(v, kr.integer)
            if new == _fmt(kr.value, kr.integer):   # every edit changes the text
                unit = 1 if kr.integer else 0.1
                step = unit if kr.target > kr.start else -unit
                if min(kr.start, kr.target) >= 0 and kr.value + step < 0:
                    step = -step
                v = kr.value + step
                new = _fmt(v, kr.integer)
            kr.value = float(new)
            doc.lines[kr.idx] = old[:old.index(": ") + 2] + new
            said.append(new)
            self.stats["current_edits"] += 1
        touched[doc.path] = doc
        return said

    def _rename(self, n: int, touched: dict, renames: list) -> str:
        r = self.r
        doc = r.choice([d for d in self.objectives if not d.renamed] or self.objectives)
        old = doc.path
        folder, name = old.rsplit("/", 1)
        if n % 2 == 0:   # a move into a subfolder named after the owner: the id stays the file name
            owner = next(line[7:] for line in doc.lines if line.startswith("owner: "))
            sub = re.sub(r"[^a-z0-9]+", "-", json.loads(owner).lower() if owner.startswith('"') else owner)
            new = f"{folder}/{sub.strip('-')}/{name}"
            subject = f"Move {doc.oid} into {sub.strip('-')}/"
        else:            # a longer file name; an id: line keeps the id
            title = json.loads(next(line[7:] for line in doc.lines if line.startswith("title: ")))
            words = re.sub(r"[^a-z0-9]+", " ", title.lower()).split()[:5]
            new = f"{folder}/{doc.oid}-{'-'.join(words)}.md"
            if not doc.lines[1].startswith("id: "):
                doc.lines.insert(1, f"id: {doc.oid}")
                doc.shift(1, 1)
            touched[new] = doc
            subject = f"Rename {name} to a descriptive file name"
        doc.path = new
        doc.renamed = True
        del self.docs[old]
        self.docs[new] = doc
        renames.append((old, new))
        self.stats["renames"] += 1
        return subject

    def plan(self, i: int) -> tuple[str, dict, list]:
        """Apply commit i's edits; return (message, {path: doc} touched, [(old, new)] renames)."""
        r = self.r
        t, tz = self.times[i]
        frac = (t - START.timestamp()) / (END - START).total_seconds()
        day = self.local_day(i, tz)
        touched: dict[str, Doc] = {}
        renames: list = []
        last = i == self.n_commits - 1
        due = [kid for kid, rows in self.pending.items() if rows[0][0] <= day]
        roll = r.random()
        if i % RENAME_EVERY == 0:
            msg = self._rename(i // RENAME_EVERY, touched, renames)
        elif due and roll < 0.3:
            kid = min(due, key=lambda k: (self.pending[k][0][0], k))
            dates = sorted({row[0].isoformat() for row in self.pending[kid] if row[0] <= day})
            self._append_kpi_values(kid, day, touched)
            self.stats["kpi_commits"] += 1
            msg = f"{kid}: add value{'s' * (len(dates) > 1)} for {', '.join(dates)}"
        elif (roll := r.random()) < 0.08:
            doc = r.choice(self.objectives)
            at = len(doc.lines) - 1   # before the final "" (text ends with a newline)
            doc.lines[at:at] = ["", f"Update {day.isoformat()}: {r.choice(UPDATE_NOTES)}"]
            touched[doc.path] = doc
            self.stats["body_edits"] += 1
            msg = f"{doc.oid}: update the description"
        elif roll < 0.11 and any(d.done for d in self.binary):
            doc = r.choice([d for d in self.binary if d.done])
            idx = doc.done.pop(r.randrange(len(doc.done)))
            doc.lines[idx] = doc.lines[idx].replace("done: false", "done: true")
            touched[doc.path] = doc
            self.stats["done_flips"] += 1
            msg = f"{doc.oid}: milestone done"
        else:
            doc = r.choice(self.numeric)
            roll = r.random()
            k = 1 if roll < 0.6 else 2 if roll < 0.9 else 3
            said = self._checkin(doc, frac, k, touched)
            names = [doc.oid]
            if r.random() < 0.15:
                other = r.choice(self.numeric)
                if other is not doc:
                    self._checkin(other, frac, 1, touched)
                    names.append(other.oid)
            self.stats["checkins"] += 1
            msg = f"Check-in {', '.join(names)}: {' / '.join(said)}"
            if r.random() < 0.1:
                msg += "\n\nNumbers from the Monday review."
        if last:   # everything not yet committed goes into the last commit
            for kid in list(self.pending):
                self._append_kpi_values(kid, None, touched)
        return msg, touched, renames

    # ----------------------------------------------------------------- output

    def stream(self, out) -> None:
        """Write the fast-import stream for every commit to the binary file ``out``."""
        def data(b: bytes) -> None:
            out.write(b"data %d\n" % len(b))
            out.write(b)
            out.write(b"\n")

        out.write(b"feature done\n")
        for i in range(self.n_commits):
            t, _ = self.times[i]
            if i == 0:
                name, email, tz = AUTHORS[0]
                msg, touched, renames = "Add the goals repository", dict(self.docs), []
            else:
                name, email, tz = self.r.choice(AUTHORS)
                self.times[i] = (t, tz)
                msg, touched, renames = self.plan(i)
            who = f"{name} <{email}> {t} {_tz(tz)}".encode()
            out.write(f"commit refs/heads/{BRANCH}\n".encode())
            out.write(b"author " + who + b"\ncommitter " + who + b"\n")
            data(msg.encode() + b"\n")
            for old, new in renames:
                out.write(f"R {old} {new}\n".encode())
            for path in sorted(touched):
                out.write(f"M 100644 inline {path}\n".encode())
                data(touched[path].text().encode())
            out.write(b"\n")
        out.write(b"done\n")


def _git_env() -> dict:
    env = dict(os.environ)
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C",
                "GIT_TERMINAL_PROMPT": "0"})
    return env


def _prepare(outdir: str) -> None:
    if os.path.isdir(outdir) and os.listdir(outdir):
        if not os.path.exists(os.path.join(outdir, ".git", STAMP)):
            raise SystemExit(f"{outdir} is not empty and not an earlier gen_history output; "
                             "give a new or empty directory")
        shutil.rmtree(outdir)
    os.makedirs(outdir, exist_ok=True)


def generate_history(n_files: int, n_commits: int, outdir, seed: int = 1) -> dict:
    """Create the repository in ``outdir``; returns counts (see ``Timeline.stats``) and ``head``."""
    outdir = os.fspath(outdir)
    hist = Timeline(n_files, n_commits, seed)
    _prepare(outdir)
    env = _git_env()
    subprocess.run(["git", "init", "-q", "-b", BRANCH, outdir], check=True, env=env)
    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--date-format=raw"], cwd=outdir,
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        hist.stream(proc.stdin)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    err = proc.stderr.read().decode(errors="replace")
    if proc.wait() != 0:
        raise RuntimeError(f"git fast-import failed: {err.strip()}")
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=outdir, check=True, env=env)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=outdir, check=True, env=env,
                          capture_output=True, text=True).stdout.strip()
    stats = dict(hist.stats)
    stats["files"] = len(hist.docs)
    stats["head"] = head
    with open(os.path.join(outdir, ".git", STAMP), "w", encoding="utf-8") as f:
        json.dump({"params": [n_files, n_commits, seed], "generator": generator_digest(),
                   "stats": stats}, f)
    return stats


def generator_digest() -> str:
    h = hashlib.sha256()
    for mod in (__file__, gen_corpus.__file__):
        with open(mod, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def cache_path(n_files: int, n_commits: int, seed: int = 1) -> str:
    return os.path.join(CACHE, f"history-{n_files}f-{n_commits}c-seed{seed}")


def cached_history(n_files: int, n_commits: int, seed: int = 1) -> tuple[str, dict, float | None]:
    """(repository path, stats, generation seconds or None when reused) under bench/.cache/.

    The cache is reused when this script and gen_corpus.py are unchanged and HEAD and the work
    tree are as they were made (the stamp records HEAD; a dirty work tree means regenerating)."""
    path = cache_path(n_files, n_commits, seed)
    try:
        with open(os.path.join(path, ".git", STAMP), encoding="utf-8") as f:
            stamp = json.load(f)
        env = _git_env()
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, env=env, check=False,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=path, env=env, check=False,
                               capture_output=True, text=True).stdout.strip()
        if (stamp.get("generator") == generator_digest() and stamp["params"] == [n_files, n_commits, seed]
                and head == stamp["stats"]["head"] and not dirty):
            return path, stamp["stats"], None
    except (OSError, ValueError, KeyError):
        pass
    os.makedirs(CACHE, exist_ok=True)
    t0 = time.perf_counter()
    stats = generate_history(n_files, n_commits, path, seed=seed)
    return path, stats, time.perf_counter() - t0


def check(outdir, n_commits: int | None = None) -> list[str]:
    """Problems with a generated repository: `okrsite check` errors, a dirty tree, a wrong count."""
    problems = []
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([REPO] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    done = subprocess.run([sys.executable, "-m", "okrsite", "check", os.fspath(outdir)], cwd=REPO,
                          env=env, capture_output=True, text=True, check=False)
    verdict = (done.stdout + done.stderr).strip().splitlines()
    if done.returncode != 0:
        problems.append("okrsite check failed: " + "\n".join(verdict[-20:]))
    elif verdict:
        print(verdict[-1])
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=outdir, env=_git_env(),
                           capture_output=True, text=True, check=False).stdout
    if dirty.strip():
        problems.append("work tree differs from HEAD:\n" + dirty[:2000])
    count = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=outdir, env=_git_env(),
                           capture_output=True, text=True, check=False).stdout.strip()
    if n_commits is not None and count != str(n_commits):
        problems.append(f"{count} commits, expected {n_commits}")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n_files", type=int, help="goal files (objectives + KPIs), e.g. 1000")
    ap.add_argument("n_commits", type=int, help="commits, e.g. 10000")
    ap.add_argument("outdir", help="directory for the repository (missing, empty, or an earlier output)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check", action="store_true",
                    help="afterwards run `okrsite check`, and check the work tree and the commit count")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    s = generate_history(args.n_files, args.n_commits, args.outdir, seed=args.seed)
    secs = time.perf_counter() - t0
    print(f"wrote {args.outdir} in {secs:.2f}s: {s['commits']} commits (HEAD {s['head'][:12]}), "
          f"{s['files']} files, {s['goal_files']} goal files ({s['objectives']} objectives, "
          f"{s['kpis']} KPIs); {s['checkins']} check-ins ({s['current_edits']} current: edits), "
          f"{s['done_flips']} done flips, {s['body_edits']} body edits, {s['kpi_commits']} KPI "
          f"commits ({s['kpi_values_added']} values), {s['renames']} renames")
    if args.check:
        problems = check(args.outdir, args.n_commits)
        for p in problems:
            print(p, file=sys.stderr)
        print(f"check: {len(problems)} problem(s)")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
