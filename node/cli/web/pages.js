/* pages.js — the dashboard's pages (app.js draws them): each names the API
 * queries it shows (/api/…, the CLI's JSON) and draws tables, key figures
 * and charts from their answers, never anything but text from a member. */
"use strict";

(() => {
  const {el, table, cards, chart, page} = cf;
  const exact = (p) => (path) => (path === p ? {} : null);
  const h1 = (t) => el("h1", {}, t);
  const h2 = (t) => el("h2", {}, t);
  const holderName = (r) => (r.holder ? r.holder.name : null);
  const enc = encodeURIComponent;

  /* ---- the network ------------------------------------------------------------ */
  page({
    name: "network", match: exact("/network"),
    queries: () => ["/api/node", "/api/members"],
    draw: ([s, members]) => {
      const n = s.node || {};
      const peers = n.peers || [];
      return [
        h1("Network — home " + s.name),
        cards("network-figures", [
          ["node", n.running ? "running" : "not running", "running"],
          ["members", members.length, "members"],
          ["feeds", s.feeds.length, "feeds"],
          ["peers", peers.filter((p) => p.state === "established").length, "peers"],
          ["forks", s.forks.length, "forks"],
          ["violations", s.violations.length, "violations"],
        ]),
        h2("Feeds"),
        table("feeds", [
          {key: "member", title: "Member"}, {key: "size", title: "Entries", num: true},
          {key: "applied", title: "Applied", num: true}, {key: "pending", title: "Pending", num: true},
          {key: "witnesses", title: "Witnesses", num: true}, {key: "state", title: "State"},
          {key: "root", title: "Root", get: (r) => r.root.slice(0, 16)},
        ], s.feeds),
        chart("chart-feeds", "bar", s.feeds.map((f) => f.member), [
          {label: "entries", data: s.feeds.map((f) => f.size)},
          {label: "witnesses", data: s.feeds.map((f) => f.witnesses)},
        ]),
        h2("Members"),
        table("members", [
          {key: "name", title: "Name"}, {key: "role", title: "Role"}, {key: "status", title: "Status"},
          {key: "key", title: "Key", get: (r) => r.key.slice(0, 16)},
        ], members),
        h2("Peers"),
        table("peers", [
          {key: "member", title: "Member"}, {key: "address", title: "Address"},
          {key: "direction", title: "Dir."}, {key: "state", title: "State"},
          {key: "connected_since", title: "Since"},
          {key: "bytes_in", title: "Bytes in", num: true}, {key: "bytes_out", title: "Bytes out", num: true},
        ], peers, "(no peers connected)"),
        h2("Forks"),
        table("forks", [{key: "member", title: "Member"}, {key: "key", title: "Key"}], s.forks, "(no forks)"),
        h2("Violations"),
        table("violations", [
          {key: "member", title: "Member"}, {key: "index", title: "Index", num: true},
          {key: "rule", title: "Rule"}, {key: "text", title: "What"},
        ], s.violations, "(no violations)"),
      ];
    },
  });

  /* ---- programs ----------------------------------------------------------------- */
  page({
    name: "programs", match: exact("/programs"),
    queries: () => ["/api/programs"],
    draw: ([programs]) => [
      h1("Programs"),
      table("programs", [
        {key: "program", title: "Program", link: (r) => "/program/" + enc(r.program)},
        {key: "name", title: "Name"}, {key: "kind", title: "Kind"},
        {key: "operator", title: "Operator"}, {key: "status", title: "Status"},
        {key: "start", title: "Start"},
      ], programs),
    ],
  });

  page({
    name: "program", match: (p) => { const m = /^\/program\/([^/]+)$/.exec(p); return m ? {id: decodeURIComponent(m[1])} : null; },
    queries: ({id}) => ["/api/program/" + enc(id)],
    more: ([pg], {id}) => (pg.kind === "match"
      ? ["/api/register?type=match&program=" + enc(id), "/api/unmatched?program=" + enc(id)] : []),
    draw: ([pg, matches, unmatched], {id}) => {
      const out = [h1("Program " + id + " (" + pg.kind + ")")];
      const figures = [["operator", pg.operator, "operator"]];
      for (const k of ["deployed", "counterpart", "exited", "outstanding", "awaiting_match",
                       "balance", "headroom", "awarded", "financed"]) {
        if (k in pg) figures.push([k.replace("_", " "), pg[k], k, true]);
      }
      if ("leverage" in pg) figures.push(["leverage", pg.leverage, "leverage"]);
      out.push(cards("program-figures", figures));
      if (Array.isArray(pg.years) && pg.kind === "award") {
        out.push(h2("Awarded per year"),
          table("years", [
            {key: "year", title: "Year"}, {key: "awards", title: "Awards", num: false},
            {key: "awarded", title: "Awarded", num: true}, {key: "budget", title: "Budget", num: true},
            {key: "budget_used", title: "Used"},
          ], pg.years),
          chart("chart-years", "bar", pg.years.map((y) => String(y.year)),
                [{label: "awarded", data: pg.years.map((y) => y.awarded)}]));
      } else if (Array.isArray(pg.years)) {
        out.push(h2("Budget used per year"),
          table("years", [
            {key: "year", title: "Year"}, {key: "deployed", title: "Deployed", num: true},
            {key: "budget", title: "Budget", num: true}, {key: "budget_used", title: "Used"},
            {key: "budget_left", title: "Left", num: true},
            {key: "counterpart", title: "Counterpart", num: true}, {key: "leverage", title: "Leverage"},
          ], pg.years),
          chart("chart-years", "bar", pg.years.map((y) => String(y.year)), [
            {label: "deployed", data: pg.years.map((y) => y.deployed)},
            {label: "budget left", data: pg.years.map((y) => y.budget_left)},
          ]));
      }
      if (Array.isArray(pg.projects)) {
        out.push(h2("Deployed per project against the cap"),
          table("program-projects", [
            {key: "project", title: "Project"}, {key: "deployed", title: "Deployed", num: true},
            {key: "cap", title: "Cap", num: true}, {key: "cap_left", title: "Cap left", num: true},
            {key: "outstanding", title: "Outstanding", num: true},
            {key: "counterpart", title: "Counterpart", num: true}, {key: "leverage", title: "Leverage"},
          ], pg.projects),
          chart("chart-projects", "bar", pg.projects.map((p) => p.project), [
            {label: "deployed", data: pg.projects.map((p) => p.deployed), stack: "s"},
            {label: "cap left", data: pg.projects.map((p) => p.cap_left), stack: "s"},
          ]));
      }
      if (matches && matches.length > 0) {
        /* Deployment over time: the matches' amounts, summed by day. */
        const byDay = new Map();
        for (const m of matches) {
          const day = m.time.slice(0, 10);
          byDay.set(day, (byDay.get(day) || 0) + Number(m.amount));
        }
        let sum = 0;
        const days = [...byDay.keys()];
        out.push(h2("Deployment over time"),
          chart("chart-deployment", "line", days, [{label: "deployed (cumulative)",
            data: days.map((d) => (sum += byDay.get(d)).toFixed(2))}]));
      }
      if (unmatched) {
        out.push(h2("Unmatched contributions"),
          table("unmatched", [
            {key: "member", title: "Contributor", get: (r) => (r.contributor ? r.contributor.name || r.contributor : r.member)},
            {key: "project", title: "Project"}, {key: "amount", title: "Amount", num: true},
            {key: "awaiting", title: "Awaiting", num: true},
            {key: "matchable", title: "Matchable now", num: true},
            {key: "window_closes", title: "Window closes"},
          ], unmatched, "(nothing awaits a match)"));
      }
      return out;
    },
  });

  /* ---- projects and positions ------------------------------------------------------ */
  page({
    name: "projects", match: exact("/projects"),
    queries: () => ["/api/projects"],
    draw: ([projects]) => [
      h1("Projects"),
      table("projects", [
        {key: "project", title: "Project"}, {key: "name", title: "Name"}, {key: "kind", title: "Kind"},
        {key: "registered", title: "Registered"}, {key: "holders", title: "Holders", num: true},
        {key: "invested", title: "Invested", num: true}, {key: "exited", title: "Exited", num: true},
        {key: "net", title: "Net", num: true},
      ], projects),
      chart("chart-projects-net", "bar", projects.map((p) => p.project), [
        {label: "invested", data: projects.map((p) => p.invested)},
        {label: "exited", data: projects.map((p) => p.exited)},
      ]),
    ],
  });

  page({
    name: "positions", match: exact("/positions"),
    queries: () => ["/api/positions", "/api/projects"],
    draw: ([rows, projects]) => {
      const equity = rows.filter((r) => r.kind === "equity");
      const names = new Map(projects.map((p) => [p.project, p.name]));
      const out = [h1("Positions")];
      out.push(h2("Cap table per project"));
      for (const p of [...new Set(equity.map((r) => r.project))]) {
        const mine = equity.filter((r) => r.project === p);
        out.push(el("h3", {}, p + " — " + (names.get(p) || "")),
          table("cap-" + p, [
            {key: "holder", title: "Holder", get: holderName}, {key: "invested", title: "Invested", num: true},
            {key: "exited", title: "Exited", num: true}, {key: "net", title: "Net", num: true},
            {key: "share", title: "Share"},
          ], mine),
          chart("chart-cap-" + p, "doughnut", mine.map(holderName), [{label: p, data: mine.map((r) => r.net)}]));
      }
      out.push(h2("Portfolio per holder"));
      for (const h of [...new Set(equity.map(holderName))]) {
        out.push(el("h3", {}, h),
          table("portfolio-" + h, [
            {key: "project", title: "Project"}, {key: "invested", title: "Invested", num: true},
            {key: "exited", title: "Exited", num: true}, {key: "net", title: "Net", num: true},
            {key: "share", title: "Share"},
          ], equity.filter((r) => holderName(r) === h)));
      }
      const other = rows.filter((r) => r.kind !== "equity");
      out.push(h2("Not equity: awards, leases, loans, subsidies"),
        table("not-equity", [
          {key: "kind", title: "Kind"}, {key: "project", title: "Project"},
          {key: "awarded", title: "Awarded", num: true}, {key: "equipment_price", title: "Leased", num: true},
          {key: "lent", title: "Lent", num: true}, {key: "subsidised", title: "Subsidised", num: true},
        ], other));
      return out;
    },
  });

  /* ---- instruments ------------------------------------------------------------------ */
  page({
    name: "pools", match: exact("/pools"),
    queries: () => ["/api/pools"],
    draw: ([pools]) => {
      const out = [h1("Pools")];
      if (pools.length === 0) out.push(el("p", {class: "muted"}, "(no pool programs)"));
      for (const p of pools) {
        out.push(h2("Pool " + p.program + " (operator " + p.operator + ")"),
          cards("pool-" + p.program, [
            ["balance", p.balance, "balance", true], ["deposited", p.deposited, "deposited", true],
            ["guaranteed", p.guaranteed, "guaranteed", true], ["outstanding", p.outstanding, "outstanding", true],
            ["headroom", p.headroom, "headroom", true], ["losses", p.losses, "losses", true],
            ["leverage", p.leverage, "leverage"],
          ]),
          chart("chart-pool-" + p.program, "bar", ["pool"], [
            {label: "outstanding", data: [p.outstanding], stack: "s"},
            {label: "headroom", data: [p.headroom], stack: "s"},
          ]),
          table("banks-" + p.program, [
            {key: "bank", title: "Bank"},
            {key: "lent", title: "Lent", num: true}, {key: "guaranteed", title: "Guaranteed", num: true},
            {key: "outstanding", title: "Outstanding", num: true},
            {key: "defaults", title: "Defaults"}, {key: "losses", title: "Losses", num: true},
          ], p.banks, "(no loans)"));
      }
      return out;
    },
  });

  page({
    name: "leases", match: exact("/leases"),
    queries: () => ["/api/leases"],
    draw: ([leases]) => [
      h1("Leases"),
      table("leases", [
        {key: "project", title: "Project"}, {key: "program", title: "Program"},
        {key: "lessor", title: "Lessor"}, {key: "time", title: "Time"},
        {key: "equipment", title: "Equipment"}, {key: "price", title: "Price", num: true},
        {key: "down", title: "Down", num: true}, {key: "financing", title: "Financing", num: true},
        {key: "advance", title: "Advance", num: true},
      ], leases, "(no leases)"),
      chart("chart-leases", "bar", leases.map((l) => l.project + " #" + l.index), [
        {label: "down", data: leases.map((l) => l.down), stack: "s"},
        {label: "financing", data: leases.map((l) => l.financing), stack: "s"},
        {label: "advance", data: leases.map((l) => l.advance), stack: "s"},
      ]),
    ],
  });

  const REGISTER_LAST = 1000; /* a large home's journal is millions of entries */
  const registerColumns = [
    {key: "time", title: "Time"}, {key: "member", title: "Member"}, {key: "index", title: "#"},
    {key: "type", title: "Type"}, {key: "amount", title: "Amount", num: true},
    {key: "project", title: "Project"}, {key: "program", title: "Program"},
    {key: "summary", title: "Entry"},
    {key: "proof", title: "Proof", get: () => "proof",
     link: (r) => "/api/proof/" + enc(r.member) + "/" + r.index,
     download: (r) => r.member + "-" + r.index + ".tlog-proof"},
  ];

  page({
    name: "awards", match: exact("/awards"),
    queries: () => ["/api/register?type=award"],
    draw: ([awards]) => [
      h1("Awards"),
      table("awards", registerColumns, awards, "(no awards)"),
      chart("chart-awards", "bar", awards.map((a) => a.project), [{label: "awarded", data: awards.map((a) => a.amount)}]),
    ],
  });

  page({
    name: "register", match: exact("/register"),
    queries: () => ["/api/register?last=" + REGISTER_LAST],
    draw: ([entries]) => {
      let total = 0;
      const byMonth = new Map();
      for (const e of entries) {
        const m = e.time.slice(0, 7);
        byMonth.set(m, (byMonth.get(m) || 0) + 1);
        total++;
      }
      return [
        h1("Register — " + (total < REGISTER_LAST ? total + " entries"
                                                   : "the latest " + total + " entries")),
        el("p", {class: "muted"}, "Every feed's entries in time order (cofund register --last " +
           REGISTER_LAST + "); /api/register takes member, project, program, type, from, to and last."),
        chart("chart-register", "line", [...byMonth.keys()], [{label: "entries a month", data: [...byMonth.values()]}]),
        table("register", registerColumns, entries),
      ];
    },
  });

  cf.start();
})();
