/* entry_encode.c — the entry encoder (see entry.h): it walks the same field
 * tables as the decoder (entry_fields.c), so the two cannot disagree about
 * order or types. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "entry.h"
#include "entry_internal.h"

static void encode_map(cbor_enc *e, const field_spec *spec, size_t nspec,
                       const void *src);

static void encode_value(cbor_enc *e, const field_spec *f, const void *src)
{
    const uint8_t *p = (const uint8_t *)src + f->off;
    switch (f->type) {
    case F_ID:
    case F_NAME: {
        entry_text t;
        memcpy(&t, p, sizeof t);
        cbor_put_text(e, t.s, t.n);
        break;
    }
    case F_KEY32:
        cbor_put_bytes(e, p, 32);
        break;
    case F_UINT:
    case F_TIME: {
        uint64_t u;
        memcpy(&u, p, sizeof u);
        cbor_put_uint(e, u);
        break;
    }
    case F_AMOUNT:
    case F_FEN0: {
        int64_t i;
        memcpy(&i, p, sizeof i);
        cbor_put_int(e, i);
        break;
    }
    case F_ROLE: {
        enum member_role role;
        memcpy(&role, p, sizeof role);
        cbor_put_cstr(e, role_name(role));
        break;
    }
    case F_ROLES: {
        uint32_t set;
        memcpy(&set, p, sizeof set);
        size_t n = 0;
        for (int r = 1; r < ROLE__COUNT; r++) n += (set & ROLE_BIT(r)) != 0;
        cbor_put_array(e, n);
        for (int r = 1; r < ROLE__COUNT; r++)
            if (set & ROLE_BIT(r)) cbor_put_cstr(e, role_name((enum member_role)r));
        break;
    }
    case F_RATIO:
    case F_SHARE:
    case F_PCT: {
        uint32_t terms[2];
        memcpy(terms, p, sizeof terms);
        cbor_put_array(e, 2);
        cbor_put_uint(e, terms[0]);
        cbor_put_uint(e, terms[1]);
        break;
    }
    case F_DAYS:
    case F_MONTHS:
    case F_YEAR:
    case F_MULT: {
        uint32_t v;
        memcpy(&v, p, sizeof v);
        cbor_put_uint(e, v);
        break;
    }
    case F_TZ: {
        int32_t tz;
        memcpy(&tz, p, sizeof tz);
        cbor_put_int(e, tz);
        break;
    }
    case F_CITES: {
        const body_match *m = src;
        cbor_put_array(e, m->ncites);
        for (size_t i = 0; i < m->ncites && i < ENTRY_CITES_MAX; i++)
            encode_map(e, entry__cite.fields, entry__cite.nfields, &m->cites[i]);
        break;
    }
    case F_REF:
        encode_map(e, entry__ref.fields, entry__ref.nfields, p);
        break;
    case F_KEYS:
    case F_SIGS: {
        const entry_keys *ks = (const void *)p;
        const entry_sigs *ss = (const void *)p;
        bool sigs = f->type == F_SIGS;
        size_t n = sigs ? ss->n : ks->n;
        cbor_put_array(e, n);
        for (size_t i = 0; i < n && i < RECOVERY_KEYS_MAX; i++) {
            if (sigs) cbor_put_array(e, 2);
            cbor_put_bytes(e, sigs ? ss->keys[i] : ks->keys[i], 32);
            if (sigs) cbor_put_bytes(e, ss->sigs[i], 64);
        }
        break;
    }
    case F_CERT: {
        enum cert_kind kind;
        memcpy(&kind, p, sizeof kind);
        cbor_put_cstr(e, cert_kind_name(kind));
        break;
    }
    case F_QUORUM: {
        uint32_t q;
        memcpy(&q, p, sizeof q);
        cbor_put_uint(e, q);
        break;
    }
    case F_LEVELS: {
        const body_program *b = src;
        cbor_put_array(e, b->nlevels);
        for (size_t i = 0; i < b->nlevels && i < AWARD_LEVELS_MAX; i++)
            cbor_put_int(e, b->levels_fen[i]);
        break;
    }
    }
}

static void encode_map(cbor_enc *e, const field_spec *spec, size_t nspec,
                       const void *src)
{
    size_t n = 0;
    for (size_t i = 0; i < nspec; i++)
        n += spec[i].has_off == NO_HAS ||
             *(const bool *)((const uint8_t *)src + spec[i].has_off);
    cbor_put_map(e, n);
    for (size_t i = 0; i < nspec; i++) {
        if (spec[i].has_off != NO_HAS &&
            !*(const bool *)((const uint8_t *)src + spec[i].has_off))
            continue;
        cbor_put_text(e, spec[i].key, spec[i].klen);
        encode_value(e, &spec[i], src);
    }
}

/* Values the encoder could not write as given — it would drop or invent
 * data rather than produce bytes the decoder rejects (those are caught by
 * decoding the result). */
