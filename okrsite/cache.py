"""The build cache: what one build remembers for the next, in SITE/.okrsite-cache/ (docs/build-cache.md).

Parts, one file each, each replaced atomically (written beside, then renamed), so a build killed
at any moment leaves every part as the last build that finished writing it left it. A part is
pickled into the file beside as it is made (okrs.json's shards while okrs.json is written, the
bodies as they are rendered), never held whole as bytes: at 100,000 objectives that was 600 MB.

- ``inputs``: every input file's stat and content hash.
- ``parsed-0`` … ``parsed-15``: what each goals file was read into (front matter, body, links) and
  parsed into (an objective, a KPI, ...) with the diagnostics of both, a KPI also with the hash of its
  CSV file; in sixteen shards by path, so that an edit rewrites one. Read back, a file's front matter
  and the lines of its keys stay pickled until asked for (_kept_doc), and the model's dataclasses are
  made by their constructors (goals/pickling.py): in half the memory of objects unpickled by their attributes.
- ``linked``: what linking found (goals/link.py: link_keeping): the relations (people, periods, children,
  KPI links, sub-teams, follows), the cycles and diagnostics, each file's content hash and each entity's
  shape digest, by the settings: a build whose edited files keep their shapes and have no diagnostics of
  linking takes it as it is (Remembering.link). Saved when everything was linked again.
- ``templates``: the theme's templates as Jinja compiled them.
- ``markdown``: bodies rendered to HTML, by the hash of the text, the page's depth and the link targets;
  read by key (Indexed): a warm build reads the bodies of the pages it renders, not the part.
- ``history``: the git log up to the last commit read, parsed, and the data of every version read from it;
  ``history-since``: what was read after it (the commits since, the versions it lacks), up to HISTORY_SINCE commits.
- ``okrs-0`` … ``okrs-15``: the text of each objective and KPI in okrs.json with its record (web/pagedigest.py),
  read by key as okrs.json is written.
- ``scores-0`` … ``scores-15``: the score of each objective whose own key results score, with the digests of
  the objective and of the KPIs its key results name, and with git history of their files' versions (the
  part's key: settings and date, and with git history how deep it is);
  a key result's check-ins as how many of the model's key result's it counts (_by_reference), not as copies.
- ``entities``: the digest of each objective, KPI, team and page (part of its record), by its file, with
  what it was made from (the file's hash, the settings, its CSV file's hash).
- ``pages``: the digest of every output file (web/pagedigest.py) and the stat of the file written for it.
- ``page-ids``: the digest of each page whose ids follow from their records (web/pagedigest.py: KeptDigests),
  with those ids and their records: a page whose ids all have the same records keeps its digest. Saved as
  soon as every digest is made, before the pages are written (a build stopped while writing leaves it: each
  kept digest follows from its ids, their records and the context alone).
- ``search-index``: the search index's digest (web/pagedigest.py: search_index_digest), read before the
  pages' digests: when it is the last build's, the index is not made early, its file being kept; with it,
  each object's part of that digest by the object's record digest, so that an edit digests its own
  object's entries again, not every object's.
- ``cuts``: which pages the long lists are cut into, each period's map plan and the objectives with maps
  of their own, as ids (web/cuts.py), by the digest of the site's structure they are made of: a build
  whose site has the same structure takes them (take_cuts) before the write plan asks for them.
- ``build``: the fingerprint of the last successful build's inputs, its report and summary, and the stat
  of every file and folder it wrote: a build whose fingerprint and output are unchanged is done.

Nothing is trusted that is not checked: a file is read again when its size, times or inode changed
(or changed within two seconds of being looked at), a page is kept only when its digest and the file
in the output are what the last build left, and a part from another okrsite (its version and a
digest of its code), a damaged, truncated or foreign one, or a cache folder that cannot be read is
ignored with one note, and made again or removed by the build that found it (Store.unusable). Parts
are pickles read back with only okrsite's model classes and dates allowed. A part read by key is
checked whole (its hash streamed) when it is opened, and each item against its key when it is read.

A build with nothing changed needs only what BuildCache opens with, imported at the top (which files
a site has, which commit is checked out, the theme's folders): what reads, parses, scores and renders
goals is imported by the method that uses it ("a stage's" below), so that such a build loads neither
Jinja2, PyYAML nor markdown-it (tests/test_build.py).
"""

from __future__ import annotations

import copyreg
import hashlib
import importlib.util
import io
import json
import os
import pickle
import sys
import time
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Iterable

from . import __version__
from .goals.diagnostics import Diagnostic, Report
from .goals.files import SETTINGS_FILE, content_digest, linked_folder_warnings, markdown_paths, name_warnings, relative, signature, too_recent
from .goals.clock import today
from .git.worktree import find_repository, git_settings, mailmap, partial_clone, shallow_boundary
from .web.theme import THEME_FOLDERS, misplaced_theme_files, theme_dirs, theme_folders_outside, unusable_theme_folders, usable_theme_file

if TYPE_CHECKING:  # stages: see the module's docstring
    from .goals.config import Settings
    from .goals.load import SourceDoc
    from .goals.model import Site
    from .git.checkins import Logs
    from .git.history import History, Remembered
    from .web.pagedigest import Entities, KeptDigests, Records
    from .web.write import Earlier, Listing, Stat, Written

CACHE_DIR = ".okrsite-cache"
FORMAT = 1
_MAGIC = b"okrsite build cache\n"
READ_APART_FROM = 1000  # files new to the cache; below this, forking workers to read them costs more than they save
READ_SPAN = 100  # files a worker reads per request
_IGNORE_ALL = "# okrsite's build cache: made by every build, never committed\n*\n"
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# okrsite's build cache (https://bford.info/cachedir/)\n"


LIBRARIES = {"Jinja2": "jinja2", "MarkupSafe": "markupsafe", "markdown-it-py": "markdown_it", "PyYAML": "yaml", "nh3": "nh3"}  # and their modules


@lru_cache(maxsize=1)
def code_version() -> str:
    """okrsite's version and a digest of its code and of the libraries that shape its output: a cache
    made by any other okrsite is not used, even one with the same version number."""
    digest = hashlib.blake2b(digest_size=16)
    package = os.path.dirname(os.path.realpath(__file__))
    for rel, path in _sources(package):
        with open(path, "rb") as file:
            digest.update(rel.encode() + b"\0" + file.read() + b"\0")
    libraries = [f"{name} {library_version(name, module)}" for name, module in LIBRARIES.items()]
    digest.update(repr((FORMAT, sys.version, sys.byteorder, libraries)).encode())
    return f"{__version__}+{digest.hexdigest()[:20]}"


def _sources(package: str) -> list[tuple[str, str]]:
    """Every .py file of the package by its path in it (with /), in order."""
    found = []
    for folder, folders, names in os.walk(package):
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in names:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                found.append((os.path.relpath(path, package).replace(os.sep, "/"), path))
    return sorted(found)


def library_version(distribution: str, module: str) -> str:
    """The version of the library that ``module`` is imported from ("-": none), by the name of the
    dist-info (or egg-info) folder beside it, without importing it; importlib.metadata where there is
    none (it costs more to import than a build with nothing changed takes to check a thousand files)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return "-"
    if spec.origin and spec.has_location:
        folder = os.path.dirname(os.path.dirname(spec.origin) if spec.submodule_search_locations is not None else spec.origin)
        wanted = _normal(distribution)
        try:
            found = sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")) and _normal(name.partition("-")[0]) == wanted)
        except OSError:
            found = []
        if found:
            return ",".join(name.rpartition(".")[0].partition("-")[2] for name in found)
    from importlib import metadata  # an unusual install: its own finder knows

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


DIGEST_SIZE = len(content_digest(b""))  # bytes of a file's content hash


def _hash(data: bytes) -> bytes:
    return content_digest(data)


KEY_FILE = "okrsite/cache-key"


def key_path() -> Path | None:
    """Where this user's key is kept, as the XDG base directory spec says: $XDG_CACHE_HOME when it is
    an absolute path (a relative one is ignored: it would put the key in whatever folder a build runs
    in, a goals repository), else ~/.cache. None without a home to keep it in (HOME empty and no
    account's home, or the file system's root): the build then runs without its cache."""
    cache_home = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(cache_home):
        return Path(cache_home) / KEY_FILE
    home = os.environ.get("HOME") or _account_home()
    if not home or not os.path.isabs(home) or Path(home) == Path(home).parent:
        return None
    return Path(home) / ".cache" / KEY_FILE


def _account_home() -> str | None:
    """The home folder of the user's account, for HOME unset or empty."""
    try:
        import pwd
    except ImportError:  # Windows: Path.home() reads USERPROFILE
        return str(Path.home())
    try:
        return pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:  # a uid with no account (a CI container's)
        return None


def signing_key(make: bool = True) -> bytes | None:
    """This user's key for signing cache parts, made on first use (in ~/.cache/okrsite/, never in a
    site): a part committed to a repository, copied from elsewhere or written by anyone but this user
    does not verify, and is never read. None when no key can be kept (without ``make``: none is kept
    yet, as for a check, which only reads: a cache this user made has one)."""
    path = key_path()
    return _key_at(path, make) if path is not None else None


