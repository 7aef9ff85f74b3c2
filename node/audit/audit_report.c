/* audit_report.c — the audit's report, as text for people or JSON for
 * scripts (docs/auditing.md describes every line). The figures are the
 * queries' own (node/ledger/query.h) over the replayed state, printed the
 * way `cofund positions` and `cofund program status` print them: the JSON
 * objects under "programs" and "positions" have the same fields as those
 * commands' JSON, so the two can be compared directly.
 *
 * JSON is written by hand (a few helpers below) so that the audit links
 * nothing but the bundle, ledger and crypto libraries.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit_internal.h"
#include "audit_report_internal.h"
#include "audit_text.h"
#include "bundle/fork_proof.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/names.h"
#include "ledger/query.h"
#include "ledger/report.h"
#include "ledger/rules.h"

/* ---- a minimal JSON writer ---------------------------------------------------
 * A separator when one is due, a quoted string, a key, an object or array
 * opened (key NULL: an element) and closed, a string or integer member. */

static void jsep(audit_out *o)
{
    if (o->need_comma[o->depth]) fputc(',', o->f);
    o->need_comma[o->depth] = true;
}

static void jstr_raw(audit_out *o, const char *s)
{
    fputc('"', o->f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(o->f, "\\%c", *p);
        else if (*p < 0x20) fprintf(o->f, "\\u%04x", *p);
        else fputc(*p, o->f);
    }
    fputc('"', o->f);
}

static void jkey(audit_out *o, const char *k)
{
    jsep(o);
    jstr_raw(o, k);
    fputc(':', o->f);
    o->need_comma[o->depth] = true;
}

static void jopen(audit_out *o, const char *key, char c)
{
    if (key) jkey(o, key);
    else jsep(o);
    fputc(c, o->f);
    o->need_comma[++o->depth] = false;
}

static void jclose(audit_out *o, char c)
{
    o->depth--;
    fputc(c, o->f);
}

static void jstr(audit_out *o, const char *key, const char *v)
{
    if (key) jkey(o, key);
    else jsep(o); /* an array's element */
    jstr_raw(o, v);
}

static void jint(audit_out *o, const char *key, int64_t v)
{
    jkey(o, key);
    fprintf(o->f, "%" PRId64, v);
}

static void jbool(audit_out *o, const char *key, bool v)
{
    jkey(o, key);
    fputs(v ? "true" : "false", o->f);
}

static void jhex(audit_out *o, const char *key, const uint8_t *p, size_t n)
{
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(p, n, hex, sizeof hex);
    jstr(o, key, hex);
}

/* The reports' fields (ledger/report.h) written with the helpers above. */
static void sink_name(audit_out *o, const char *name)
{
    if (name) jkey(o, name);
    else jsep(o);
}

static void sink_text(void *arg, const char *name, const char *s)
{
    sink_name(arg, name);
    jstr_raw(arg, s);
}

static void sink_count(void *arg, const char *name, int64_t n)
{
    audit_out *o = arg;
    sink_name(o, name);
    fprintf(o->f, "%" PRId64, n);
}

static void sink_flag(void *arg, const char *name, bool b)
{
    audit_out *o = arg;
    sink_name(o, name);
    fputs(b ? "true" : "false", o->f);
}

static void sink_null(void *arg, const char *name)
{
    audit_out *o = arg;
    sink_name(o, name);
    fputs("null", o->f);
}

static void sink_open(void *arg, const char *name, char bracket)
{
    jopen(arg, name, bracket);
}

static void sink_close(void *arg, char bracket)
{
    jclose(arg, bracket);
}

const report_sink audit__json_sink = {sink_text, sink_count, sink_flag, sink_null, sink_open, sink_close};

/* ---- pieces ------------------------------------------------------------------ */

static void label(const audit_out *o, const uint8_t key[32], char who[STATE_ID_CAP])
{
    audit__label(o->a, key, who, STATE_ID_CAP);
}

