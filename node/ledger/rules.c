/* rules.c — the rule engine: envelope rules shared by every entry type, then
 * one check/apply pair per type (see rules.h, docs/rules.md).
 *
 * Rule IDs appear in every rejection so code, tests, errors and docs can be
 * tied together:
 *   R-ENV  well-formed; net, author and index fit the feed
 *   R-TIME time never decreases within a feed
 *   R-GOV  gov never decreases and is at most the governance feed's size
 *   R-ROLE the author may write this type (as of gov)
 *   R-REF  what the entry names exists (as of gov)
 *   R-UNIQ members, names, programs and projects are registered once
 *   R-MEMBERS at most LEDGER_MEMBERS_MAX members
 *   R-VOLUME a feed's volume stays within LEDGER_FEED_VOLUME_MAX
 *   the governance's registrations: genesis, members, programs, projects
 *                                                    (rules_gov.c)
 *   R-MATCH.1-6, R-CAP, R-BUDGET, R-EXIT, R-SUM  (rules_invest.c)
 *   R-POOL.1-6, 8, 9  the loan risk compensation pool (rules_pool.c)
 *   R-LEASE.1-3, R-AWARD.1-4                       (rules_lease.c)
 *   R-KEY.1-3  a member's key replaced or retired    (rules_key.c)
 *   R-REVERSE.1-4  an entry reversed by its author   (rules_reverse.c)
 *   R-CLOSE.1-2, R-AMEND.1-2, R-RENAME, R-BOUND  governance's corrections
 *                                                    (rules_terms.c)
 *   R-SUCCEED.1-3  a new governance key, on the recovery keys' quorum
 *                                                    (rules_succession.c)
 *   R-CERT.1-2, R-SUBSIDY.1-8, R-AWARD.5  certification and subsidies
 *                                                    (rules_subsidy.c)
 *   R-MARK  a fund's valuation mark of a project it holds (rules_mark.c)
 *
 * Two tables drive it: rule_types (per entry type: writers, the kind of
 * program it names, check and apply) and rule_kinds (per program kind: who
 * may operate it, its terms' own rules).
 */
#include "rules.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "caltime.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "rules_internal.h"

void ledger_member_label(const ledger_kv *kv, const uint8_t key[32], char *out,
                         size_t cap)
{
    state_member m;
    if (state_member_get(kv, key, &m) == CF_OK) {
        snprintf(out, cap, "%s", m.name);
        return;
    }
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(key, 32, hex, sizeof hex);
    snprintf(out, cap, "%.16s", hex);
}

/* Every rule ID a verdict can carry (docs/rules.md; R-POOL.7 is retired). */
static const char *const rule_ids[] = {
    "R-ENV",     "R-TIME",    "R-GOV",     "R-ROLE",    "R-REF",     "R-UNIQ",
    "R-MEMBERS", "R-VOLUME",  "R-MATCH.1", "R-MATCH.2", "R-MATCH.3", "R-MATCH.4",
    "R-MATCH.5", "R-MATCH.6", "R-CAP",     "R-BUDGET",  "R-EXIT",    "R-SUM",
    "R-POOL.1",  "R-POOL.2",  "R-POOL.3",  "R-POOL.4",  "R-POOL.5",  "R-POOL.6",
    "R-POOL.8",  "R-POOL.9",  "R-LEASE.1", "R-LEASE.2", "R-LEASE.3", "R-AWARD.1",
    "R-AWARD.2", "R-AWARD.3", "R-AWARD.4", "R-KEY.1",   "R-KEY.2",   "R-KEY.3",
    "R-REVERSE.1", "R-REVERSE.2", "R-REVERSE.3", "R-REVERSE.4",
    "R-CLOSE.1", "R-CLOSE.2", "R-AMEND.1", "R-AMEND.2", "R-RENAME", "R-BOUND",
    "R-SUCCEED.1", "R-SUCCEED.2", "R-SUCCEED.3",
    "R-CERT.1", "R-CERT.2", "R-AWARD.5", "R-SUBSIDY.1", "R-SUBSIDY.2", "R-SUBSIDY.3",
    "R-SUBSIDY.4", "R-SUBSIDY.5", "R-SUBSIDY.6", "R-SUBSIDY.7", "R-SUBSIDY.8",
    "R-MARK",
};

