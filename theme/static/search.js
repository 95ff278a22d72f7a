// Search for every page: the header's box suggests as you type, the search page lists and filters.
// The index (search/index.js) is a script file, loaded the first time a search box is used, so search
// works the same from a file on disk (file://) as from a web server. Without JavaScript the header's box
// still goes to the search page, which lists everything A to Z. The ranking below is plain functions
// (tests/web/test_search_rank.py runs them in node): whole words and word starts in titles first, then
// initials ("arr" for "Annual recurring revenue"), then words inside titles, then owners, periods, tags
// and statuses, then the first words of each text.
(function () {
  "use strict";

  var TITLE_WORD = 10, TITLE_START = 8, INITIALS_ALL = 7, INITIALS = 6, TITLE_INSIDE = 3, META_START = 4, META_INSIDE = 1, BODY_START = 2, BODY_INSIDE = 1;
  var EXACT = 50, TITLE_BEGINS = 20, PHRASE = 10;
  // Between equal matches: objectives, then KPIs, teams and people, pages, key results; this period's first.
  var KIND_BONUS = [0.5, 0, 0.4, 0.3, 0.3, 0.2], CURRENT_BONUS = 0.3;
  var LABELS = ["Objective", "Key result", "KPI", "Team", "Person", "Page"];
  // A site in another language than English (WCAG 3.1.2): what this script writes in okrsite's words is
  // marked lang="en", the goal text among them the site's language, as the pages' own (docs/settings.md)
  var SITE_LANG = (typeof document !== "undefined" && document.documentElement.getAttribute("lang")) || "";  // none in node (tests)
  var ENGLISH_MARKED = SITE_LANG !== "" && !/^en(-|$)/i.test(SITE_LANG);
  function spoken(element, english) {
    if (ENGLISH_MARKED) element.setAttribute("lang", english ? "en" : SITE_LANG);
    return element;
  }
  var LETTERS_SEPARATORS = /[^\p{L}\p{N}]+/gu, LETTER = /[\p{L}\p{N}]/u, SYMBOL = /\p{So}/u;
  // Symbols are words of their own ("🚀Launch": "🚀 launch"), drawn without the joiners, variation selectors,
  // skin tones and tag letters that make an emoji of several (okrsite/goals/model.py: _EMOJI_PARTS).
  var EMOJI_PARTS = /[\u200d\ufe0e\ufe0f\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]/gu, EMOJI_PART = /^[\u200d\ufe0e\ufe0f\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]$/u;
  // A flag is two regional indicators paired from the first of a run ("🇺🇸🇯🇵" is 🇺🇸 and 🇯🇵, never 🇸🇯), each
  // a word; a keycap ("#️⃣", without its variation selector "#⃣") is a symbol (model.py: _FLAG_FOLLOWED, _SEARCH_PART).
  var FLAG_FOLLOWED = /([\u{1F1E6}-\u{1F1FF}]{2})(?=[\u{1F1E6}-\u{1F1FF}])/gu;
  var WORDS = /(?:[0-9#*]\u20e3|\p{So})+|(?:(?![0-9#*]\u20e3)[\p{L}\p{N}])+/gu;
  var TITLE_PART = /[0-9#*]\ufe0f?\u20e3|[\u{1F1E6}-\u{1F1FF}]{2}|[\s\S]/gu, KEYCAP = /^[0-9#*]\ufe0f?\u20e3$/, FLAG = /^[\u{1F1E6}-\u{1F1FF}]/u;
  var MARKS = /[\u0300-\u036f]/g, ASCII = /^[\x20-\x7e]*$/, ASCII_SEPARATORS = /[^a-z0-9]+/g;
  // The Latin letters NFKD does not decompose, as page addresses write them (okrsite/goals/model.py:
  // PLAIN_LATIN), and the final sigma as Python's casefold() writes it: "isik" finds "Işık", "grosser" "Größer".
  var PLAIN = { "æ": "ae", "ð": "d", "ø": "o", "þ": "th", "ß": "ss", "đ": "d", "ħ": "h", "ı": "i", "ł": "l", "ŋ": "ng", "œ": "oe", "ŧ": "t", "ς": "σ" };
  var NOT_PLAIN = /[æðøþßđħıłŋœŧς]/g;

  /** Letters without accents or case: NFKD without its accents, lower case, PLAIN letters written plain. */
  function plain(text) {
    return text.normalize("NFKD").replace(MARKS, "").toLowerCase().replace(NOT_PLAIN, function (c) { return PLAIN[c]; });
  }

  /** Lower case, without accents, words (and runs of symbols) separated by one space (okrsite/goals/model.py: folded, the same in Python). */
  function fold(text) {
    text = String(text || "");
    if (ASCII.test(text)) return text.toLowerCase().replace(ASCII_SEPARATORS, " ").trim();
    return (plain(text).replace(EMOJI_PARTS, "").replace(FLAG_FOLLOWED, "$1 ").match(WORDS) || []).join(" ");
  }

  /** fold with letters and digits only, what the A to Z order sorts by (okrsite/goals/model.py: letters_folded). */
  function lettersFold(text) {
    text = String(text || "");
    if (ASCII.test(text)) return text.toLowerCase().replace(ASCII_SEPARATORS, " ").trim();
    return plain(text).replace(LETTERS_SEPARATORS, " ").trim();
  }

  /** The first letter of each word, symbols (and keycaps: "1⃣") left out ("arr" for "🚀 Annual recurring revenue"). */
  function initials(folded) {
    var found = "", at = 0;
    while (at < folded.length) {
      var first = folded.codePointAt(at);
      if ((first < 0x80 || LETTER.test(String.fromCodePoint(first))) && folded.charAt(at + 1) !== "\u20e3") found += folded.charAt(at);  // a keycap is a symbol
      var space = folded.indexOf(" ", at);
      if (space < 0) break;
      at = space + 1;
    }
    return found;
  }

  /** The index as one object per entry, with the folded text the ranking reads. */
  function prepare(index) {
    var entries = [], objective = null, krs = 0, other = 0, metas = {};
    var folded = {
      owners: index.owners.map(fold), periods: index.periods.map(fold), statuses: index.statuses.map(fold), tags: index.tagNames.map(fold),
    };
    function meta(entry) {
      var key = entry.kind + " " + entry.owner + " " + entry.period + " " + entry.status + " " + entry.tags.join(" ");
      if (!(key in metas)) {
        metas[key] = " " + [fold(LABELS[entry.kind]), name(folded.owners, entry.owner), name(folded.periods, entry.period), name(folded.statuses, entry.status)]
          .concat(entry.tags.map(function (tag) { return folded.tags[tag]; })).filter(Boolean).join(" ") + " ";
      }
      return metas[key];
    }
    for (var n = 0; n < index.title.length; n += 1) {
      var kind = +index.kind.charAt(n), entry;
      if (kind === 1) {
        krs += 1;
        var own = index.krOwner[n];
        var anchor = index.krAddress[n];
        entry = {
          kind: 1, title: index.title[n], of: objective,
          url: (objective ? objective.url : "") + "#" + (anchor !== undefined ? anchor : (objective ? objective.id : "") + "-kr" + krs),
          owner: own !== undefined ? own : (objective ? objective.owner : -1),
          period: objective ? objective.period : -1, status: objective ? objective.status : -1, tags: [], words: "",
        };
      } else {
        var address = index.address[other];
        entry = {
          kind: kind, title: index.title[n], id: address,
          url: index.prefixes[kind] ? index.prefixes[kind] + address + "/" : address,
          owner: at(index.owner, other), period: at(index.period, other), status: at(index.status, other),
          tags: index.tags[other] || [], words: index.words[other] || "",
        };
        other += 1;
        if (kind === 0) { objective = entry; krs = 0; }
      }
      entry.n = n;
      entry.t = " " + fold(entry.title) + " ";
      entry.a = initials(entry.t.trim());
      entry.m = meta(entry);
      entry.b = entry.words ? " " + fold(entry.words) + " " : "";
      entry.all = entry.t + entry.a + entry.m + entry.b;
      entry.current = index.current !== null && name(index.periods, entry.period) === index.current;
      entries.push(entry);
    }
    return { index: index, entries: entries };
  }

  function at(list, n) { var value = list[n]; return value === undefined ? -1 : value; }
  function name(list, n) { return n >= 0 ? list[n] : ""; }

  /** A folded query word with the strings the ranking looks for, made once per search, not per entry. */
  function probe(token) {
    return { token: token, start: " " + token, word: " " + token + " ", initials: token.length > 1 };
  }

  /** How well one word of the query matches an entry: 0 when it does not. */
  function tokenScore(entry, word) {
    if (typeof word === "string") word = probe(word);
    if (entry.all.indexOf(word.token) < 0) return 0;  // most entries: one look, not eight
    var t = entry.t;
    if (t.indexOf(word.start) >= 0) return t.indexOf(word.word) >= 0 ? TITLE_WORD : TITLE_START;
    if (word.initials && entry.a.indexOf(word.token) >= 0) return entry.a === word.token ? INITIALS_ALL : INITIALS;
    if (t.indexOf(word.token) >= 0) return TITLE_INSIDE;
    var m = entry.m;
    if (m.indexOf(word.token) >= 0) return m.indexOf(word.start) >= 0 ? META_START : META_INSIDE;
    var b = entry.b;
    if (b && b.indexOf(word.token) >= 0) return b.indexOf(word.start) >= 0 ? BODY_START : BODY_INSIDE;
    return 0;
  }

  /** An entry's score for a folded query (0: not every word matches). */
  function score(entry, words, phrase) {
    var total = KIND_BONUS[entry.kind] + (entry.current ? CURRENT_BONUS : 0);
    for (var i = 0; i < words.length; i += 1) {
      var one = tokenScore(entry, words[i]);
      if (!one) return 0;
      total += one;
    }
    if (phrase) {
      var t = entry.t, at = t.indexOf(phrase.start);
      if (at === 0) total += t.length === phrase.word.length ? EXACT : TITLE_BEGINS;
      else if (at > 0 && words.length > 1) total += PHRASE;
    }
    return total;
  }

  /** Filters as numbers of the index's tables: {period, team, status} ids or "" for any. */
  function filterOf(db, chosen) {
    var index = db.index;
    function number(list, value) { return value ? list.indexOf(value) : -1; }
    return {
      period: number(index.periods, chosen.period), team: number(index.teams, chosen.team), status: number(index.statuses, chosen.status),
      any: !!(chosen.period || chosen.team || chosen.status),
      key: [chosen.period || "", chosen.team || "", chosen.status || ""].join("\u0000"),
    };
  }

  function passes(db, entry, filter) {
    if (filter.period !== -1 && entry.period !== filter.period) return false;
    if (filter.status !== -1 && entry.status !== filter.status) return false;
    if (filter.team !== -1 && (entry.owner < 0 || db.index.ownerTeams[entry.owner].indexOf(filter.team) < 0)) return false;
    return true;
  }

  /**
   * Entries matching every word of the query and the filters, best first. A filter set to a value the
   * index does not hold matches nothing. ``previous`` (the last call's result) narrows the work when the
   * query only grew: a longer query matches a subset of what a shorter one matched.
   */
  function search(db, query, chosen, previous) {
    chosen = chosen || {};
    var folded = fold(query), tokens = folded ? folded.split(" ") : [];
    var filter = filterOf(db, chosen);
    var result = { query: folded, filterKey: filter.key, hits: [] };
    if (!tokens.length && !filter.any) return result;
    if ((chosen.period && filter.period < 0) || (chosen.team && filter.team < 0) || (chosen.status && filter.status < 0)) return result;
    var narrowing = previous && previous.matched && previous.filterKey === filter.key && previous.query && folded.indexOf(previous.query) === 0;
    var entries = db.entries, pool = narrowing ? previous.matched : null, size = pool ? pool.length : entries.length;
    var words = tokens.map(probe), phrase = folded ? probe(folded) : null, ranks = tokens.length ? null : alphabetical(db);
    var keys = new Float64Array(size), matched = new Int32Array(size), count = 0;
    for (var i = 0; i < size; i += 1) {
      var entry = entries[pool ? pool[i] : i];
      if (filter.any && !passes(db, entry, filter)) continue;
      var value = tokens.length ? score(entry, words, phrase) : KIND_BONUS[entry.kind] + 1;
      if (value > 0) {
        matched[count] = entry.n;  // in the index's order: the next, longer query reads them in memory order
        keys[count++] = sortKey(value, tokens.length ? Math.min(entry.title.length, 1023) : 0, ranks ? ranks[entry.n] : entry.n);
      }
    }
    result.matched = matched.subarray(0, count);
    keys = keys.subarray(0, count).sort();
    var hits = new Array(count), lookup = ranks ? db.byRank : db.entries;
    for (var k = 0; k < count; k += 1) hits[k] = lookup[LAST - (keys[count - 1 - k] % SLOTS)];
    result.hits = hits;
    return result;
  }

  // One number per hit, sorted natively: score (tenths) first, then shorter titles, then the earlier
  // entry (or, without words, A to Z). Exact below 2^53: score < 2^20 tenths, 1,024 lengths, 2^20 entries.
  var SLOTS = 1048576, LAST = SLOTS - 1;
  function sortKey(value, length, order) {
    return Math.round(value * 10) * 1073741824 + (1023 - length) * SLOTS + (LAST - order);
  }

  /** Each entry's place in A to Z order (made once, the first time only filters are asked). */
  function alphabetical(db) {
    if (!db.ranks) {
      var keys = db.entries.map(function (entry) { return lettersFold(entry.title); });
      var order = db.entries.slice().sort(function (a, b) { var x = keys[a.n], y = keys[b.n]; return x < y ? -1 : x > y ? 1 : a.n - b.n; });
      db.ranks = new Int32Array(order.length);
      order.forEach(function (entry, rank) { db.ranks[entry.n] = rank; });
      db.byRank = order;
    }
    return db.ranks;
  }

  /** What a result says under its title: kind, period, owner, status (a key result: its objective's
   * period and title, as key results of one title recur from period to period). */
  function detail(db, entry) {
    return detailParts(db, entry).map(function (part) { return part[0]; }).join(" · ");
  }

  /** detail's parts, each with whether it is okrsite's word (the kind) rather than goal text. */
  function detailParts(db, entry) {
    var index = db.index, parts = [[LABELS[entry.kind], true]];
    if (entry.kind === 0 || entry.kind === 1) parts.push([name(index.periods, entry.period), true]);
    if (entry.kind === 1 && entry.of) parts.push([entry.of.title, false]);
    if (entry.kind !== 3 && entry.kind !== 4 && entry.owner >= 0 && !(entry.kind === 1 && entry.of && entry.owner === entry.of.owner)) parts.push([name(index.owners, entry.owner), false]);
    if (entry.kind === 4 && entry.words) parts.push([entry.words, false]);
    return parts.filter(function (part) { return part[0]; });
  }

  function statusOf(db, entry) {
    return entry.kind === 0 || entry.kind === 2 ? name(db.index.statuses, entry.status) : "";
  }

  /** Pagefind's excerpt (HTML: text with <mark>) as text nodes and marks, nothing else kept. */
  function excerptInto(element, html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body.firstChild;
    Array.prototype.forEach.call(parsed ? parsed.childNodes : [], function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  /**
   * [text, marked] pieces of a title, the word starts the query matched marked. The title is folded
   * letter by letter, each folded letter remembering where in the title it comes from: "ß" folds to
   * "ss", an accent to nothing, and "gros" marks "Größ" in "Größer".
   */
  function marked(title, tokens) {
    var lower = "", from = [], last = "", wasFlag = false;  // from[k]: the title's index of the folded lower[k]
    function keep(text, kind, flag, i) {
      var kept = (kind && last && (kind !== last || (flag && wasFlag)) ? " " : "") + (kind ? text : " ");
      last = kind;
      wasFlag = flag;
      lower += kept;
      for (var k = 0; k < kept.length; k += 1) from.push(i);
    }
    var i = 0;
    (title.match(TITLE_PART) || []).forEach(function (part) {
      if (KEYCAP.test(part) || part.length > 2) keep(part.replace(EMOJI_PARTS, ""), "symbol", FLAG.test(part), i);
      else {
        Array.from(plain(part)).forEach(function (letter) {
          if (!EMOJI_PART.test(letter)) keep(letter, LETTER.test(letter) ? "letter" : SYMBOL.test(letter) ? "symbol" : "", FLAG.test(letter), i);
        });
      }
      i += part.length;
    });
    var marks = [];
    tokens.forEach(function (token) {
      var at = (" " + lower).indexOf(" " + token);
      if (at < 0 || !token) return;
      var end = at + token.length;
      while (end < from.length && from[end] === from[end - 1]) end += 1;  // the whole of a letter folded into more
      marks.push([from[at], end < from.length ? from[end] : title.length]);
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pieces = [], last = 0;
    marks.forEach(function (range) {
      if (range[0] < last) return;
      if (range[0] > last) pieces.push([title.slice(last, range[0]), false]);
      pieces.push([title.slice(range[0], range[1]), true]);
      last = range[1];
    });
    if (last < title.length) pieces.push([title.slice(last), false]);
    return pieces;
  }

  var api = { fold: fold, lettersFold: lettersFold, initials: initials, prepare: prepare, search: search, score: score, tokenScore: tokenScore, detail: detail, marked: marked };
  if (typeof document === "undefined") {
    if (typeof module !== "undefined") module.exports = api;
    return;
  }

  // ------------------------------------------------------------------------------------ the pages

  var script = document.currentScript;
  var base = script ? script.src.replace(/search\.js([?#].*)?$/, "") : "";
  var db = null, waiting = [], loading = false;

  /** Load the index once (a script element: file:// allows it, fetch() it does not), then call back. */
  function withIndex(callback, failed) {
    if (db) { callback(db); return; }
    waiting.push([callback, failed]);
    if (loading) return;
    loading = true;
    window.okrsiteIndex = function (index) {
      db = prepare(index);
      waiting.splice(0).forEach(function (pair) { pair[0](db); });
    };
    var element = document.createElement("script");
    element.src = base + "search/index.js";
    element.onerror = function () {
      loading = false;
      waiting.splice(0).forEach(function (pair) { if (pair[1]) pair[1](); });
    };
    document.head.appendChild(element);
  }

  function link(url) {
    var hash = url.indexOf("#"), path = hash >= 0 ? url.slice(0, hash) : url;
    return base + (path === "" || path.charAt(path.length - 1) === "/" ? path + "index.html" : path) + (hash >= 0 ? url.slice(hash) : "");
  }

  function titleInto(element, entry, query) {
    element.dir = "auto";  // a title in Arabic or Hebrew reads right to left, its numbers and punctuation in place
    marked(entry.title, query ? query.split(" ") : []).forEach(function (piece) {
      if (piece[1]) {
        var mark = document.createElement("mark");
        mark.textContent = piece[0];
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(piece[0]));
      }
    });
  }

  function detailInto(element, entry) {
    element.className = "muted";
    element.textContent = ENGLISH_MARKED ? "" : detail(db, entry);
    if (ENGLISH_MARKED) detailParts(db, entry).forEach(function (part, n) {
      if (n) element.appendChild(document.createTextNode(" · "));
      var piece = spoken(document.createElement("span"), part[1]);
      piece.textContent = part[0];
      element.appendChild(piece);
    });
    var status = statusOf(db, entry);
    if (status) {
      element.appendChild(document.createTextNode(" · "));
      var word = spoken(document.createElement("span"), true);
      word.className = (entry.kind === 2 ? "health-" : "status-") + status;
      word.textContent = status;
      element.appendChild(word);
    }
  }

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  /** What a status region says of a search: "3 results", "85 results, the first 20 shown", "No results". */
  function countWords(found, shown) {
    return found ? plural(found, "result", "results") + (found > shown ? ", the first " + shown + " shown" : "") : "No results";
  }

  // The header's box: a combobox whose list suggests the best results; Enter on none goes to the search page.
  function headerBox(form) {
    var input = form.querySelector("input");
    var list = document.createElement("ul");
    var active = -1, options = [], last = null, SUGGESTIONS = 8;
    list.id = "site-search-list";
    list.className = "site-search-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    form.appendChild(list);
    // How many suggestions, said politely as they change (as the search page's count): a status region
    // is announced only when it was in the page before its text changed
    var count = spoken(document.createElement("p"), true);
    count.id = "site-search-count";
    count.className = "visually-hidden";
    count.setAttribute("role", "status");
    form.appendChild(count);
    // A combobox is a text input: a search input's role is searchbox, which the Nu checker lets no role
    // or aria-expanded replace (ARIA in HTML). The keyboard's Enter key still says "search".
    input.type = "text";
    input.setAttribute("enterkeyhint", "search");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      count.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(n) {
      if (options[active]) options[active].setAttribute("aria-selected", "false");
      active = n;
      if (n < 0) { input.removeAttribute("aria-activedescendant"); return; }
      options[n].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[n].id);
      options[n].scrollIntoView({ block: "nearest" });
    }

    function option(n, href, fill) {
      var item = document.createElement("li");
      item.id = "site-search-option-" + n;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-href", href);
      fill(item);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { window.location.href = href; });
      list.appendChild(item);
      options.push(item);
    }

    function update() {
      if (!db) return;
      last = search(db, input.value, {}, last);
      list.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!input.value.trim()) { close(); return; }  // words without a letter or digit ("👩‍💻") match nothing: "No match" says so
      last.hits.slice(0, SUGGESTIONS).forEach(function (entry, n) {
        option(n, link(entry.url), function (item) {
          var title = spoken(document.createElement("span"), false);
          title.className = "hit-title";
          titleInto(title, entry, last.query);
          var about = document.createElement("span");
          detailInto(about, entry);
          item.appendChild(title);
          item.appendChild(about);
        });
      });
      var all = form.action + (form.action.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(input.value.trim());
      option(options.length, all, function (item) {
        spoken(item, true).className = "all-results";
        item.textContent = last.hits.length ? "All " + plural(last.hits.length, "result", "results") + " on the search page" : "No match: open the search page";
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      var words = countWords(last.hits.length, Math.min(last.hits.length, SUGGESTIONS));
      if (count.textContent !== words) count.textContent = words;  // said once, not again at each letter that finds the same
    }

    input.addEventListener("focus", function () { withIndex(function () { if (input.value) update(); }); });
    input.addEventListener("input", function () { withIndex(update); });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { if (db && input.value) update(); return; }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        choose(active + step < -1 ? options.length - 1 : active + step >= options.length ? -1 : active + step);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = options[active].getAttribute("data-href");
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
  }

  // The search page: the box, filters and a list of result links (arrow keys move between them).
  function searchPage(form) {
    var input = form.querySelector("#q");
    var results = document.getElementById("search-results");
    var count = document.getElementById("search-count");
    var listing = document.querySelector(".search-listing");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var shown = 0, last = null, more = spoken(document.createElement("button"), true);
    more.type = "button";
    more.className = "more-results";
    more.hidden = true;
    results.parentNode.insertBefore(more, results.nextSibling);
    form.hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll(".no-js"), function (element) { element.hidden = true; });

    function chosen() {
      var filters = {};
      selects.forEach(function (select) { filters[select.name] = select.value; });
      return filters;
    }

    function remember() {
      var params = new URLSearchParams();
      if (input.value.trim()) params.set("q", input.value.trim());
      selects.forEach(function (select) { if (select.value) params.set(select.name, select.value); });
      var query = params.toString();
      try { history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "")); } catch (ignored) { /* some browsers refuse it on file:// */ }
    }

    /** List the hits up to ``upTo``; the count line (the page's status region) says how many are listed. */
    function show(upTo) {
      var hits = last.hits;
      for (; shown < Math.min(upTo, hits.length); shown += 1) {
        var entry = hits[shown], item = document.createElement("li"), anchor = document.createElement("a"), about = document.createElement("span");
        anchor.href = link(entry.url);
        titleInto(anchor, entry, last.query);
        detailInto(about, entry);
        item.appendChild(anchor);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(about);
        results.appendChild(item);
      }
      more.hidden = shown >= hits.length;
      more.textContent = "Show " + Math.min(50, hits.length - shown) + " more";
      count.textContent = countWords(hits.length, shown);
    }

    var remembering = 0;
    function update() {
      clearTimeout(remembering);
      remembering = setTimeout(remember, 300);  // the address follows the box, not at every keystroke
      var filters = chosen();
      var asked = input.value.trim() || filters.period || filters.team || filters.status;
      listing.hidden = !!asked;
      results.hidden = !asked;
      if (!asked) { count.textContent = ""; last = null; if (section) section.hidden = true; return; }
      if (!db) { count.textContent = "Loading the search index…"; return; }
      last = search(db, input.value, filters, last);
      results.textContent = "";
      shown = 0;
      show(20);
      fullText(filters);
    }

    function run() {
      update();
      if (!db) withIndex(update, function () { count.textContent = "The search index (search/index.js) could not be loaded."; });
    }

    function links() { return Array.prototype.slice.call(document.querySelectorAll("#search-results a, #full-text-results a")); }

    // Full text (search = "pagefind"): the pages whose text mentions the words, below the ranked titles.
    var section = document.getElementById("full-text"), pagefind = null, pagefindFailed = false, asked = 0;
    var served = window.location.protocol !== "file:";
    var preview = form.getAttribute("data-full-text") === "preview";  // okrsite serve: no Pagefind index

    function withPagefind(callback, failed) {
      if (pagefind) { callback(pagefind); return; }
      if (pagefindFailed || !served || preview) { failed(); return; }
      import(base + "pagefind/pagefind.js").then(function (module) {
        pagefind = module;
        // Its urls from the site's root ("/kpis/mrr/"), not from the server's (with the sub-path in front)
        return Promise.resolve(module.options && module.options({ baseUrl: "/" })).then(function () { return module.init ? module.init() : null; });
      }).then(function () { callback(pagefind); }, function () { pagefindFailed = true; failed(); });
    }

    function fullText(filters) {
      if (!section) return;
      var text = input.value.trim(), ticket = ++asked;
      var note = document.getElementById("full-text-count"), list = document.getElementById("full-text-results");
      section.hidden = !text;
      if (!text) return;
      withPagefind(function (engine) {
        engine.search(text).then(function (found) {
          if (ticket !== asked) return null;
          return Promise.all(found.results.slice(0, 40).map(function (result) { return result.data(); })).then(function (pages) {
            if (ticket !== asked) return;
            var shownUrls = {}, kept = [];
            (last ? last.hits.slice(0, shown) : []).forEach(function (entry) { shownUrls[entry.url] = true; });
            pages.forEach(function (data) {
              var url = data.url.replace(/^\/+/, "").replace(/index\.html$/, ""), entry = db ? entryAt(url) : null;
              if (shownUrls[url] || (filters.period || filters.team || filters.status) && !(entry && passes(db, entry, filterOf(db, filters)))) return;
              kept.push([url, data]);
            });
            list.textContent = "";
            kept.forEach(function (pair) {
              var item = document.createElement("li"), anchor = document.createElement("a"), excerpt = document.createElement("p");
              anchor.href = link(pair[0]);
              anchor.textContent = (pair[1].meta && pair[1].meta.title) || pair[0];
              excerpt.className = "muted excerpt";
              excerptInto(excerpt, pair[1].excerpt || "");
              item.appendChild(anchor);
              item.appendChild(excerpt);
              list.appendChild(item);
            });
            note.textContent = plural(found.results.length, "page matches", "pages match") + " “" + text + "” in their text" +
              (kept.length < found.results.length ? "; " + kept.length + " more shown here" : "");
          });
        });
      }, function () { note.textContent = fullTextMissing(); });
    }

    function fullTextMissing() {
      var above = "the results above search titles, owners and the first words of each text.";
      if (preview) return "Full-text search is not available in the preview (okrsite serve): " + above + " The built site searches every word.";
      if (!served) return "Full-text search needs the site on a web server; opened from a file, " + above;
      return "Full-text search could not be loaded (pagefind/): " + above;
    }

    function entryAt(url) {
      if (!db.byUrl) {
        db.byUrl = {};
        db.entries.forEach(function (entry) { if (entry.kind !== 1) db.byUrl[entry.url] = entry; });
      }
      return db.byUrl[url] || null;
    }

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    });
    input.addEventListener("focus", function () { withIndex(function () {}); });
    input.addEventListener("input", run);
    selects.forEach(function (select) { select.addEventListener("change", run); });
    more.addEventListener("click", function () {
      var next = links().length;
      show(shown + 50);
      var first = links()[next];
      if (first) first.focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = links()[0];
      if (first) first.focus();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && links().length) {
        event.preventDefault();
        links()[0].focus();
      }
    });
    results.addEventListener("keydown", function (event) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === "ArrowDown" && at + 1 < all.length) { event.preventDefault(); all[at + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
      else if (event.key === "Escape") { event.preventDefault(); input.focus(); }
    });
    if (input.value || chosen().period || chosen().team || chosen().status) run();
  }

  function start() {
    var header = document.querySelector("form.site-search");
    if (header) headerBox(header);
    var page = document.querySelector("form.search");
    if (page) searchPage(page);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Every page too: a scroll box (a wide table, an alignment map: tabindex="0" in the HTML, so that a keyboard
// scrolls it) is a Tab stop only while it scrolls; one that fits is no stop of its own (WCAG 2.4.3). A box
// not shown (in a closed <details>) is left as it is until it shows. Without JavaScript every box is a stop.
(function () {
  "use strict";
  if (typeof document === "undefined" || typeof ResizeObserver === "undefined") return;
  var BOXES = ".table-wrap, .amap-scroll";
  function stop(box) {
    if (!box.clientWidth) return;
    if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) box.setAttribute("tabindex", "0");
    else if (box !== document.activeElement) box.removeAttribute("tabindex");
  }
  var watching = new ResizeObserver(function (entries) { entries.forEach(function (entry) { stop(entry.target); }); });
  function watch() { document.querySelectorAll(BOXES).forEach(function (box) { watching.observe(box); }); }
  watch();
  document.addEventListener("okrsite:updated", watch);  // okrsite serve put a page's new <main> in place
})();