const char *audit__role_of(const audit_out *o, const uint8_t key[32])
{
    state_member m;
    if (o->a->replayed && state_member_get(&o->a->kv, key, &m) == CF_OK) return role_name(m.role);
    return "?";
}

static const char *feed_state(const audit_feed *f)
{
    switch (f->state) {
    case FEED_OPEN: return "ok";
    case FEED_HELD: return "held";
    case FEED_PENDING: return "incomplete";
    case FEED_FORKED: return "forked";
    case FEED_CLOSED: return "closed";
    default: return "failed";
    }
}

/* The feed's state as the text report says it (the JSON's word, translated). */
static const char *feed_state_text(const audit_feed *f)
{
    switch (f->state) {
    /* TRANSLATORS: a feed's state in the audit's table of feeds. */
    case FEED_OPEN: return _("ok");
    case FEED_HELD: return _("held");
    case FEED_PENDING: return _("incomplete");
    case FEED_FORKED: return _("forked");
    case FEED_CLOSED: return _("closed");
    default: return _("failed");
    }
}

static void print_feeds(audit_out *o)
{
    const audit *a = o->a;
    char who[STATE_ID_CAP];
    static const audit_col cols[] = {{20, false, 0}, {10, false, 0}, {10, true, 0},
                                     {11, true, 0},  {10, true, 0},  {9, true, 0},
                                     {0, false, 2}};
    if (o->json) jopen(o, "feeds", '[');
    else {
        const char *head[] = {_("FEED"),    _("ROLE"),      _("ENTRIES"), _("CHECKPOINTS"),
                              _("APPLIED"), _("WITNESSES"), _("STATE")};
        fputc('\n', o->f);
        audit__fit(o->cols, 7, cols, head);
        audit__row(o->f, "", 7, o->cols, head);
    }
    for (size_t i = 0; i < a->nfeeds; i++) {
        const audit_feed *f = &a->feeds[i];
        label(o, f->author, who);
        if (o->json) {
            jopen(o, NULL, '{');
            jstr(o, "member", who);
            jhex(o, "key", f->author, 32);
            jstr(o, "role", audit__role_of(o, f->author));
            jint(o, "entries", (int64_t)f->size);
            jint(o, "checkpoints", (int64_t)f->nckpts);
            jint(o, "applied", (int64_t)f->applied);
            jint(o, "witnesses", f->witnesses);
            jstr(o, "state", feed_state(f));
            if (f->nckpts) { /* the latest, signed by its author (the F record's) */
                jopen(o, "checkpoint", '{');
                jint(o, "size", (int64_t)f->ckpts[f->nckpts - 1].size);
                jhex(o, "root", f->ckpts[f->nckpts - 1].root, 32);
                jclose(o, '}');
            }
            jopen(o, "witnessed_by", '[');
            for (unsigned w = 0; w < f->witnesses && w < AUDIT_WITNESS_KEYS; w++) {
                char name[STATE_ID_CAP];
                label(o, f->witness_keys[w], name);
                jstr(o, NULL, name);
            }
            jclose(o, ']');
            jclose(o, '}');
        } else {
            char n[4][24];
            snprintf(n[0], sizeof n[0], "%" PRIu64, f->size);
            snprintf(n[1], sizeof n[1], "%zu", f->nckpts);
            snprintf(n[2], sizeof n[2], "%" PRIu64, f->applied);
            snprintf(n[3], sizeof n[3], "%u", f->witnesses);
            const char *row[] = {who, audit__role_of(o, f->author), n[0], n[1], n[2], n[3],
                                 feed_state_text(f)};
            audit__row(o->f, "", 7, o->cols, row);
        }
    }
    if (o->json) {
        jclose(o, ']');
        return;
    }
    /* Each feed's latest checkpoint in full: what a later bundle must extend. */
    fprintf(o->f, "\n%s\n", _("CHECKPOINTS (each feed's latest, signed by its author; its witnesses)"));
    for (size_t i = 0; i < a->nfeeds; i++) {
        const audit_feed *f = &a->feeds[i];
        char root[CF_HEX32_BYTES];
        if (f->nckpts == 0) continue;
        label(o, f->author, who);
        cf_hex_encode(f->ckpts[f->nckpts - 1].root, 32, root, sizeof root);
        static const audit_col wcol[] = {{20, false, 0}, {0, false, 0}};
        char rest[256];
        snprintf(rest, sizeof rest, _("size %" PRIu64 " root %s"), f->ckpts[f->nckpts - 1].size, root);
        const char *cells[] = {who, rest};
        audit__row_open(o->f, 2, wcol, cells);
        for (unsigned w = 0; w < f->witnesses && w < AUDIT_WITNESS_KEYS; w++) {
            char name[STATE_ID_CAP];
            label(o, f->witness_keys[w], name);
            fprintf(o->f, "%s%s", w ? ", " : _("  witnesses: "), name);
        }
        if (f->witnesses > AUDIT_WITNESS_KEYS)
            fprintf(o->f, _(" and %u more"), f->witnesses - AUDIT_WITNESS_KEYS);
        fputc('\n', o->f);
    }
}

