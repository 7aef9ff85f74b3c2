/* entry_fields.c — every map of an entry as a field table in canonical key
 * order (keys sorted by their encoded bytes: shorter first, then bytewise),
 * and the names of types, roles and program kinds (docs/format.md). */
#include <stdio.h>
#include <string.h>

#include "crypto/cf_util.h"
#include "entry.h"
#include "entry_internal.h"

#define REQ(k, t, st, m) {FIELD_KEY(k), t, offsetof(st, m), NO_HAS}
#define OPT(k, t, st, m, h) {FIELD_KEY(k), t, offsetof(st, m), offsetof(st, h)}

static const field_spec genesis_fields[] = {
    REQ("tz", F_TZ, body_genesis, tz_min),
    REQ("name", F_NAME, body_genesis, name),
    REQ("member", F_ID, body_genesis, member),
    OPT("quorum", F_QUORUM, body_genesis, quorum, has_quorum),
    OPT("recovery", F_KEYS, body_genesis, recovery, has_recovery),
};
static const field_spec member_fields[] = {
    REQ("key", F_KEY32, body_member, key),
    REQ("name", F_ID, body_member, name),
    REQ("role", F_ROLE, body_member, role),
    OPT("display", F_NAME, body_member, display, has_display),
};
static const field_spec rekey_fields[] = {
    REQ("key", F_KEY32, body_rekey, key),
    REQ("name", F_ID, body_rekey, name),
    REQ("close", F_UINT, body_rekey, close),
};
static const field_spec retire_fields[] = {
    REQ("name", F_ID, body_rekey, name),
    REQ("close", F_UINT, body_rekey, close),
};
/* Program bodies: one table per kind. The decoder finds "kind" first, then
 * walks the body with that kind's table (decode_program). The "match" table
 * is the original program body, byte for byte. */
