/* render.c — entries for people (one-line summaries, field listings) and
 * for programs (JSON: money as decimal strings, keys as hex, times both as
 * ms and ISO 8601). */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "caltime.h"
#include "cf_util.h"
#include "rules.h"

static void label(const ledger_kv *kv, const uint8_t key[32], char *out, size_t cap)
{
    ledger_member_label(kv, key, out, cap);
}

static void ratio_text(uint32_t n, uint32_t dn, char *out, size_t cap)
{
    snprintf(out, cap, "%u:%u", n, dn);
}


void render_summary(const ledger_kv *kv, const entry *e, char *out, size_t cap)
{
    char a[AMOUNT_TEXT_BYTES], who[ENTRY_ID_BYTES_MAX + 1], x[64];
    switch (e->type) {
    case ENTRY_GENESIS:
        snprintf(out, cap, "network \"%.*s\" created by %.*s", (int)e->body.genesis.name.n,
                 e->body.genesis.name.s, (int)e->body.genesis.member.n, e->body.genesis.member.s);
        break;
    case ENTRY_MEMBER:
        snprintf(out, cap, "member %.*s added as %s", (int)e->body.member.name.n,
                 e->body.member.name.s, role_name(e->body.member.role));
        break;
    case ENTRY_PROGRAM: {
        const body_program *p = &e->body.program;
        label(kv, p->operator_key, who, sizeof who);
        ratio_text(p->ratio_num, p->ratio_den, x, sizeof x);
        snprintf(out, cap, "program %.*s (%.*s) run by %s, ratio %s, window %u days",
                 (int)p->id.n, p->id.s, (int)p->kind.n, p->kind.s, who, x, p->window_days);
        break;
    }
    case ENTRY_PROJECT:
        snprintf(out, cap, "project %.*s \"%.*s\"", (int)e->body.project.id.n,
                 e->body.project.id.s, (int)e->body.project.name.n, e->body.project.name.s);
        break;
    case ENTRY_CONTRIBUTION: {
        const body_contribution *b = &e->body.contribution;
        amount_format(b->amount_fen, a);
        snprintf(out, cap, "contribution %s to %.*s round %.*s%s%.*s", a, (int)b->project.n,
                 b->project.s, (int)b->round.n, b->round.s, b->has_program ? " for program " : "",
                 b->has_program ? (int)b->program.n : 0, b->has_program ? b->program.s : "");
        break;
    }
    case ENTRY_MATCH: {
        const body_match *b = &e->body.match;
        amount_format(b->amount_fen, a);
        snprintf(out, cap, "match %s by program %.*s in %.*s round %.*s, %zu citation%s", a,
                 (int)b->program.n, b->program.s, (int)b->project.n, b->project.s,
                 (int)b->round.n, b->round.s, b->ncites, b->ncites == 1 ? "" : "s");
        break;
    }
    case ENTRY_EXIT:
        amount_format(e->body.exit.amount_fen, a);
        snprintf(out, cap, "exit %s from %.*s", a, (int)e->body.exit.project.n,
                 e->body.exit.project.s);
        break;
    default:
        snprintf(out, cap, "?");
    }
}

static json_t *text(entry_text t)
{
    return json_stringn(t.s, t.n);
}

static json_t *hex32(const uint8_t k[32])
{
    char h[65];
    cf_hex_encode(k, 32, h, sizeof h);
    return json_string(h);
}

static json_t *money(int64_t fen)
{
    char a[AMOUNT_TEXT_BYTES];
    amount_format_plain(fen, a);
    return json_string(a);
}

static json_t *member_ref(const ledger_kv *kv, const uint8_t key[32])
{
    char who[ENTRY_ID_BYTES_MAX + 1];
    label(kv, key, who, sizeof who);
    return json_pack("{s:o, s:s}", "key", hex32(key), "name", who);
}

static json_t *body_json(const ledger_kv *kv, const entry *e)
{
    char x[64];
    switch (e->type) {
    case ENTRY_GENESIS:
        return json_pack("{s:o, s:o, s:i}", "name", text(e->body.genesis.name), "member",
                         text(e->body.genesis.member), "tz_minutes", (int)e->body.genesis.tz_min);
    case ENTRY_MEMBER:
        return json_pack("{s:o, s:s, s:o}", "key", hex32(e->body.member.key), "role",
                         role_name(e->body.member.role), "name", text(e->body.member.name));
    case ENTRY_PROGRAM: {
        const body_program *p = &e->body.program;
        role_set_text(p->counterpart_roles, ",", x, sizeof x);
        json_t *o = json_pack("{s:o, s:o, s:o, s:s, s:[i,i], s:i, s:I}", "id", text(p->id), "kind",
                              text(p->kind), "operator", member_ref(kv, p->operator_key),
                              "counterpart", x, "ratio", (int)p->ratio_num, (int)p->ratio_den,
                              "window_days", (int)p->window_days, "start_ms",
                              (json_int_t)p->start_ms);
        if (p->has_cap) json_object_set_new(o, "project_cap", money(p->cap_fen));
        if (p->has_budget) json_object_set_new(o, "annual_budget", money(p->budget_fen));
        return o;
    }
    case ENTRY_PROJECT: {
        json_t *o = json_pack("{s:o, s:o}", "id", text(e->body.project.id), "name",
                              text(e->body.project.name));
        if (e->body.project.has_kind) json_object_set_new(o, "kind", text(e->body.project.kind));
        return o;
    }
    case ENTRY_CONTRIBUTION: {
        const body_contribution *b = &e->body.contribution;
        json_t *o = json_pack("{s:o, s:o, s:o}", "project", text(b->project), "round",
                              text(b->round), "amount", money(b->amount_fen));
        if (b->has_program) json_object_set_new(o, "program", text(b->program));
        return o;
    }
    case ENTRY_MATCH: {
        const body_match *b = &e->body.match;
        json_t *cites = json_array();
        for (size_t i = 0; i < b->ncites; i++) {
            const entry_cite *c = &b->cites[i];
            json_array_append_new(cites, json_pack("{s:o, s:I, s:o, s:o}", "member",
                                                   member_ref(kv, c->author), "index",
                                                   (json_int_t)c->index, "leaf", hex32(c->leaf),
                                                   "amount", money(c->amount_fen)));
        }
        return json_pack("{s:o, s:o, s:o, s:o, s:o}", "program", text(b->program), "project",
                         text(b->project), "round", text(b->round), "amount",
                         money(b->amount_fen), "cites", cites);
    }
    case ENTRY_EXIT:
        return json_pack("{s:o, s:o}", "project", text(e->body.exit.project), "amount",
                         money(e->body.exit.amount_fen));
    default:
        return json_object();
    }
}

json_t *render_entry_json(const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                          int32_t tz_min)
{
    char t[CALTIME_TEXT_BYTES];
    caltime_format(e->time_ms, tz_min, t);
    json_t *o = json_pack("{s:o, s:I, s:s, s:I, s:s, s:I, s:o, s:o}", "author",
                          member_ref(kv, e->author), "index", (json_int_t)e->index, "type",
                          entry_type_name(e->type), "time_ms", (json_int_t)e->time_ms, "time", t,
                          "gov", (json_int_t)e->gov, "leaf", hex32(leaf), "body", body_json(kv, e));
    if (e->has_net) json_object_set_new(o, "net", hex32(e->net));
    return o;
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
    json_t *o = render_entry_json(kv, e, leaf, tz_min);
    char summary[512];
    render_summary(kv, e, summary, sizeof summary);
    fprintf(f, "%s\n", summary);
    print_flat(f, "", o);
    json_decref(o);
}