/* " (" hex ")" around a key only when there is one. */
#define LP(h) ((h)[0] ? " (" : "")
#define RP(h) ((h)[0] ? ")" : "")

static void print_finding(audit_out *o, const audit_finding *x)
{
    char who[STATE_ID_CAP], hex[CF_HEX32_BYTES];
    if (x->has_feed) label(o, x->author, who);
    else snprintf(who, sizeof who, "-");
    cf_hex_encode(x->author, 32, hex, sizeof hex);
    if (!o->a->replayed) hex[0] = '\0'; /* the label is the hex already */
    if (o->json) {
        jopen(o, NULL, '{');
        if (x->has_feed) {
            jstr(o, "member", who);
            jhex(o, "key", x->author, 32);
        }
        if (x->has_index) jint(o, "index", (int64_t)x->index);
        switch (x->kind) {
        case FIND_FORK:
            jint(o, "size_a", (int64_t)x->size_a);
            jhex(o, "root_a", x->root_a, 32);
            jint(o, "size_b", (int64_t)x->size_b);
            jhex(o, "root_b", x->root_b, 32);
            jhex(o, "alt", x->alt, 32);
            if (x->point != FORK_POINT_UNKNOWN) jint(o, "point", (int64_t)x->point);
            jstr(o, "source", x->found_here ? "audit" : "bundle");
            break;
        case FIND_VIOLATION: jstr(o, "rule", x->rule); break;
        case FIND_UNCHECKED:
            jint(o, "last", (int64_t)x->last);
            jstr(o, "type", x->etype);
            break;
        default: break;
        }
        jstr(o, "text", x->text);
        jclose(o, '}');
        return;
    }
    switch (x->kind) {
    case FIND_FAIL:
        if (x->has_feed && x->has_index && x->last > x->index)
            fprintf(o->f, _("FAIL feed %s%s%.16s%s entries %" PRIu64 "..%" PRIu64 ": %s\n"), who, LP(hex), hex, RP(hex),
                    x->index, x->last, x->text);
        else if (x->has_feed && x->has_index)
            fprintf(o->f, _("FAIL feed %s%s%.16s%s index %" PRIu64 ": %s\n"), who, LP(hex), hex, RP(hex),
                    x->index, x->text);
        else if (x->has_feed)
            fprintf(o->f, _("FAIL feed %s%s%.16s%s: %s\n"), who, LP(hex), hex, RP(hex), x->text);
        else
            fprintf(o->f, _("FAIL bundle: %s\n"), x->text);
        break;
    case FIND_FORK: {
        char ra[CF_HEX32_BYTES], rb[CF_HEX32_BYTES], alt[CF_HEX32_BYTES];
        cf_hex_encode(x->root_a, 32, ra, sizeof ra);
        cf_hex_encode(x->root_b, 32, rb, sizeof rb);
        cf_hex_encode(x->alt, 32, alt, sizeof alt);
        if (x->point != FORK_POINT_UNKNOWN)
            fprintf(o->f, _("FORK feed %s (%s) at entry %" PRIu64 ": its author signed size %" PRIu64
                          " with root %s and size %" PRIu64 " (root %s), which share their first %"
                          PRIu64 " entries — %s\n"),
                    who, hex, x->point, x->size_a, ra, x->size_b, rb, x->point, x->text);
        else
            fprintf(o->f, _("FORK feed %s (%s): its author signed size %" PRIu64 " with root %s and "
                          "size %" PRIu64 " (root %s) whose first %" PRIu64 " entries hash to %s — %s\n"),
                    who, hex, x->size_a, ra, x->size_b, rb, x->size_a, alt, x->text);
        break;
    }
    case FIND_VIOLATION:
        fprintf(o->f, _("VIOLATION %s#%" PRIu64 " rejected by %s: %s\n"), who, x->index, x->rule,
                x->text);
        break;
    case FIND_MATCH_AFTER_EXIT:
        fprintf(o->f, _("MATCH AFTER EXIT %s#%" PRIu64 ": %s\n"), who, x->index, x->text);
        break;
    case FIND_UNCHECKED:
        fprintf(o->f, _("NOT CHECKED %s#%" PRIu64 "..%" PRIu64 ": entry %" PRIu64 " (%s) waits: %s\n"),
                who, x->index, x->last, x->index, x->etype, x->text);
        break;
    default: fprintf(o->f, _("note: %s\n"), x->text); break;
    }
}