static const field_spec match_program_fields[] = {
    REQ("id", F_ID, body_program, id),
    OPT("cap", F_AMOUNT, body_program, cap_fen, has_cap),
    REQ("kind", F_ID, body_program, kind),
    REQ("ratio", F_RATIO, body_program, ratio_num),
    REQ("start", F_TIME, body_program, start_ms),
    OPT("budget", F_AMOUNT, body_program, budget_fen, has_budget),
    REQ("operator", F_KEY32, body_program, operator_key),
    REQ("counterpart", F_ROLES, body_program, counterpart_roles),
    REQ("window_days", F_DAYS, body_program, window_days),
};
static const field_spec pool_program_fields[] = {
    REQ("id", F_ID, body_program, id),
    REQ("kind", F_ID, body_program, kind),
    OPT("size", F_AMOUNT, body_program, size_fen, has_size),
    REQ("share", F_SHARE, body_program, share_num),
    REQ("leverage", F_MULT, body_program, leverage),
    REQ("operator", F_KEY32, body_program, operator_key),
};
static const field_spec leasing_program_fields[] = {
    REQ("id", F_ID, body_program, id),
    OPT("down", F_PCT, body_program, down, has_down),
    REQ("kind", F_ID, body_program, kind),
    OPT("advance", F_PCT, body_program, advance, has_advance),
    REQ("operator", F_KEY32, body_program, operator_key),
    OPT("financing", F_PCT, body_program, financing, has_financing),
};
static const field_spec award_program_fields[] = {
    REQ("id", F_ID, body_program, id),
    REQ("kind", F_ID, body_program, kind),
    OPT("budget", F_AMOUNT, body_program, budget_fen, has_budget),
    REQ("levels", F_LEVELS, body_program, nlevels),
    REQ("operator", F_KEY32, body_program, operator_key),
    OPT("requires", F_CERT, body_program, requires, has_requires), /* R-AWARD.5 */
};
static const field_spec subsidy_program_fields[] = {
    REQ("id", F_ID, body_program, id),
    OPT("cap", F_AMOUNT, body_program, cap_fen, has_cap), /* per unit */
    REQ("kind", F_ID, body_program, kind),
    REQ("basis", F_CERT, body_program, basis),
    REQ("share", F_SHARE, body_program, share_num),
    OPT("budget", F_AMOUNT, body_program, budget_fen, has_budget),
    REQ("operator", F_KEY32, body_program, operator_key),
    OPT("recipient_cap", F_AMOUNT, body_program, recipient_cap_fen, has_recipient_cap),
};
static const field_spec project_fields[] = {
    REQ("id", F_ID, body_project, id),
    OPT("kind", F_NAME, body_project, kind, has_kind),
    REQ("name", F_NAME, body_project, name),
};
static const field_spec contribution_fields[] = {
    REQ("round", F_ID, body_contribution, round),
    REQ("amount", F_AMOUNT, body_contribution, amount_fen),
    OPT("program", F_ID, body_contribution, program, has_program),
    REQ("project", F_ID, body_contribution, project),
};
static const field_spec match_fields[] = {
    REQ("cites", F_CITES, body_match, ncites),
    REQ("round", F_ID, body_match, round),
    REQ("amount", F_AMOUNT, body_match, amount_fen),
    REQ("program", F_ID, body_match, program),
    REQ("project", F_ID, body_match, project),
};
static const field_spec cite_fields[] = {
    REQ("leaf", F_KEY32, entry_cite, leaf),
    OPT("read", F_UINT, entry_cite, read, has_read), /* R-MATCH.6 */
    REQ("index", F_UINT, entry_cite, index),
    REQ("amount", F_AMOUNT, entry_cite, amount_fen),
    REQ("author", F_KEY32, entry_cite, author),
};
static const field_spec exit_fields[] = {
    REQ("amount", F_AMOUNT, body_exit, amount_fen),
    REQ("project", F_ID, body_exit, project),
    OPT("proceeds", F_FEN0, body_exit, proceeds_fen, has_proceeds),
};
static const field_spec valuation_fields[] = {
    REQ("value", F_FEN0, body_valuation, value_fen),
    REQ("project", F_ID, body_valuation, project),
};
static const field_spec ref_fields[] = {
    REQ("leaf", F_KEY32, entry_ref, leaf),
    REQ("index", F_UINT, entry_ref, index),
    REQ("author", F_KEY32, entry_ref, author),
};
static const field_spec pool_funds_fields[] = {
    REQ("amount", F_AMOUNT, body_pool_funds, amount_fen),
    REQ("program", F_ID, body_pool_funds, program),
};
static const field_spec loan_fields[] = {
    REQ("amount", F_AMOUNT, body_loan, amount_fen),
    REQ("program", F_ID, body_loan, program),
    REQ("project", F_ID, body_loan, project),
    REQ("term_months", F_MONTHS, body_loan, term_months),
};
static const field_spec guarantee_fields[] = {
    REQ("loan", F_REF, body_guarantee, loan),
    REQ("amount", F_AMOUNT, body_guarantee, amount_fen),
    REQ("program", F_ID, body_guarantee, program),
};
static const field_spec repay_fields[] = {
    REQ("loan", F_REF, body_repay, loan),
    REQ("amount", F_AMOUNT, body_repay, amount_fen),
};
static const field_spec default_fields[] = {
    REQ("loan", F_REF, body_default, loan),
    REQ("loss", F_AMOUNT, body_default, loss_fen),
};
static const field_spec compensation_fields[] = {
    REQ("amount", F_FEN0, body_compensation, amount_fen), /* 0: R-POOL.3 */
    REQ("default", F_REF, body_compensation, default_ref),
    REQ("program", F_ID, body_compensation, program),
};
static const field_spec release_fields[] = {
    REQ("repay", F_REF, body_release, repay),
    REQ("amount", F_AMOUNT, body_release, amount_fen),
    REQ("program", F_ID, body_release, program),
};
static const field_spec lease_fields[] = {
    REQ("down", F_FEN0, body_lease, down_fen),
    REQ("price", F_AMOUNT, body_lease, price_fen),
    REQ("advance", F_FEN0, body_lease, advance_fen),
    REQ("program", F_ID, body_lease, program),
    REQ("project", F_ID, body_lease, project),
    REQ("equipment", F_NAME, body_lease, equipment),
    REQ("financing", F_FEN0, body_lease, financing_fen),
};
static const field_spec award_fields[] = {
    REQ("year", F_YEAR, body_award, year),
    REQ("amount", F_AMOUNT, body_award, amount_fen),
    REQ("program", F_ID, body_award, program),
    REQ("project", F_ID, body_award, project),
};
static const field_spec certify_fields[] = {
    REQ("from", F_TIME, body_certify, from),
    REQ("kind", F_CERT, body_certify, kind),
    OPT("year", F_YEAR, body_certify, year, has_year),
    OPT("batch", F_UINT, body_certify, batch, has_batch),
    OPT("price", F_AMOUNT, body_certify, price_fen, has_price),
    OPT("until", F_TIME, body_certify, until, has_until),
    OPT("product", F_NAME, body_certify, product, has_product),
    REQ("project", F_ID, body_certify, project),
};
static const field_spec revoke_fields[] = {
    REQ("at", F_TIME, body_revoke, at),
    REQ("certification", F_UINT, body_revoke, certification),
};
static const field_spec subsidy_fields[] = {
    OPT("sale", F_ID, body_subsidy, sale, has_sale),
    OPT("lease", F_REF, body_subsidy, lease, has_lease),
    REQ("price", F_AMOUNT, body_subsidy, price_fen),
    REQ("units", F_MULT, body_subsidy, units),
    REQ("amount", F_AMOUNT, body_subsidy, amount_fen),
    REQ("program", F_ID, body_subsidy, program),
    REQ("project", F_ID, body_subsidy, project),
    REQ("certification", F_UINT, body_subsidy, certification),
};