static int encode_check(const entry *in, diag *d)
{
    int err;
    if (in->has_net != (in->type != ENTRY_GENESIS))
        return entry__bad(d, "", "net", in->type == ENTRY_GENESIS
                                     ? _("genesis must not name a network")
                                     : _("missing"));
    if (in->type == ENTRY_PROGRAM && entry_program_kind(&in->body.program) == 0) {
        char shown[40];
        const entry_text k = in->body.program.kind;
        return diag_set(d, CF_EENTRY, "R-ENV",
                        "body.kind: program kind \"%s\" is unknown (match, pool, leasing or award)",
                        entry__printable(k.s ? k.s : "", k.n, shown, sizeof shown));
    }
    if (in->type == ENTRY_PROGRAM && (in->body.program.counterpart_roles & ~COUNTERPART_ROLES))
        return entry__bad(d, "body", "counterpart",
                          _("only investor and team can be counterparts"));
    if (in->type == ENTRY_PROGRAM && in->body.program.nlevels > AWARD_LEVELS_MAX)
        return entry__bad(d, "body", "levels", _("more than %d amounts"), AWARD_LEVELS_MAX);
    if (in->type == ENTRY_GENESIS && (err = entry__recovery_check(&in->body.genesis, d)) != 0)
        return err;
    if (in->type == ENTRY_GENESIS && in->body.genesis.recovery.n > RECOVERY_KEYS_MAX)
        return entry__bad(d, "body", "recovery", _("more than %d keys"), RECOVERY_KEYS_MAX);
    if (in->type == ENTRY_SUCCESSION && in->body.succession.sigs.n > RECOVERY_KEYS_MAX)
        return entry__bad(d, "body", "sigs", _("more than %d signatures"), RECOVERY_KEYS_MAX);
    if (in->type == ENTRY_MATCH && in->body.match.ncites > ENTRY_CITES_MAX)
        return entry__bad(d, "body", "cites", _("more than %d citations"), ENTRY_CITES_MAX);
    return CF_OK;
}

int entry_encode_nocheck(const entry *in, uint8_t *buf, size_t cap, size_t *len,
                         diag *d)
{
    if (in->type <= 0 || in->type >= ENTRY__TYPES)
        return diag_set(d, CF_EINVAL, NULL, "unknown entry type");
    int err = encode_check(in, d);
    if (err) return err;
    size_t cap_given = cap;
    if (cap > ENTRY_BYTES_MAX) cap = ENTRY_BYTES_MAX;
    /* Its output is always read by entry_decode before use (entry.h), which
     * checks the texts' UTF-8 and the keys' order. */
    cbor_enc e;
    cbor_enc_init_unchecked(&e, buf, cap);
    bool genesis = in->type == ENTRY_GENESIS;
    cbor_put_map(&e, genesis ? 7 : 8);
    cbor_put_lit(&e, "v");
    cbor_put_uint(&e, ENTRY_VERSION);
    cbor_put_lit(&e, "gov");
    cbor_put_uint(&e, in->gov);
    if (!genesis) {
        cbor_put_lit(&e, "net");
        cbor_put_bytes(&e, in->net, 32);
    }
    cbor_put_lit(&e, "body");
    body_spec spec = in->type == ENTRY_PROGRAM ? entry__kinds[entry_program_kind(&in->body.program)]
                                               : entry__types[in->type];
    encode_map(&e, spec.fields, spec.nfields, &in->body);
    cbor_put_lit(&e, "time");
    cbor_put_uint(&e, in->time_ms);
    cbor_put_lit(&e, "type");
    cbor_put_cstr(&e, entry__types[in->type].name);
    cbor_put_lit(&e, "index");
    cbor_put_uint(&e, in->index);
    cbor_put_lit(&e, "author");
    cbor_put_bytes(&e, in->author, 32);
    err = cbor_enc_finish(&e, len);
    if (err == CF_ECBOR_BUFFER && cap_given < ENTRY_BYTES_MAX)
        return diag_set(d, CF_ETOOBIG, "R-ENV", "entry: does not fit in %zu bytes", cap_given);
    if (err == CF_ECBOR_BUFFER)
        return diag_set(d, CF_ETOOBIG, "R-ENV", "entry: would exceed %d bytes",
                        ENTRY_BYTES_MAX);
    if (err) return diag_set(d, err, "R-ENV", "entry: %s", cf_strerror(err));
    return CF_OK;
}

int entry_encode(const entry *in, uint8_t *buf, size_t cap, size_t *len,
                 diag *d)
{
    int err = entry_encode_nocheck(in, buf, cap, len, d);
    if (err) return err;
    /* Validate what we wrote exactly as a replica will. */
    entry check;
    return entry_decode(buf, *len, &check, d);
}
