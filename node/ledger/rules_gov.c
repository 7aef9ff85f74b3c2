/* rules_gov.c — the governance's registrations (docs/rules.md "R-ROLE",
 * "R-REF", "R-UNIQ", "R-MEMBERS"): the genesis, members, programs of every
 * kind (with each kind's own terms' rules, rule_kinds) and projects. The
 * rule engine's table (rules.c) names these checks and applies; governance
 * records carry the governance index of the entry that made them
 * (rule_ctx.gov_index, counted across the governance's keys: R-SUCCEED). */
#include <string.h>

#include "crypto/cf_error.h"
#include "rules_internal.h"

/* ---- governance entries ------------------------------------------------- */

int rules__check_genesis(rule_ctx *c, const entry *e, diag *d)
{
    const body_genesis *g = &e->body.genesis;
    (void)c;
    for (size_t i = 0; i < g->recovery.n; i++)
        if (memcmp(g->recovery.keys[i], e->author, 32) == 0)
            return diag_set(d, CF_EREJECTED, "R-SUCCEED.1",
                            "the governance key is one of its own recovery keys: a recovery "
                            "key must be kept apart from it");
    if (e->index != 0)
        return diag_set(d, CF_EREJECTED, "R-ENV", "a genesis entry must be a feed's first entry");
    if (e->gov != 0)
        return diag_set(d, CF_EREJECTED, "R-GOV", "a genesis entry must have gov 0, not %llu",
                        (unsigned long long)e->gov);
    return CF_OK;
}

void ledger_network_of_genesis(const entry *e, const uint8_t leaf[32], state_network *n)
{
    const body_genesis *g = &e->body.genesis;
    memset(n, 0, sizeof *n);
    n->tz_min = g->tz_min;
    memcpy(n->net, leaf, 32);
    memcpy(n->gov_key, e->author, 32);
    memcpy(n->name, g->name.s, g->name.n);
    n->name[g->name.n] = '\0';
    n->quorum = g->has_quorum ? g->quorum : 0;
    n->nrecovery = g->has_recovery ? g->recovery.n : 0;
    memcpy(n->recovery, g->recovery.keys, sizeof n->recovery);
}

int rules__apply_genesis(rule_ctx *c, const entry *e, diag *d)
{
    const body_genesis *g = &e->body.genesis;
    state_network n;
    ledger_network_of_genesis(e, c->leaf, &n);
    state_member m = {.role = ROLE_GOVERNANCE, .added_at = e->index};
    memcpy(m.key, e->author, 32);
    memcpy(m.name, g->member.s, g->member.n);
    m.name[g->member.n] = '\0';
    int err;
    if ((err = state_network_put(c->kv, &n)) != 0 || (err = state_member_put(c->kv, &m)) != 0 ||
        (err = state_member_count_put(c->kv, 1)) != 0)
        return rules__state_error(d, err, N_("the network"));
    return CF_OK;
}

int rules__check_member(rule_ctx *c, const entry *e, diag *d)
{
    const body_member *b = &e->body.member;
    state_member m;
    int err = state_member_get(c->kv, b->key, &m);
    if (err == CF_OK)
        return diag_set(d, CF_EREJECTED, "R-UNIQ", "key is already member %s (%s)", m.name,
                        role_name(m.role));
    if (err != CF_ENOTFOUND) return rules__state_error(d, err, N_("members"));
    err = state_member_by_name(c->kv, b->name.s, b->name.n, &m);
    if (err == CF_OK)
        return diag_set(d, CF_EREJECTED, "R-UNIQ", "member name \"%.*s\" is already taken",
                        (int)b->name.n, b->name.s);
    if (err != CF_ENOTFOUND) return rules__state_error(d, err, N_("members"));
    return rules__members_room(c, N_("members"), d);
}

int rules__members_room(rule_ctx *c, const char *what, diag *d)
{
    uint64_t n;
    int err = state_member_count_get(c->kv, &n);
    if (err) return rules__state_error(d, err, N_("members"));
    if (n >= LEDGER_MEMBERS_MAX)
        return diag_set(d, CF_EREJECTED, "R-MEMBERS",
                        "the network already has %llu %s, the most it may have (a home holds "
                        "at most %d feeds)",
                        (unsigned long long)n, _(what), LEDGER_MEMBERS_MAX);
    return CF_OK;
}

int rules__apply_member(rule_ctx *c, const entry *e, diag *d)
{
    const body_member *b = &e->body.member;
    state_member m = {.role = b->role, .added_at = c->gov_index};
    memcpy(m.key, b->key, 32);
    memcpy(m.name, b->name.s, b->name.n);
    m.name[b->name.n] = '\0';
    if (b->has_display) {
        memcpy(m.display, b->display.s, b->display.n);
        m.display[b->display.n] = '\0';
    }
    uint64_t n;
    int err = state_member_count_get(c->kv, &n);
    if (err == CF_OK) err = state_member_put(c->kv, &m);
    if (err == CF_OK) err = state_member_count_put(c->kv, n + 1);
    return err ? rules__state_error(d, err, N_("members")) : CF_OK;
}

/* Does `key` name a member with `role` as of governance size gov? */
int rules__member_as_of(const rule_ctx *c, const uint8_t key[32], uint64_t gov,
                       state_member *m, diag *d)
{
    int err = rules__member_get(c, key, m);
    if (err != CF_OK && err != CF_ENOTFOUND) return rules__state_error(d, err, N_("members"));
    return err == CF_OK && m->added_at < gov ? CF_OK : CF_ENOTFOUND;
}