bool ledger_rule_known(const char *id)
{
    if (id == NULL) return false;
    for (size_t i = 0; i < sizeof rule_ids / sizeof rule_ids[0]; i++)
        if (strcmp(rule_ids[i], id) == 0) return true;
    return false;
}

int64_t ledger_entry_volume(const entry *e)
{
    switch (e->type) {
    case ENTRY_CONTRIBUTION: return e->body.contribution.amount_fen;
    case ENTRY_MATCH: return e->body.match.amount_fen;
    case ENTRY_EXIT: return e->body.exit.amount_fen;
    case ENTRY_DEPOSIT: return e->body.deposit.amount_fen;
    case ENTRY_WITHDRAW: return e->body.withdraw.amount_fen;
    case ENTRY_LOAN: return e->body.loan.amount_fen;
    case ENTRY_GUARANTEE: return e->body.guarantee.amount_fen;
    case ENTRY_REPAY: return e->body.repay.amount_fen;
    case ENTRY_DEFAULT: return e->body.loan_default.loss_fen;
    case ENTRY_COMPENSATION: return e->body.compensation.amount_fen;
    case ENTRY_RELEASE: return e->body.release.amount_fen;
    case ENTRY_LEASE: return e->body.lease.price_fen;
    case ENTRY_AWARD: return e->body.award.amount_fen;
    case ENTRY_SUBSIDY: return e->body.subsidy.amount_fen;
    /* A reversal gives its entry's amount back (R-VOLUME, R-REVERSE): every
     * total it moved is back, so a mistyped amount does not use up the
     * feed's volume for good. */
    case ENTRY_REVERSAL: return -e->body.reversal.amount_fen;
    default: return 0;
    }
}

/* A state read error is not a verdict: pass it on with context. */
int rules__state_error(diag *d, int err, const char *what)
{
    return diag_set(d, err, NULL, "reading %s from the ledger state: %s", _(what),
                    cf_strerror(err));
}

void rules__cstr(entry_text t, char out[STATE_ID_CAP])
{
    size_t n = t.n < STATE_ID_CAP - 1 ? t.n : STATE_ID_CAP - 1;
    if (n) memcpy(out, t.s, n);
    out[n] = '\0';
}

int rules__project_as_of(rule_ctx *c, entry_text id, uint64_t gov, const char *rule,
                        state_project *p, diag *d)
{
    int err = state_project_get(c->kv, id.s, id.n, p);
    if (err == CF_ENOTFOUND || (err == CF_OK && p->added_at >= gov))
        return diag_set(d, CF_EREJECTED, rule, "project %.*s is not registered", (int)id.n,
                        id.s);
    return err ? rules__state_error(d, err, N_("projects")) : CF_OK;
}

int rules__program_as_of(rule_ctx *c, entry_text id, uint64_t gov, state_program *p,
                        diag *d)
{
    int err = rules__program_get(c, id.s, id.n, p);
    if (err == CF_ENOTFOUND || (err == CF_OK && p->added_at >= gov))
        return diag_set(d, CF_EREJECTED, "R-REF", "program %.*s is not registered",
                        (int)id.n, id.s);
    return err ? rules__state_error(d, err, N_("programs")) : CF_OK;
}

int rules__sum_fits(rule_ctx *c, const state_series *s, int64_t delta, const char *what,
                   diag *d)
{
    int64_t value, next;
    int err = rules__head_value(c, s, &value);
    if (err) return rules__state_error(d, err, what);
    if (!amount_add(value, delta, &next))
        return diag_set(d, CF_EREJECTED, "R-SUM", "%s would overflow", _(what));
    return CF_OK;
}