static void print_findings(audit_out *o, enum audit_kind kind, const char *key)
{
    const audit *a = o->a;
    if (o->json) jopen(o, key, '[');
    for (size_t i = 0; i < a->nfinds; i++)
        if (a->finds[i].kind == kind) print_finding(o, &a->finds[i]);
    if (o->json) jclose(o, ']');
}

/* "not checked: 1 feed waits at a match that cites a feed not in the
 * bundle (17 entries in all)" — one line per reason. */
static void print_unchecked_summary(audit_out *o)
{
    static const char *const why[] = {
        [UNCHECKED_OTHER] = N_("waits for entries not in the bundle"),
        [UNCHECKED_NO_GENESIS] = N_("waits for the network's genesis entry, not in the bundle"),
        [UNCHECKED_GOV] = N_("needs governance entries not in the bundle"),
        [UNCHECKED_CITE_NO_FEED] = N_("cites a feed not in the bundle"),
        [UNCHECKED_CITE_BEYOND] = N_("cites an entry past the bundle's end of its feed"),
        [UNCHECKED_CITE_FORKED] = N_("cites an entry of a forked feed"),
        [UNCHECKED_CITE_HELD] = N_("cites an entry held behind a violation"),
        [UNCHECKED_CITE_WAITING] = N_("cites an entry that could not be checked either"),
    };
    const audit *a = o->a;
    for (unsigned r = 0; r < sizeof why / sizeof why[0]; r++) {
        uint64_t feeds = 0, entries = 0;
        const char *type = NULL;
        for (size_t i = 0; i < a->nfinds; i++) {
            const audit_finding *x = &a->finds[i];
            if (x->kind != FIND_UNCHECKED || x->reason != r) continue;
            if (type && strcmp(type, x->etype) != 0) type = "entry";
            else if (type == NULL) type = x->etype;
            feeds++;
            entries += x->last - x->index + 1;
        }
        if (feeds == 0) continue;
        char what[64];
        if (strcmp(type, "entry") == 0) snprintf(what, sizeof what, "%s", _("an entry"));
        /* TRANSLATORS: %s is an entry's type, an identifier ("match"). */
        else if (strchr("aeiou", type[0])) snprintf(what, sizeof what, _("an %s"), type);
        /* TRANSLATORS: %s is an entry's type, an identifier ("match"). */
        else snprintf(what, sizeof what, _("a %s"), type);
        /* TRANSLATORS: "not checked: 1 feed waits at a match that cites a
         * feed not in the bundle (17 entries in all)". */
        fprintf(o->f,
                cf_trn("not checked: %" PRIu64 " feed waits at %s that %s (%" PRIu64
                       " entries in all)\n",
                       "not checked: %" PRIu64 " feeds wait at %s that %s (%" PRIu64
                       " entries in all)\n",
                       (unsigned long)feeds),
                feeds, what, _(why[r]), entries);
    }
}

