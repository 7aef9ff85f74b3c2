/* rules_key.c — a member's key replaced or the member retired (R-KEY,
 * docs/rules.md "Keys: rekey and retire").
 *
 * A rekey (governance) closes the member's current key's feed at a stated
 * index — its entries below stand, none from there on counts, as below a
 * fork point — and adds the new key as a member record of its own with the
 * same role, name and identity (the member's first key). Positions and
 * programs follow the identity, so the member continues under the new key
 * and nobody else does anything. A retire closes the feed and adds nobody.
 *
 *   R-KEY.1 the member named is a member as of gov, not the governance, and
 *           not retired; a rekey's new key is not a member yet (R-UNIQ)
 *   R-KEY.2 a closed key writes nothing at or past its closing index
 *   R-KEY.3 a new key's entries wait until every key it replaced (the one
 *           before it, and the ones before that) has applied its feed up to
 *           where it ends (its closing index, or its fork point when that is
 *           smaller), and its first entry is no earlier than the last entry
 *           under any of them: the member's history reads in one order on
 *           every node
 */
#include <string.h>

#include "caltime.h"
#include "crypto/cf_error.h"
#include "rules_internal.h"

/* R-KEY.1 for both types: the member named, as of gov, into *m. */
static int named_member(rule_ctx *c, const entry *e, state_member *m, diag *d)
{
    const body_rekey *b = &e->body.rekey; /* a retire's body is the same */
    int err = state_member_by_name(c->kv, b->name.s, b->name.n, m);
    if (err == CF_ENOTFOUND || (err == CF_OK && m->added_at >= e->gov))
        return diag_set(d, CF_EREJECTED, "R-REF", "member %.*s is not registered",
                        (int)b->name.n, b->name.s);
    if (err) return rules__state_error(d, err, N_("members"));
    if (m->role == ROLE_GOVERNANCE)
        return diag_set(d, CF_EREJECTED, "R-KEY.1",
                        "the governance key is not replaced by %s: the network's recovery "
                        "keys replace it (docs/rules.md)",
                        entry_type_name(e->type));
    if (m->closed)
        return diag_set(d, CF_EREJECTED, "R-KEY.1", "member %s is retired", m->name);
    return CF_OK;
}

int rules__check_rekey(rule_ctx *c, const entry *e, diag *d)
{
    state_member m, other;
    int err = named_member(c, e, &m, d);
    if (err) return err;
    err = state_member_get(c->kv, e->body.rekey.key, &other);
    if (err == CF_OK)
        return diag_set(d, CF_EREJECTED, "R-UNIQ", "the new key is already member %s (%s)",
                        other.name, role_name(other.role));
    if (err != CF_ENOTFOUND) return rules__state_error(d, err, N_("members"));
    return rules__members_room(c, N_("member keys"), d);
}

int rules__check_retire(rule_ctx *c, const entry *e, diag *d)
{
    state_member m;
    return named_member(c, e, &m, d);
}

/* Close m's key at index `close` of its feed (by governance entry
 * c->gov_index); a closing behind what this state applied of the feed asks
 * for a rebuild (state.h, state_rebuild_request_put): the entries past it
 * must stop counting, and what cited them must be judged again. */
static int close_key(rule_ctx *c, state_member *m, uint64_t close, diag *d)
{
    state_tip tip;
    int err;
    m->closed = true;
    m->closed_at = close;
    m->closed_by = c->gov_index;
    if ((err = state_member_put(c->kv, m)) != 0) return rules__state_error(d, err, N_("members"));
    if ((err = ledger_cache_tip(c->kv, c->cache, m->key, &tip)) != 0)
        return rules__state_error(d, err, N_("feed tips"));
    if (tip.applied > m->closed_at && (err = state_rebuild_request_put(c->kv)) != 0)
        return rules__state_error(d, err, N_("the rebuild request"));
    return CF_OK;
}

int rules__replace_key(rule_ctx *c, state_member *old, const uint8_t key[32], uint64_t close,
                       diag *d)
{
    state_member m = {.added_at = c->gov_index, .has_prev = true};
    uint64_t n;
    int err;
    memcpy(m.key, key, 32);
    m.role = old->role;
    memcpy(m.name, old->name, sizeof m.name);
    memcpy(m.display, old->display, sizeof m.display);
    memcpy(m.identity, old->identity, 32);
    memcpy(m.prev, old->key, 32);
    old->has_next = true;
    memcpy(old->next, key, 32);
    if ((err = close_key(c, old, close, d)) != 0) return err;
    /* The new record last: the name now finds the new key. */
    if ((err = state_member_count_get(c->kv, &n)) != 0 ||
        (err = state_member_put(c->kv, &m)) != 0 ||
        (err = state_member_count_put(c->kv, n + 1)) != 0)
        return rules__state_error(d, err, N_("members"));
    return CF_OK;
}

