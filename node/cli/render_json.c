/* render_json.c — entries and reports as JSON (render.h): money as decimal
 * strings, keys as hex, times both as ms and ISO 8601; for people (`people`)
 * the amounts and times as render.c writes them. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/names.h"
#include "ledger/rules.h"
#include "render_internal.h"
#include "table.h"

static json_t *text(entry_text t)
{
    return json_stringn(t.s, t.n);
}

static json_t *hex32(const uint8_t k[32])
{
    char h[CF_HEX32_BYTES];
    cf_hex_encode(k, 32, h, sizeof h);
    return json_string(h);
}

/* For machines exact decimal yuan ("500000.00"); for people render__amount()'s text. */
static json_t *money(bool people, int64_t fen)
{
    char a[RENDER_AMT_BYTES];
    if (people) return json_string(render__amount(people, fen, a));
    amount_format_plain(fen, a);
    return json_string(a);
}
#define MONEY(fen) money(people, fen)

/* A time in ms: for machines the number; for people cli_time_text. */
static json_t *stamp(bool people, int32_t tz, uint64_t ms)
{
    char t[CLI_TIME_BYTES];
    return people ? json_string(render__time(people, ms, tz, t)) : json_integer((json_int_t)ms);
}

static json_t *member_ref(const ledger_kv *kv, const uint8_t key[32])
{
    char who[ENTRY_ID_BYTES_MAX + 1];
    ledger_member_label(kv, key, who, sizeof who);
    return json_pack("{s:o, s:s}", "key", hex32(key), "name", who);
}

static json_t *ref_json(const ledger_kv *kv, const entry_ref *r)
{
    return json_pack("{s:o, s:I, s:o}", "member", member_ref(kv, r->author), "index",
                     (json_int_t)r->index, "leaf", hex32(r->leaf));
}

static json_t *pct_json(bool has, pct_range r)
{
    return has ? json_pack("[i,i]", (int)r.min_pct, (int)r.max_pct) : json_null();
}

static json_t *program_json(const ledger_kv *kv, const body_program *p, bool people, int32_t tz)
{
    char x[64];
    json_t *o = json_pack("{s:o, s:o, s:o}", "id", text(p->id), "kind", text(p->kind), "operator",
                          member_ref(kv, p->operator_key));
    switch (entry_program_kind(p)) {
    case PROGRAM_POOL:
        json_object_set_new(o, "leverage", json_integer(p->leverage));
        json_object_set_new(o, "share", json_pack("[i,i]", (int)p->share_num, (int)p->share_den));
        if (p->has_size) json_object_set_new(o, "size", MONEY(p->size_fen));
        return o;
    case PROGRAM_LEASING:
        json_object_set_new(o, "down", pct_json(p->has_down, p->down));
        json_object_set_new(o, "financing", pct_json(p->has_financing, p->financing));
        json_object_set_new(o, "advance", pct_json(p->has_advance, p->advance));
        return o;
    case PROGRAM_AWARD: {
        json_t *levels = json_array();
        for (size_t i = 0; i < p->nlevels; i++) json_array_append_new(levels, MONEY(p->levels_fen[i]));
        json_object_set_new(o, "levels", levels);
        if (p->has_budget) json_object_set_new(o, "annual_budget", MONEY(p->budget_fen));
        if (p->has_requires) json_object_set_new(o, "requires", json_string(cert_kind_name(p->requires)));
        return o;
    }
    case PROGRAM_SUBSIDY:
        json_object_set_new(o, "basis", json_string(cert_kind_name(p->basis)));
        json_object_set_new(o, "share", json_pack("[i,i]", (int)p->share_num, (int)p->share_den));
        if (p->has_cap) json_object_set_new(o, "unit_cap", MONEY(p->cap_fen));
        if (p->has_recipient_cap) json_object_set_new(o, "recipient_cap", MONEY(p->recipient_cap_fen));
        if (p->has_budget) json_object_set_new(o, "annual_budget", MONEY(p->budget_fen));
        return o;
    default:
        break;
    }
    role_set_text(p->counterpart_roles, ",", x, sizeof x);
    json_object_set_new(o, "counterpart", json_string(x));
    json_object_set_new(o, "ratio", json_pack("[i,i]", (int)p->ratio_num, (int)p->ratio_den));
    json_object_set_new(o, "window_days", json_integer(p->window_days));
    json_object_set_new(o, "start_ms", stamp(people, tz, p->start_ms));
    if (p->has_cap) json_object_set_new(o, "project_cap", MONEY(p->cap_fen));
    if (p->has_budget) json_object_set_new(o, "annual_budget", MONEY(p->budget_fen));
    return o;
}