/* ---- figures: the sections (their rows: audit_report_figures.c) ------------ */

static int print_figures(audit_out *o)
{
    const audit *a = o->a;
    int err = CF_OK;
    if (!a->replayed || !a->have_network) {
        if (o->json) {
            jopen(o, "programs", '[');
            jclose(o, ']');
            jopen(o, "positions", '[');
            jclose(o, ']');
            jopen(o, "not_equity", '[');
            jclose(o, ']');
            jopen(o, "returns", '[');
            jclose(o, ']');
        }
        return CF_OK;
    }
    o->rc = (report_ctx){.kv = &a->kv, .as_of = STATE_TIME_LATEST, .tz_min = a->network.tz_min};
    if (o->json) jopen(o, "programs", '[');
    else fprintf(o->f, _("\n== programs (amounts in %s)\n"), audit__unit_name());
    err = state_programs_each(&a->kv, audit__program_row, o);
    if (o->json) {
        jclose(o, ']');
        jopen(o, "positions", '[');
    } else {
        char h[3][64];
        const char *head[] = {_("PROJECT"), _("HOLDER"), _("ROLE"),
                              audit__heading(_("INVESTED"), h[0], sizeof h[0]),
                              audit__heading(_("EXITED"), h[1], sizeof h[1]),
                              audit__heading(_("NET"), h[2], sizeof h[2]), _("SHARE")};
        fprintf(o->f, "\n%s\n", _("== positions"));
        audit__fit(o->cols, 7, audit__position_cols, head);
        audit__fit_projects(&a->kv, &o->cols[0]);
        audit__fit_members(&a->kv, &o->cols[1]);
        audit__row(o->f, "", 7, o->cols, head);
    }
    if (err == CF_OK) err = query_positions(&a->kv, NULL, NULL, STATE_TIME_LATEST, audit__position_row, o);
    if (o->json) {
        jclose(o, ']');
        jopen(o, "not_equity", '[');
    }
    if (err == CF_OK) err = query_projects_other(&a->kv, NULL, STATE_TIME_LATEST, audit__other_row, o);
    if (o->json) {
        jclose(o, ']');
        jopen(o, "returns", '[');
    } else {
        char h[3][64];
        const char *head[] = {_("KIND"), _("NAME"),
                              audit__heading(_("PAID IN"), h[0], sizeof h[0]),
                              audit__heading(_("DISTRIBUTED"), h[1], sizeof h[1]),
                              audit__heading(_("RESIDUAL"), h[2], sizeof h[2]), _("MOIC"), _("IRR")};
        fprintf(o->f, "\n%s\n", _("== returns (residual valued at the last flow's time)"));
        audit__fit(o->cols, 7, audit__return_cols, head);
        audit__fit_members(&a->kv, &o->cols[1]);
        audit__row(o->f, "", 7, o->cols, head);
    }
    /* No clock in the audit: the residual is dated at the last flow. */
    if (err == CF_OK) err = query_returns(&a->kv, NULL, NULL, STATE_TIME_LATEST, 0, audit__return_row, o);
    if (o->json) jclose(o, ']');
    return err;
}

/* ---- the report -------------------------------------------------------------- */

static const audit_finding *first_failure(const audit *a)
{
    static const enum audit_kind order[] = {FIND_FAIL, FIND_FORK, FIND_VIOLATION,
                                            FIND_MATCH_AFTER_EXIT};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        for (size_t i = 0; i < a->nfinds; i++)
            if (a->finds[i].kind == order[k]) return &a->finds[i];
    return NULL;
}

