/* rules_succession.c — the governance continues under a new key (R-SUCCEED,
 * docs/rules.md "The governance's own key").
 *
 * The governance key writes every rekey, so it cannot replace itself once
 * it is lost, stolen or forked. The genesis may name recovery keys, kept
 * offline, and a quorum of them: a quorum's signatures over a statement
 * (entry_succession_statement: the network, the old key, the new key and
 * where the old key's feed closes) let a new key continue the governance.
 * The new key's first entry is the succession, carrying those signatures:
 *
 *   R-SUCCEED.1 the genesis named recovery keys (none of them the
 *               governance key); the succession is the author's first
 *               entry, the author is no member, `prev` is the governance's
 *               current key, the close is at least 1, and gov is the number
 *               of governance entries that stand: gov_base + close
 *   R-SUCCEED.2 every signature is by a distinct recovery key and verifies
 *               over the statement, and they reach the quorum
 *   R-SUCCEED.3 the succession stands: no succession of prev held with a
 *               smaller close (then a smaller key), and prev's feed is not
 *               forked below the close
 *
 * Governance entries are then counted across keys: the new key's entry i is
 * governance entry gov_base + close + i (state_network.gov_base), so every
 * `gov` and "as of gov" keeps its meaning. Everything else follows the
 * member rekey (R-KEY): the old key's entries below close stand, the new
 * key has the governance's name and identity.
 */
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "rules_internal.h"

static bool signed_by_quorum(const uint8_t net_id[32], const state_network *net,
                             const entry *e, size_t *valid)
{
    const body_succession *b = &e->body.succession;
    char msg[ENTRY_SUCCESSION_STATEMENT_BYTES];
    size_t len = entry_succession_statement(net_id, b->prev, e->author, b->close, msg);
    *valid = 0;
    for (size_t i = 0; i < b->sigs.n && i < RECOVERY_KEYS_MAX; i++) {
        bool named = false;
        for (size_t k = 0; k < net->nrecovery; k++)
            named |= memcmp(net->recovery[k], b->sigs.keys[i], 32) == 0;
        if (!named ||
            !cf_ed25519_verify((const uint8_t *)msg, len, b->sigs.sigs[i], b->sigs.keys[i]))
            return false;
        ++*valid;
    }
    return net->nrecovery > 0 && *valid >= net->quorum;
}

int rules__check_succession(rule_ctx *c, const entry *e, diag *d)
{
    const body_succession *b = &e->body.succession;
    const state_network *n = &c->net;
    char label[STATE_ID_CAP];
    state_member m;
    size_t valid;
    int err;

    if (n->nrecovery == 0)
        return diag_set(d, CF_EREJECTED, "R-SUCCEED.1",
                        "the network's genesis names no recovery keys: its governance key "
                        "has no successor");
    if (e->index != 0)
        return diag_set(d, CF_EREJECTED, "R-SUCCEED.1",
                        "a succession is its author's first entry, not entry %llu",
                        (unsigned long long)e->index);
    if ((err = rules__member_get(c, e->author, &m)) == CF_OK)
        return diag_set(d, CF_EREJECTED, "R-SUCCEED.1",
                        "the new governance key is already member %s (%s)", m.name,
                        role_name(m.role));
    if (err != CF_ENOTFOUND) return rules__state_error(d, err, N_("members"));
    if (memcmp(b->prev, n->gov_key, 32) != 0) {
        ledger_member_label(c->kv, b->prev, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-SUCCEED.1",
                        "the succession replaces %s, which is not the governance's current key",
                        label);
    }
    if (b->close == 0)
        return diag_set(d, CF_EREJECTED, "R-SUCCEED.1",
                        "a succession closes the governance key's feed at 1 or more: its "
                        "first entry stands");
    if (e->gov != n->gov_base + b->close)
        return diag_set(d, CF_EREJECTED, "R-SUCCEED.1",
                        "gov %llu where the succession's close makes %llu governance entries",
                        (unsigned long long)e->gov,
                        (unsigned long long)(n->gov_base + b->close));
    if (!signed_by_quorum(n->net, n, e, &valid))
        return diag_set(d, CF_EREJECTED, "R-SUCCEED.2",
                        valid < b->sigs.n
                            ? "signature %zu is not a valid signature of a recovery key over "
                              "this succession"
                            : "%zu valid recovery signatures; the network's quorum is %u",
                        valid < b->sigs.n ? valid + 1 : valid, (unsigned)n->quorum);
    state_succession held;
    if ((err = state_succession_get(c->kv, b->prev, &held)) == CF_OK &&
        (held.close != b->close || memcmp(held.by, e->author, 32) != 0)) {
        char by[STATE_ID_CAP];
        ledger_member_label(c->kv, held.by, by, sizeof by);
        return diag_set(d, CF_EREJECTED, "R-SUCCEED.3",
                        "the governance key was succeeded by %s closing at %llu: a key is "
                        "succeeded once",
                        by, (unsigned long long)held.close);
    }
    if (err != CF_OK && err != CF_ENOTFOUND) return rules__state_error(d, err, N_("successions"));
    uint64_t point;
    if ((err = state_fork_get(c->kv, b->prev, &point)) == CF_OK && point < b->close)
        return diag_set(d, CF_EREJECTED, "R-SUCCEED.3",
                        "the succession closes the governance feed at %llu, past its fork "
                        "point %llu: entries from %llu are not agreed",
                        (unsigned long long)b->close, (unsigned long long)point,
                        (unsigned long long)point);
    if (err != CF_OK && err != CF_ENOTFOUND) return rules__state_error(d, err, N_("fork points"));
    return CF_OK;
}

int rules__apply_succession(rule_ctx *c, const entry *e, diag *d)
{
    const body_succession *b = &e->body.succession;
    state_network n = c->net;
    state_member old;
    state_succession x = {.close = b->close};
    bool kept;
    int err;

    memcpy(x.by, e->author, 32);
    if ((err = state_succession_note(c->kv, b->prev, &x, &kept)) != 0)
        return rules__state_error(d, err, N_("successions"));
    if ((err = rules__member_get(c, b->prev, &old)) != 0)
        return rules__state_error(d, err, N_("members"));
    c->gov_index = n.gov_base + b->close; /* the succession's own governance index */
    if ((err = rules__replace_key(c, &old, e->author, b->close, d)) != 0) return err;
    memcpy(n.gov_key, e->author, 32);
    n.gov_base += b->close;
    if ((err = state_network_put(c->kv, &n)) != 0)
        return rules__state_error(d, err, N_("the network"));
    return CF_OK;
}

bool ledger_succession_signed(const state_network *net, const entry *e)
{
    size_t valid;
    return e->type == ENTRY_SUCCESSION && signed_by_quorum(net->net, net, e, &valid);
}

int ledger_succession_note(const ledger_kv *kv, const state_network *net, const entry *e,
                           bool *noted)
{
    *noted = false;
    if (!ledger_succession_signed(net, e)) return CF_OK;
    state_succession x = {.close = e->body.succession.close};
    memcpy(x.by, e->author, 32);
    return state_succession_note(kv, e->body.succession.prev, &x, noted);
}