static json_t *body_json(const ledger_kv *kv, const entry *e, bool people, int32_t tz)
{
    switch (e->type) {
    case ENTRY_GENESIS: {
        const body_genesis *g = &e->body.genesis;
        json_t *o = json_pack("{s:o, s:o, s:i}", "name", text(g->name), "member",
                              text(g->member), "tz_minutes", (int)g->tz_min);
        if (g->has_recovery) {
            json_t *keys = json_array();
            for (size_t i = 0; i < g->recovery.n; i++)
                json_array_append_new(keys, hex32(g->recovery.keys[i]));
            json_object_set_new(o, "recovery", keys);
            json_object_set_new(o, "quorum", json_integer(g->quorum));
        }
        return o;
    }
    case ENTRY_SUCCESSION: {
        const body_succession *b = &e->body.succession;
        json_t *sigs = json_array();
        for (size_t i = 0; i < b->sigs.n; i++) {
            char sig[129];
            cf_hex_encode(b->sigs.sigs[i], 64, sig, sizeof sig);
            json_array_append_new(sigs, json_pack("{s:o, s:s}", "key", hex32(b->sigs.keys[i]),
                                                  "sig", sig));
        }
        return json_pack("{s:o, s:I, s:o}", "prev", hex32(b->prev), "close",
                         (json_int_t)b->close, "sigs", sigs);
    }
    case ENTRY_MEMBER: {
        json_t *o = json_pack("{s:o, s:s, s:o}", "key", hex32(e->body.member.key), "role",
                              role_name(e->body.member.role), "name", text(e->body.member.name));
        if (e->body.member.has_display)
            json_object_set_new(o, "display", text(e->body.member.display));
        return o;
    }
    case ENTRY_PROGRAM:
        return program_json(kv, &e->body.program, people, tz);
    case ENTRY_PROJECT: {
        json_t *o = json_pack("{s:o, s:o}", "id", text(e->body.project.id), "name",
                              text(e->body.project.name));
        if (e->body.project.has_kind) json_object_set_new(o, "kind", text(e->body.project.kind));
        return o;
    }
    case ENTRY_CONTRIBUTION: {
        const body_contribution *b = &e->body.contribution;
        json_t *o = json_pack("{s:o, s:o, s:o}", "project", text(b->project), "round",
                              text(b->round), "amount", MONEY(b->amount_fen));
        if (b->has_program) json_object_set_new(o, "program", text(b->program));
        return o;
    }
    case ENTRY_MATCH: {
        const body_match *b = &e->body.match;
        json_t *cites = json_array();
        for (size_t i = 0; i < b->ncites; i++) {
            const entry_cite *c = &b->cites[i];
            json_t *o = json_pack("{s:o, s:I, s:o, s:o}", "member", member_ref(kv, c->author),
                                  "index", (json_int_t)c->index, "leaf", hex32(c->leaf),
                                  "amount", MONEY(c->amount_fen));
            if (c->has_read) json_object_set_new(o, "read", json_integer((json_int_t)c->read));
            json_array_append_new(cites, o);
        }
        return json_pack("{s:o, s:o, s:o, s:o, s:o}", "program", text(b->program), "project",
                         text(b->project), "round", text(b->round), "amount",
                         MONEY(b->amount_fen), "cites", cites);
    }
    case ENTRY_EXIT: {
        json_t *o = json_pack("{s:o, s:o}", "project", text(e->body.exit.project), "amount",
                              MONEY(e->body.exit.amount_fen));
        if (e->body.exit.has_proceeds)
            json_object_set_new(o, "proceeds", MONEY(e->body.exit.proceeds_fen));
        return o;
    }
    case ENTRY_VALUATION:
        return json_pack("{s:o, s:o}", "project", text(e->body.valuation.project), "value",
                         MONEY(e->body.valuation.value_fen));
    case ENTRY_DEPOSIT:
    case ENTRY_WITHDRAW:
        return json_pack("{s:o, s:o}", "program", text(e->body.deposit.program), "amount",
                         MONEY(e->body.deposit.amount_fen));
    case ENTRY_LOAN:
        return json_pack("{s:o, s:o, s:o, s:i}", "program", text(e->body.loan.program), "project",
                         text(e->body.loan.project), "amount", MONEY(e->body.loan.amount_fen),
                         "term_months", (int)e->body.loan.term_months);
    case ENTRY_GUARANTEE:
        return json_pack("{s:o, s:o, s:o}", "program", text(e->body.guarantee.program), "loan",
                         ref_json(kv, &e->body.guarantee.loan), "amount",
                         MONEY(e->body.guarantee.amount_fen));
    case ENTRY_REPAY:
        return json_pack("{s:o, s:o}", "loan", ref_json(kv, &e->body.repay.loan), "amount",
                         MONEY(e->body.repay.amount_fen));
    case ENTRY_DEFAULT:
        return json_pack("{s:o, s:o}", "loan", ref_json(kv, &e->body.loan_default.loan), "loss",
                         MONEY(e->body.loan_default.loss_fen));
    case ENTRY_COMPENSATION:
        return json_pack("{s:o, s:o, s:o}", "program", text(e->body.compensation.program),
                         "default", ref_json(kv, &e->body.compensation.default_ref), "amount",
                         MONEY(e->body.compensation.amount_fen));
    case ENTRY_RELEASE:
        return json_pack("{s:o, s:o, s:o}", "program", text(e->body.release.program), "repay",
                         ref_json(kv, &e->body.release.repay), "amount",
                         MONEY(e->body.release.amount_fen));
    case ENTRY_LEASE: {
        const body_lease *b = &e->body.lease;
        return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "program", text(b->program),
                         "project", text(b->project), "equipment", text(b->equipment), "price",
                         MONEY(b->price_fen), "down", MONEY(b->down_fen), "financing",
                         MONEY(b->financing_fen), "advance", MONEY(b->advance_fen));
    }
    case ENTRY_AWARD:
        return json_pack("{s:o, s:o, s:o, s:i}", "program", text(e->body.award.program),
                         "project", text(e->body.award.project), "amount",
                         MONEY(e->body.award.amount_fen), "year", (int)e->body.award.year);
    case ENTRY_REKEY:
        return json_pack("{s:o, s:o, s:I}", "name", text(e->body.rekey.name), "key",
                         hex32(e->body.rekey.key), "close", (json_int_t)e->body.rekey.close);
    case ENTRY_RETIRE:
        return json_pack("{s:o, s:I}", "name", text(e->body.retire.name), "close",
                         (json_int_t)e->body.retire.close);
    case ENTRY_REVERSAL: {
        json_t *o = json_pack("{s:o, s:o, s:o}", "entry", ref_json(kv, &e->body.reversal.entry),
                              "amount", MONEY(e->body.reversal.amount_fen), "reason",
                              text(e->body.reversal.reason));
        if (e->body.reversal.has_read)
            json_object_set_new(o, "read", json_integer((json_int_t)e->body.reversal.read));
        return o;
    }
    case ENTRY_CLOSE:
        return json_pack("{s:o, s:o}", "program", text(e->body.close.program), "at",
                         stamp(people, tz, e->body.close.at));
    case ENTRY_AMEND: {
        const body_amend *b = &e->body.amend;
        const body_program *p = &b->terms;
        json_t *o = json_pack("{s:o, s:o}", "program", text(p->id), "from",
                              stamp(people, tz, p->start_ms));
        if (b->has_ratio) json_object_set_new(o, "ratio", json_pack("[i,i]", (int)p->ratio_num, (int)p->ratio_den));
        if (b->has_window) json_object_set_new(o, "window_days", json_integer(p->window_days));
        /* a cap or budget of 0 removes it: null */
        if (p->has_cap)
            json_object_set_new(o, "cap", p->cap_fen ? MONEY(p->cap_fen) : json_null());
        if (p->has_budget)
            json_object_set_new(o, "budget", p->budget_fen ? MONEY(p->budget_fen) : json_null());
        if (p->has_size) json_object_set_new(o, "size", MONEY(p->size_fen));
        if (b->has_share) json_object_set_new(o, "share", json_pack("[i,i]", (int)p->share_num, (int)p->share_den));
        if (b->has_leverage) json_object_set_new(o, "leverage", json_integer(p->leverage));
        if (p->has_down) json_object_set_new(o, "down", pct_json(true, p->down));
        if (p->has_financing) json_object_set_new(o, "financing", pct_json(true, p->financing));
        if (p->has_advance) json_object_set_new(o, "advance", pct_json(true, p->advance));
        if (b->has_levels) {
            json_t *l = json_array();
            for (size_t i = 0; i < p->nlevels; i++) json_array_append_new(l, MONEY(p->levels_fen[i]));
            json_object_set_new(o, "levels", l);
        }
        return o;
    }
    case ENTRY_RENAME: {
        json_t *o = json_pack("{s:o}", "name", text(e->body.rename.name));
        if (e->body.rename.has_project) json_object_set_new(o, "project", text(e->body.rename.project));
        if (e->body.rename.has_member) json_object_set_new(o, "member", text(e->body.rename.member));
        return o;
    }
    case ENTRY_BOUND:
        return json_pack("{s:o}", "amount", MONEY(e->body.bound.amount_fen));
    case ENTRY_CERTIFY: {
        const body_certify *b = &e->body.certify;
        json_t *o = json_pack("{s:s, s:o, s:o}", "kind", cert_kind_name(b->kind), "project",
                              text(b->project), "from", stamp(people, tz, b->from));
        if (b->has_until) json_object_set_new(o, "until", stamp(people, tz, b->until));
        if (b->has_year) json_object_set_new(o, "year", json_integer(b->year));
        if (b->has_batch) json_object_set_new(o, "batch", json_integer((json_int_t)b->batch));
        if (b->has_product) json_object_set_new(o, "product", text(b->product));
        if (b->has_price) json_object_set_new(o, "price", MONEY(b->price_fen));
        return o;
    }
    case ENTRY_REVOKE:
        return json_pack("{s:I, s:o}", "certification", (json_int_t)e->body.revoke.certification,
                         "at", stamp(people, tz, e->body.revoke.at));
    case ENTRY_SUBSIDY: {
        const body_subsidy *b = &e->body.subsidy;
        json_t *o = json_pack("{s:o, s:o, s:I, s:i, s:o, s:o}", "program", text(b->program),
                              "project", text(b->project), "certification",
                              (json_int_t)b->certification, "units", (int)b->units, "price",
                              MONEY(b->price_fen), "amount", MONEY(b->amount_fen));
        if (b->has_sale) json_object_set_new(o, "sale", text(b->sale));
        if (b->has_lease) json_object_set_new(o, "lease", ref_json(kv, &b->lease));
        return o;
    }
    default:
        return json_object();
    }
}