static void failure_text(audit_out *o, const audit_finding *x, char *s, size_t cap)
{
    char who[STATE_ID_CAP];
    if (x->has_feed) label(o, x->author, who);
    if (x->kind == FIND_FORK)
        snprintf(s, cap, _("fork: feed %s signed two inconsistent histories (sizes %" PRIu64
                         " and %" PRIu64 ")"), who, x->size_a, x->size_b);
    else if (x->kind == FIND_MATCH_AFTER_EXIT)
        snprintf(s, cap, _("match after exit: %s#%" PRIu64 ": %s"), who, x->index, x->text);
    else if (x->kind == FIND_VIOLATION)
        snprintf(s, cap, _("violation: %s#%" PRIu64 " rejected by %s: %s"), who, x->index, x->rule,
                 x->text);
    else if (x->has_feed && x->has_index)
        snprintf(s, cap, _("feed %s index %" PRIu64 ": %s"), who, x->index, x->text);
    else if (x->has_feed)
        snprintf(s, cap, _("feed %s: %s"), who, x->text);
    else
        snprintf(s, cap, "%s", x->text);
}

static void print_header(audit_out *o)
{
    const audit *a = o->a;
    char net[CF_HEX32_BYTES], gov[CF_HEX32_BYTES] = "", tz[8] = "", who[STATE_ID_CAP] = "";
    cf_hex_encode(a->net, 32, net, sizeof net);
    if (a->have_network) {
        cf_hex_encode(a->network.gov_key, 32, gov, sizeof gov);
        label(o, a->network.gov_key, who);
        int m = a->network.tz_min < 0 ? -a->network.tz_min : a->network.tz_min;
        snprintf(tz, sizeof tz, "%c%02d:%02d", a->network.tz_min < 0 ? '-' : '+', m / 60 % 100,
                 m % 60);
    }
    char sha[CF_HEX32_BYTES] = "", when[AUDIT_TEXT_TIME_BYTES], first[AUDIT_TEXT_TIME_BYTES] = "",
                                 last[AUDIT_TEXT_TIME_BYTES] = "";
    _Static_assert(AUDIT_TEXT_TIME_BYTES >= CALTIME_TEXT_BYTES, "room for caltime's text");
    _Static_assert(AUDIT_TEXT_TIME_BYTES >= AUDIT_TIME_TEXT_BYTES, "room for the UTC text");
    if (a->have_sha) cf_hex_encode(a->file_sha256, 32, sha, sizeof sha);
    audit_utc_text(a->audited_at_ms, when);
    int32_t zone = a->have_network ? a->network.tz_min : 0;
    if (a->have_period) {
        caltime_format(a->first_ms, zone, first);
        caltime_format(a->last_ms, zone, last);
    }
    if (o->json) {
        jstr(o, "bundle", a->path);
        jint(o, "bundle_bytes", (int64_t)a->file_bytes);
        jstr(o, "bundle_sha256", sha);
        jstr(o, "audited_at", when);
        jstr(o, "tool", "cofund-audit " COFUND_VERSION);
        if (a->have_period) {
            jopen(o, "period", '{');
            jstr(o, "first", first);
            jstr(o, "last", last);
            jclose(o, '}');
        } else {
            jkey(o, "period");
            fputs("null", o->f);
        }
        jopen(o, "network", '{');
        jstr(o, "id", net);
        if (a->have_network) {
            jstr(o, "name", a->network.name);
            jstr(o, "governance", who);
            jstr(o, "governance_key", gov);
            jstr(o, "tz", tz);
        }
        jclose(o, '}');
        jopen(o, "counts", '{');
        jint(o, "feeds", (int64_t)a->nfeeds);
        jint(o, "entries", (int64_t)a->entries);
        jint(o, "checkpoints", (int64_t)a->checkpoints);
        jint(o, "fork_proofs", (int64_t)a->fork_records);
        jint(o, "applied", (int64_t)a->applied);
        jint(o, "violations", (int64_t)a->violations);
        jint(o, "unchecked", (int64_t)a->unchecked);
        jint(o, "cosignatures", (int64_t)a->cosigs_valid);
        jint(o, "cosignatures_ignored", (int64_t)a->cosigs_ignored);
        jclose(o, '}');
        return;
    }
    if (a->have_period) { /* people read times in the network's zone, in their language */
        audit__time_text(a->first_ms, zone, first);
        audit__time_text(a->last_ms, zone, last);
    }
    if (cf_i18n_lang() != CF_LANG_EN) audit__time_text(a->audited_at_ms, zone, when);
    fprintf(o->f, _("audit of %s\n"), a->path);
    fprintf(o->f, _("bundle: %" PRIu64 " bytes, SHA-256 %s\n"), a->file_bytes,
            a->have_sha ? sha : _("(not computed)"));
    fprintf(o->f, _("audited: %s by cofund-audit %s\n"), when, COFUND_VERSION);
    if (a->have_network)
        fprintf(o->f, _("network %s \"%s\", governance %s (%s), time zone %s\n"), net,
                a->network.name, who, gov, tz);
    else
        fprintf(o->f, _("network %s (its genesis entry was not replayed)\n"), net);
    fprintf(o->f, _("read %zu feeds, %" PRIu64 " entries, %" PRIu64 " checkpoints (signatures "
                  "verified, roots recomputed), %" PRIu64 " fork proofs\n"),
            a->nfeeds, a->entries, a->checkpoints, a->fork_records);
    if (a->have_period)
        fprintf(o->f, _("period: entries dated %s to %s (the entries replayed)\n"), first, last);
    if (a->replayed)
        fprintf(o->f, _("replayed the rules: %" PRIu64 " entries applied, %" PRIu64
                      " violations, %" PRIu64 " entries not checked\n"),
                a->applied, a->violations, a->unchecked);
    else
        fprintf(o->f, _("the rules were not replayed: the bundle failed its integrity checks\n"));
    if (a->replayed && !a->stopped)
        fprintf(o->f, _("cosignatures: %" PRIu64 " valid by members, %" PRIu64
                      " lines by other keys ignored; witnesses required per feed: %u\n"),
                a->cosigs_valid, a->cosigs_ignored, a->opts->witnesses);
}

