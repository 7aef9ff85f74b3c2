/* pages.js — the dashboard's pages (app.js draws them): each names the API
 * queries it shows (/api/…, the CLI's JSON) and draws tables, key figures
 * and charts from their answers, never anything but text from a member.
 * Every word people read is _("…"); amounts are {amount: true} (shown in
 * the unit, the heading naming it), times {time: true}. Identifiers (member,
 * project and program ids, kinds, roles, states) are shown as the API gives
 * them, display names as their owners wrote them: a project as its id with
 * its display name (projectLabel), a member by its display name. */
"use strict";

(() => {
  const {el, table, cards, chart, page, _, fmt, when, fen, yuan} = cf;
  const exact = (p) => (path) => (path === p ? {} : null);
  const h1 = (t) => el("h1", {}, t);
  const h2 = (t) => el("h2", {}, t);
  const holderName = (r) => (r.holder ? r.holder.name : null);
  const enc = encodeURIComponent;
  /* Display names (docs/i18n.md), looked up in /api/projects and /api/members
   * (the other answers carry identifiers): a project is its identifier, which
   * commands take, with its display name when it has one that differs
   * ("robotics（机器人产线）"); a member is its display name, else its name. */
  const projectNames = (projects) => new Map(projects.map((p) => [p.project, p.name]));
  const projectLabel = (names, id) => {
    const name = names.get(id);
    return name && name !== id ? fmt(_("%1$s (%2$s)"), id, name) : id;
  };
  const projectColumn = (names) => ({key: "project", title: _("Project"), get: (r) => projectLabel(names, r.project)});
  const memberNames = (members) => new Map(members.map((m) => [m.key, m.display || m.name]));
  const holderLabel = (members) => (r) => (r.holder ? members.get(r.holder.key) || r.holder.name : null);

  /* ---- the network ------------------------------------------------------------ */
  page({
    name: "network", match: exact("/network"),
    queries: () => ["/api/node", "/api/members"],
    draw: ([s, members]) => {
      const n = s.node || {};
      const peers = n.peers || [];
      return [
        h1(fmt(_("Network — home %s"), s.name)),
        cards("network-figures", [
          [_("node"), n.running ? _("running") : _("not running"), "running"],
          [_("members"), members.length, "members"],
          [_("feeds"), s.feeds.length, "feeds"],
          [_("peers"), peers.filter((p) => p.state === "established").length, "peers"],
          [_("forks"), s.forks.length, "forks"],
          [_("violations"), s.violations.length, "violations"],
        ]),
        h2(_("Feeds")),
        table("feeds", [
          {key: "member", title: _("Member")}, {key: "size", title: _("Entries"), num: true},
          {key: "applied", title: _("Applied"), num: true}, {key: "pending", title: _("Pending"), num: true},
          {key: "witnesses", title: _("Witnesses"), num: true, get: (r) => r.keeps_lines === false ? "-" : r.witnesses},
          {key: "state", title: _("State")},
          {key: "root", title: _("Root"), get: (r) => r.root.slice(0, 16)},
        ], s.feeds),
        chart("chart-feeds", "bar", s.feeds.map((f) => f.member), [
          {label: _("entries"), data: s.feeds.map((f) => f.size)},
          {label: _("witnesses"), data: s.feeds.map((f) => f.witnesses)},
        ]),
        h2(_("Members")),
        table("members", [
          {key: "name", title: _("Name")}, {key: "role", title: _("Role")}, {key: "status", title: _("Status")},
          {key: "key", title: _("Key"), get: (r) => r.key.slice(0, 16)},
        ], members),
        h2(_("Peers")),
        table("peers", [
          {key: "member", title: _("Member")}, {key: "address", title: _("Address")},
          {key: "direction", title: _("Direction")}, {key: "state", title: _("State")},
          {key: "connected_since", title: _("Connected since"), time: true},
          {key: "bytes_in", title: _("Bytes in"), num: true}, {key: "bytes_out", title: _("Bytes out"), num: true},
        ], peers, _("(no peers connected)")),
        h2(_("Forks")),
        table("forks", [{key: "member", title: _("Member")}, {key: "key", title: _("Key")}],
              s.forks, _("(no forks)")),
        h2(_("Violations")),
        table("violations", [
          {key: "member", title: _("Member")}, {key: "index", title: _("Index"), num: true},
          {key: "rule", title: _("Rule")}, {key: "text", title: _("What")},
        ], s.violations, _("(no violations)")),
      ];
    },
  });

  /* ---- programs ----------------------------------------------------------------- */
  page({
    name: "programs", match: exact("/programs"),
    queries: () => ["/api/programs"],
    draw: ([programs]) => [
      h1(_("Programs")),
      table("programs", [
        {key: "program", title: _("Program"), link: (r) => "/program/" + enc(r.program)},
        {key: "name", title: _("Name")}, {key: "kind", title: _("Kind")},
        {key: "operator", title: _("Operator")}, {key: "status", title: _("Status")},
        {key: "start", title: _("Start"), time: true},
      ], programs),
    ],
  });

  /* A program's figures: the JSON field, its label. */
  const programFigures = () => [
    ["deployed", _("deployed")], ["counterpart", _("counterpart matched")], ["exited", _("exited")],
    ["outstanding", _("outstanding")], ["awaiting_match", _("awaiting a match")],
    ["balance", _("balance")], ["headroom", _("headroom")], ["awarded", _("awarded")],
    ["financed", _("financed")],
  ];

  const MATCHES_LAST = 1000, UNMATCHED_LIMIT = 100; /* the program page's rows */
  page({
    /* /program/ID (no regular expression literal here: xgettext would misread it) */
    name: "program",
    match: (p) => (p.startsWith("/program/") && p.length > 9 && p.indexOf("/", 9) < 0
      ? {id: decodeURIComponent(p.slice(9))} : null),
    queries: ({id}) => ["/api/program/" + enc(id), "/api/projects"],
    /* a page's worth of each: a large program has hundreds of thousands */
    more: ([pg], {id}) => (pg.kind === "match"
      ? ["/api/register?type=match&program=" + enc(id) + "&last=" + MATCHES_LAST,
         "/api/unmatched?program=" + enc(id) + "&limit=" + UNMATCHED_LIMIT] : []),
    draw: ([pg, projects, matches, unmatched], {id}) => {
      const names = projectNames(projects);
      const out = [h1(fmt(_("Program %s (%s)"), id, pg.kind))];
      const figures = [[_("operator"), pg.operator, "operator"]];
      for (const [k, label] of programFigures()) {
        if (k in pg) figures.push([label, pg[k], k, true]);
      }
      if ("leverage" in pg) figures.push([_("leverage"), pg.leverage, "leverage"]);
      out.push(cards("program-figures", figures));
      if (Array.isArray(pg.years) && pg.kind === "award") {
        out.push(h2(_("Awarded per year")),
          table("years", [
            {key: "year", title: _("Year")}, {key: "awards", title: _("Awards")},
            {key: "awarded", title: _("Awarded"), amount: true},
            {key: "budget", title: _("Budget"), amount: true},
            {key: "budget_used", title: _("Used")},
          ], pg.years),
          chart("chart-years", "bar", pg.years.map((y) => String(y.year)),
                [{label: _("awarded"), data: pg.years.map((y) => y.awarded)}], true));
      } else if (Array.isArray(pg.years)) {
        out.push(h2(_("Budget used per year")),
          table("years", [
            {key: "year", title: _("Year")}, {key: "deployed", title: _("Deployed"), amount: true},
            {key: "budget", title: _("Budget"), amount: true}, {key: "budget_used", title: _("Used")},
            {key: "budget_left", title: _("Left"), amount: true},
            {key: "counterpart", title: _("Counterpart"), amount: true},
            {key: "leverage", title: _("Leverage")},
          ], pg.years),
          chart("chart-years", "bar", pg.years.map((y) => String(y.year)), [
            {label: _("deployed"), data: pg.years.map((y) => y.deployed)},
            {label: _("budget left"), data: pg.years.map((y) => y.budget_left)},
          ], true));
      }
      if (Array.isArray(pg.projects)) {
        out.push(h2(_("Deployed per project against the cap")),
          table("program-projects", [
            projectColumn(names), {key: "deployed", title: _("Deployed"), amount: true},
            {key: "cap", title: _("Cap"), amount: true}, {key: "cap_left", title: _("Cap left"), amount: true},
            {key: "outstanding", title: _("Outstanding"), amount: true},
            {key: "counterpart", title: _("Counterpart"), amount: true},
            {key: "leverage", title: _("Leverage")},
          ], pg.projects),
          chart("chart-projects", "bar", pg.projects.map((p) => projectLabel(names, p.project)), [
            {label: _("deployed"), data: pg.projects.map((p) => p.deployed), stack: "s"},
            {label: _("cap left"), data: pg.projects.map((p) => p.cap_left), stack: "s"},
          ], true));
      }
      if (matches && matches.length > 0) {
        /* Deployment over time: the matches' amounts, summed by day, exactly. */
        const byDay = new Map();
        for (const m of matches) {
          const day = m.time.slice(0, 10);
          byDay.set(day, (byDay.get(day) || 0n) + fen(m.amount));
        }
        let sum = 0n;
        const days = [...byDay.keys()];
        out.push(h2(matches.length < MATCHES_LAST ? _("Deployment over time")
                    : fmt(_("Deployment over time (the latest %s matches)"), MATCHES_LAST)),
          chart("chart-deployment", "line", days.map(when), [{label: _("deployed (cumulative)"),
            data: days.map((d) => yuan(sum += byDay.get(d)))}], true));
      }
      if (unmatched) {
        out.push(h2(unmatched.length < UNMATCHED_LIMIT ? _("Unmatched contributions")
                    : fmt(_("Unmatched contributions (the first %s)"), UNMATCHED_LIMIT)),
          table("unmatched", [
            {key: "member", title: _("Contributor"), get: (r) => (r.contributor ? r.contributor.name || r.contributor : r.member)},
            projectColumn(names), {key: "amount", title: _("Amount"), amount: true},
            {key: "awaiting", title: _("Awaiting"), amount: true},
            {key: "matchable", title: _("Matchable now"), amount: true},
            {key: "window_closes", title: _("Window closes"), time: true},
          ], unmatched, _("(nothing awaits a match)")));
      }
      return out;
    },
  });

  /* ---- projects and positions ------------------------------------------------------ */
  page({
    name: "projects", match: exact("/projects"),
    queries: () => ["/api/projects"],
    draw: ([projects]) => [
      h1(_("Projects")),
      table("projects", [
        {key: "project", title: _("Project")}, {key: "name", title: _("Name")}, {key: "kind", title: _("Kind")},
        {key: "registered", title: _("Registered"), time: true},
        {key: "holders", title: _("Holders"), num: true},
        {key: "invested", title: _("Invested"), amount: true}, {key: "exited", title: _("Exited"), amount: true},
        {key: "net", title: _("Net"), amount: true},
      ], projects),
      chart("chart-projects-net", "bar", projects.map((p) => p.project), [
        {label: _("invested"), data: projects.map((p) => p.invested)},
        {label: _("exited"), data: projects.map((p) => p.exited)},
      ], true),
    ],
  });

  const holdingColumns = (first) => [first,
    {key: "invested", title: _("Invested"), amount: true},
    {key: "exited", title: _("Exited"), amount: true}, {key: "net", title: _("Net"), amount: true},
    {key: "share", title: _("Share")},
  ];

  page({
    name: "positions", match: exact("/positions"),
    queries: () => ["/api/positions", "/api/projects", "/api/members"],
    draw: ([rows, projects, members]) => {
      const equity = rows.filter((r) => r.kind === "equity");
      const names = projectNames(projects);
      const holder = holderLabel(memberNames(members));
      const out = [h1(_("Positions"))];
      out.push(h2(_("Cap table per project")));
      for (const p of [...new Set(equity.map((r) => r.project))]) {
        const mine = equity.filter((r) => r.project === p);
        out.push(el("h3", {}, projectLabel(names, p)),
          table("cap-" + p, holdingColumns({key: "holder", title: _("Holder"), get: holder}), mine),
          chart("chart-cap-" + p, "doughnut", mine.map(holder), [{label: p, data: mine.map((r) => r.net)}], true));
      }
      out.push(h2(_("Portfolio per holder")));
      for (const h of [...new Set(equity.map(holderName))]) {
        const mine = equity.filter((r) => holderName(r) === h);
        out.push(el("h3", {}, holder(mine[0])),
          table("portfolio-" + h, holdingColumns(projectColumn(names)), mine));
      }
      const other = rows.filter((r) => r.kind !== "equity");
      out.push(h2(_("Not equity: awards, leases, loans, subsidies")),
        table("not-equity", [
          {key: "kind", title: _("Kind")}, projectColumn(names),
          {key: "awarded", title: _("Awarded"), amount: true},
          {key: "equipment_price", title: _("Leased"), amount: true},
          {key: "lent", title: _("Lent"), amount: true}, {key: "subsidised", title: _("Subsidised"), amount: true},
        ], other));
      return out;
    },
  });

  /* ---- instruments ------------------------------------------------------------------ */
  page({
    name: "pools", match: exact("/pools"),
    queries: () => ["/api/pools"],
    draw: ([pools]) => {
      const out = [h1(_("Pools"))];
      if (pools.length === 0) out.push(el("p", {class: "muted"}, _("(no pool programs)")));
      for (const p of pools) {
        out.push(h2(fmt(_("Pool %s (operator %s)"), p.program, p.operator)),
          cards("pool-" + p.program, [
            [_("balance"), p.balance, "balance", true], [_("deposited"), p.deposited, "deposited", true],
            [_("guaranteed"), p.guaranteed, "guaranteed", true],
            [_("outstanding"), p.outstanding, "outstanding", true],
            [_("headroom"), p.headroom, "headroom", true], [_("losses"), p.losses, "losses", true],
            [_("leverage"), p.leverage, "leverage"],
          ]),
          chart("chart-pool-" + p.program, "bar", [_("pool")], [
            {label: _("outstanding"), data: [p.outstanding], stack: "s"},
            {label: _("headroom"), data: [p.headroom], stack: "s"},
          ], true),
          table("banks-" + p.program, [
            {key: "bank", title: _("Bank")},
            {key: "lent", title: _("Lent"), amount: true},
            {key: "guaranteed", title: _("Guaranteed"), amount: true},
            {key: "outstanding", title: _("Outstanding"), amount: true},
            {key: "defaults", title: _("Defaults")}, {key: "losses", title: _("Losses"), amount: true},
          ], p.banks, _("(no loans)")));
      }
      return out;
    },
  });

  page({
    name: "leases", match: exact("/leases"),
    queries: () => ["/api/leases", "/api/projects"],
    draw: ([leases, projects]) => [
      h1(_("Leases")),
      table("leases", [
        projectColumn(projectNames(projects)), {key: "program", title: _("Program")},
        {key: "lessor", title: _("Lessor")}, {key: "time", title: _("Time"), time: true},
        {key: "equipment", title: _("Equipment")}, {key: "price", title: _("Price"), amount: true},
        {key: "down", title: _("Down payment"), amount: true},
        {key: "financing", title: _("Financing"), amount: true},
        {key: "advance", title: _("Advance"), amount: true},
      ], leases, _("(no leases)")),
      chart("chart-leases", "bar", leases.map((l) => l.project + " #" + l.index), [
        {label: _("down payment"), data: leases.map((l) => l.down), stack: "s"},
        {label: _("financing"), data: leases.map((l) => l.financing), stack: "s"},
        {label: _("advance"), data: leases.map((l) => l.advance), stack: "s"},
      ], true),
    ],
  });

  const REGISTER_LAST = 1000; /* a large home's journal is millions of entries */
  const registerColumns = (names) => [
    {key: "time", title: _("Time"), time: true}, {key: "member", title: _("Member")},
    {key: "index", title: "#"},
    {key: "type", title: _("Type")}, {key: "amount", title: _("Amount"), amount: true},
    projectColumn(names), {key: "program", title: _("Program")},
    {key: "summary", title: _("Entry")},
    {key: "proof", title: _("Proof"), get: () => _("proof"),
     link: (r) => "/api/proof/" + enc(r.member) + "/" + r.index,
     download: (r) => r.member + "-" + r.index + ".tlog-proof"},
  ];

  page({
    name: "awards", match: exact("/awards"),
    queries: () => ["/api/register?type=award", "/api/projects"],
    draw: ([awards, projects]) => [
      h1(_("Awards")),
      table("awards", registerColumns(projectNames(projects)), awards, _("(no awards)")),
      chart("chart-awards", "bar", awards.map((a) => projectLabel(projectNames(projects), a.project)),
            [{label: _("awarded"), data: awards.map((a) => a.amount)}], true),
    ],
  });

  page({
    name: "register", match: exact("/register"),
    queries: () => ["/api/register?last=" + REGISTER_LAST, "/api/projects"],
    draw: ([entries, projects]) => {
      let total = 0;
      const byMonth = new Map();
      for (const e of entries) {
        const m = e.time.slice(0, 7);
        byMonth.set(m, (byMonth.get(m) || 0) + 1);
        total++;
      }
      return [
        h1(total < REGISTER_LAST ? fmt(_("Register — %s entries"), total)
                                 : fmt(_("Register — the latest %s entries"), total)),
        el("p", {class: "muted"}, fmt(_("Every feed's entries in time order (cofund register --last %s); /api/register takes member, project, program, type, from, to and last."), REGISTER_LAST)),
        chart("chart-register", "line", [...byMonth.keys()].map(when),
              [{label: _("entries a month"), data: [...byMonth.values()]}]),
        table("register", registerColumns(projectNames(projects)), entries),
      ];
    },
  });

  cf.start();
})();