/* The entry's fields, for machines (render_entry_json) or for people (the
 * values of render_entry_text's listing). */
static json_t *entry_json(const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                          int32_t tz_min, bool people)
{
    char t[CLI_TIME_BYTES];
    render__time(people, e->time_ms, tz_min, t);
    json_t *o = json_pack("{s:o, s:I, s:s, s:I, s:s, s:I, s:o, s:o}", "author",
                          member_ref(kv, e->author), "index", (json_int_t)e->index, "type",
                          entry_type_name(e->type), "time_ms", (json_int_t)e->time_ms, "time", t,
                          "gov", (json_int_t)e->gov, "leaf", hex32(leaf), "body",
                          body_json(kv, e, people, tz_min));
    if (e->has_net) json_object_set_new(o, "net", hex32(e->net));
    state_reversal rv; /* R-REVERSE: the link from a reversed entry to its reversal */
    if (state_reversed_get(kv, e->author, e->index, &rv) == CF_OK)
        json_object_set_new(o, "reversed_by",
                            json_pack("{s:o, s:I}", "author", member_ref(kv, e->author), "index",
                                      (json_int_t)rv.index));
    return o;
}

json_t *render_entry_json(const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                          int32_t tz_min)
{
    return entry_json(kv, e, leaf, tz_min, false);
}