int rules__apply_rekey(rule_ctx *c, const entry *e, diag *d)
{
    const body_rekey *b = &e->body.rekey;
    state_member old;
    int err = state_member_by_name(c->kv, b->name.s, b->name.n, &old);
    if (err) return rules__state_error(d, err, N_("members"));
    return rules__replace_key(c, &old, b->key, b->close, d);
}

int rules__apply_retire(rule_ctx *c, const entry *e, diag *d)
{
    state_member m;
    int err = state_member_by_name(c->kv, e->body.retire.name.s, e->body.retire.name.n, &m);
    if (err) return rules__state_error(d, err, N_("members"));
    return close_key(c, &m, e->body.retire.close, d);
}

int rules__check_key(rule_ctx *c, const entry *e, diag *d)
{
    const state_member *a = &c->author;
    char label[STATE_ID_CAP];
    int err;
    if (a->closed && e->index >= a->closed_at)
        return diag_set(d, CF_EREJECTED, "R-KEY.2",
                        "%s's key was %s at index %llu by governance entry %llu: it writes "
                        "nothing more (entries below %llu stand)",
                        a->name, a->has_next ? _("replaced") : _("retired"),
                        (unsigned long long)a->closed_at, (unsigned long long)a->closed_by,
                        (unsigned long long)a->closed_at);
    /* R-KEY.3 is judged at a new key's first entry: once it is applied,
     * every earlier key's feed was complete, and a closed feed never grows
     * (a lower fork point makes the home rebuild). */
    if (!a->has_prev || e->index > 0) return CF_OK;
    /* Every key the member had before this one, back to its first: a key
     * that never wrote (rekeyed again at 0) must not let the newest key
     * pass the entries of the keys before it. */
    uint8_t key[32];
    uint64_t last_time = 0;
    bool any = false;
    memcpy(key, a->prev, 32);
    for (uint64_t hops = 0;; hops++) {
        state_tip tip;
        state_member pm;
        uint64_t end;
        if (hops >= LEDGER_MEMBERS_MAX) /* keys are never reused: no cycle */
            return rules__state_error(d, CF_ESTORE_CORRUPT, N_("the member's replaced keys"));
        if ((err = ledger_cache_tip(c->kv, c->cache, key, &tip)) != 0 ||
            (err = state_feed_end(c->kv, key, UINT64_MAX, &end)) != 0)
            return rules__state_error(d, err, N_("the replaced key's feed"));
        if (tip.applied < end) {
            ledger_member_label(c->kv, key, label, sizeof label);
            return diag_set(d, CF_EPENDING, NULL,
                            "waiting for %s's replaced key's feed: %llu of its %llu entries "
                            "that stand are applied here (R-KEY.3)",
                            label, (unsigned long long)tip.applied, (unsigned long long)end);
        }
        if (tip.applied > 0 && (!any || tip.last_time > last_time)) {
            last_time = tip.last_time;
            any = true;
        }
        if ((err = rules__member_get(c, key, &pm)) != 0)
            return rules__state_error(d, err, N_("the member's replaced keys"));
        if (!pm.has_prev) break;
        memcpy(key, pm.prev, 32);
    }
    if (any && e->time_ms < last_time) {
        char t1[CALTIME_TEXT_BYTES], t0[CALTIME_TEXT_BYTES];
        caltime_format(e->time_ms, c->net.tz_min, t1);
        caltime_format(last_time, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-KEY.3",
                        "time %s is earlier than %s's last entry under its replaced key, %s",
                        t1, a->name, t0);
    }
    return CF_OK;
}

int rules__same_member(rule_ctx *c, const uint8_t key[32], bool *same, diag *d)
{
    state_member m;
    int err = rules__member_get(c, key, &m);
    if (err == CF_ENOTFOUND) {
        *same = false;
        return CF_OK;
    }
    if (err) return rules__state_error(d, err, N_("members"));
    *same = memcmp(m.identity, c->author.identity, 32) == 0;
    return CF_OK;
}