static const field_spec reversal_fields[] = {
    OPT("read", F_UINT, body_reversal, read, has_read), /* R-REVERSE.3 */
    REQ("entry", F_REF, body_reversal, entry),
    REQ("amount", F_FEN0, body_reversal, amount_fen), /* a compensation's may be 0 */
    REQ("reason", F_NAME, body_reversal, reason),
};

static const field_spec close_fields[] = {
    REQ("at", F_TIME, body_close, at),
    REQ("program", F_ID, body_close, program),
};
/* An amendment: the program body's fields (body_amend.terms), any kind's
 * terms optional; R-AMEND.1 refuses a term of another kind. */
#define AM(k, t, m, h) {FIELD_KEY(k), t, offsetof(body_amend, terms.m), offsetof(body_amend, h)}
#define AT(k, t, m, h) {FIELD_KEY(k), t, offsetof(body_amend, terms.m), offsetof(body_amend, terms.h)}
static const field_spec amend_fields[] = {
    AT("cap", F_FEN0, cap_fen, has_cap), /* 0: no cap from `from` on */
    AT("down", F_PCT, down, has_down),
    {FIELD_KEY("from"), F_TIME, offsetof(body_amend, terms.start_ms), NO_HAS},
    AT("size", F_AMOUNT, size_fen, has_size),
    AM("ratio", F_RATIO, ratio_num, has_ratio),
    AM("share", F_SHARE, share_num, has_share),
    AT("budget", F_FEN0, budget_fen, has_budget), /* 0: no budget from `from` on */
    AM("levels", F_LEVELS, nlevels, has_levels),
    AT("advance", F_PCT, advance, has_advance),
    {FIELD_KEY("program"), F_ID, offsetof(body_amend, terms.id), NO_HAS},
    AM("leverage", F_MULT, leverage, has_leverage),
    AT("financing", F_PCT, financing, has_financing),
    AM("window_days", F_DAYS, window_days, has_window),
};
static const field_spec rename_fields[] = {
    REQ("name", F_NAME, body_rename, name),
    OPT("member", F_ID, body_rename, member, has_member),
    OPT("project", F_ID, body_rename, project, has_project),
};
static const field_spec bound_fields[] = {
    REQ("amount", F_AMOUNT, body_bound, amount_fen),
};
static const field_spec succession_fields[] = {
    REQ("prev", F_KEY32, body_succession, prev),
    REQ("sigs", F_SIGS, body_succession, sigs),
    REQ("close", F_UINT, body_succession, close),
};

#define SPEC(a) a, sizeof(a) / sizeof((a)[0])

const body_spec entry__cite = {"cite", SPEC(cite_fields), sizeof(entry_cite)};
const body_spec entry__ref = {"ref", SPEC(ref_fields), sizeof(entry_ref)};