static void print_flat(FILE *f, const char *path, json_t *v)
{
    char sub[256];
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", k);
            print_flat(f, sub, x);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            print_flat(f, sub, x);
        }
    } else if (json_is_string(v)) {
        fprintf(f, "%-28s %s\n", path, json_string_value(v));
    } else if (json_is_integer(v)) {
        fprintf(f, "%-28s %lld\n", path, (long long)json_integer_value(v));
    }
}

void render_entry_text(FILE *f, const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                       int32_t tz_min)
{
    json_t *o = entry_json(kv, e, leaf, tz_min, true);
    char summary[512];
    render_summary_for(RENDER_PEOPLE, kv, e, summary, sizeof summary);
    fprintf(f, "%s\n", summary);
    print_flat(f, "", o);
    json_decref(o);
}

/* ---- reports (ledger/report.h) as jansson values ------------------------------ */

typedef struct {
    json_t *stack[16]; /* the containers open, innermost last (borrowed) */
    int depth;
    json_t *root; /* the outermost container opened (owned until returned) */
} json_sink_state;

static void put(json_sink_state *j, const char *name, json_t *v)
{
    json_t *top = j->depth > 0 ? j->stack[j->depth - 1] : NULL;
    if (top == NULL) json_decref(v);
    else if (json_is_object(top)) json_object_set_new(top, name ? name : "", v);
    else json_array_append_new(top, v);
}