int rules__add(rule_ctx *c, const state_series *s, uint64_t time_ms, int64_t delta,
              const char *what, diag *d)
{
    if (delta == 0) return CF_OK;
    int err = rules__head_add(c, s, time_ms, delta);
    return err ? rules__state_error(d, err, what) : CF_OK;
}

int rules__cite_disputed(rule_ctx *c, const uint8_t author[32], uint64_t index,
                        bool *disputed, diag *d)
{
    uint64_t stop;
    int err = state_feed_stop(c->kv, author, &stop);
    *disputed = err == CF_OK && index >= stop;
    if (err == CF_ENOTFOUND) return CF_OK;
    return err ? rules__state_error(d, err, N_("fork points")) : CF_OK;
}

int rules__cited_applied(rule_ctx *c, const entry_ref *r, const char *what, diag *d)
{
    state_tip t;
    char label[STATE_ID_CAP];
    int err = ledger_cache_tip(c->kv, c->cache, r->author, &t);
    if (err) return rules__state_error(d, err, N_("feed tips"));
    if (r->index < t.applied) return CF_OK;
    ledger_member_label(c->kv, r->author, label, sizeof label);
    return diag_set(d, CF_EPENDING, NULL, "waiting for %s %s#%llu", _(what), label,
                    (unsigned long long)r->index);
}

/* ---- the batch cache (rules.h) -------------------------------------------- */

void ledger_cache_init(ledger_cache *c)
{
    memset(c, 0, sizeof *c);
}

/* The slot to fill among n whose use stamps are at used[0], used[stride],
 * ...: an empty one, else the least recently used. */
static size_t cache_victim(const uint64_t *used, size_t stride, size_t n)
{
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t u = *(const uint64_t *)(const void *)((const char *)used + i * stride);
        if (u == 0) return i;
        if (u < *(const uint64_t *)(const void *)((const char *)used + best * stride)) best = i;
    }
    return best;
}
#define VICTIM(arr) \
    cache_victim(&(arr)[0].used, sizeof (arr)[0], sizeof (arr) / sizeof (arr)[0])

int ledger_cache_network(const ledger_kv *kv, ledger_cache *c, state_network *out)
{
    if (c != NULL && c->have_net) {
        *out = c->net;
        return CF_OK;
    }
    int err = state_network_get(kv, out);
    if (err == CF_OK && c != NULL) {
        c->net = *out;
        c->have_net = true;
    }
    return err;
}

int ledger_cache_tip(const ledger_kv *kv, ledger_cache *c, const uint8_t author[32],
                     state_tip *out)
{
    if (c != NULL)
        for (size_t i = 0; i < LEDGER_CACHE_TIPS; i++)
            if (c->tips[i].used != 0 && memcmp(c->tips[i].author, author, 32) == 0) {
                c->tips[i].used = ++c->clock;
                *out = c->tips[i].tip;
                return CF_OK;
            }
    int err = state_tip_get(kv, author, out);
    if (err == CF_OK && c != NULL) {
        size_t i = VICTIM(c->tips);
        c->tips[i].used = ++c->clock;
        memcpy(c->tips[i].author, author, 32);
        c->tips[i].tip = *out;
    }
    return err;
}

/* A member record through the cache (c may be NULL): a member record changes
 * only by a rekey or retire (R-KEY) or a rename of the member (R-RENAME),
 * after which cache_applied drops the cached ones, so a copy stays right. */
static int cache_member(const ledger_kv *kv, ledger_cache *c, const uint8_t key[32],
                        state_member *out)
{
    if (c != NULL)
        for (size_t i = 0; i < LEDGER_CACHE_MEMBERS; i++)
            if (c->members[i].used != 0 && memcmp(c->members[i].m.key, key, 32) == 0) {
                c->members[i].used = ++c->clock;
                *out = c->members[i].m;
                return CF_OK;
            }
    int err = state_member_get(kv, key, out);
    if (err == CF_OK && c != NULL) {
        size_t i = VICTIM(c->members);
        c->members[i].used = ++c->clock;
        c->members[i].m = *out;
    }
    return err;
}