@lru_cache(maxsize=8)
def _key_at(path: Path, make: bool = True) -> bytes | None:
    """The key kept at ``path``, read once: by the place, so that a process whose HOME or
    XDG_CACHE_HOME changes (a test, a tool calling build) signs with the key of the place it names."""
    try:
        return path.read_bytes()[:64] or None
    except FileNotFoundError:
        if not make:
            return None
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        made = os.urandom(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(made)
        return made
    except FileExistsError:  # made by another build this very moment
        return path.read_bytes()[:64] or None
    except OSError:
        return None


def _mac(key: bytes, header: dict, payload: bytes | memoryview) -> str:
    return _seal(key, header, hashlib.blake2b(payload, digest_size=32).digest())


def _seal(key: bytes, header: dict, payload_hash: bytes) -> str:
    """The signature of a part: its header's fields and the hash of its payload, with this user's key
    (the payload's hash, not the payload: a part is signed as it is written, in pieces)."""
    signed = json.dumps({name: header.get(name) for name in ("format", "okrsite", "part", "key", "size", "items", "index")}, sort_keys=True).encode()
    return hashlib.blake2b(signed + b"\0" + payload_hash, key=key, digest_size=32).hexdigest()


def key_of(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_ALLOWED = {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}
_ALLOWED |= {("okrsite.goals.load", "SourceDoc"), ("okrsite.goals.load", "as_written"), ("okrsite.goals.diagnostics", "Diagnostic")}
_ALLOWED |= {("okrsite.goals.model", name) for name in ("Period", "DataPoint", "KeyResult", "Objective", "KPI", "ManualHealth", "Team", "Page", "Person")}
_ALLOWED |= {("okrsite.git.history", "Commit"), ("okrsite.git.checkins", "Rescope")}
_ALLOWED |= {("okrsite.numbers.compute", "ObjectiveScore"), ("okrsite.numbers.compute", "KRScore")}
_ALLOWED |= {("okrsite.numbers.forecast", "KRForecast"), ("okrsite.numbers.forecast", "ObjectiveForecast"), ("okrsite.numbers.awaited", "Awaited")}
_ALLOWED |= {("okrsite.cache", "_kept_doc")}  # a document kept packed: its arguments are plain values


class _Packed:
    """A document's front matter as the cache holds it, pickled (SourceDoc unpacks it when first asked
    for): 100,000 files' front matter dicts are about 300 MB in memory, and a warm build reads few."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def unpack(self) -> Any:
        return _Unpickler(io.BytesIO(self.data)).load()


def _named(key: Any) -> bool:
    """A key that writes a person's name (an owner, a lead, a member): where each name is first written
    is looked up for every document of every build (goals/link.py: _mentions)."""
    if type(key) is not tuple:
        return False
    size = len(key)
    if size == 3:
        return key[2] == "owner" and key[0] == "key_results"
    return key[0] == "members" if size == 2 else size == 1 and key[0] in ("owner", "lead")


class _Lines(Mapping):
    """A kept document's line of every key: those of names at hand, the rest pickled and unpacked when
    first asked for (most never are: 100,000 files' lines are about 400 MB in memory)."""

    __slots__ = ("names", "packed", "_all")

    def __init__(self, names: dict, packed: bytes) -> None:
        self.names, self.packed, self._all = names, packed, None

    def __getitem__(self, key: Any) -> int:
        found = self.names.get(key)
        if found is not None:
            return found
        if _named(key):
            raise KeyError(key)
        return self.unpacked()[key]

    def __contains__(self, key: object) -> bool:
        return key in self.names or (not _named(key) and key in self.unpacked())

    def get(self, key: Any, default: Any = None) -> Any:
        """A name's line without unpacking the rest (goals/link.py looks one up for every key result)."""
        found = self.names.get(key)
        if found is not None:
            return found
        return default if _named(key) else self.unpacked().get(key, default)

    def __iter__(self) -> Iterator:
        return iter(self.unpacked())

    def __len__(self) -> int:
        return len(self.unpacked())

    def unpacked(self) -> dict:
        if self._all is None:
            self._all, self.packed = _Unpickler(io.BytesIO(self.packed)).load(), b""
        return self._all


def _kept_doc(path: str, kind: str, body: str, body_line: int, meta: bytes, names: dict, lines: bytes, bare_words: dict | None = None) -> SourceDoc:
    from .goals.load import SourceDoc  # a stage's
    doc, put = object.__new__(SourceDoc), object.__setattr__  # put one by one: a loop over pairs costs twice this (10,000 files: 12 ms)
    put(doc, "path", path)
    put(doc, "kind", kind)
    put(doc, "lines", _Lines(names, lines))
    put(doc, "body", body)
    put(doc, "body_line", body_line)
    put(doc, "bare_words", bare_words)
    put(doc, "_packed", _Packed(meta))
    return doc


def _packed_doc(doc: SourceDoc) -> tuple:
    """A document's front matter and lines pickled apart, each as it was read when still packed."""
    packed = getattr(doc, "_packed", None)
    meta = packed.data if packed is not None else _pickled(doc.meta)
    lines = doc.lines
    if isinstance(lines, _Lines) and lines._all is None:
        names, data = lines.names, lines.packed
    else:
        names, data = {key: line for key, line in lines.items() if _named(key)}, _pickled(dict(lines))
    return _kept_doc, (doc.path, doc.kind, doc.body, doc.body_line, meta, names, data, doc.bare_words)


def _pickled(value: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _reducers()
    pickler.dump(value)
    return buffer.getvalue()


class _Unpickler(pickle.Unpickler):
    """Only okrsite's model classes and dates: a cache file is data, never code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not something a build cache holds")


@lru_cache(maxsize=1)
def _reducers() -> dict:
    """How a part pickles the model: SourceDoc packed, every other frozen dataclass by its constructor."""
    from .goals.load import SourceDoc  # a stage's
    from .goals.pickling import by_fields
    return {**copyreg.dispatch_table, SourceDoc: _packed_doc, **{cls: by_fields(cls, names) for cls, names in _model_fields().items()}}


@lru_cache(maxsize=1)
def _by_constructor() -> dict:
    """How a worker pickles the documents it read: by their constructor (SourceDoc's __getattr__ is
    slow to be asked for the __setstate__ it has not)."""
    from .goals.load import SourceDoc  # a stage's
    return {**copyreg.dispatch_table, SourceDoc: lambda doc: (SourceDoc, (doc.path, doc.kind, doc.meta, doc.lines, doc.body, doc.body_line, doc.bare_words))}


@lru_cache(maxsize=1)
def _model_fields() -> dict[type, tuple[str, ...]]:
    """Each frozen dataclass a part holds, with the names of its fields in the constructor's order."""
    from .git.checkins import Rescope
    from .git.history import Commit
    from .goals.diagnostics import Diagnostic
    from .goals.pickling import init_fields
    from .goals.model import DataPoint, KeyResult, KPI, ManualHealth, Objective, Page, Period, Person, Team
    from .numbers.awaited import Awaited
    from .numbers.compute import KRScore, ObjectiveScore
    from .numbers.forecast import KRForecast, ObjectiveForecast
    classes = (Commit, Rescope, Diagnostic, DataPoint, KeyResult, KPI, ManualHealth, Objective, Page, Period, Person, Team, KRScore, ObjectiveScore,
               KRForecast, ObjectiveForecast, Awaited)
    return {cls: init_fields(cls) for cls in classes}


REBUILT = "this build makes it again"  # what a build does about a fault of its cache (Store.fault)
NOT_USED = "this build runs without it"  # ... about a cache it cannot keep at all
READ_INSTEAD = "the check reads the files instead"  # what a check, which only reads the cache, does about a fault of it


class Store:
    """The cache folder: parts loaded whole or read by key, written as they are made, every fault turned into one note.
    A build's (``writes``) removes a part it cannot use; a check's only reads."""

    def __init__(self, folder: Path | None, key: bytes = b"", writes: bool = True) -> None:
        self.folder, self.key, self.writes = folder, key, writes
        self.remedy = (REBUILT if folder is not None else NOT_USED) if writes else READ_INSTEAD
        self.notes: list[str] = []
        self.writers: list[PartWriter] = []
        self.opened: list[Indexed] = []
        self.committed: set[str] = set()  # the parts this store wrote anew

    def fault(self, what: str, remedy: str | None = None) -> None:
        """One note per build, however many parts are at fault: the first says what, and what the build
        does about it (``remedy``: the store's, unless said)."""
        if not self.notes:
            self.notes.append(f"the build cache {CACHE_DIR}/ {what}; {remedy or self.remedy}")

    def unusable(self, part: str, what: str) -> None:
        """A part that cannot be used: the note (``what``), and in a build the part's file removed, unless
        this store wrote it anew (a part read item by item is the file it opened: the preview reads on
        after it saved). A build writes only the parts that changed, so one it never writes again (the
        shard of files gone since) would otherwise be the note of every build and check after it (QA).
        Gone, a part is what it is to this build already: nothing known, so a build stopped before it
        writes the part anew leaves a usable cache."""
        self.fault(what)
        if self.writes and self.folder is not None and part not in self.committed:
            try:
                (self.folder / f"{part}.cache").unlink(missing_ok=True)
            except OSError:
                pass

    def load(self, part: str, key: str) -> Any:
        """The part's value when it was saved by this okrsite with this key, else None."""
        if self.folder is None:
            return None
        path = self.folder / f"{part}.cache"
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.unusable(part, f"cannot be read ({part}.cache: {exc.strerror or exc})")
            return None
        return self._value(part, raw, key)

    def _value(self, part: str, raw: bytes, key: str) -> Any:
        found = self._header(part, raw, len(raw))
        if found is None:
            return None
        header, start = found
        with memoryview(raw) as whole:
            signed = header.get("mac") == _mac(self.key, header, whole[start:])
        if not signed:
            self.unusable(part, f"is damaged, or was made by another user or on another machine ({part}.cache)")
            return None
        if header.get("key") != key:
            return None  # made for other settings, theme or date: not a fault
        try:
            payload = io.BytesIO(raw)  # shares raw's memory: a part is never held twice
            payload.seek(start)
            if not header.get("items"):
                return _Unpickler(payload).load()
            items = []
            while payload.tell() < len(raw):
                items.append(_Unpickler(payload).load())
            return items
        except Exception:  # whatever the bytes: a damaged part is never a traceback
            self.unusable(part, f"is damaged ({part}.cache)")
            return None

    def _header(self, part: str, raw: bytes, length: int) -> tuple[dict, int] | None:
        """The header of a part whose first bytes are ``raw`` and whose file is ``length`` bytes long, with
        where its payload starts: when okrsite wrote it, this okrsite, and it is whole (else one note)."""
        if not raw.startswith(_MAGIC):
            self.unusable(part, f"holds a file okrsite did not write ({part}.cache)")
            return None
        end = raw.find(b"\n", len(_MAGIC))
        try:
            header = json.loads(raw[len(_MAGIC):end]) if end >= 0 else None
        except ValueError:
            header = None
        if not isinstance(header, dict):
            self.unusable(part, f"is damaged ({part}.cache)")
            return None
        if header.get("okrsite") != code_version():
            self.unusable(part, f"was made by another version of okrsite ({header.get('okrsite')!s:.40})")
            return None
        start = end + 1
        if header.get("size") != length - start:
            self.unusable(part, f"is truncated ({part}.cache)")
            return None
        return header, start

    def open_indexed(self, part: str, key: str) -> Indexed | None:
        """A part written with an index of its items (PartWriter.commit's ``index``), open for reading
        item by item: its whole file is checked against its signature as it is streamed through, and
        only its index is loaded. None (and one note when at fault) when it cannot be used."""
        if self.folder is None:
            return None
        try:
            file = open(self.folder / f"{part}.cache", "rb")
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.unusable(part, f"cannot be read ({part}.cache: {exc.strerror or exc})")
            return None
        try:
            found = self._header(part, file.read(len(_MAGIC) + _HEADER_WIDTH + 1), os.fstat(file.fileno()).st_size)
            if found is None:
                return _closed(file)
            header, start = found
            streamed = hashlib.blake2b(digest_size=32)
            file.seek(start)
            while chunk := file.read(1 << 20):
                streamed.update(chunk)
            if header.get("mac") != _seal(self.key, header, streamed.digest()):
                self.unusable(part, f"is damaged, or was made by another user or on another machine ({part}.cache)")
                return _closed(file)
            if header.get("key") != key:
                return _closed(file)  # made for other settings, theme or date: not a fault
            at = header.get("index")
            if not isinstance(at, int) or not 0 <= at < header["size"]:
                raise ValueError("no index")
            index = _Unpickler(io.BytesIO(_read_at(file, header["size"] - at, start + at))).load()
            indexed = Indexed(self, part, file, start, _index_entries(index))
            self.opened.append(indexed)
            return indexed
        except Exception as exc:  # whatever the bytes: a damaged part is never a traceback
            self.unusable(part, f"cannot be read ({part}.cache: {exc.strerror or exc})" if isinstance(exc, OSError) else f"is damaged ({part}.cache)")
            return _closed(file)

    def save(self, part: str, key: str, value: Any) -> None:
        """The part ``value``, pickled straight into its file: never held as bytes as well."""
        writer = self.writer(part, key, items=False)
        if writer is not None:
            writer.add(value)
            writer.commit()

    def writer(self, part: str, key: str, items: bool = True) -> PartWriter | None:
        """A part written as it is made, item after item (``items``: loaded back as their list; else one
        value), in a file beside it that replaces it once committed; None when the cache cannot be written."""
        if self.folder is None:
            return None
        try:
            self._prepare()
            writer = PartWriter(self, part, key, items)
        except OSError as exc:
            self.cannot_write(exc)
            return None
        self.writers.append(writer)
        return writer

    def cannot_write(self, exc: BaseException) -> None:
        self.fault(f"cannot be written ({getattr(exc, 'strerror', None) or exc})", "this build runs without it")
        self.folder = None
        self.discard()

    def discard(self) -> None:
        """Every part begun and not committed is not written (a build that stopped)."""
        for writer in list(self.writers):
            writer.abandon()

    def close(self) -> None:
        """The parts read item by item let go: a process may build many times."""
        for indexed in self.opened:
            indexed.file.close()
        self.opened.clear()

    def _prepare(self) -> None:
        """The folder, with a .gitignore of its own (so git ignores it even where the repository's does
        not say so) and the CACHEDIR.TAG backup tools skip, each written again when it is not okrsite's
        (a changed .gitignore would let `git add -A` commit the whole cache)."""
        self.folder.mkdir(exist_ok=True)
        for name, text in ((".gitignore", _IGNORE_ALL), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            path = self.folder / name
            try:
                kept = path.read_bytes() == text.encode() and not path.is_symlink()
            except OSError:
                kept = False
            if not kept:
                try:
                    path.unlink(missing_ok=True)
                    path.write_text(text)
                except OSError:  # a folder of that name: the cache still works, git may see it
                    pass
        self._remove_leftovers()

    def _remove_leftovers(self) -> None:
        """The part files of builds killed while saving: another process's, last written an hour or more
        before now as the file system dates files (_file_system_now), so that neither a process clock
        ahead of it (faketime, a network share whose server lags) nor one behind takes a live build's
        half-written part for a leftover (QA EK)."""
        now = _file_system_now(self.folder)
        mine = f".{os.getpid()}-"
        for leftover in self.folder.glob(".*.tmp"):
            try:
                if mine not in leftover.name and now - leftover.stat().st_mtime > LEFTOVER_AGE:
                    leftover.unlink()
            except OSError:
                pass


LEFTOVER_AGE = 3600  # seconds a part file stays unwritten before it is a killed build's


def _file_system_now(folder: Path) -> float:
    """Now by the clock that dates ``folder``'s files: its own time set to now by the file system
    (on a network share, the server's), not this process's clock; the latter where it cannot be set."""
    try:
        os.utime(folder)
        return folder.stat().st_mtime
    except OSError:
        return time.time()


_HEADER_WIDTH = 511  # the header's line, padded with spaces: it is written last, over the blank one written first


class PartWriter:
    """A part being written: a blank header line, then each item pickled into the file as it comes and
    hashed on its way; committed, the header is written with the size and signature and the file
    replaces the part. Until then (a build killed or stopped) the part is the last build's."""

    def __init__(self, store: Store, part: str, key: str, items: bool) -> None:
        self.store, self.part, self.key, self.items = store, part, key, items
        self.temp = store.folder / f".{part}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
        self.file = open(self.temp, "wb")
        self.file.write(_MAGIC + b" " * _HEADER_WIDTH + b"\n")
        self.hash = hashlib.blake2b(digest_size=32)
        self.size = 0

    def write(self, data: bytes | memoryview) -> None:
        """What pickle writes: counted, hashed and written on."""
        self.hash.update(data)
        self.size += len(data)
        self.file.write(data)

    def add(self, item: Any) -> tuple[int, int]:
        """The item pickled on; where it sits in the payload (offset, length)."""
        at = self.size
        if self.file is None:
            return at, 0
        try:
            pickler = pickle.Pickler(self, protocol=5)  # a pickle of its own per item: no memo holds them
            pickler.dispatch_table = _reducers()
            pickler.dump(item)
        except (OSError, pickle.PicklingError, RecursionError) as exc:
            self.store.cannot_write(exc)
        return at, self.size - at

    def copy(self, pickled: bytes) -> tuple[int, int]:
        """An item as another part of the same kind holds it (its pickle, as read): where it now sits."""
        at = self.size
        if self.file is not None:
            try:
                self.write(pickled)
            except OSError as exc:
                self.store.cannot_write(exc)
        return at, self.size - at

    def commit(self, index: dict | None = None) -> None:
        """With an ``index`` (each item's key → where it sits, and what Indexed keeps of it), the part can
        be read item by item (Store.open_indexed): the index is its last item, and its header says where."""
        if self.file is None:
            return
        try:
            header = {"format": FORMAT, "okrsite": code_version(), "part": self.part, "key": self.key, "size": self.size}
            if self.items:
                header["items"] = True
            if index is not None:
                header["index"] = self.add(index)[0]
                header["size"] = self.size
                if self.file is None:
                    return
            header["mac"] = _seal(self.store.key, header, self.hash.digest())
            line = json.dumps(header).encode()
            if len(line) > _HEADER_WIDTH:
                raise OSError(f"the header of {self.part}.cache is too long")
            self.file.seek(len(_MAGIC))
            self.file.write(line.ljust(_HEADER_WIDTH))
            self.file.close()
            self.file = None
            os.replace(self.temp, self.store.folder / f"{self.part}.cache")
            self.store.committed.add(self.part)
        except OSError as exc:
            self.store.cannot_write(exc)
        finally:
            self.abandon()

    def abandon(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        try:
            self.temp.unlink(missing_ok=True)
        except OSError:
            pass
        if self in self.store.writers:
            self.store.writers.remove(self)


def no_key_place() -> str:
    """Why key_path found no folder, as the user set it: HOME empty, relative, or the file system's root."""
    home = os.environ.get("HOME", "")
    if not home:
        account = _account_home()
        why = f"HOME is empty or unset and your account's home is {account!r}" if account else "HOME is empty or unset"
    elif not os.path.isabs(home):
        why = f"HOME is {home!r}, a relative path"
    else:
        why = f"HOME is {home!r}, the file system's root"
    return f"no folder to keep it in: {why}, and XDG_CACHE_HOME is no absolute path; set either"


def _key_place() -> str:
    path = key_path()
    return f"{path} cannot be made" if path is not None else no_key_place()


def open_store(root: Path, writes: bool = True) -> Store:
    """The cache of the site at ``root``, for a build (``writes``) or a check, which only reads it."""
    folder = root / CACHE_DIR
    key = signing_key(make=writes)
    if key is None and writes:
        problem = f"cannot be used: there is no key to sign it with ({_key_place()})"
    elif key is None:
        problem = f"cannot be verified: there is no key of yours ({key_path() or no_key_place()}), which the build that made it would have made"
    elif os.path.lexists(folder) and not folder.is_dir():
        problem = "is not a folder (remove the file of that name)"
    else:
        return Store(folder, key, writes)
    store = Store(None, b"", writes)
    store.fault(problem)
    return store


@dataclass
class Parsed:
    """One Markdown file as the last build read and parsed it."""

    digest: bytes
    doc: SourceDoc | None
    read: list[Diagnostic]  # load_document's diagnostics
    targets: tuple = ()  # the body's [[id]] links
    settings: str = ""  # the key of the settings it was parsed with ("": not parsed)
    entity: Any = None
    parsed: list[Diagnostic] = field(default_factory=list)
    data: tuple[str, bytes | None] | None = None  # a KPI's CSV file and its hash

    def astuple(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self))


class Files:
    """Every input file looked at in this build: its stat and content hash, read again only when its
    stat differs from the last build's (or is too recent to tell)."""

    def __init__(self, root: Path, known: dict[str, tuple] | Callable[[], dict[str, tuple]]) -> None:
        self.root, self._known = root, known
        self._prefix = os.path.join(str(root), "")
        self.hashes: dict[str, bytes | None] = {}
        self.stats: dict[str, tuple | None] = {}  # None: too recent to tell, or missing
        self.raw: dict[str, bytes] = {}
        self.looked: dict[str, tuple] = {}  # files settled found as the last build recorded them, before the first that is not
        self.now = time.time_ns()

    @property
    def known(self) -> dict[str, tuple]:
        """The last build's stat and hash of each file (given as a function: read when first needed)."""
        if callable(self._known):
            self._known = self._known()
        return self._known

    @known.setter
    def known(self, value: dict[str, tuple]) -> None:
        self._known = value

    def settled_record(self, rels: list[str]) -> tuple[str, bytes] | None:
        """The stats of ``rels`` as ``settled`` checks them (names, and the numbers as an array's bytes: a
        few objects, however many files); None unless every one of them was hashed with a stat that tells.
        A file changed too recently to tell when it was hashed (edited just before the build) is looked
        at again: kept when its stat tells now and its bytes are still the ones hashed."""
        numbers = array("q")
        now = time.time_ns()
        try:
            for rel in rels:
                found = self.stats.get(rel) or self._settled_since(rel, now)
                if found is None:
                    return None
                numbers.extend(found)
        except OverflowError:  # an inode number beyond 2**63
            return None
        return "\0".join(rels), numbers.tobytes()

    def _settled_since(self, rel: str, now: int) -> tuple | None:
        digest = self.hashes.get(rel)
        if digest is None:
            return None
        try:
            found = os.stat(self._prefix + rel)
            with open(self._prefix + rel, "rb") as file:
                same = _hash(file.read()) == digest
        except OSError:
            return None
        if not same or too_recent(found, now):
            return None
        self.stats[rel] = settled = signature(found)
        return settled

    def settled(self, rels: list[str], record: Any) -> bool:
        """Whether each of ``rels`` has the stat a last build's ``record`` (settled_record) holds, then
        each is the file that build hashed (as Files.digest takes it: stat kept only when settled)."""
        try:
            names, raw = record
            numbers = array("q")
            numbers.frombytes(raw)
            if names != "\0".join(rels) or len(numbers) != 5 * len(rels):
                return False
            prefix, stat, each = self._prefix, os.stat, iter(numbers)
            for at, (rel, recorded) in enumerate(zip(rels, zip(each, each, each, each, each))):
                if signature(stat(prefix + rel)) != recorded:
                    each = iter(numbers)
                    self.looked = dict(zip(rels[:at], zip(each, each, each, each, each)))
                    return False
            return True
        except (OSError, ValueError, TypeError):
            return False

    @property
    def seen(self) -> dict[str, tuple]:
        """What the next build compares with: each file's stat and hash."""
        return {rel: (self.stats.get(rel), digest) for rel, digest in self.hashes.items()}

    def digest(self, rel: str, keep: bool = False) -> bytes | None:
        """The content hash of the site file ``rel`` (None: missing or unreadable); with ``keep``, the
        bytes read for it are kept for ``take``."""
        if rel in self.hashes:
            return self.hashes[rel]
        path = self._prefix + rel  # a string, not a Path: a build with nothing changed stats every file
        looked = self.looked.pop(rel, None)
        try:
            found = os.stat(path) if looked is None else None  # settled stat'ed it: the stat the last build recorded, settled then
            seen = signature(found) if looked is None else looked
            old = self.known.get(rel)
            if old is not None and old[0] == seen:
                digest = old[1]
            else:
                with open(path, "rb") as file:
                    raw = file.read()
                digest = _hash(raw)
                if keep:
                    self.raw[rel] = raw
        except OSError:
            self.hashes[rel] = None
            return None
        self.hashes[rel] = digest
        if looked is not None or not too_recent(found, self.now):
            self.stats[rel] = seen
        return digest

    def found(self, rel: str, digest: bytes | None, stat: tuple | None) -> None:
        """What Files.digest found for ``rel`` in another process (a worker of Remembering._read_apart)."""
        self.hashes[rel] = digest
        if stat is not None:
            self.stats[rel] = stat

    def take(self, rel: str) -> bytes | None:
        """The bytes read for the hash, once (so that what is parsed is what was hashed)."""
        return self.raw.pop(rel, None)


class Remembering:
    """The goals Reader of a build with a cache: files unchanged since the last build are not read or
    parsed again; their documents, entities and diagnostics are the last build's."""

    def __init__(self, files: Files, earlier: Callable[[], dict[str, tuple]], listed: list[str], rels: list[str] | None = None,
                 linked: Callable[[str], tuple | None] = lambda key: None, linked_folders: list[str] = ()) -> None:
        self.files, self._earlier, self.listed, self.rels = files, earlier, listed, rels  # rels: listed relative to the root
        self._linked = linked  # the last build's linking, by the settings' key (see link)
        self.linking: tuple[str, tuple] | None = None  # this build's, for the next: (the settings' key, what it keeps)
        self.now: dict[str, Parsed] = {}
        self.changed: set[str] = set()  # the files read or parsed again, added or gone
        self.reused: dict[str, Any] = {}  # the entities taken as the last build left them, by file
        self._settings: tuple[Settings, str] | None = None
        self.parsed_apart: set[str] = set()  # files parsed as their workers' documents were taken in (not reused)
        self._linked_files: set[str] | None = None  # see data_files: made once the files are read
        self.linked_folders = linked_folders  # under content/, not read (goals.files.markdown_paths)

    def documents(self, root: Path, report: Report, settings: Settings | None = None) -> list[SourceDoc]:
        """Each file's document, the last build's where its content is the same; with ``settings``, the
        files new to the cache are read on every core the build may use when there are many of them."""
        from .goals.wikilinks import KNOWN  # a stage's (see the module's docstring)

        earlier = self._earlier()  # only now: a build with nothing changed never needs it
        self._linked_files = None
        docs = []
        KNOWN.clear()
        files = list(zip(self.listed, self.rels if self.rels is not None else relative(self.listed, root)))
        apart = self._read_apart(root, [(path, rel) for path, rel in files if rel not in earlier], settings)
        for path, rel in files:
            if apart is not None and rel not in earlier:
                digest, entry = next(apart)
            else:
                digest = self.files.digest(rel, keep=True)
                old = earlier.pop(rel, None)  # let go as it is taken: what is left is the files gone
                entry = Parsed(*old) if old is not None and digest is not None and old[0] == digest else self._fresh(root, path, rel, digest)
            if digest is not None:
                self.now[rel] = entry
            report.items.extend(entry.read)
            if entry.doc is not None:
                KNOWN[entry.doc.body] = entry.targets
                docs.append(entry.doc)
        if apart is not None:
            apart.close()  # every entry taken: the workers end
        self.changed |= earlier.keys() - self.now.keys()
        linked_folder_warnings(root, self.linked_folders, report)
        name_warnings([rel for _, rel in files], report)
        return docs

    def _fresh(self, root: Path, path: str, rel: str, digest: bytes | None) -> Parsed:
        """A file read (again): its document, the diagnostics of reading it, its [[id]] links."""
        from .goals.load import load_document  # a stage's
        from .goals.wikilinks import wikilink_targets

        self.changed.add(rel)
        read = Report()
        doc = load_document(root, Path(path), read, self.files.take(rel))
        return Parsed(digest, doc, read.items, wikilink_targets(doc.body) if doc is not None else ())

    def _read_apart(self, root: Path, files: list[tuple[str, str]], settings: Settings | None) -> Iterator[tuple[bytes | None, Parsed]] | None:
        """(hash, entry) of each of ``files``, read by forked workers (web/parallel.py) as _fresh would;
        None when they are too few or the build has one process (``settings``: its `workers`; none, one).
        The entities are parsed here, as the documents come in, not by the workers: a parsed objective
        costs more to unpickle than to parse, a document a tenth of what reading it costs."""
        from .web.parallel import can_fork, in_workers, worker_count  # a stage's

        workers = worker_count(settings, [], len(files)) if settings is not None else 1  # its notes are the build's
        if workers <= 1 or len(files) < READ_APART_FROM or not can_fork():
            return None
        self.files.known  # read here, once, not by each worker

        def work(span: tuple[int, int]) -> bytes:
            buffer = io.BytesIO()
            pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = _by_constructor()
            pickler.dump([self._read_one(root, path, rel) for path, rel in files[span[0]:span[1]]])
            return buffer.getvalue()

        spans = [(start, min(start + READ_SPAN, len(files))) for start in range(0, len(files), READ_SPAN)]
        return self._taken_in(in_workers(work, spans, min(workers, len(spans))), settings, root)

    def _read_one(self, root: Path, path: str, rel: str) -> tuple:
        """In a worker: a file's hash, its stat when it tells (see Files) and its entry."""
        digest = self.files.digest(rel, keep=True)
        return rel, digest, self.files.stats.get(rel), self._fresh(root, path, rel, digest).astuple()

    def _taken_in(self, results: Iterator[bytes], settings: Settings, root: Path) -> Iterator[tuple[bytes | None, Parsed]]:
        """The workers' entries, as documents would have made them in this process, each parsed as it is
        taken in (entity takes it): the build parses while the workers read on."""
        for pickled in results:
            for rel, digest, stat, entry in pickle.loads(pickled):  # from this build's own workers: not a cache file
                self.files.found(rel, digest, stat)
                self.changed.add(rel)
                entry = Parsed(*entry)
                if entry.doc is not None and digest is not None:
                    self._parse(entry, settings, root)
                    self.parsed_apart.add(rel)
                yield digest, entry

    def entity(self, doc: SourceDoc, settings: Settings, root: Path, report: Report):
        entry = self.now.get(doc.path)
        if entry is not None and entry.doc is not doc:
            entry = None  # read again since (the preview): nothing of the last build's holds for it
        if entry is None:
            from .goals.link import parse  # a stage's

            parsed = Report()
            entity = parse(doc, settings, root, parsed)
            report.items.extend(parsed.items)
            return entity
        if doc.path in self.parsed_apart:
            self.parsed_apart.discard(doc.path)
        elif entry.settings != self._settings_key(settings) or (entry.data is not None and self.files.digest(entry.data[0]) != entry.data[1]):
            self._parse(entry, settings, root)
        else:
            self.reused[doc.path] = entry.entity
        report.items.extend(entry.parsed)
        return entry.entity

    def link(self, entities: list, settings: Settings, report: Report) -> Site:
        """link_entities' site and diagnostics. Where the last build linked the same files in the same
        order with the same settings (the part ``linked``), and every entity but those of the files read
        or parsed again is the very one it linked, that linking is taken as it is when those few keep
        their shapes and have no diagnostics (goals/link.py: linked_as_before): at 10,000 objectives
        linking costs 0.13 s, and a check-in changes no relation. Else all is linked, and kept."""
        from .goals.link import SHAPE_SIZE, link_keeping, linked_as_before  # a stage's

        key = self._settings_key(settings)
        paths = "\0".join(entity.doc.path for entity in entities)
        kept = self._linked(key)
        in_order = kept is not None and kept[0] == paths
        at = {path: index for index, path in enumerate(kept[0].split("\0"))} if kept is not None and not in_order else {}
        reused, now = self.reused, self.now

        def was(index: int, entity) -> int | None:
            """Where the part holds ``entity`` (at ``index`` now), when it is the very one that part linked."""
            path = entity.doc.path
            found = index if in_order else at.get(path)
            entry = now.get(path)
            if found is None or reused.get(path) is not entity or entry is None or entry.digest != kept[1][found * DIGEST_SIZE:(found + 1) * DIGEST_SIZE]:
                return None
            return found

        taken = {index: found for index, entity in enumerate(entities) if (found := was(index, entity)) is not None}
        if in_order:
            site = linked_as_before(entities, settings, report, kept[2], [index for index in range(len(entities)) if index not in taken])
            if site is not None:
                return site
        shapes = kept[2][0] if kept is not None else b""
        site, linking = link_keeping(entities, settings, report,
                                     lambda index: shapes[taken[index] * SHAPE_SIZE:(taken[index] + 1) * SHAPE_SIZE] if index in taken else None)
        if linking is not None and all(entity.doc.path in now for entity in entities):
            self.linking = key, (paths, b"".join(now[entity.doc.path].digest for entity in entities), linking)
        return site

    def _parse(self, entry: Parsed, settings: Settings, root: Path) -> None:
        """The entry's entity, made with ``settings``, and the diagnostics of making it."""
        from .goals.link import parse  # a stage's

        parsed = Report()
        entity = parse(entry.doc, settings, root, parsed)
        data = self._data(root, entity)
        entry.settings, entry.entity, entry.parsed, entry.data = (self._settings_key(settings) if data is not False else ""), entity, parsed.items, data or None
        self.changed.add(entry.doc.path)

    def _settings_key(self, settings: Settings) -> str:
        """One string for every file parsed with these settings (100,000 files: not 100,000 copies)."""
        if self._settings is None or self._settings[0] is not settings:
            self._settings = (settings, key_of(settings))
        return self._settings[1]

    def _data(self, root: Path, entity) -> tuple[str, bytes] | None | bool:
        """A KPI's CSV file and its hash; False when that cannot be known for sure (a path parse
        refuses, a missing file: its message names the files that exist), then it is parsed every time."""
        from .goals.model import KPI  # a stage's

        if not isinstance(entity, KPI) or not entity.data:
            return None
        relpath = PurePosixPath(entity.data.replace("\\", "/"))
        if relpath.is_absolute() or ".." in relpath.parts or entity.data[1:2] == ":":
            return False
        try:
            resolved = (root / relpath).resolve()
            if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
                return False
        except (OSError, ValueError, RuntimeError):  # RuntimeError: a link in a loop (Python 3.11's resolve)
            return False
        digest = self.files.digest(relpath.as_posix())
        return (relpath.as_posix(), digest) if digest is not None else False

    def data_files(self) -> list[str]:
        """The files besides the goals files that a build reads: the KPIs' CSV files, and the files under
        content/ that bodies link to (copied into the site, web/plan.py: content_files), existing or not."""
        if self._linked_files is None:
            self._linked_files = _linked_files(entry.doc for entry in self.now.values())
        return sorted({entry.data[0] for entry in self.now.values() if entry.data} | self._linked_files)


def _linked_files(docs: Iterable) -> set[str]:
    """The files under content/ that the bodies and retrospectives of ``docs`` link to (not Markdown files)."""
    from .goals.wikilinks import linked_files  # a stage's: the goals are read by now

    found: set[str] = set()
    for doc in docs:
        if doc is None:
            continue
        found.update(linked_files(doc.path, doc.body))
        packed = getattr(doc, "_packed", None)  # a kept document's front matter is unpacked only when it has a retro
        if packed is None or b"retro" in packed.data:
            retro = doc.meta.get("retro")
            if isinstance(retro, str):
                found.update(linked_files(doc.path, retro))
    return found


def _link_target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def theme_files(themes: Iterable[Path]) -> list[tuple[str, Path]]:
    """Every file of every theme folder, by its place: templates and static files alike."""
    found = []
    for n, theme in enumerate(themes):
        for path in sorted(theme.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found.append((f"{n}/{path.relative_to(theme).as_posix()}", path))
    return found


def _theme_key(themes: list[Path]) -> list[tuple[str, bytes, bool]]:
    """Each theme file by its place, its bytes and whether it is used (web/theme.py: usable_theme_file): a
    link leading out of its folder replaced by the same file itself changes no byte, and the file is used
    from then on. Each folder is judged once, and a file that is no link by the folder it is in."""
    inside: dict[Path, Path | None] = {}
    within: dict[Path, bool] = {}
    key = []
    for rel, path in theme_files(themes):
        number, name = rel.split("/", 2)[:2]
        folder = themes[int(number)] / name
        if folder not in inside:
            inside[folder] = folder.resolve() if name in THEME_FOLDERS and usable_theme_file(folder, folder) else None
        used = inside[folder] is not None
        if used and path.is_symlink():
            used = path.resolve().is_relative_to(inside[folder])
        elif used:
            if path.parent not in within:
                within[path.parent] = path.parent.resolve().is_relative_to(inside[folder])
            used = within[path.parent]
        key.append((rel, _hash(path.read_bytes()), used))
    return key


def theme_links(root: Path) -> tuple:
    """Where the site's theme/, theme/templates/ and theme/static/ lead when they are links, and which of
    them lead out of the site's repository (so that none of their files is used): a link fixed to lead
    inside it holds files as they were, byte for byte, and is a change all the same."""
    theme = root / "theme"
    links = [(place.name, os.readlink(place)) for place in (theme, theme / "templates", theme / "static") if place.is_symlink()]
    return links, theme_folders_outside(root)


@dataclass
class Kept:
    """The result of a build whose inputs and output are as the last one left them."""

    report: list[Diagnostic]
    numbers: tuple  # objectives, key results, KPIs, pages
    history: str
    audience: str = "internal"
    history_gap: str = ""  # see BuildResult


def _placeless(options: dict) -> dict:
    """A build's options without where the site and its output are: no page depends on them (every link
    is relative, every file named from the site's root), so a site checked out or restored in another
    folder, as CI runners do, keeps its cache. Only "nothing changed" asks for the same output folder
    (BuildCache.unchanged: its files' stats are the last build's). Nor the as-of date, which the
    fingerprint holds apart and each page's digest as that page shows it (web/pagedigest.py: page_day)."""
    return {name: value for name, value in options.items() if name not in ("root", "out", "as_of")}


class BuildCache:
    """The cache as one build uses it: opened before anything is read, saved once the output is written.
    Only what a build with nothing changed needs is read at once; every other part when it is needed."""

    def __init__(self, root: Path, out: Path, options: dict, themes: list[Path], writes: bool = True) -> None:
        self.root, self.out = root, out
        self.store = open_store(root, writes)
        self.base = key_of(code_version(), sorted(_placeless(options).items()), _theme_key(themes),
                           unusable_theme_folders(root), misplaced_theme_files(root), theme_links(root))  # a link to nothing, a root templates/: what the build says
        self._bodies: Bodies | None = None
        self._remember: dict | None = None
        self._history_base: Remembered | None = None  # the ``history`` part as read (see save_history)
        self._as_of_given: date | None = options.get("as_of")
        self.files = Files(root, lambda: self._part("inputs", dict, {}))  # read when a file is to be hashed
        linked: list[str] = []
        listed = markdown_paths(root / "content", linked)
        self._listed = relative(listed, root)
        self._linked_folders = list(zip(relative(linked, root), map(_link_target, linked)))  # not read, and said so: a link made, moved or removed is a change
        self.reader = Remembering(self.files, self._parsed, listed, self._listed, self._linked, linked)  # one string per file for both
        earlier = self._part("build", dict, {})
        self.earlier = earlier if earlier.get("out") == str(out) else {}
        self._settings_were = _settings_entry(self.earlier.get("settings"))
        repository = find_repository(root)
        config = git_settings(repository.top) if repository is not None else []
        self._git = ((repository.shallow, repository.head, repository.prefix), partial_clone(repository.top, config), sorted(shallow_boundary(repository)),
                     mailmap(repository, config)) if repository is not None else None
        self._fingerprints: dict[tuple, str] = {}
        self._settled: tuple[str, bytes] | None = None
        self.log_inputs: Callable[[Any], bytes] | None = None  # with git history: see known_scores

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.close()

    @cached_property
    def as_of(self) -> date:
        """goals.config.shown_as_of's rule, written here so that a build with nothing changed does not
        import the settings stage."""
        return self._as_of_given or self._as_of_setting or today()

    @cached_property
    def _as_of_setting(self) -> date | None:
        """The as_of setting: the last build's when okrsite.toml is the file it read (settings are made
        of that file and okrsite's code alone), else read from it."""
        if self._settings_were is not None and self._settings_were[0] == self.files.digest(SETTINGS_FILE):
            return self._settings_were[1]
        from .goals.config import load_settings  # a stage's: only when okrsite.toml changed

        return load_settings(self.root, Report()).as_of

    def _parsed(self) -> dict[str, tuple]:
        parsed: dict[str, tuple] = {}
        for shard in range(SHARDS):
            parsed.update(self._part(f"parsed-{shard}", _parsed_entries, {}, "parsed"))
        return parsed

    def _linked(self, key: str) -> tuple | None:
        """The last build's linking (Remembering.link), when made with the settings of ``key``."""
        return self._part("linked", _linked_entry, None, key)

    def _part(self, part: str, shape: Callable[[Any], Any], empty: Any, key: str | None = None) -> Any:
        """A part, made into what the build uses by ``shape``; damaged (of the right version and
        checksum, but not of the right shape) it is one note and ``empty``."""
        value = self.store.load(part, key or part)
        if value is None:
            return empty
        try:
            return shape(value)
        except Exception:
            self.store.unusable(part, f"is damaged ({part}.cache)")
            return empty

    def _fingerprint(self, data_files: Iterable[str]) -> str:
        """Everything a build's output and report are made from: okrsite, the build's options, the theme,
        the settings (okrsite.toml), the date, the repository, and every goals file and CSV file (those the last build's
        KPIs read: while the goals files are the same, so are their CSV files' names). Made once per
        list of CSV files: a file's hash does not change within a build."""
        data_files = tuple(data_files)
        if data_files not in self._fingerprints:
            self._fingerprints[data_files] = self._fingerprint_of(data_files)
        return self._fingerprints[data_files]

    def _fingerprint_of(self, data_files: tuple[str, ...]) -> str:
        inputs = self._listed + list(data_files)
        return key_of(self.base, self.files.digest(SETTINGS_FILE), self.as_of, self._git, [(rel, self.files.digest(rel)) for rel in inputs], self._linked_folders)

    def fingerprint_now(self) -> str:
        """The fingerprint with the CSV files this build's KPIs read (known once the goals are read)."""
        return self._fingerprint(self.reader.data_files())

    def _fingerprinted(self, data_files: Iterable[str]) -> list[str]:
        """The files a fingerprint is made of (with okrsite.toml first)."""
        return [SETTINGS_FILE, *self._listed, *data_files]

    def _settled_as_before(self, earlier: dict, data_files: Iterable[str]) -> bool:
        """Whether the last build's fingerprint is this one's without hashing a file: every file it was
        made of has the stat that build recorded (settled, so the very file it hashed), and the rest of
        it (okrsite, options, theme, date, repository) is the same."""
        if not isinstance(data_files, list) or self._settings_were is None or not self.files.settled(self._fingerprinted(data_files), earlier.get("inputs")):
            return False
        self._as_of_setting = self._settings_were[1]  # okrsite.toml is the file the last build read
        return earlier.get("rest") == self._rest()

    def _rest(self) -> str:
        """The fingerprint's part that is not made of files' contents."""
        return key_of(self.base, self.as_of, self._git, self._linked_folders)

    @property
    def notes(self) -> list[str]:
        return self.store.notes

    @property
    def remember(self) -> dict:
        """What git/read.py continues the history from, and leaves the new history in: the ``history``
        part continued by ``history-since`` (see save_history)."""
        if self._remember is None:
            from .git.history import Remembered  # a stage's

            base = self._history_base = self._part("history", lambda value: Remembered(*value), None)
            since = self._part("history-since", _history_since, None, _since_key(base)) if base is not None else None
            history = base if since is None else Remembered(base.repository, since[0], [*base.commits, *since[1]], {**base.data, **since[2]})
            self._remember = {"history": history} if history is not None else {}
            self._history_was = _history_key(history)
        return self._remember

    def save_history(self, history: Remembered) -> None:
        """The history read, as what the last ``history`` part holds continued by what was read since
        (``history-since``: the commits after its own and the versions it lacks), so that a build after
        one commit writes that commit, not the whole log again (10 MB at 10,000 commits); written whole
        after a rebase, another repository or HISTORY_SINCE commits."""
        base = self._history_base
        n = len(base.commits) if base is not None else 0
        if base is not None and history.repository == base.repository and n <= len(history.commits) <= n + HISTORY_SINCE \
                and all(a is b for a, b in zip(history.commits, base.commits)):
            added = {key: data for key, data in history.data.items() if key not in base.data}
            self.store.save("history-since", _since_key(base), (history.head, history.commits[n:], added))
            return
        self.store.save("history", "history", (history.repository, history.head, history.commits, history.data))
        self.store.save("history-since", _since_key(history), (history.head, [], {}))

    def unchanged(self) -> Kept | None:
        """The last build's result, when the fingerprint of everything it was made from is this one's
        (okrsite, options, theme, settings, date, repository, every file) and its output is untouched.
        When every input file has the stat the last build found it with (settled: see Files), none is
        hashed or its stat looked up in the inputs part: they are the files that build hashed. Without a
        last build (a cold one) nothing is hashed here: the files are, as they are read."""
        earlier, self.earlier = self.earlier, {}  # the stat of every file written: 15 MB at 100,000 objectives
        self._last_output = earlier.get("output"), earlier.get("marker")
        data, fingerprint = earlier.get("data", ()), earlier.get("fingerprint")
        if fingerprint is None or not (self._settled_as_before(earlier, data) or fingerprint == self._fingerprint(data)):
            return None
        if not _intact(self.out, earlier.get("output")):
            return None
        try:
            return Kept(*earlier["result"])
        except (KeyError, TypeError):
            self.store.unusable("build", "is damaged (build.cache)")
            return None

    def last_output(self) -> tuple[set[str], dict[str, int], Stat | None]:
        """What the last build wrote into OUT (see _output_record): its files, the folders they are in
        with their modification times, and the Stat of its marker; nothing where it is not known."""
        record, marker = getattr(self, "_last_output", (None, None))
        try:
            names, _, folder_names, raw_times = record
            times = array("q")
            times.frombytes(raw_times)
            folders = folder_names.split("\0")
            if len(times) != len(folders) or not (isinstance(marker, tuple) and len(marker) == 3):
                return set(), {}, None
            return set(names.split("\0")), dict(zip(folders, times)), marker
        except (TypeError, ValueError):
            return set(), {}, None

    def compiled(self) -> Compiled:
        from .web.render import Compiled  # a stage's

        self._compiled = Compiled(self._part("templates", dict, {}))
        return self._compiled

    def bodies(self, settings: Settings, site: Site | None = None) -> Bodies:
        """The Markdown bodies rendered by earlier builds with this okrsite and allow_html, read as pages
        ask for them. With the ``site`` (a build): a body rendered now goes to the cache as it is made, or
        as a forked worker sends it back (Bodies)."""
        self._markdown_key = key_of(code_version(), settings.allow_html)
        earlier = self.store.open_indexed("markdown", self._markdown_key)
        self._bodies = Bodies(earlier, self.store, self._markdown_key, texts_of(site) if site is not None else None)
        return self._bodies

    def json_parts(self, records: Records, site: Site, scores: Any) -> JsonParts:
        known = {shard: part for shard in range(SHARDS) if (part := self.store.open_indexed(f"okrs-{shard}", "okrs")) is not None}
        self._json = JsonParts(known, records, site, scores, self.store)
        return self._json

    def known_scores(self, site: Site, settings: Settings, as_of: date, history: History | None = None, logs: Logs | None = None) -> Callable[[Any], Any]:
        """For compute(): the last build's score of an objective whose own key results score, when the
        objective and the KPIs its key results name are the very ones taken unchanged from the last
        build (known_entities), with the same settings and date, and with git history (``history``, and
        the check-ins it holds, ``logs``) the same versions of their files (git/checkins.py: log_inputs)
        in a history as deep, and the same grading settings of okrsite.toml at the end of each finished
        period (Logs.grading: numbers/compute.py, graded_periods): its score is made of nothing else."""
        from .git.checkins import log_inputs  # a stage's

        self._scores_key = key_of(settings, as_of) if logs is None else key_of(settings, as_of, "history", logs.known_since(), _graded(logs, as_of))
        self.log_inputs = log_inputs(history) if history is not None and logs is not None else None
        self._scores_were: dict[str, tuple] = {}
        self._score_shards: list[list[str]] = []  # the ids each shard held (not hashed again to save it)
        for shard in range(SHARDS):
            entries = self._part(f"scores-{shard}", _score_entries, {}, self._scores_key)
            self._scores_were.update(entries)
            self._score_shards.append(list(entries))
        digest = digest_in(self.known_entities())

        def score(o: Any) -> Any:
            entry = self._scores_were.get(o.id)
            return _restored(o, entry[1]) if entry is not None and entry[0] == made_of(o, site, digest, self.log_inputs) else None
        return score

    def save_scores(self, site: Site, scores: Any, made: Entities) -> None:
        """The score of every objective whose own key results score, with what it is made of (see
        known_scores), in sixteen shards by id: a check-in rewrites the shard of its objective."""
        were = getattr(self, "_scores_were", None)
        if were is None:
            return
        from .numbers.forecast import scoring  # a stage's

        digest = digest_in(made)
        kept = _digests_kept(self.known_entities(), made)
        now = {}
        for o in site.objectives.values():
            entry = were.get(o.id)
            if kept and entry is not None and entry[1] is scores.objectives.get(o.id):
                now[o.id] = entry  # taken by known_scores: made of the digests it was taken by (see _digests_kept)
                continue
            key = made_of(o, site, digest, self.log_inputs) if scoring(o.key_results) else None
            if key is not None and o.id in scores.objectives:
                now[o.id] = entry if entry is not None and entry[0] == key and entry[1] is scores.objectives[o.id] else (key, scores.objectives[o.id])
        changed = {shard_of(ident) for ident in were.keys() ^ now.keys()} | {shard_of(ident) for ident, entry in now.items() if were.get(ident) is not entry}
        added = by_shard(now.keys() - were.keys())
        for shard in sorted(changed):
            held = [ident for ident in self._score_shards[shard] if ident in now] + added.get(shard, [])
            self.store.save(f"scores-{shard}", self._scores_key, {ident: (now[ident][0], _by_reference(site.objectives[ident], now[ident][1])) for ident in held})

    def known_entities(self) -> Entities:
        """The digests (web/pagedigest.py) of the objectives, KPIs, teams and pages this build took
        unchanged from the last one, as the last build made them: an entity is a function of its file,
        the settings and its CSV file, and is taken only when all three are the same."""
        if getattr(self, "_known_entities", None) is not None:
            return self._known_entities
        self._entities_were = self._part("entities", dict, {})
        known: Entities = {}
        for rel, entity in self.reader.reused.items():
            found = self._entities_were.get(rel)
            entry = self.reader.now.get(rel)
            if entry is not None and entry.entity is entity and isinstance(found, tuple) and len(found) == 2 and found[0] == _entity_key(entry):
                known[id(entity)] = (entity, found[1])
        self._known_entities = known
        return known

    def save_entities(self, made: Entities) -> None:
        """The digest of every entity this build made or took, for the next build (see known_entities)."""
        entities = {}
        for rel, entry in self.reader.now.items():
            found = made.get(id(entry.entity)) if entry.entity is not None and entry.settings else None
            if found is not None and found[0] is entry.entity:
                entities[rel] = (_entity_key(entry), found[1])
        if entities != getattr(self, "_entities_were", None):
            self.store.save("entities", "entities", entities)

    def save_json_parts(self) -> None:
        parts = getattr(self, "_json", None)
        if parts is not None:
            parts.save()

    def kept_pages(self, digests: dict[str, bytes]) -> dict[str, Earlier]:
        """The output files the last build wrote for the same digest, still as it left them, or put back
        with the same bytes (a CI job that restores OUT with the cache: web/write.py found_again). Into
        another output folder than the last build's (the site moved, a CI job in a folder of its own),
        a file is kept only by its bytes: a stat that matches is another folder's file."""
        from .web.write import found_again  # a stage's

        earlier = self._part("pages", lambda value: value, {})
        moved = earlier.get("out") != str(self.out)
        kept = {}
        self._kept_contents: dict[str, bytes] = {}
        for path, (digest, stat, content) in earlier.get("files", {}).items():
            if moved:
                stat = (-1, stat[1], -1)
            if digests.get(path) == digest and (now := found_again(where := f"{self.out}/{path}", stat, content)) is not None:
                kept[path] = (where, now)  # its path as a string: 146,000 Paths are 30 MB more
                self._kept_contents[path] = content
        return kept

    def take_cuts(self, site: Site) -> None:
        """The last build's cuts (web/cuts.py: which pages the long lists are cut into, the maps' plans)
        given to ``site`` when its structure is the one they were made of; else the write plan makes
        them, and keep_cuts keeps them for the next build."""
        from .web import cuts  # a stage's

        key = cuts.structure(site)
        found = self._part("cuts", lambda value: value, None, key)
        self._structure = site, key
        self._cuts_of = None if found is not None and cuts.seed(site, found) else (site, key)
        self._cuts: tuple[str, dict] | None = None

    def structure(self, site: Site) -> str:
        """The structure of ``site`` (web/cuts.py), worked out once for the site of the write plan."""
        from .web import cuts  # a stage's

        planned, key = getattr(self, "_structure", (None, ""))
        return key if site is planned else cuts.structure(site)

    def keep_cuts(self) -> None:
        """Once the write plan is made: the cuts it made, as ids (before a period's map takes its plan away)."""
        from .web import cuts  # a stage's

        if getattr(self, "_cuts_of", None) is not None:
            site, key = self._cuts_of
            self._cuts, self._cuts_of = (key, cuts.kept(site)), None

    def save_cuts(self) -> None:
        if getattr(self, "_cuts", None) is not None:
            self.store.save("cuts", *self._cuts)

    def kept_digests(self) -> KeptDigests | None:
        """The last build's digests of the pages whose ids follow from their records (web/pagedigest.py)."""
        from .web.pagedigest import KeptDigests  # a stage's
        return self._part("page-ids", KeptDigests.of, None)

    def save_kept_digests(self, kept: KeptDigests) -> None:
        writer = self.store.writer("page-ids", "page-ids")
        if writer is not None:
            for item in kept.items():
                writer.add(item)
            writer.commit()

    def spare_listing(self) -> Listing | None:
        """What the build that wrote the spare output folder left in it (web/write.py: Listing): the
        last build's record of the folder it replaced, which became the spare."""
        from .web.write import Listing  # a stage's

        value = self._part("listing", lambda value: value if value["out"] == str(self.out) else {}, {})
        self._listing_now = value.get("now")
        spare = value.get("spare")
        spare = _Unpickler(io.BytesIO(spare)).load() if isinstance(spare, bytes) else None
        return Listing(spare) if isinstance(spare, tuple) and len(spare) == 4 else None

    def save_listing(self, listing: Listing | None) -> None:
        """This build's listing of its folder, and the last build's, whose folder is now the spare. Each
        is pickled apart: the build after this one unpacks only the spare's and passes this one on as
        bytes (at 100,000 objectives the part held 170 MB once unpacked with both listings)."""
        now = pickle.dumps(tuple(listing), protocol=5) if listing is not None else None
        self.store.save("listing", "listing", {"out": str(self.out), "now": now, "spare": getattr(self, "_listing_now", None)})

    def save_inputs(self, last: bool = False) -> None:
        """What was read and parsed, and the history: kept even when the build stops at an error. The
        ``last`` time, the stats are let go (100,000 files: 60 MB) and the last build's with them."""
        if last:  # first: the stat of a file settled since it was hashed goes into the inputs part too
            self.fingerprint_now()  # every file of it hashed (a cold build hashes the goals files only as it reads them)
            self._settled = self.files.settled_record(self._fingerprinted(self.reader.data_files()))
        inputs = self.files.seen
        if inputs != self.files.known:
            self.store.save("inputs", "inputs", inputs)
        del inputs
        if last:
            self.files.stats = self.files.known = {}
        if self.reader.linking is not None:
            self.store.save("linked", *self.reader.linking)
            self.reader.linking = None
        changed = {shard_of(rel) for rel in self.reader.changed}  # an edit rewrites one shard
        held = by_shard(self.reader.now) if changed else {}
        for shard in sorted(changed):
            self.store.save(f"parsed-{shard}", "parsed", {rel: self.reader.now[rel].astuple() for rel in held.get(shard, ())})
        history = self._remember.get("history") if self._remember is not None else None
        if history is not None and _history_key(history) != self._history_was:
            self.save_history(history)

    def save_bodies(self, site: Site) -> None:
        """The rendered bodies of the texts the site still has."""
        if self._bodies is not None:
            self._bodies.save(texts_of(site))

    def save(self, site: Site) -> None:
        """What the preview's first build read and rendered."""
        self.save_inputs()
        self.save_bodies(site)
        self.save_compiled()

    def last_search_index(self) -> dict[str, bytes]:
        """The search index's digest the last build made: when it is the same, the build does not make
        the index before the pages' digests (build.search_index_early), as the last build's file is kept."""
        self._search_index_was = self._part("search-index", dict, {})
        return self._search_index_was

    def save_search_index(self, digest: dict[str, bytes]) -> None:
        if digest != getattr(self, "_search_index_was", None):
            self.store.save("search-index", "search-index", digest)

    def save_compiled(self) -> None:
        compiled = getattr(self, "_compiled", None)
        if compiled is not None and compiled.used != compiled.known:
            self.store.save("templates", "templates", compiled.used)

    def save_output(self, digests: dict[str, bytes], written: Written, result: Kept, reusable: bool = True) -> None:
        """What the next build knows the output by: each file's digest, Stat and content (see kept_pages).
        Not ``reusable`` (git failed while reading the history): no fingerprint, so that the next build
        is never one with nothing changed, and reads the history again."""
        contents = {**getattr(self, "_kept_contents", {}), **written.contents}
        self.store.save("pages", "pages", {"out": str(self.out), "files": {path: (digests[path], stat, contents.get(path))
                                                                           for path, stat in written.items() if path in digests}})
        self.store.save("build", "build", {
            "out": str(self.out), "fingerprint": self.fingerprint_now() if reusable else None, "data": self.reader.data_files(),
            "settings": (self.files.digest(SETTINGS_FILE), self._as_of_setting), "inputs": self._settled, "rest": self._rest(),
            "output": _output_record(self.out, written), "marker": getattr(written, "marker", None),
            "result": (result.report, result.numbers, result.history, result.audience, result.history_gap),
        })


def _settings_entry(value: Any) -> tuple[bytes | None, date | None] | None:
    """The last build's okrsite.toml (its hash) and as_of setting, as save_output records them."""
    if isinstance(value, tuple) and len(value) == 2 and (value[1] is None or type(value[1]) is date):
        return value
    return None


def _entity_key(entry: Parsed) -> tuple:
    """What an entity is made from: its file's content, the settings, its CSV file's content."""
    return entry.digest, entry.settings, entry.data


def texts_of(site: Site) -> set[bytes]:
    """The hash of every Markdown text the site has: bodies and retrospectives."""
    from .web.render import text_key  # a stage's

    texts = [e.doc.body for table in (site.objectives, site.kpis, site.teams, site.pages) for e in table.values()]
    return {text_key(text) for text in texts + [o.retro for o in site.objectives.values() if o.retro]}


SHARDS = 16  # the parsed files are kept in this many parts, so that one edit rewrites a sixteenth of them


def shard_of(rel: str) -> int:
    return hashlib.blake2b(rel.encode("utf-8", "surrogateescape"), digest_size=1).digest()[0] % SHARDS


def _graded(logs: Logs, as_of: date) -> list:
    """okrsite.toml's grading settings at the end of each period that ended before ``as_of`` (Logs.grading)."""
    return sorted((day, sorted(then.items())) for day, then in logs.grading.items() if day < as_of)


def by_shard(keys: Iterable[str]) -> dict[int, list[str]]:
    """The keys of each shard, in their order: each key hashed once, not once per shard."""
    found: dict[int, list[str]] = {}
    for key in keys:
        found.setdefault(shard_of(key), []).append(key)
    return found


def digest_in(entities: Entities) -> Callable[[Any], bytes | None]:
    """The digest ``entities`` hold for this very entity (not another with its id), else None."""
    def digest(thing: Any) -> bytes | None:
        found = entities.get(id(thing))
        return found[1] if found is not None and found[0] is thing else None
    return digest


def _digests_kept(known: Entities, made: Entities) -> bool:
    """Whether every entity taken unchanged from the last build has, among those this build digested,
    the very digest it was taken with: then a score taken by what it is made of (known_scores) is made
    of the same digests now."""
    return all((found := made.get(ident)) is not None and found[0] is entity and found[1] == digest for ident, (entity, digest) in known.items())


def made_of(o: Any, site: Site, digest: Callable[[Any], bytes | None], log_inputs: Callable[[Any], bytes] | None = None) -> tuple | None:
    """What the score of an objective whose own key results score is made of, besides the settings and
    the date: the digests of the objective and of each KPI its key results name (b"" for one the site
    lacks); None when one of them has no digest. With git history, also what the check-ins of each are
    made of (git/checkins.py: log_inputs)."""
    linked = sorted({kr.kpi for kr in o.key_results if kr.kpi})
    made = [digest(o), *(digest(site.kpis[k]) if k in site.kpis else b"" for k in linked)]
    if log_inputs is not None:
        made += [log_inputs(o), *(log_inputs(site.kpis[k]) for k in linked if k in site.kpis)]
    return None if None in made else tuple(made)


def _by_reference(o: Any, score: Any) -> Any:
    """The score as the cache keeps it: a key result's check-ins that are the first N of its key
    result's in the model (all of them, as a rule) kept as N, not as copies (100,000 objectives: 180 MB)."""
    if len(score.key_results) != len(o.key_results):
        return score
    kept = tuple(replace(s, history=len(s.history)) if s.history and kr.history[:len(s.history)] == s.history else s
                 for s, kr in zip(score.key_results, o.key_results))
    return replace(score, key_results=kept) if any(a is not b for a, b in zip(kept, score.key_results)) else score


def _restored(o: Any, score: Any) -> Any:
    """A kept score with its key results' check-ins taken from the objective's (see _by_reference); None
    when they cannot be (then it is computed again)."""
    counts = [s.history for s in score.key_results]
    if all(isinstance(n, tuple) for n in counts):
        return score
    if len(counts) != len(o.key_results) or not all(isinstance(n, tuple) or (type(n) is int and 0 < n <= len(kr.history)) for n, kr in zip(counts, o.key_results)):
        return None
    for s, n, kr in zip(score.key_results, counts, o.key_results):
        if type(n) is int:  # the object was made by this very read of the part: no one else holds it yet
            object.__setattr__(s, "history", kr.history if n == len(kr.history) else kr.history[:n])
    return score


def _score_entries(value: dict) -> dict[str, tuple]:
    return {ident: entry for ident, entry in value.items() if isinstance(ident, str) and isinstance(entry, tuple) and len(entry) == 2
            and isinstance(entry[0], tuple) and type(entry[1]).__name__ == "ObjectiveScore"}


def _linked_entry(value: Any) -> tuple | None:
    if not (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], bytes) and isinstance(value[2], tuple)
            and len(value[2]) == 12 and isinstance(value[2][0], bytes)):
        raise ValueError("not a linking")
    return value


def _parsed_entries(value: dict) -> dict[str, tuple]:
    width = len(fields(Parsed))
    return {rel: entry for rel, entry in value.items() if isinstance(entry, tuple) and len(entry) == width}


def preview_start(root: Path) -> BuildCache:
    """The cache as `okrsite serve` starts from it (it writes no output: only what it reads is kept)."""
    return BuildCache(root, root / "site", {"preview": True}, theme_dirs(root))


class JsonParts:
    """okrs.json's objectives and KPIs as earlier builds wrote them, each with its record (web/pagedigest.py:
    everything the model knows of it, a superset of what export.py writes of it): at 10,000 objectives
    making them costs a warm build more than a second, and one check-in changes a few. In sixteen
    shards by id, like the parsed files: a check-in rewrites the shards of what it reached.

    Nothing is held whole: a kept text is read from its shard (by its index) as okrs.json is written, a
    text made again goes to its shard's file at once (100,000 objectives' texts are 250 MB), and a shard
    is finished when okrs.json is, with the pickles of the texts it keeps from the last build copied."""

    def __init__(self, known: dict[int, Indexed], records: Records, site: Site, scores: Any, store: Store | None = None) -> None:
        from .web import export  # a stage's

        self.known, self.records, self.site, self.scores, self.store, self.export = known, records, site, scores, store, export
        self.used: dict[str, bool] = {}  # each text written: kept from the last build, or made again (in its shard's writer)
        self.writers: dict[int, PartWriter | None] = {}
        self.index: dict[int, dict[str, tuple]] = {}  # of each shard written

    def objective(self, o) -> str:
        return self._text(f"objective:{o.id}", o.id, lambda: self.export.objective_json(self.site, self.scores, o, self.records.view.renamed))

    def kpi(self, k) -> str:
        return self._text(f"kpi:{k.id}", k.id, lambda: self.export.kpi_json(self.site, self.scores, k, self.records.view.renamed))

    def _text(self, key: str, ident: str, make: Callable[[], dict]) -> str:
        record = self.records.of(ident)
        shard = shard_of(key)
        text = self._kept(self.known.get(shard), key, record)
        if text is not None:
            self.used[key] = True
            return text
        text = self.export.dumps(make())
        self.used[key] = False
        writer = self._writer(shard)
        if writer is not None:
            self.index.setdefault(shard, {})[key] = (*writer.add((key, (record, text))), record)
        return text

    @staticmethod
    def _kept(part: Indexed | None, key: str, record: bytes) -> str | None:
        """The last build's text of ``key`` when it was made for the same record."""
        entry = part.index.get(key) if part is not None else None
        if entry is None or entry[2] != record:
            return None
        item = part.read(key)
        if isinstance(item, tuple) and len(item) == 2 and item[0] == key and isinstance(item[1], tuple) and len(item[1]) == 2 \
                and item[1][0] == record and isinstance(item[1][1], str):
            return item[1][1]
        if item is not None:
            part.fault()
        return None

    def _writer(self, shard: int) -> PartWriter | None:
        if shard not in self.writers:
            self.writers[shard] = self.store.writer(f"okrs-{shard}", "okrs") if self.store is not None else None
        return self.writers[shard]

    def changed_shards(self) -> set[int]:
        known = {key for part in self.known.values() for key in part.index}
        broken = {shard for shard, part in self.known.items() if part.broken}
        return broken | {shard_of(key) for key in known ^ self.used.keys()} | {shard_of(key) for key, kept in self.used.items() if not kept}

    def save(self) -> None:
        """Every shard with a text made again or one gone: its made texts written, its kept ones copied."""
        kept: dict[int, list[str]] = {}
        for key, was in self.used.items():
            if was:
                kept.setdefault(shard_of(key), []).append(key)
        for shard in sorted(self.changed_shards()):
            writer, part, index = self._writer(shard), self.known.get(shard), self.index.setdefault(shard, {})
            if writer is None:
                continue
            for key in kept.get(shard, ()):
                pickled = part.pickled(key)
                if pickled is not None:
                    index[key] = (*writer.copy(pickled), part.index[key][2])
            writer.commit(index)


class Indexed:
    """A part read item by item (Store.open_indexed): its file, checked whole against its signature when
    opened and kept open (a later build replaces the part with another file: this one stays as it was
    checked), and its index: each item's key → (offset, length, what the reader keeps of it)."""

    def __init__(self, store: Store, part: str, file: io.BufferedReader, start: int, index: dict[Any, tuple]) -> None:
        self.store, self.part, self.file, self.start, self.index = store, part, file, start, index
        self.broken = False

    def fault(self) -> None:
        """An item that is not what its index says: one note, and nothing more is taken from the part
        (it is written anew with what the build made)."""
        self.broken = True
        self.store.unusable(self.part, f"is damaged ({self.part}.cache)")

    def pickled(self, key: Any) -> bytes | None:
        """The item's pickle as the part holds it; None when it cannot be read (one note)."""
        if self.broken:
            return None
        try:
            at, length, _ = self.index[key]
            raw = _read_at(self.file, length, self.start + at) if at >= 0 else b""
            if len(raw) == length:
                return raw
        except (OSError, ValueError, TypeError, OverflowError):
            pass
        self.fault()
        return None

    def read(self, key: Any) -> Any:
        """The item of that key; None when the part has none (or it cannot be read: one note)."""
        if key not in self.index or self.broken:
            return None
        raw = self.pickled(key)
        try:
            return _Unpickler(io.BytesIO(raw)).load() if raw is not None else None
        except Exception:  # whatever the bytes: never a traceback
            self.fault()
            return None


def _closed(file: io.BufferedReader) -> None:
    file.close()


def _index_entries(value: Any) -> dict[Any, tuple]:
    """An index as Indexed reads it: each key → (offset, length, what the reader keeps); else ValueError."""
    if not isinstance(value, dict) or not all(type(entry) is tuple and len(entry) == 3 and type(entry[0]) is int and type(entry[1]) is int
                                              for entry in value.values()):
        raise ValueError("not an index")
    return value


def _read_at(file: io.BufferedReader, length: int, offset: int) -> bytes:
    """``length`` bytes of the file from ``offset``, without moving a position a forked worker shares
    (os.pread; where there is none, processes are not forked)."""
    if hasattr(os, "pread"):
        return os.pread(file.fileno(), length, offset)
    file.seek(offset)
    return file.read(length)


def body_digest(key: tuple) -> bytes:
    """What a rendered body's key (text hash, page depth, link targets) is found by in the markdown part."""
    return hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Bodies(dict):
    """Markdown bodies rendered to HTML, by (text hash, page depth, link targets). Those of earlier builds
    are read from the markdown part one by one, as a page asks for them (``earlier``): a warm build of
    100,000 objectives renders some 40 pages, and the part holds 140 MB of HTML. Those rendered now are
    kept in the dict (the preview keeps them), or, in a build (``in_use``: the hashes of the site's
    texts), written to the part as they are made, or as a forked worker sends them back, and let go:
    at 10,000 objectives they are 30 MB that no page asks for twice. The last one made or read is at
    hand for the page being rendered; one asked for again is read or rendered again. A forked worker
    keeps those it renders, to send them back: its writes would land in the build's file."""

    def __init__(self, earlier: Indexed | None, store: Store, key: str, in_use: set[bytes] | None = None) -> None:
        super().__init__()
        self.earlier, self.store, self.key, self.in_use = earlier, store, key, in_use
        self.writing = os.getpid()  # the build's process: a worker forked from it keeps what it renders
        self.writer: PartWriter | None = None
        self.index: dict[bytes, tuple] = {}  # of the new part: the bodies written to it
        self._last: tuple | None = None

    def __contains__(self, key: object) -> bool:
        last = self._last
        return dict.__contains__(self, key) or (last is not None and last[0] == key) or self._earlier(key) is not None

    def __getitem__(self, key: tuple) -> str:
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        html = self._earlier(key)
        if html is None:
            raise KeyError(key)
        return html

    def _earlier(self, key: Any) -> str | None:
        item = self.earlier.read(body_digest(key)) if self.earlier is not None and isinstance(key, tuple) else None
        if item is None:
            return None
        if not (isinstance(item, tuple) and len(item) == 2 and item[0] == key and isinstance(item[1], str)):
            self.earlier.fault()
            return None
        self._last = item
        return item[1]

    def __setitem__(self, key: tuple, html: str) -> None:
        if self.in_use is None or os.getpid() != self.writing:
            dict.__setitem__(self, key, html)
            return
        self._last = (key, html)
        if key[0] not in self.in_use:
            return  # not a text of the site's (nothing the next build asks for)
        self._write(key, html)

    def _write(self, key: tuple, html: str) -> None:
        if self.writer is None:
            self.writer = self.store.writer("markdown", self.key)
        if self.writer is not None:
            self.index[body_digest(key)] = (*self.writer.add((key, html)), key[0])

    def save(self, in_use: set[bytes]) -> None:
        """The part: the bodies made now, then those of earlier builds still in use (their pickles copied,
        never unpickled), and the index; not written again when nothing was made and none dropped."""
        earlier = self.earlier.index if self.earlier is not None else {}
        made = [(key, html) for key, html in dict.items(self) if key[0] in in_use and body_digest(key) not in earlier]
        kept = [digest for digest, entry in earlier.items() if entry[2] in in_use and digest not in self.index]
        if not self.index and not made and len(kept) == len(earlier) and not (self.earlier is not None and self.earlier.broken):
            if self.writer is not None:
                self.writer.abandon()
            return
        for key, html in made:
            self._write(key, html)
        if self.writer is None:
            self.writer = self.store.writer("markdown", self.key)
        if self.writer is None:
            return
        for digest in kept:
            pickled = self.earlier.pickled(digest)
            if pickled is not None:
                self.index[digest] = (*self.writer.copy(pickled), earlier[digest][2])
        self.writer.commit(self.index)


def _history_key(history: Remembered | None) -> tuple | None:
    return None if history is None else (history.repository, history.head, len(history.data))


HISTORY_SINCE = 1000  # commits kept in the part ``history-since`` at most: then ``history`` is written whole again


def _since_key(base: Remembered) -> str:
    """``history-since`` continues the very ``history`` part it was written after, and no other."""
    return key_of(base.repository, base.head, len(base.commits))


def _history_since(value: Any) -> tuple[str, list, dict]:
    head, commits, data = value
    if not (isinstance(head, str) and isinstance(commits, list) and isinstance(data, dict)):
        raise ValueError("not a history")
    return head, commits, data


def _folders(out: Path, written: Iterable[str], listed: dict[str, tuple] | None = None) -> dict[str, int]:
    """The modification time of OUT and of every folder in it: a file added or removed changes it. A
    folder below OUT is taken from ``listed`` (web/write.py: the Listing's folders, each looked at after
    the build's last change in it; renaming OUT into place changes none of them) where it is there."""
    names = {""}
    for path in written:
        parent = path.rpartition("/")[0]
        while parent not in names:
            names.add(parent)
            parent = parent.rpartition("/")[0]
    listed = listed or {}
    found = {}
    for name in names:
        stat = listed.get(name) if name else None
        try:
            found[name] = stat[1] if type(stat) is tuple and len(stat) == 2 else os.lstat(f"{out}/{name}").st_mtime_ns
        except OSError:
            return {}
    return found


def _output_record(out: Path, written: dict[str, Stat]) -> tuple[str, bytes, str, bytes] | None:
    """What the next build checks the output by, in few objects (names in a string and numbers in an
    array's bytes, not a tuple per file: a build with nothing changed reads it whole): every file
    written with its Stat, every folder they are in with its modification time."""
    listing = getattr(written, "listing", None)
    folders = _folders(out, written, listing[1] if isinstance(listing, tuple) and len(listing) == 4 and isinstance(listing[1], dict) else None)
    if not written or not folders:
        return None
    try:
        return "\0".join(written), array("q", [n for stat in written.values() for n in stat]).tobytes(), "\0".join(folders), array("q", folders.values()).tobytes()
    except OverflowError:  # an inode number beyond 2**63: the next build is not taken as unchanged
        return None


def _intact(out: Path, record: Any) -> bool:
    """Whether the output is as the build that made ``record`` (_output_record) left it: each folder's
    modification time (a file added or removed changes it) and each file's Stat (one written changes
    its time, one replaced its inode)."""
    try:
        names, raw, folder_names, raw_times = record
        numbers, times = array("q"), array("q")
        numbers.frombytes(raw)
        times.frombytes(raw_times)
        files, folders = names.split("\0"), folder_names.split("\0")
        if len(numbers) != 3 * len(files) or len(times) != len(folders):
            return False
        prefix, lstat = f"{out}/", os.lstat
        for name, mtime in zip(folders, times):
            if lstat(prefix + name).st_mtime_ns != mtime:
                return False
        numbers = iter(numbers)
        for name, inode, size, mtime in zip(files, numbers, numbers, numbers):
            found = lstat(prefix + name)
            if found.st_mtime_ns != mtime or found.st_ino != inode or found.st_size != size:
                return False
        return True
    except (OSError, ValueError, TypeError, AttributeError):
        return False
