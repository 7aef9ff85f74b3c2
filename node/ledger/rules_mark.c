/* rules_mark.c — a fund's valuation mark of a project (R-MARK) and an
 * exit's proceeds, what the returns report reads (docs/rules.md "Returns").
 *   R-MARK  a fund marks only a project it holds: its position there is
 *           above 0 when it writes the mark
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "crypto/cf_error.h"
#include "rules_internal.h"

int rules__check_valuation(rule_ctx *c, const entry *e, diag *d)
{
    const body_valuation *b = &e->body.valuation;
    state_project pj;
    state_series s;
    int64_t current;
    char project[STATE_ID_CAP];
    int err;

    if ((err = rules__project_as_of(c, b->project, e->gov, "R-REF", &pj, d)) != 0) return err;
    rules__cstr(b->project, project);
    state_series_position(&s, project, c->author.identity);
    if ((err = rules__head_value(c, &s, &current)) != 0) return rules__state_error(d, err, N_("positions"));
    if (current <= 0)
        return diag_set(d, CF_EREJECTED, "R-MARK",
                        "%s holds no position in project %s: a fund marks only the projects "
                        "it holds",
                        c->author.name, project);
    return CF_OK;
}

int rules__apply_valuation(rule_ctx *c, const entry *e, diag *d)
{
    const body_valuation *b = &e->body.valuation;
    state_valuation v = {.index = e->index, .time_ms = e->time_ms, .value_fen = b->value_fen};
    memcpy(v.author, e->author, 32);
    rules__cstr(b->project, v.project);
    int err = state_valuation_put(c->kv, &v);
    return err ? rules__state_error(d, err, N_("valuation marks")) : CF_OK;
}

int rules__apply_proceeds(rule_ctx *c, const entry *e, diag *d)
{
    if (!e->body.exit.has_proceeds) return CF_OK;
    int err = state_proceeds_put(c->kv, e->author, e->index, e->body.exit.proceeds_fen);
    return err ? rules__state_error(d, err, N_("exit proceeds")) : CF_OK;
}