/* The same for programs (written once, R-UNIQ). */
int rules__program_get(const rule_ctx *c, const char *id, size_t n, state_program *out)
{
    ledger_cache *k = c->cache;
    if (k != NULL)
        for (size_t i = 0; i < LEDGER_CACHE_PROGRAMS; i++)
            if (k->programs[i].used != 0 && strlen(k->programs[i].p.id) == n &&
                memcmp(k->programs[i].p.id, id, n) == 0) {
                k->programs[i].used = ++k->clock;
                *out = k->programs[i].p;
                return CF_OK;
            }
    int err = state_program_get(c->kv, id, n, out);
    if (err == CF_OK && k != NULL) {
        size_t i = VICTIM(k->programs);
        k->programs[i].used = ++k->clock;
        k->programs[i].p = *out;
    }
    return err;
}

/* e was applied, its feed's volume moved by `volume`: what it changed among
 * the cached records. */
static void cache_applied(ledger_cache *c, const entry *e, int64_t volume)
{
    for (size_t i = 0; i < LEDGER_CACHE_TIPS; i++)
        if (c->tips[i].used != 0 && memcmp(c->tips[i].author, e->author, 32) == 0)
            c->tips[i].tip = (state_tip){.applied = e->index + 1, .last_time = e->time_ms,
                                         .last_gov = e->gov,
                                         .volume = c->tips[i].tip.volume + volume};
    if (e->type == ENTRY_GENESIS || e->type == ENTRY_RENAME || e->type == ENTRY_BOUND)
        c->have_net = false; /* the network exists now, or changed */
    if (e->type == ENTRY_SUCCESSION) c->have_net = false; /* a new governance key */
    if (e->type == ENTRY_REKEY || e->type == ENTRY_RETIRE || e->type == ENTRY_SUCCESSION ||
        (e->type == ENTRY_RENAME && e->body.rename.has_member))
        for (size_t i = 0; i < LEDGER_CACHE_MEMBERS; i++) c->members[i].used = 0;
}

int rules__member_get(const rule_ctx *c, const uint8_t key[32], state_member *out)
{
    return cache_member(c->kv, c->cache, key, out);
}

/* ---- series heads shared by one entry's check and apply ------------------- */

static rule_head *head_find(rule_ctx *c, const state_series *s)
{
    for (size_t i = 0; i < c->nheads; i++)
        if (c->heads[i].s.len == s->len && memcmp(c->heads[i].s.bytes, s->bytes, s->len) == 0)
            return &c->heads[i];
    return NULL;
}

int rules__head_value(rule_ctx *c, const state_series *s, int64_t *value)
{
    rule_head *h = head_find(c, s);
    if (h == NULL && c->nheads == RULE_HEADS_MAX) {
        state_series_head one; /* not kept: the entry touches more series than foreseen */
        int err = state_series_head_get(c->kv, s, &one);
        if (err == CF_OK) *value = one.value;
        return err;
    }
    if (h == NULL) {
        /* Read into its slot, not copied there: a head holds its record. */
        h = &c->heads[c->nheads];
        int err = state_series_head_get(c->kv, s, &h->h);
        if (err) return err;
        memcpy(h->s.bytes, s->bytes, s->len);
        h->s.len = s->len;
        c->nheads++;
    }
    *value = h->h.value;
    return CF_OK;
}

int rules__head_add(rule_ctx *c, const state_series *s, uint64_t time_ms, int64_t delta)
{
    rule_head *h = head_find(c, s);
    if (h != NULL) return state_series_head_add(c->kv, s, &h->h, time_ms, delta);
    return state_series_add(c->kv, s, time_ms, delta);
}