/* A program's table is its kind's (entry__kinds[], below). */
const body_spec entry__types[ENTRY__TYPES] = {
    [ENTRY_GENESIS] = {"genesis", SPEC(genesis_fields), sizeof(body_genesis)},
    [ENTRY_MEMBER] = {"member", SPEC(member_fields), sizeof(body_member)},
    [ENTRY_PROGRAM] = {"program", NULL, 0, sizeof(body_program)},
    [ENTRY_PROJECT] = {"project", SPEC(project_fields), sizeof(body_project)},
    [ENTRY_CONTRIBUTION] = {"contribution", SPEC(contribution_fields), sizeof(body_contribution)},
    [ENTRY_MATCH] = {"match", SPEC(match_fields), sizeof(body_match)},
    [ENTRY_EXIT] = {"exit", SPEC(exit_fields), sizeof(body_exit)},
    [ENTRY_DEPOSIT] = {"deposit", SPEC(pool_funds_fields), sizeof(body_pool_funds)},
    [ENTRY_WITHDRAW] = {"withdraw", SPEC(pool_funds_fields), sizeof(body_pool_funds)},
    [ENTRY_LOAN] = {"loan", SPEC(loan_fields), sizeof(body_loan)},
    [ENTRY_GUARANTEE] = {"guarantee", SPEC(guarantee_fields), sizeof(body_guarantee)},
    [ENTRY_REPAY] = {"repay", SPEC(repay_fields), sizeof(body_repay)},
    [ENTRY_DEFAULT] = {"default", SPEC(default_fields), sizeof(body_default)},
    [ENTRY_COMPENSATION] = {"compensation", SPEC(compensation_fields), sizeof(body_compensation)},
    [ENTRY_RELEASE] = {"release", SPEC(release_fields), sizeof(body_release)},
    [ENTRY_LEASE] = {"lease", SPEC(lease_fields), sizeof(body_lease)},
    [ENTRY_AWARD] = {"award", SPEC(award_fields), sizeof(body_award)},
    [ENTRY_REKEY] = {"rekey", SPEC(rekey_fields), sizeof(body_rekey)},
    [ENTRY_RETIRE] = {"retire", SPEC(retire_fields), sizeof(body_rekey)},
    [ENTRY_REVERSAL] = {"reversal", SPEC(reversal_fields), sizeof(body_reversal)},
    [ENTRY_CLOSE] = {"close", SPEC(close_fields), sizeof(body_close)},
    [ENTRY_AMEND] = {"amend", SPEC(amend_fields), sizeof(body_amend)},
    [ENTRY_RENAME] = {"rename", SPEC(rename_fields), sizeof(body_rename)},
    [ENTRY_BOUND] = {"bound", SPEC(bound_fields), sizeof(body_bound)},
    [ENTRY_SUCCESSION] = {"succession", SPEC(succession_fields), sizeof(body_succession)},
    [ENTRY_CERTIFY] = {"certify", SPEC(certify_fields), sizeof(body_certify)},
    [ENTRY_REVOKE] = {"revoke", SPEC(revoke_fields), sizeof(body_revoke)},
    [ENTRY_SUBSIDY] = {"subsidy", SPEC(subsidy_fields), sizeof(body_subsidy)},
    [ENTRY_VALUATION] = {"valuation", SPEC(valuation_fields), sizeof(body_valuation)},
};

const body_spec entry__kinds[PROGRAM__KINDS] = {
    [PROGRAM_MATCH] = {"match", SPEC(match_program_fields), sizeof(body_program)},
    [PROGRAM_POOL] = {"pool", SPEC(pool_program_fields), sizeof(body_program)},
    [PROGRAM_LEASING] = {"leasing", SPEC(leasing_program_fields), sizeof(body_program)},
    [PROGRAM_AWARD] = {"award", SPEC(award_program_fields), sizeof(body_program)},
    [PROGRAM_SUBSIDY] = {"subsidy", SPEC(subsidy_program_fields), sizeof(body_program)},
};

static const char *const cert_kind_names[CERT__KINDS] = {
    [CERT_DEMONSTRATION] = "demonstration",
    [CERT_FIRST_SET] = "first-set",
    [CERT_LOCAL] = "local",
};

const char *cert_kind_name(enum cert_kind k)
{
    return k > 0 && k < CERT__KINDS ? cert_kind_names[k] : "?";
}

enum cert_kind cert_kind_from_name(const char *s, size_t n)
{
    for (int k = 1; k < CERT__KINDS; k++)
        if (strlen(cert_kind_names[k]) == n && memcmp(cert_kind_names[k], s, n) == 0)
            return (enum cert_kind)k;
    return 0;
}

