/* entry.c — the entry decoder (see entry.h and docs/format.md); the encoder
 * is entry_encode.c, the field tables entry_fields.c.
 *
 * Every map (envelope and bodies) is described by a field table listed in
 * canonical key order (keys sorted by their encoded bytes: shorter first,
 * then bytewise). The decoder walks the table and the map together, so an
 * unknown, missing or misplaced key is found in one pass; the encoder walks
 * the same table, so the two cannot disagree about order or types.
 */
#include "entry.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "crypto/cbor.h"
#include "amount.h"
#include "crypto/cf_error.h"
#include "entry_internal.h"

bool entry_text_eq(entry_text t, const char *c)
{
    /* {NULL, 0} (a zeroed optional text) is "" without calling memcmp on NULL. */
    return strlen(c) == t.n && (t.n == 0 || memcmp(c, t.s, t.n) == 0);
}

bool entry_id_valid(const char *s, size_t n)
{
    if (n == 0 || n > ENTRY_ID_BYTES_MAX) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

bool entry_name_valid(const char *s, size_t n)
{
    if (n == 0 || n > ENTRY_NAME_BYTES_MAX) return false;
    if (!cbor_utf8_valid((const uint8_t *)s, n)) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) return false; /* C0 controls and DEL */
        /* C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F): U+009B is a
         * terminal's CSI, as dangerous in a name as ESC. */
        if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9f) return false;
    }
    return true;
}

/* A member name must not look like a key, or "MEMBER" arguments would be
 * ambiguous. */