#define FUND ROLE_BIT(ROLE_FUND)
#define BANK ROLE_BIT(ROLE_BANK)
#define LESSOR ROLE_BIT(ROLE_LESSOR)

/* ---- the type table ----------------------------------------------------- */

#define GOVERNANCE ROLE_BIT(ROLE_GOVERNANCE)
#define SOCIAL (ROLE_BIT(ROLE_INVESTOR) | ROLE_BIT(ROLE_TEAM))
#define HOLDERS (FUND | SOCIAL)

/* A match checks its operator itself, after its project (the order R-REF,
 * R-ROLE it always had); the other types that name a program leave both to
 * the table. */
static const rule_type rule_types[ENTRY__TYPES] = {
    [ENTRY_GENESIS] = {0, 0, false, rules__check_genesis, rules__apply_genesis},
    [ENTRY_MEMBER] = {GOVERNANCE, 0, false, rules__check_member, rules__apply_member},
    [ENTRY_PROGRAM] = {GOVERNANCE, 0, false, rules__check_program, rules__apply_program},
    [ENTRY_PROJECT] = {GOVERNANCE, 0, false, rules__check_project, rules__apply_project},
    [ENTRY_CONTRIBUTION] = {SOCIAL, 0, false, rules__check_contribution,
                            rules__apply_contribution},
    [ENTRY_MATCH] = {FUND, PROGRAM_MATCH, false, rules__check_match, rules__apply_match},
    [ENTRY_EXIT] = {HOLDERS, 0, false, rules__check_exit, rules__apply_exit},
    [ENTRY_DEPOSIT] = {FUND, PROGRAM_POOL, true, rules__check_deposit, rules__apply_deposit},
    [ENTRY_WITHDRAW] = {FUND, PROGRAM_POOL, true, rules__check_withdraw, rules__apply_withdraw,
                        true},
    [ENTRY_LOAN] = {BANK, PROGRAM_POOL, false, rules__check_loan, rules__apply_loan},
    [ENTRY_GUARANTEE] = {FUND, PROGRAM_POOL, true, rules__check_guarantee,
                         rules__apply_guarantee},
    [ENTRY_REPAY] = {BANK, 0, false, rules__check_repay, rules__apply_repay},
    [ENTRY_DEFAULT] = {BANK, 0, false, rules__check_default, rules__apply_default},
    [ENTRY_COMPENSATION] = {FUND, PROGRAM_POOL, true, rules__check_compensation,
                            rules__apply_compensation, true},
    [ENTRY_RELEASE] = {FUND, PROGRAM_POOL, true, rules__check_release, rules__apply_release,
                       true},
    [ENTRY_LEASE] = {LESSOR, PROGRAM_LEASING, true, rules__check_lease, rules__apply_lease},
    [ENTRY_AWARD] = {FUND, PROGRAM_AWARD, true, rules__check_award, rules__apply_award},
    [ENTRY_REKEY] = {GOVERNANCE, 0, false, rules__check_rekey, rules__apply_rekey},
    [ENTRY_RETIRE] = {GOVERNANCE, 0, false, rules__check_retire, rules__apply_retire},
    [ENTRY_REVERSAL] = {HOLDERS | BANK | LESSOR, 0, false, rules__check_reversal,
                        rules__apply_reversal},
    [ENTRY_CLOSE] = {GOVERNANCE, 0, false, rules__check_close, rules__apply_close},
    [ENTRY_AMEND] = {GOVERNANCE, 0, false, rules__check_amend, rules__apply_amend},
    [ENTRY_RENAME] = {GOVERNANCE, 0, false, rules__check_rename, rules__apply_rename},
    [ENTRY_BOUND] = {GOVERNANCE, 0, false, rules__check_bound, rules__apply_bound},
    [ENTRY_SUCCESSION] = {0, 0, false, rules__check_succession, rules__apply_succession},
    [ENTRY_CERTIFY] = {GOVERNANCE, 0, false, rules__check_certify, rules__apply_certify},
    [ENTRY_REVOKE] = {GOVERNANCE, 0, false, rules__check_revoke, rules__apply_revoke},
    [ENTRY_SUBSIDY] = {FUND, PROGRAM_SUBSIDY, true, rules__check_subsidy, rules__apply_subsidy},
    [ENTRY_VALUATION] = {FUND, 0, false, rules__check_valuation, rules__apply_valuation},
};