static void sink_text(void *arg, const char *name, const char *s)
{
    put(arg, name, json_string(s));
}

static void sink_count(void *arg, const char *name, int64_t n)
{
    put(arg, name, json_integer((json_int_t)n));
}

static void sink_flag(void *arg, const char *name, bool b)
{
    put(arg, name, json_boolean(b));
}

static void sink_null(void *arg, const char *name)
{
    put(arg, name, json_null());
}

static void sink_open(void *arg, const char *name, char bracket)
{
    json_sink_state *j = arg;
    json_t *v = bracket == '[' ? json_array() : json_object();
    if (j->depth == 0 && j->root == NULL) j->root = v;
    else put(j, name, v);
    if (j->depth < (int)(sizeof j->stack / sizeof j->stack[0])) j->stack[j->depth++] = v;
}

static void sink_close(void *arg, char bracket)
{
    json_sink_state *j = arg;
    (void)bracket;
    if (j->depth > 0) j->depth--;
}

static const report_sink json_sink = {sink_text, sink_count, sink_flag, sink_null, sink_open, sink_close};

json_t *render_report(const report_ctx *c, const report_desc *d, const void *row, json_t *into,
                      int *err)
{
    json_sink_state j = {.depth = 0};
    if (into) j.stack[j.depth++] = into;
    *err = report_write(c, d, row, NULL, &json_sink, &j);
    return into ? json_array_get(into, json_array_size(into) - 1) : j.root;
}

int render_program_json(const report_ctx *c, const state_program *pg, uint64_t pending,
                        json_t **out)
{
    report_program r;
    const report_desc *d;
    int err = report_program_load(c, pg, pending, &r, &d);
    *out = NULL;
    if (err) return err;
    *out = render_report(c, d, &r, NULL, &err);
    if (err) {
        json_decref(*out);
        *out = NULL;
    }
    return err;
}