static bool looks_like_key(entry_text t)
{
    if (t.n != 64) return false;
    for (size_t i = 0; i < 64; i++) {
        char c = t.s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
              (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

/* ---- decoding ----------------------------------------------------------- */

/* Messages start with the field's path: "body.cites[2].amount: ...". */
int entry__bad(diag *d, const char *where, const char *key, const char *fmt, ...)
{
    char what[DIAG_TEXT_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return diag_set(d, CF_EENTRY, "R-ENV", "%s%s%s: %s", where,
                    where[0] && key[0] ? "." : "", key, what);
}

int entry__recovery_check(const body_genesis *g, diag *d)
{
    if (g->has_recovery != g->has_quorum)
        return entry__bad(d, "body", g->has_recovery ? "quorum" : "recovery",
                          _("missing (a genesis names recovery keys and their quorum together)"));
    if (g->has_quorum && g->quorum > g->recovery.n)
        return entry__bad(d, "body", "quorum", _("%u exceeds the %zu recovery keys named"),
                          (unsigned)g->quorum, g->recovery.n);
    return CF_OK;
}

int entry__rename_check(const body_rename *b, diag *d)
{
    if (b->has_member && b->has_project)
        return entry__bad(d, "body", "project",
                          "a rename names a member or a project, not both");
    return CF_OK;
}

/* "0.01 to 10,000,000,000,000.00": the amounts an entry may carry, from
 * min_fen to AMOUNT_FEN_MAX. */
#define AMOUNT_RANGE_TEXT_BYTES (2 * AMOUNT_TEXT_BYTES + 4)
static const char *amount_range_text(int64_t min_fen, char out[AMOUNT_RANGE_TEXT_BYTES])
{
    char lo[AMOUNT_TEXT_BYTES], hi[AMOUNT_TEXT_BYTES];
    amount_format(min_fen, lo);
    amount_format(AMOUNT_FEN_MAX, hi);
    snprintf(out, AMOUNT_RANGE_TEXT_BYTES, "%s to %s", lo, hi);
    return out;
}

static int cbor_bad(diag *d, const char *where, const char *key, int err)
{
    return diag_set(d, err, "R-ENV", "%s%s%s: %s", where,
                    where[0] && key[0] ? "." : "", key, cf_strerror(err));
}

/* Where a map being decoded sits: "body", or "body.cites[<cite>]". Spelled
 * out only when a message needs it (every citation would otherwise pay an
 * snprintf). */
typedef struct {
    const char *name;
    size_t cite; /* NO_CITE unless a citation */
} map_loc;
#define NO_CITE ((size_t)-1)

static const char *loc_text(const map_loc *l, char buf[48])
{
    if (l->cite == NO_CITE) return l->name;
    snprintf(buf, 48, "%s.cites[%zu]", l->name, l->cite);
    return buf;
}

static int bad_at(diag *d, const map_loc *where, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad_at(diag *d, const map_loc *where, const char *key, const char *fmt, ...)
{
    char buf[48], what[DIAG_TEXT_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return entry__bad(d, loc_text(where, buf), key, "%s", what);
}

static int cbor_bad_at(diag *d, const map_loc *where, const char *key, int err)
{
    char buf[48];
    return cbor_bad(d, loc_text(where, buf), key, err);
}

/* Text from the input quoted in a message: replicas log rejections of what
 * peers sent, so nothing but printable ASCII reaches a terminal. */
const char *entry__printable(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        out[k++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    out[k] = '\0';
    return out;
}

static int decode_map(cbor_rd *r, const field_spec *spec, size_t nspec,
                      void *dst, const map_loc *where, diag *d);

static int decode_roles(cbor_rd *r, uint32_t *out, const map_loc *where,
                        const char *key, diag *d)
{
    size_t n;
    int err = cbor_rd_array(r, &n, 2);
    if (err) return cbor_bad_at(d, where, key, err);
    if (n == 0) return bad_at(d, where, key, _("names no role"));
    uint32_t set = 0;
    int prev = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s;
        size_t len;
        if ((err = cbor_rd_text(r, &s, &len, 16)) != 0)
            return cbor_bad_at(d, where, key, err);
        enum member_role role = role_from_name(s, len);
        if (role == 0 || !(ROLE_BIT(role) & COUNTERPART_ROLES))
            return bad_at(d, where, key, _("only investor and team can be counterparts"));
        if ((int)role <= prev)
            return bad_at(d, where, key,
                          _("roles must be listed once, in the order investor, team"));
        prev = (int)role;
        set |= ROLE_BIT(role);
    }
    *out = set;
    return CF_OK;
}

static int decode_cites(cbor_rd *r, body_match *m, const char *key, diag *d)
{
    size_t n;
    int err = cbor_rd_array(r, &n, ENTRY_CITES_MAX);
    if (err) return cbor_bad(d, "body", key, err);
    for (size_t i = 0; i < n; i++) {
        map_loc where = {"body", i};
        memset(&m->cites[i], 0, sizeof m->cites[i]);
        if ((err = decode_map(r, entry__cite.fields, entry__cite.nfields, &m->cites[i], &where, d)))
            return err;
    }
    m->ncites = n;
    return CF_OK;
}

/* An award program's levels: 1..8 amounts, strictly increasing (one list,
 * one encoding). */
static int decode_levels(cbor_rd *r, body_program *b, const map_loc *where,
                         const char *key, diag *d)
{
    size_t n;
    int err = cbor_rd_array(r, &n, AWARD_LEVELS_MAX);
    if (err) return cbor_bad_at(d, where, key, err);
    if (n == 0) return bad_at(d, where, key, _("names no amount"));
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        if ((err = cbor_rd_uint(r, &u)) != 0) return cbor_bad_at(d, where, key, err);
        if (u == 0 || u > (uint64_t)AMOUNT_FEN_MAX) {
            char range[AMOUNT_RANGE_TEXT_BYTES];
            return bad_at(d, where, key, _("amount must be %s"), amount_range_text(1, range));
        }
        if (i > 0 && (int64_t)u <= b->levels_fen[i - 1])
            return bad_at(d, where, key, _("amounts must be listed once each, increasing"));
        b->levels_fen[i] = (int64_t)u;
    }
    b->nlevels = n;
    return CF_OK;
}

/* Recovery keys (F_KEYS) or signatures by them (F_SIGS): 1..8 items,
 * strictly increasing by key; a signature item is [key, sig]. */
static int decode_keyed(cbor_rd *r, bool sigs, void *p, const map_loc *where, const char *key,
                        diag *d)
{
    entry_keys *ks = p;
    entry_sigs *ss = p;
    uint8_t(*keys)[32] = sigs ? ss->keys : ks->keys;
    size_t n;
    int err = cbor_rd_array(r, &n, RECOVERY_KEYS_MAX);
    if (err) return cbor_bad_at(d, where, key, err);
    if (n == 0) return bad_at(d, where, key, sigs ? _("holds no signature") : _("names no key"));
    for (size_t i = 0; i < n; i++) {
        size_t two;
        if (sigs && (err = cbor_rd_array(r, &two, 2)) != 0) return cbor_bad_at(d, where, key, err);
        if (sigs && two != 2) return bad_at(d, where, key, _("a signature must be [key, sig]"));
        if ((err = cbor_rd_bytes_exact(r, keys[i], 32)) != 0 ||
            (sigs && (err = cbor_rd_bytes_exact(r, ss->sigs[i], 64)) != 0))
            return cbor_bad_at(d, where, key, err);
        if (i > 0 && memcmp(keys[i], keys[i - 1], 32) <= 0)
            return bad_at(d, where, key, _("keys must be listed once each, in increasing order"));
    }
    if (sigs)
        ss->n = n;
    else
        ks->n = n;
    return CF_OK;
}

static int decode_value(cbor_rd *r, const field_spec *f, void *dst,
                        const map_loc *where, diag *d)
{
    uint8_t *p = (uint8_t *)dst + f->off;
    const char *k = f->key;
    uint64_t u;
    int64_t i;
    int err = CF_OK;

    switch (f->type) {
    case F_ID:
    case F_NAME: {
        entry_text t;
        size_t max = f->type == F_ID ? ENTRY_ID_BYTES_MAX : ENTRY_NAME_BYTES_MAX;
        if ((err = cbor_rd_text(r, &t.s, &t.n, max)) != 0) break;
        if (f->type == F_ID ? !entry_id_valid(t.s, t.n)
                            : !entry_name_valid(t.s, t.n))
            return bad_at(d, where, k,
                       f->type == F_ID
                           ? _("identifier must be 1-%zu of A-Z a-z 0-9 . _ -")
                           : _("name must be 1-%zu bytes without control characters"),
                       max);
        memcpy(p, &t, sizeof t);
        return CF_OK;
    }
    case F_KEY32:
        err = cbor_rd_bytes_exact(r, p, 32);
        break;
    case F_UINT:
        if ((err = cbor_rd_uint(r, &u)) == 0) memcpy(p, &u, sizeof u);
        break;
    case F_TIME:
        if ((err = cbor_rd_uint(r, &u)) != 0) break;
        if (u > TIME_MS_MAX) return bad_at(d, where, k, _("time beyond year %d"), TIME_YEAR_MAX);
        memcpy(p, &u, sizeof u);
        return CF_OK;
    case F_AMOUNT:
        if ((err = cbor_rd_uint(r, &u)) != 0) break;
        if (u == 0 || u > (uint64_t)AMOUNT_FEN_MAX) {
            char range[AMOUNT_RANGE_TEXT_BYTES];
            return bad_at(d, where, k, _("amount must be %s"), amount_range_text(1, range));
        }
        i = (int64_t)u;
        memcpy(p, &i, sizeof i);
        return CF_OK;
    case F_ROLE: {
        const char *s;
        size_t n;
        if ((err = cbor_rd_text(r, &s, &n, 16)) != 0) break;
        enum member_role role = role_from_name(s, n);
        if (role == 0 || role == ROLE_GOVERNANCE)
            return bad_at(d, where, k,
                          _("role must be fund, investor, team, auditor, bank or lessor"));
        memcpy(p, &role, sizeof role);
        return CF_OK;
    }
    case F_ROLES:
        return decode_roles(r, (uint32_t *)(void *)p, where, k, d);
    case F_RATIO: {
        size_t n;
        uint64_t num, den;
        if ((err = cbor_rd_array(r, &n, 2)) != 0) break;
        if (n != 2) return bad_at(d, where, k, _("ratio must be [numerator, denominator]"));
        if ((err = cbor_rd_uint(r, &num)) != 0 ||
            (err = cbor_rd_uint(r, &den)) != 0)
            break;
        if (num == 0 || den == 0 || num > RATIO_TERM_MAX || den > RATIO_TERM_MAX)
            return bad_at(d, where, k, _("ratio terms must be 1 to %d"), RATIO_TERM_MAX);
        uint32_t terms[2] = {(uint32_t)num, (uint32_t)den};
        memcpy(p, terms, sizeof terms);
        return CF_OK;
    }
    case F_DAYS:
        if ((err = cbor_rd_uint(r, &u)) != 0) break;
        if (u > WINDOW_DAYS_MAX)
            return bad_at(d, where, k, _("window over %d days"), WINDOW_DAYS_MAX);
        {
            uint32_t days = (uint32_t)u;
            memcpy(p, &days, sizeof days);
        }
        return CF_OK;
    case F_TZ:
        if ((err = cbor_rd_int(r, &i)) != 0) break;
        if (i < TZ_MIN_MIN || i > TZ_MIN_MAX)
            return bad_at(d, where, k, _("time zone offset must be %d to %d minutes"),
                          TZ_MIN_MIN, TZ_MIN_MAX);
        {
            int32_t tz = (int32_t)i;
            memcpy(p, &tz, sizeof tz);
        }
        return CF_OK;
    case F_CITES:
        return decode_cites(r, (body_match *)dst, k, d);
    case F_REF: {
        char name[40];
        snprintf(name, sizeof name, "%s.%s", where->name, k);
        map_loc at = {name, NO_CITE};
        memset(p, 0, sizeof(entry_ref));
        return decode_map(r, entry__ref.fields, entry__ref.nfields, p, &at, d);
    }
    case F_FEN0:
        if ((err = cbor_rd_uint(r, &u)) != 0) break;
        if (u > (uint64_t)AMOUNT_FEN_MAX) {
            char range[AMOUNT_RANGE_TEXT_BYTES];
            return bad_at(d, where, k, _("amount must be %s"), amount_range_text(0, range));
        }
        i = (int64_t)u;
        memcpy(p, &i, sizeof i);
        return CF_OK;
    case F_MONTHS:
    case F_YEAR:
    case F_MULT: {
        static const struct {
            uint64_t min, max;
            const char *what, *unit;
        } range[] = {
            {1, TERM_MONTHS_MAX, N_("term"), N_(" months")},
            {AWARD_YEAR_MIN, AWARD_YEAR_MAX, N_("year"), ""},
            {1, LEVERAGE_MAX, N_("leverage"), ""},
        };
        size_t w = f->type == F_MONTHS ? 0 : f->type == F_YEAR ? 1 : 2;
        if ((err = cbor_rd_uint(r, &u)) != 0) break;
        if (u < range[w].min || u > range[w].max)
            return bad_at(d, where, k, _("%s must be %" PRIu64 " to %" PRIu64 "%s"),
                          _(range[w].what), range[w].min, range[w].max,
                          range[w].unit[0] ? _(range[w].unit) : "");
        uint32_t v = (uint32_t)u;
        memcpy(p, &v, sizeof v);
        return CF_OK;
    }
    case F_SHARE:
    case F_PCT: {
        size_t n;
        uint64_t a, b;
        bool share = f->type == F_SHARE;
        if ((err = cbor_rd_array(r, &n, 2)) != 0) break;
        if (n != 2)
            return bad_at(d, where, k, share ? _("share must be [numerator, denominator]")
                                             : _("bounds must be [min, max] percent"));
        if ((err = cbor_rd_uint(r, &a)) != 0 || (err = cbor_rd_uint(r, &b)) != 0) break;
        if (share && (a == 0 || b == 0 || a > RATIO_TERM_MAX || b > RATIO_TERM_MAX || a > b))
            return bad_at(d, where, k, _("share terms must be 1 to %d, numerator <= denominator"),
                          RATIO_TERM_MAX);
        if (!share && (a > b || b > PERCENT_MAX))
            return bad_at(d, where, k, _("bounds must be 0 <= min <= max <= %d percent"),
                          PERCENT_MAX);
        uint32_t terms[2] = {(uint32_t)a, (uint32_t)b};
        memcpy(p, terms, sizeof terms);
        return CF_OK;
    }
    case F_LEVELS:
        return decode_levels(r, (body_program *)dst, where, k, d);
    case F_KEYS:
    case F_SIGS:
        return decode_keyed(r, f->type == F_SIGS, p, where, k, d);
    case F_CERT: {
        const char *s;
        size_t n;
        if ((err = cbor_rd_text(r, &s, &n, 16)) != 0) break;
        enum cert_kind kind = cert_kind_from_name(s, n);
        if (kind == 0) return bad_at(d, where, k, _("must be demonstration, first-set or local"));
        memcpy(p, &kind, sizeof kind);
        return CF_OK;
    }
    case F_QUORUM:
        if ((err = cbor_rd_uint(r, &u)) != 0) break;
        if (u == 0 || u > RECOVERY_KEYS_MAX)
            return bad_at(d, where, k, _("quorum must be 1 to %d"), RECOVERY_KEYS_MAX);
        {
            uint32_t q = (uint32_t)u;
            memcpy(p, &q, sizeof q);
        }
        return CF_OK;
    }
    return err ? cbor_bad_at(d, where, k, err) : CF_OK;
}

/* Walk a map against its table, in one pass (cbor.h): each key must be the
 * table's next or a later one, and the table is in canonical order, so a
 * map whose keys are out of order, repeated or unknown stops at the first
 * such key. A key is compared before it is used, so only table keys (ASCII)
 * are ever taken. */
static int decode_map(cbor_rd *r, const field_spec *spec, size_t nspec,
                      void *dst, const map_loc *where, diag *d)
{
    size_t n, next = 0;
    char shown[40], buf[48];
    /* No count limit beyond the input's own: the walk stops at the first key
     * not in the table, and names it. */
    int err = cbor_rd_map_head(r, &n, ENTRY_BYTES_MAX);
    if (err) return cbor_bad_at(d, where, "", err);
    for (size_t i = 0; i < n; i++) {
        const char *key;
        size_t klen;
        if ((err = cbor_rd_key(r, &key, &klen, 32)) != 0)
            return cbor_bad_at(d, where, "(key)", err);
        size_t j = next;
        while (j < nspec && !(spec[j].klen == klen && memcmp(spec[j].key, key, klen) == 0))
            j++;
        if (j == nspec)
            return diag_set(d, CF_EENTRY, "R-ENV", "%s: unknown or misplaced key \"%s\"",
                            where->name[0] ? loc_text(where, buf) : "entry",
                            entry__printable(key, klen, shown, sizeof shown));
        for (size_t m = next; m < j; m++)
            if (spec[m].has_off == NO_HAS)
                return bad_at(d, where, spec[m].key, _("missing"));
        if (spec[j].has_off != NO_HAS) *(bool *)((uint8_t *)dst + spec[j].has_off) = true;
        if ((err = decode_value(r, &spec[j], dst, where, d)) != 0) return err;
        next = j + 1;
    }
    for (size_t m = next; m < nspec; m++)
        if (spec[m].has_off == NO_HAS) return bad_at(d, where, spec[m].key, _("missing"));
    return CF_OK;
}

/* A program body, step one: find its "kind" (the keys before it are passed
 * over by their heads) and take that kind's table. Step two is the ordinary
 * walk of the body with the table, which reads every item. */
static int program_spec(cbor_rd body, body_spec *out, diag *d)
{
    size_t n;
    char shown[40];
    int err = cbor_rd_map_head(&body, &n, ENTRY_BYTES_MAX);
    if (err) return cbor_bad(d, "", "body", err);
    for (size_t i = 0; i < n; i++) {
        const char *key, *s;
        size_t klen, slen;
        if ((err = cbor_rd_key(&body, &key, &klen, 32)) != 0) return cbor_bad(d, "body", "(key)", err);
        if (!(klen == 4 && memcmp(key, "kind", 4) == 0)) {
            if ((err = cbor_rd_skip_heads(&body)) != 0) return cbor_bad(d, "body", "", err);
            continue;
        }
        if ((err = cbor_rd_text(&body, &s, &slen, ENTRY_ID_BYTES_MAX)) != 0)
            return cbor_bad(d, "body", "kind", err);
        enum program_kind k = program_kind_from_name(s, slen);
        if (k == 0)
            return diag_set(d, CF_EENTRY, "R-ENV",
                            "body.kind: program kind \"%s\" is unknown (match, pool, leasing "
                            "or award)", entry__printable(s, slen, shown, sizeof shown));
        *out = entry__kinds[k];
        return CF_OK;
    }
    return entry__bad(d, "body", "kind", _("missing"));
}

/* One pass over the bytes (decode_map): every item is read by a getter that
 * checks its head, bounds and UTF-8, every map's keys against a table. */
static int decode_entry(const uint8_t *bytes, size_t len, entry *out, diag *d)
{
    int err;
    /* The envelope now, the body once its type is known: only the type's
     * struct (a match's holds 64 citations, 6 KiB; most are under 200 B). */
    memset(out, 0, offsetof(entry, body));
    /* Envelope, in canonical key order: v gov net body time type index author. */
    cbor_rd r;
    size_t n;
    char shown[40];
    cbor_rd_init(&r, bytes, len);
    /* As in decode_map: an extra key is reported by name, not by count. */
    if ((err = cbor_rd_map_head(&r, &n, ENTRY_BYTES_MAX)) != 0) return cbor_bad(d, "", "entry", err);
    static const struct {
        const char *key;
        size_t klen;
        bool required; /* "net" is checked against the type below */
    } keys[] = {{FIELD_KEY("v"), true},     {FIELD_KEY("gov"), true},   {FIELD_KEY("net"), false},
                {FIELD_KEY("body"), true},  {FIELD_KEY("time"), true},  {FIELD_KEY("type"), true},
                {FIELD_KEY("index"), true}, {FIELD_KEY("author"), true}};
    const size_t nkeys = sizeof keys / sizeof keys[0];
    size_t body_end = 0;
    size_t next = 0;
    cbor_rd body = {0};
    bool have[8] = {false};
    for (size_t i = 0; i < n; i++) {
        const char *key;
        size_t klen;
        if ((err = cbor_rd_key(&r, &key, &klen, 16)) != 0) return cbor_bad(d, "", "entry key", err);
        size_t j = next;
        while (j < nkeys && !(keys[j].klen == klen && memcmp(keys[j].key, key, klen) == 0)) j++;
        if (j == nkeys)
            return diag_set(d, CF_EENTRY, "R-ENV", "entry: unknown or misplaced key \"%s\"",
                            entry__printable(key, klen, shown, sizeof shown));
        have[j] = true;
        next = j + 1;
        uint64_t u;
        switch (j) {
        case 0: /* v */
            if ((err = cbor_rd_uint(&r, &u)) != 0) return cbor_bad(d, "", "v", err);
            if (u != ENTRY_VERSION)
                return diag_set(d, CF_EENTRY, "R-ENV", "v: unsupported version %llu",
                                (unsigned long long)u);
            break;
        case 1: /* gov */
            if ((err = cbor_rd_uint(&r, &out->gov)) != 0) return cbor_bad(d, "", "gov", err);
            break;
        case 2: /* net */
            if ((err = cbor_rd_bytes_exact(&r, out->net, 32)) != 0) return cbor_bad(d, "", "net", err);
            out->has_net = true;
            break;
        case 3: /* body: decoded once the type is known, every item then */
            body = r;
            if ((err = cbor_rd_skip_heads(&r)) != 0) return cbor_bad(d, "", "body", err);
            body_end = r.pos;
            break;
        case 4: /* time */
            if ((err = cbor_rd_uint(&r, &out->time_ms)) != 0) return cbor_bad(d, "", "time", err);
            if (out->time_ms > TIME_MS_MAX)
                return entry__bad(d, "", "time", _("beyond year %d"), TIME_YEAR_MAX);
            break;
        case 5: { /* type */
            const char *s;
            size_t slen;
            if ((err = cbor_rd_text(&r, &s, &slen, 32)) != 0) return cbor_bad(d, "", "type", err);
            out->type = entry_type_from_name(s, slen);
            if (out->type == 0)
                return diag_set(d, CF_EENTRY, "R-ENV", "type: unknown entry type \"%s\"",
                                entry__printable(s, slen, shown, sizeof shown));
            break;
        }
        case 6: /* index */
            if ((err = cbor_rd_uint(&r, &out->index)) != 0) return cbor_bad(d, "", "index", err);
            break;
        case 7: /* author */
            if ((err = cbor_rd_bytes_exact(&r, out->author, 32)) != 0) return cbor_bad(d, "", "author", err);
            break;
        }
    }
    for (size_t j = 0; j < nkeys; j++)
        if (keys[j].required && !have[j]) return entry__bad(d, "", keys[j].key, _("missing"));
    if ((err = cbor_rd_end(&r)) != 0) return cbor_bad(d, "", "entry", err);
    if (out->has_net == (out->type == ENTRY_GENESIS))
        return entry__bad(d, "", "net", out->type == ENTRY_GENESIS
                                     ? _("genesis must not name a network")
                                     : _("missing"));

    static const map_loc body_loc = {"body", NO_CITE};
    body_spec spec = entry__types[out->type];
    if (out->type == ENTRY_PROGRAM && (err = program_spec(body, &spec, d)) != 0) return err;
    memset(&out->body, 0, spec.bytes);
    if ((err = decode_map(&body, spec.fields, spec.nfields, &out->body, &body_loc, d)) != 0)
        return err;
    /* The walk read the items the skip passed over, no fewer (their heads
     * are the same bytes: this holds for any input, and is checked). */
    if (body.pos != body_end) return cbor_bad(d, "", "body", CF_ECBOR_TRAILING);
    if (out->type == ENTRY_MEMBER && looks_like_key(out->body.member.name))
        return entry__bad(d, "body", "name", _("a member name must not look like a key"));
    if (out->type == ENTRY_GENESIS && looks_like_key(out->body.genesis.member))
        return entry__bad(d, "body", "member", _("a member name must not look like a key"));
    if (out->type == ENTRY_GENESIS) return entry__recovery_check(&out->body.genesis, d);
    if (out->type == ENTRY_RENAME) return entry__rename_check(&out->body.rename, d);
    return CF_OK;
}

int entry_decode(const uint8_t *bytes, size_t len, entry *out, diag *d)
{
    if (len > ENTRY_BYTES_MAX)
        return diag_set(d, CF_ETOOBIG, "R-ENV", "entry: %zu bytes exceed the limit of %d",
                        len, ENTRY_BYTES_MAX);
    int err = decode_entry(bytes, len, out, d);
    if (err == CF_OK) return CF_OK;
    /* Rejected. Bytes that are not one canonical CBOR item are named as such,
     * where they fail (the one pass may have met the fault as a wrong type or
     * a misplaced key first); only valid CBOR keeps the field's message. The
     * accepted bytes, nearly all, are read once. */
    size_t off = 0;
    int verr = cbor_validate(bytes, len, &off);
    if (verr != CF_OK)
        return diag_set(d, verr, "R-ENV", "entry: %s at byte %zu", cf_strerror(verr), off);
    return err;
}