/* The program a body names is its first field (rule_type.kind). */
#define PROGRAM_FIRST(t) _Static_assert(offsetof(t, program) == 0, #t " names its program first")
PROGRAM_FIRST(body_match);
PROGRAM_FIRST(body_pool_funds);
PROGRAM_FIRST(body_loan);
PROGRAM_FIRST(body_guarantee);
PROGRAM_FIRST(body_compensation);
PROGRAM_FIRST(body_release);
PROGRAM_FIRST(body_lease);
PROGRAM_FIRST(body_award);
PROGRAM_FIRST(body_subsidy);

static entry_text named_program(const entry *e)
{
    entry_text t;
    memcpy(&t, &e->body, sizeof t);
    return t;
}

/* R-REF and R-ROLE for the program a type names (rule_type.kind): read it
 * into c->program. check false: only read it. */
static int load_program(rule_ctx *c, const entry *e, bool check, diag *d)
{
    const rule_type *t = &rule_types[e->type];
    char label[STATE_ID_CAP];
    if (t->kind == 0) return CF_OK;
    entry_text id = named_program(e);
    int err = check ? rules__program_as_of(c, id, e->gov, &c->program, d)
                    : rules__program_get(c, id.s, id.n, &c->program);
    if (err) return check ? err : rules__state_error(d, err, N_("programs"));
    if (!check) return CF_OK;
    if (c->program.pkind != t->kind)
        return diag_set(d, CF_EREJECTED, "R-REF",
                        "program %s is a %s program; a %s names a %s program", c->program.id,
                        c->program.kind, entry_type_name(e->type), program_kind_name(t->kind));
    /* The terms in force at its time as of its gov (R-AMEND), and R-CLOSE.2. */
    if ((err = rules__terms_for(c, e, &c->program, !t->winds_down, d)) != 0) return err;
    bool is_operator = true;
    if (t->operator_only &&
        (err = rules__same_member(c, c->program.operator_key, &is_operator, d)) != 0)
        return err;
    if (!is_operator) {
        ledger_member_label(c->kv, c->program.operator_key, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-ROLE",
                        "only program %s's operator %s may write its %s entries", c->program.id,
                        label, entry_type_name(e->type));
    }
    return CF_OK;
}

/* ---- envelope rules ----------------------------------------------------- */