static const char *const role_names[ROLE__COUNT] = {
    [ROLE_GOVERNANCE] = "governance", [ROLE_FUND] = "fund",
    [ROLE_INVESTOR] = "investor",     [ROLE_TEAM] = "team",
    [ROLE_AUDITOR] = "auditor",       [ROLE_BANK] = "bank",
    [ROLE_LESSOR] = "lessor",
};


const char *entry_type_name(enum entry_type t)
{
    return t > 0 && t < ENTRY__TYPES ? entry__types[t].name : "?";
}

enum entry_type entry_type_from_name(const char *s, size_t n)
{
    for (int t = 1; t < ENTRY__TYPES; t++)
        if (strlen(entry__types[t].name) == n && memcmp(entry__types[t].name, s, n) == 0)
            return (enum entry_type)t;
    return 0;
}

const char *program_kind_name(enum program_kind k)
{
    return k > 0 && k < PROGRAM__KINDS ? entry__kinds[k].name : "?";
}

enum program_kind program_kind_from_name(const char *s, size_t n)
{
    for (int k = 1; k < PROGRAM__KINDS; k++)
        if (strlen(entry__kinds[k].name) == n && memcmp(entry__kinds[k].name, s, n) == 0)
            return (enum program_kind)k;
    return 0;
}

enum program_kind entry_program_kind(const body_program *p)
{
    return p->kind.n == 0 ? 0 : program_kind_from_name(p->kind.s, p->kind.n);
}

static void ref_of_cite(const entry_cite *c, entry_ref *r)
{
    memcpy(r->author, c->author, 32);
    r->index = c->index;
    memcpy(r->leaf, c->leaf, 32);
}

size_t entry_refs(const entry *e, entry_ref *out, size_t cap)
{
    const entry_ref *one = NULL;
    switch (e->type) {
    case ENTRY_MATCH:
        for (size_t i = 0; i < e->body.match.ncites && i < cap; i++)
            ref_of_cite(&e->body.match.cites[i], &out[i]);
        return e->body.match.ncites;
    case ENTRY_GUARANTEE: one = &e->body.guarantee.loan; break;
    case ENTRY_REPAY: one = &e->body.repay.loan; break;
    case ENTRY_DEFAULT: one = &e->body.loan_default.loan; break;
    case ENTRY_COMPENSATION: one = &e->body.compensation.default_ref; break;
    case ENTRY_RELEASE: one = &e->body.release.repay; break;
    case ENTRY_REVERSAL: one = &e->body.reversal.entry; break;
    case ENTRY_SUBSIDY:
        if (!e->body.subsidy.has_lease) return 0;
        one = &e->body.subsidy.lease;
        break;
    default: return 0;
    }
    if (cap > 0) out[0] = *one;
    return 1;
}

const char *role_name(enum member_role r)
{
    return r > 0 && r < ROLE__COUNT ? role_names[r] : "?";
}

void role_set_text(uint32_t set, const char *sep, char *out, size_t cap)
{
    size_t len = 0;
    if (cap == 0) return;
    out[0] = '\0';
    for (int r = 1; r < ROLE__COUNT && len < cap; r++)
        if (set & ROLE_BIT(r))
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? sep : "", role_names[r]);
}

enum member_role role_from_name(const char *s, size_t n)
{
    for (int r = 1; r < ROLE__COUNT; r++)
        if (strlen(role_names[r]) == n && memcmp(role_names[r], s, n) == 0)
            return (enum member_role)r;
    return 0;
}


size_t entry_succession_statement(const uint8_t net[32], const uint8_t prev[32],
                                  const uint8_t key[32], uint64_t close,
                                  char out[ENTRY_SUCCESSION_STATEMENT_BYTES])
{
    char n[CF_HEX32_BYTES], p[CF_HEX32_BYTES], k[CF_HEX32_BYTES];
    cf_hex_encode(net, 32, n, sizeof n);
    cf_hex_encode(prev, 32, p, sizeof p);
    cf_hex_encode(key, 32, k, sizeof k);
    int len = snprintf(out, ENTRY_SUCCESSION_STATEMENT_BYTES,
                       "cofund succession v1\nnetwork %s\nprev %s\nkey %s\nclose %llu\n", n, p,
                       k, (unsigned long long)close);
    return len > 0 ? (size_t)len : 0;
}