int rules__member_name(const rule_ctx *c, const uint8_t key[32], char name[STATE_ID_CAP],
                      diag *d)
{
    state_member m;
    int err = rules__member_get(c, key, &m);
    if (err == CF_ENOTFOUND) {
        ledger_member_label(c->kv, key, name, STATE_ID_CAP);
        return CF_OK;
    }
    if (err) return rules__state_error(d, err, N_("members"));
    memcpy(name, m.name, sizeof m.name);
    return CF_OK;
}

/* ---- the program kinds -------------------------------------------------- */

#define FUND ROLE_BIT(ROLE_FUND)
#define LESSOR ROLE_BIT(ROLE_LESSOR)

static const rule_kind rule_kinds[PROGRAM__KINDS] = {
    [PROGRAM_MATCH] = {FUND, NULL},
    [PROGRAM_POOL] = {FUND, NULL},
    [PROGRAM_LEASING] = {LESSOR, rules__check_leasing_program},
    [PROGRAM_AWARD] = {FUND, rules__check_award_program},
    [PROGRAM_SUBSIDY] = {FUND, rules__check_subsidy_program},
};

int rules__check_program(rule_ctx *c, const entry *e, diag *d)
{
    const body_program *b = &e->body.program;
    state_program p;
    state_member op;
    char label[STATE_ID_CAP];
    int err = state_program_get(c->kv, b->id.s, b->id.n, &p);
    if (err == CF_OK)
        return diag_set(d, CF_EREJECTED, "R-UNIQ", "program %.*s is already registered",
                        (int)b->id.n, b->id.s);
    if (err != CF_ENOTFOUND) return rules__state_error(d, err, N_("programs"));
    enum program_kind kind = entry_program_kind(b);
    if (kind == 0) /* the decoder refuses it; an entry built by hand may not */
        return diag_set(d, CF_EREJECTED, "R-ENV", "program kind \"%.*s\" is unknown",
                        (int)b->kind.n, b->kind.s);
    const rule_kind *k = &rule_kinds[kind];
    err = rules__member_as_of(c, b->operator_key, e->gov, &op, d);
    if (err == CF_ENOTFOUND) {
        ledger_member_label(c->kv, b->operator_key, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-REF", "operator %s is not a member", label);
    }
    if (err) return err;
    if (!(k->operators & ROLE_BIT(op.role))) {
        char roles[64];
        role_set_text(k->operators, " or ", roles, sizeof roles);
        return diag_set(d, CF_EREJECTED, "R-REF", "operator %s is a %s, not a %s", op.name,
                        role_name(op.role), roles);
    }
    return k->check ? k->check(c, e, d) : CF_OK;
}

int rules__apply_program(rule_ctx *c, const entry *e, diag *d)
{
    const body_program *b = &e->body.program;
    state_program p = {
        .added_at = c->gov_index,
        .counterpart_roles = b->counterpart_roles,
        .ratio_num = b->ratio_num,
        .ratio_den = b->ratio_den,
        .window_days = b->window_days,
        .has_cap = b->has_cap,
        .has_budget = b->has_budget,
        .cap_fen = b->has_cap ? b->cap_fen : 0,
        .budget_fen = b->has_budget ? b->budget_fen : 0,
        .start_ms = b->start_ms,
        .pkind = entry_program_kind(b),
        .leverage = b->leverage,
        .share_num = b->share_num,
        .share_den = b->share_den,
        .has_size = b->has_size,
        .size_fen = b->has_size ? b->size_fen : 0,
        .has_part = {b->has_down, b->has_financing, b->has_advance},
        .part = {b->has_down ? b->down : (pct_range){0, 0},
                 b->has_financing ? b->financing : (pct_range){0, 0},
                 b->has_advance ? b->advance : (pct_range){0, 0}},
        .nlevels = b->nlevels,
        .has_requires = b->has_requires,
        .requires = b->has_requires ? b->requires : 0,
        .basis = b->basis,
        .has_recipient_cap = b->has_recipient_cap,
        .recipient_cap_fen = b->has_recipient_cap ? b->recipient_cap_fen : 0,
    };
    memcpy(p.levels_fen, b->levels_fen, sizeof p.levels_fen);
    memcpy(p.id, b->id.s, b->id.n);
    p.id[b->id.n] = '\0';
    memcpy(p.kind, b->kind.s, b->kind.n);
    p.kind[b->kind.n] = '\0';
    memcpy(p.operator_key, b->operator_key, 32);
    int err = state_program_put(c->kv, &p);
    return err ? rules__state_error(d, err, N_("programs")) : CF_OK;
}

int rules__check_project(rule_ctx *c, const entry *e, diag *d)
{
    const body_project *b = &e->body.project;
    state_project p;
    int err = state_project_get(c->kv, b->id.s, b->id.n, &p);
    if (err == CF_OK)
        return diag_set(d, CF_EREJECTED, "R-UNIQ", "project %.*s is already registered",
                        (int)b->id.n, b->id.s);
    return err == CF_ENOTFOUND ? CF_OK : rules__state_error(d, err, N_("projects"));
}

int rules__apply_project(rule_ctx *c, const entry *e, diag *d)
{
    const body_project *b = &e->body.project;
    state_project p = {.added_at = c->gov_index};
    memcpy(p.id, b->id.s, b->id.n);
    p.id[b->id.n] = '\0';
    memcpy(p.name, b->name.s, b->name.n);
    p.name[b->name.n] = '\0';
    if (b->has_kind) {
        memcpy(p.kind, b->kind.s, b->kind.n);
        p.kind[b->kind.n] = '\0';
    }
    int err = state_project_put(c->kv, &p);
    return err ? rules__state_error(d, err, N_("projects")) : CF_OK;
}