int audit_print(const audit *a, FILE *f, enum audit_format fmt)
{
    audit_out o = {.f = f, .json = fmt == AUDIT_JSON, .a = a};
    const audit_finding *first = first_failure(a);
    char why[DIAG_TEXT_BYTES + 128] = "";
    if (first) failure_text(&o, first, why, sizeof why);
    if (o.json) jopen(&o, NULL, '{');
    print_header(&o);
    print_feeds(&o);
    if (!o.json) fputc('\n', f);
    print_findings(&o, FIND_FAIL, "failures");
    print_findings(&o, FIND_FORK, "forks");
    print_findings(&o, FIND_VIOLATION, "violations");
    print_findings(&o, FIND_MATCH_AFTER_EXIT, "matches_after_exit");
    print_findings(&o, FIND_UNCHECKED, "unchecked");
    if (!o.json) print_unchecked_summary(&o);
    int err = print_figures(&o);
    if (first == NULL && err != CF_OK)
        snprintf(why, sizeof why, _("the figures could not be computed: %s"), cf_strerror(err));
    if (o.json) {
        jbool(&o, "complete", a->replayed && a->unchecked == 0);
        jbool(&o, "ok", first == NULL && err == CF_OK);
        if (first || err) jstr(&o, "first_failure", why);
        jclose(&o, '}');
        fputc('\n', f);
    } else if (first == NULL && err) {
        fprintf(f, _("\nresult: FAILED: %s\n"), why);
    } else if (first) {
        fprintf(f, _("\nresult: FAILED: %s\n"), why);
    } else if (a->unchecked) {
        fprintf(f, _("\nresult: ok, incomplete: %" PRIu64 " entries could not be checked with this "
                   "bundle alone; everything checked holds\n"), a->unchecked);
    } else {
        fprintf(f, _("\nresult: ok: every signature, root and rule holds\n"));
    }
    if (ferror(f)) return -1;
    return first || err ? AUDIT_EXIT_FAILED : AUDIT_EXIT_OK;
}
