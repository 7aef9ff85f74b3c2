/* app.js — the dashboard's frame: building elements (text only, never
 * markup: every member-supplied string becomes a text node, so a name like
 * <script>…</script> shows as text), tables, figures, charts, the router
 * (the path names the page) and live updates (the page's queries polled,
 * the page redrawn when an answer changed). Pages are in pages.js.
 *
 * Language and unit: every word people read is _("…") (GNU gettext's
 * keyword: scripts/i18n and the build extract them; /api/i18n answers their
 * translations). The reader's choices (中文 / English, 元 / 万元) are kept in
 * localStorage; without one, the server picks the language (the browser's
 * Accept-Language, else the node's config) and the unit (the config's).
 * The API always answers decimal yuan and ISO 8601 times: the page shows
 * amounts in the unit by exact decimal arithmetic on those strings and
 * times as written, in the network's zone. */
"use strict";

const cf = (() => {
  const POLL_MS = 5000;
  const state = {lang: "en", unit: "yuan", words: {}};

  /* msgid in the reader's language. */
  function _(msgid) {
    const t = state.words[msgid];
    return typeof t === "string" && t !== "" ? t : msgid;
  }

  /* fmt("%s of %s", a, b): each %s replaced by the next argument. */
  function fmt(format, ...args) {
    let i = 0;
    /* %s in turn, or %N$s: the Nth (a translation may reorder them). */
    return format.replace(/%(?:(\d+)\$)?s/g, (m, n) => String(args[n ? Number(n) - 1 : i++]));
  }

  /* ---- amounts in the unit: exact, on the decimal strings ------------------------ */

  /* "1234567" -> "1,234,567" */
  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /* A decimal yuan string in 万元, exactly: the point moved four places,
   * six decimals at most, trailing zeros past the second dropped (as the
   * CLI's --unit wan): "300000.00" -> "30.00", "1234.56" -> "0.123456". */
  function toWan(s) {
    const neg = s.startsWith("-");
    const [int, frac = ""] = (neg ? s.slice(1) : s).split(".");
    const padded = int.padStart(5, "0");
    const whole = padded.slice(0, -4).replace(/^0+(?=\d)/, "");
    let decimals = padded.slice(-4) + frac;
    while (decimals.length > 2 && decimals.endsWith("0")) decimals = decimals.slice(0, -1);
    const zero = /^0*$/.test(whole + decimals);
    return (neg && !zero ? "-" : "") + whole + "." + decimals;
  }

  /* An amount (decimal yuan) in the unit: "1234567.50" -> "1,234,567.50"
   * or "123.45675"; null -> "—". */
  function money(s) {
    if (s === null || s === undefined) return "—";
    const v = state.unit === "wan" ? toWan(String(s)) : String(s);
    const [int, frac] = v.split(".");
    const neg = int.startsWith("-");
    return (neg ? "-" : "") + group(neg ? int.slice(1) : int) + (frac !== undefined ? "." + frac : "");
  }

  /* The unit's name, and a heading naming it: "Deployed (yuan)", "已投放(万元)". */
  function unitName() { return state.unit === "wan" ? _("10k yuan") : _("yuan"); }
  function amountHeading(title) {
    return state.unit === "wan" ? fmt(_("%s (10k yuan)"), title) : fmt(_("%s (yuan)"), title);
  }
  /* Sums of amounts, exact: "1234.5" -> 123450n fen, and back. */
  function fen(s) {
    const neg = String(s).startsWith("-");
    const [int, frac = ""] = String(s).replace("-", "").split(".");
    const v = BigInt(int || "0") * 100n + BigInt((frac + "00").slice(0, 2));
    return neg ? -v : v;
  }
  function yuan(f) {
    const neg = f < 0n;
    const a = neg ? -f : f;
    return (neg ? "-" : "") + (a / 100n).toString() + "." + (a % 100n).toString().padStart(2, "0");
  }
  /* An amount in the unit as a number, for a chart's axis only. */
  function amountNumber(s) {
    return s === null || s === undefined ? null : Number(state.unit === "wan" ? toWan(String(s)) : s);
  }

  /* ---- times as written, in the network's zone ----------------------------------- */

  const ISO = /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/;
  /* "2026-12-04T09:30:00+08:00" -> "2026-12-04 09:30 +08:00" or
   * "2026年12月4日 09:30 +08:00"; a date alone, a month alone likewise;
   * anything else as it is. */
  function when(s) {
    if (s === null || s === undefined) return "—";
    const m = ISO.exec(String(s));
    if (!m) return String(s);
    const [, y, mo, d, hh, mm, zone] = m;
    const zh = state.lang === "zh";
    let out = zh ? y + "年" + Number(mo) + "月" + (d ? Number(d) + "日" : "")
                 : y + "-" + mo + (d ? "-" + d : "");
    if (hh !== undefined) {
      out += " " + hh + ":" + mm;
      if (zone) out += " " + (zone === "Z" ? "+00:00" : zone.length === 5 ? zone.slice(0, 3) + ":" + zone.slice(3) : zone);
    }
    return out;
  }

  /* el("td", {class: "num", "data-field": "net"}, "1,000.00", child…) */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function text(v) {
    if (v === null || v === undefined) return "—";
    if (Array.isArray(v)) return v.join(":");
    if (typeof v === "object") return v.name || JSON.stringify(v);
    return String(v);
  }

  /* A table from column specs {key, title, num (a count), amount (yuan:
   * shown in the unit, the heading naming it), time, get(row), link(row)};
   * each cell carries data-field=key (the browser test reads them). */
  function table(id, columns, rows, empty) {
    if (!rows || rows.length === 0) return el("p", {class: "muted", id: id}, empty || _("(none)"));
    const head = el("tr", {}, ...columns.map((c) =>
      el("th", {}, c.amount ? amountHeading(c.title) : c.title)));
    const body = rows.map((r) => el("tr", {},
      ...columns.map((c) => {
        const v = c.get ? c.get(r) : r[c.key];
        const shown = c.amount ? money(v) : c.num ? text(v) : c.time ? when(v) : text(v);
        const href = c.link ? c.link(r) : null;
        const content = href ? el("a", {href: href, download: c.download ? c.download(r) : null}, shown) : shown;
        return el("td", {class: c.num || c.amount ? "num" : c.time ? "time" : null, "data-field": c.key}, content);
      })));
    return el("table", {id: id}, el("thead", {}, head), el("tbody", {}, ...body));
  }

  /* Key figures: [[label, value, key, isMoney]]; an amount's label names the unit. */
  function cards(id, items) {
    return el("div", {class: "cards", id: id}, ...items.map(([k, v, key, isMoney]) =>
      el("div", {class: "card", "data-field": key},
        el("div", {class: "k"}, isMoney ? amountHeading(k) : k),
        el("div", {class: "v"}, isMoney ? money(v) : text(v)))));
  }

  /* A bar (or line) chart: labels, datasets [{label, data}]; amount: the
   * data are amounts (yuan strings), drawn in the unit, the value axis (a
   * doughnut's title) naming it; otherwise counts. Without Chart.js the page
   * still shows its tables. */
  const charts = [];
  function chart(id, type, labels, datasets, amount) {
    const canvas = el("canvas", {id: id, role: "img", "aria-label": id});
    const box = el("div", {class: "chart"}, canvas);
    if (window.Chart) {
      const axis = amount ? {display: true, text: unitName()} : undefined;
      charts.push(new window.Chart(canvas, {
        type: type,
        data: {labels: labels, datasets: datasets.map((d) => ({
          label: d.label,
          data: d.data.map((x) => (amount ? amountNumber(x) : x === null ? null : Number(x))),
          borderWidth: 1, stack: d.stack,
        }))},
        options: {responsive: true, maintainAspectRatio: false, animation: false,
                  plugins: {legend: {position: "bottom"},
                            title: type === "doughnut" && amount ? axis : undefined},
                  scales: type === "bar" || type === "line"
                    ? {y: {beginAtZero: true, title: axis}} : undefined},
      }));
    }
    return box;
  }

  async function get(path) {
    const r = await fetch(path, {headers: {Accept: "application/json"}, credentials: "same-origin"});
    const body = await r.text();
    if (!r.ok) {
      let why = body;
      try { why = JSON.parse(body).error; } catch (e) { /* text */ }
      throw new Error(path + ": HTTP " + r.status + ": " + why);
    }
    return {text: body, json: () => JSON.parse(body)};
  }

  /* ---- the frame: navigation, switches, footer --------------------------------------- */

  function nav() {
    return [["/network", _("Network")], ["/programs", _("Programs")], ["/projects", _("Projects")],
            ["/positions", _("Positions")], ["/pools", _("Pools")], ["/leases", _("Leases")],
            ["/awards", _("Awards")], ["/register", _("Register")]];
  }

  /* A switch: buttons [value, label], the one chosen marked. */
  function toggle(id, chosen, options, pick) {
    return el("span", {class: "switch", id: id}, ...options.map(([value, label]) => {
      const b = el("button", {type: "button", "data-value": value,
                              class: value === chosen ? "here" : null}, label);
      b.addEventListener("click", () => pick(value));
      return b;
    }));
  }

  let frames = 0;
  function frame() {
    /* data-frame: how many times drawn (a test waits for a switch's) */
    document.body.setAttribute("data-frame", String(++frames));
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.body.setAttribute("data-lang", state.lang);
    document.body.setAttribute("data-unit", state.unit);
    document.title = _("cofund dashboard");
    document.getElementById("nav").replaceChildren(...nav().map(([href, label]) =>
      el("a", {href: href}, label)));
    /* The languages named in themselves, not translated. */
    document.getElementById("switches").replaceChildren(
      toggle("lang-switch", state.lang, [["zh", "中文"], ["en", "English"]], chooseLang),
      toggle("unit-switch", state.unit, [["yuan", _("yuan")], ["wan", _("10k yuan")]], chooseUnit));
    const code = (t) => el("code", {}, t);
    const a = (href, t) => el("a", {href: href}, t);
    document.getElementById("footer").replaceChildren(
      _("Read-only: every figure is what cofund … --format json answers on this home"), " (",
      a("/api/node", "/api/node"), ", ", a("/metrics", "/metrics"), ", ", a("/healthz", "/healthz"),
      "). ", code("/api/…"), " ", _("answers decimal yuan and ISO 8601 times in every language."), " ",
      _("Charts by Chart.js (MIT)"), " (", a("/static/LICENSE.chart.js.txt", _("licence")), ").");
  }

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }

  /* The words of lang (null: the server's choice for this browser). */
  async function loadWords(lang) {
    const r = await fetch("/api/i18n" + (lang ? "?lang=" + lang : ""),
                          {headers: {Accept: "application/json"}, credentials: "same-origin"});
    if (!r.ok) throw new Error("/api/i18n: HTTP " + r.status);
    state.words = await r.json();
    state.lang = lang || (r.headers.get("Content-Language") === "zh" ? "zh" : "en");
    return r.headers.get("X-Cofund-Unit");
  }

  async function chooseLang(lang) {
    store("cofund.lang", lang);
    await loadWords(lang);
    redraw();
  }
  function chooseUnit(unit) {
    store("cofund.unit", unit);
    state.unit = unit;
    redraw();
  }
  function redraw() {
    last = null;
    document.body.removeAttribute("data-loaded");
    frame();
    refresh();
  }

  /* The router: pages register {match(path) -> args | null, queries(args),
   * more(first answers, args) -> further queries (optional), draw(data,
 * args) -> [nodes]}. */
  const pages = [];
  function page(p) { pages.push(p); }

  let last = null;
  async function refresh() {
    const path = location.pathname === "/" ? "/network" : location.pathname;
    let p = null, args = null;
    for (const q of pages) { if ((args = q.match(path)) !== null) { p = q; break; } }
    const main = document.getElementById("main");
    for (const a of document.querySelectorAll("nav a")) {
      a.classList.toggle("here", path === a.getAttribute("href") ||
                                 (a.getAttribute("href") === "/programs" && path.startsWith("/program/")));
    }
    if (!p) { main.replaceChildren(el("p", {class: "bad"}, fmt(_("No such page: %s"), path))); return; }
    try {
      const qs = p.queries(args);
      const answers = await Promise.all(qs.map(get));
      /* A page's further queries may depend on the first answers (a
       * program's unmatched contributions, for a matching program only). */
      if (p.more) {
        const more = p.more(answers.map((a) => a.json()), args);
        answers.push(...(await Promise.all(more.map(get))));
      }
      const key = [state.lang, state.unit, ...answers.map((a) => a.text)].join("\u0000");
      if (key !== last) {
        last = key;
        while (charts.length) charts.pop().destroy();
        main.replaceChildren(...p.draw(answers.map((a) => a.json()), args));
        document.body.setAttribute("data-page", p.name);
      }
      document.getElementById("updated").textContent =
        fmt(_("updated %s"), new Date().toLocaleTimeString(state.lang === "zh" ? "zh-CN" : "en"));
      document.body.setAttribute("data-loaded", "1");
    } catch (e) {
      main.replaceChildren(el("p", {class: "bad", id: "error"}, String(e.message || e)));
      document.body.setAttribute("data-loaded", "error");
    }
  }

  async function start() {
    const unit = stored("cofund.unit");
    try {
      const configured = await loadWords(stored("cofund.lang"));
      state.unit = unit === "wan" || unit === "yuan" ? unit : configured === "wan" ? "wan" : "yuan";
    } catch (e) { /* English and yuan: the ids themselves */ }
    frame();
    await refresh();
    setInterval(refresh, POLL_MS);
  }

  /* For pages.js: its amounts, times and words go through these. */
  const lang = () => state.lang;
  return {el, money, text, when, table, cards, chart, page, start, _, fmt, lang, toWan, fen, yuan};
})();
