/* app.js — the dashboard's frame: building elements (text only, never
 * markup: every member-supplied string becomes a text node, so a name like
 * <script>…</script> shows as text), tables, figures, charts, the router
 * (the path names the page) and live updates (the page's queries polled,
 * the page redrawn when an answer changed). Pages are in pages.js. */
"use strict";

const cf = (() => {
  const POLL_MS = 5000;

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

  /* "1234567.50" -> "1,234,567.50"; null -> "—". */
  function money(s) {
    if (s === null || s === undefined) return "—";
    const [int, frac] = String(s).split(".");
    const neg = int.startsWith("-");
    const digits = neg ? int.slice(1) : int;
    const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (neg ? "-" : "") + grouped + (frac !== undefined ? "." + frac : "");
  }

  function text(v) {
    if (v === null || v === undefined) return "—";
    if (Array.isArray(v)) return v.join(":");
    if (typeof v === "object") return v.name || JSON.stringify(v);
    return String(v);
  }

  /* A table from column specs {key, title, num, get(row), link(row)}; each
   * cell carries data-field=key (the browser test reads them). */
  function table(id, columns, rows, empty) {
    if (!rows || rows.length === 0) return el("p", {class: "muted", id: id}, empty || "(none)");
    const head = el("tr", {}, ...columns.map((c) => el("th", {}, c.title)));
    const body = rows.map((r) => el("tr", {},
      ...columns.map((c) => {
        const v = c.get ? c.get(r) : r[c.key];
        const shown = c.num ? money(v) : text(v);
        const href = c.link ? c.link(r) : null;
        const content = href ? el("a", {href: href, download: c.download ? c.download(r) : null}, shown) : shown;
        return el("td", {class: c.num ? "num" : null, "data-field": c.key}, content);
      })));
    return el("table", {id: id}, el("thead", {}, head), el("tbody", {}, ...body));
  }

  /* Key figures: [[label, value, key, isMoney]] */
  function cards(id, items) {
    return el("div", {class: "cards", id: id}, ...items.map(([k, v, key, isMoney]) =>
      el("div", {class: "card", "data-field": key},
        el("div", {class: "k"}, k), el("div", {class: "v"}, isMoney ? money(v) : text(v)))));
  }

  /* A bar (or line) chart: labels, datasets [{label, data}] (amount strings
   * are numbers to Chart.js). Without Chart.js the page still shows its tables. */
  const charts = [];
  function chart(id, type, labels, datasets) {
    const canvas = el("canvas", {id: id, role: "img", "aria-label": id});
    const box = el("div", {class: "chart"}, canvas);
    if (window.Chart) {
      charts.push(new window.Chart(canvas, {
        type: type,
        data: {labels: labels, datasets: datasets.map((d) => ({
          label: d.label, data: d.data.map((x) => (x === null ? null : Number(x))),
          borderWidth: 1, stack: d.stack,
        }))},
        options: {responsive: true, maintainAspectRatio: false, animation: false,
                  plugins: {legend: {position: "bottom"}},
                  scales: type === "bar" || type === "line" ? {y: {beginAtZero: true}} : undefined},
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
    if (!p) { main.replaceChildren(el("p", {class: "bad"}, "No such page: " + path)); return; }
    try {
      const qs = p.queries(args);
      const answers = await Promise.all(qs.map(get));
      /* A page's further queries may depend on the first answers (a
       * program's unmatched contributions, for a matching program only). */
      if (p.more) {
        const more = p.more(answers.map((a) => a.json()), args);
        answers.push(...(await Promise.all(more.map(get))));
      }
      const key = answers.map((a) => a.text).join("\u0000");
      if (key !== last) {
        last = key;
        while (charts.length) charts.pop().destroy();
        main.replaceChildren(...p.draw(answers.map((a) => a.json()), args));
        document.body.setAttribute("data-page", p.name);
      }
      document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
      document.body.setAttribute("data-loaded", "1");
    } catch (e) {
      main.replaceChildren(el("p", {class: "bad", id: "error"}, String(e.message || e)));
      document.body.setAttribute("data-loaded", "error");
    }
  }

  function start() {
    refresh();
    setInterval(refresh, POLL_MS);
  }

  return {el, money, text, table, cards, chart, page, start};
})();