static int check_envelope(rule_ctx *c, const entry *e, diag *d)
{
    char label[STATE_ID_CAP];
    int err = ledger_cache_tip(c->kv, c->cache, e->author, &c->tip);
    if (err) return rules__state_error(d, err, N_("the feed tip"));
    if (e->index != c->tip.applied)
        return diag_set(d, CF_EREJECTED, "R-ENV", "index %llu where %llu was expected",
                        (unsigned long long)e->index, (unsigned long long)c->tip.applied);

    err = ledger_cache_network(c->kv, c->cache, &c->net);
    if (err != CF_OK && err != CF_ENOTFOUND) return rules__state_error(d, err, N_("the network"));
    c->have_net = err == CF_OK;
    if (e->type == ENTRY_GENESIS) {
        if (c->have_net)
            return diag_set(d, CF_EREJECTED, "R-ENV", "the network already has a genesis entry");
        return CF_OK;
    }
    if (!c->have_net)
        return diag_set(d, CF_EPENDING, NULL, "waiting for the network's genesis entry");
    if (memcmp(e->net, c->net.net, 32) != 0)
        return diag_set(d, CF_EREJECTED, "R-ENV", "entry names another network");

    if (e->index > 0 && e->time_ms < c->tip.last_time) {
        char t1[CALTIME_TEXT_BYTES], t0[CALTIME_TEXT_BYTES];
        caltime_format(e->time_ms, c->net.tz_min, t1);
        caltime_format(c->tip.last_time, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-TIME",
                        "time %s is earlier than the previous entry's %s", t1, t0);
    }
    if (e->index > 0 && e->gov < c->tip.last_gov)
        return diag_set(d, CF_EREJECTED, "R-GOV", "gov %llu is below the previous entry's %llu",
                        (unsigned long long)e->gov, (unsigned long long)c->tip.last_gov);
    state_tip gov_tip;
    if ((err = ledger_cache_tip(c->kv, c->cache, c->net.gov_key, &gov_tip)) != 0)
        return rules__state_error(d, err, N_("the governance tip"));
    uint64_t gov_size = state_gov_size(&c->net, gov_tip.applied);
    if (e->gov > gov_size)
        return diag_set(d, CF_EPENDING, NULL,
                        "checked against %llu governance entries; %llu applied here",
                        (unsigned long long)e->gov, (unsigned long long)gov_size);
    /* A succession's author is not a member yet: R-SUCCEED decides it. */
    if (e->type == ENTRY_SUCCESSION) return CF_OK;
    c->gov_index = c->net.gov_base + e->index; /* for the governance's own entries */

    err = rules__member_as_of(c, e->author, e->gov, &c->author, d);
    if (err == CF_ENOTFOUND) {
        ledger_member_label(c->kv, e->author, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-ROLE",
                        "author %s is not a member as of governance size %llu", label,
                        (unsigned long long)e->gov);
    }
    if (err) return err;
    if (!(rule_types[e->type].writers & ROLE_BIT(c->author.role)))
        return diag_set(d, CF_EREJECTED, "R-ROLE", "%s %s may not write %s entries",
                        role_name(c->author.role), c->author.name, entry_type_name(e->type));
    if ((err = rules__check_key(c, e, d)) != 0) return err;
    int64_t v = ledger_entry_volume(e);
    if (v > LEDGER_FEED_VOLUME_MAX - c->tip.volume) {
        char a[AMOUNT_TEXT_BYTES], had[AMOUNT_TEXT_BYTES], max[AMOUNT_TEXT_BYTES];
        amount_format(v, a);
        amount_format(c->tip.volume, had);
        amount_format(LEDGER_FEED_VOLUME_MAX, max);
        return diag_set(d, CF_EREJECTED, "R-VOLUME",
                        "%s of %s would take %s's volume (the amounts of its entries, %s so "
                        "far) over the limit of %s per feed",
                        entry_type_name(e->type), a, c->author.name, had, max);
    }
    return CF_OK;
}

/* A fresh context: every field the rules read before writing is set here
 * (the context is large; it is not zeroed as a whole). */
static void ctx_init(rule_ctx *c, const ledger_kv *kv, ledger_cache *cache,
                     const uint8_t leaf[32])
{
    c->kv = kv;
    c->cache = cache;
    c->leaf = leaf;
    c->have_net = false;
    c->gov_index = 0;
    c->nheads = 0;
    c->ncites = 0;
    c->disputed_fen = 0;
}

/* R-FORK for every type but a match (whose citations are judged one by one,
 * rules_invest.c): an entry that cites a forked feed at or past its point
 * cannot be checked — which history the cited entry is in depends on which
 * one a node holds — so it is applied as disputed: recorded, its feed's tip
 * moves on, and it changes nothing else. *done tells whether it was. */
/* What e adds to its feed's volume (R-VOLUME): what check_envelope counted —
 * but a reversal applied as disputed reversed nothing, so it gives nothing
 * back (the feed's volume never goes below what its standing entries hold). */
static int64_t applied_volume(const entry *e, bool disputed)
{
    return disputed && e->type == ENTRY_REVERSAL ? 0 : ledger_entry_volume(e);
}

/* The feed's tip after e: one more entry applied, its time, gov and volume;
 * and e in the register's index. */
static int put_tip(rule_ctx *c, const entry *e, bool disputed, diag *d)
{
    state_tip t = {.applied = e->index + 1, .last_time = e->time_ms, .last_gov = e->gov,
                   .volume = c->tip.volume + applied_volume(e, disputed)};
    int err = state_tip_put(c->kv, e->author, &t);
    if (err == CF_OK) err = state_entry_index_put(c->kv, e);
    return err ? rules__state_error(d, err, N_("the feed tip")) : CF_OK;
}

static int apply_if_disputed(rule_ctx *c, const entry *e, bool *done, diag *d)
{
    entry_ref refs[ENTRY_CITES_MAX];
    *done = false;
    if (e->type == ENTRY_MATCH) return CF_OK;
    size_t n = entry_refs(e, refs, ENTRY_CITES_MAX);
    for (size_t i = 0; i < n && i < ENTRY_CITES_MAX; i++) {
        bool disputed;
        int err = rules__cite_disputed(c, refs[i].author, refs[i].index, &disputed, d);
        if (err) return err;
        if (!disputed) continue;
        state_disputed x = {.index = e->index, .cited_index = refs[i].index};
        memcpy(x.author, e->author, 32);
        memcpy(x.cited_author, refs[i].author, 32);
        if ((err = state_disputed_put(c->kv, &x)) != 0)
            return rules__state_error(d, err, N_("disputed entries"));
        *done = true;
        return put_tip(c, e, true, d);
    }
    return CF_OK;
}

/* The type's state changes, then the feed's tip. */
static int apply_checked(rule_ctx *c, const entry *e, diag *d)
{
    int err = rule_types[e->type].apply(c, e, d);
    return err ? err : put_tip(c, e, false, d);
}

int ledger_process_entry(const ledger_kv *kv, ledger_cache *cache,
                         const uint8_t author[32], uint64_t index, const entry *e,
                         const uint8_t leaf[32], diag *d)
{
    rule_ctx c;
    diag_clear(d);
    if (memcmp(e->author, author, 32) != 0)
        return diag_set(d, CF_EREJECTED, "R-ENV", "author does not match the feed");
    if (e->index != index)
        return diag_set(d, CF_EREJECTED, "R-ENV", "index %llu at position %llu",
                        (unsigned long long)e->index, (unsigned long long)index);
    /* Check and apply on one context: apply reuses what check read. */
    ctx_init(&c, kv, cache, leaf);
    bool disputed = false;
    int err = check_envelope(&c, e, d);
    if (err == CF_OK) err = load_program(&c, e, true, d);
    if (err == CF_OK) err = apply_if_disputed(&c, e, &disputed, d);
    if (err == CF_OK && !disputed) err = rule_types[e->type].check(&c, e, d);
    if (err == CF_OK && !disputed) err = apply_checked(&c, e, d);
    if (cache != NULL) {
        if (err == CF_OK)
            cache_applied(cache, e, applied_volume(e, disputed));
        else if (err != CF_EREJECTED && err != CF_EPENDING)
            ledger_cache_init(cache); /* a store error: apply may be half done */
    }
    return err;
}

int ledger_process(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                   const uint8_t *bytes, size_t len, entry *e, diag *d)
{
    entry local;
    uint8_t leaf[32];
    if (e == NULL) e = &local;
    diag_clear(d);
    int err = entry_decode(bytes, len, e, d);
    if (err) {
        d->code = CF_EREJECTED;
        return CF_EREJECTED;
    }
    merkle_leaf_hash(bytes, len, leaf);
    return ledger_process_entry(kv, NULL, author, index, e, leaf, d);
}
