/* entry.c — the entry codec (see entry.h and docs/format.md).
 *
 * Every map (envelope and bodies) is described by a field table listed in
 * canonical key order (keys sorted by their encoded bytes: shorter first,
 * then bytewise). The decoder walks the table and the map together, so an
 * unknown, missing or misplaced key is found in one pass; the encoder walks
 * the same table, so the two cannot disagree about order or types.
 */
#include "entry.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cbor.h"
#include "cf_error.h"

enum field_type {
    F_ID,     /* entry_text, identifier */
    F_NAME,   /* entry_text, display name */
    F_KEY32,  /* uint8_t[32] */
    F_UINT,   /* uint64_t */
    F_AMOUNT, /* int64_t, 1 ..= AMOUNT_FEN_MAX */
    F_TIME,   /* uint64_t, <= TIME_MS_MAX */
    F_ROLE,   /* enum member_role, not governance */
    F_ROLES,  /* uint32_t ROLE_BIT set, array of counterpart roles */
    F_RATIO,  /* uint32_t[2], [num, den] */
    F_DAYS,   /* uint32_t, <= WINDOW_DAYS_MAX */
    F_TZ,     /* int32_t minutes */
    F_CITES,  /* body_match cites + ncites */
};

typedef struct {
    const char *key;
    enum field_type type;
    size_t off;     /* offset of the value in the body struct */
    size_t has_off; /* offset of its `bool has_x`, or NO_HAS when required */
} field_spec;

#define NO_HAS ((size_t)-1)
#define REQ(k, t, st, m) {k, t, offsetof(st, m), NO_HAS}
#define OPT(k, t, st, m, h) {k, t, offsetof(st, m), offsetof(st, h)}

static const field_spec genesis_fields[] = {
    REQ("tz", F_TZ, body_genesis, tz_min),
    REQ("name", F_NAME, body_genesis, name),
    REQ("member", F_ID, body_genesis, member),
};
static const field_spec member_fields[] = {
    REQ("key", F_KEY32, body_member, key),
    REQ("name", F_ID, body_member, name),
    REQ("role", F_ROLE, body_member, role),
};
static const field_spec program_fields[] = {
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
    REQ("index", F_UINT, entry_cite, index),
    REQ("amount", F_AMOUNT, entry_cite, amount_fen),
    REQ("author", F_KEY32, entry_cite, author),
};
static const field_spec exit_fields[] = {
    REQ("amount", F_AMOUNT, body_exit, amount_fen),
    REQ("project", F_ID, body_exit, project),
};

#define SPEC(a) a, sizeof(a) / sizeof((a)[0])

static const struct {
    const char *name;
    const field_spec *fields;
    size_t nfields;
} types[ENTRY__TYPES] = {
    [ENTRY_GENESIS] = {"genesis", SPEC(genesis_fields)},
    [ENTRY_MEMBER] = {"member", SPEC(member_fields)},
    [ENTRY_PROGRAM] = {"program", SPEC(program_fields)},
    [ENTRY_PROJECT] = {"project", SPEC(project_fields)},
    [ENTRY_CONTRIBUTION] = {"contribution", SPEC(contribution_fields)},
    [ENTRY_MATCH] = {"match", SPEC(match_fields)},
    [ENTRY_EXIT] = {"exit", SPEC(exit_fields)},
};

static const char *const role_names[ROLE__COUNT] = {
    [ROLE_GOVERNANCE] = "governance", [ROLE_FUND] = "fund",
    [ROLE_INVESTOR] = "investor",     [ROLE_TEAM] = "team",
    [ROLE_AUDITOR] = "auditor",
};

/* Roles a program may accept as counterpart: the social capital. */
#define COUNTERPART_ROLES (ROLE_BIT(ROLE_INVESTOR) | ROLE_BIT(ROLE_TEAM))

const char *entry_type_name(enum entry_type t)
{
    return t > 0 && t < ENTRY__TYPES ? types[t].name : "?";
}

enum entry_type entry_type_from_name(const char *s, size_t n)
{
    for (int t = 1; t < ENTRY__TYPES; t++)
        if (strlen(types[t].name) == n && memcmp(types[t].name, s, n) == 0)
            return (enum entry_type)t;
    return 0;
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
static int bad(diag *d, const char *where, const char *key, const char *what)
{
    return diag_set(d, CF_EENTRY, "R-ENV", "%s%s%s: %s", where,
                    where[0] && key[0] ? "." : "", key, what);
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

static int bad_at(diag *d, const map_loc *where, const char *key, const char *what)
{
    char buf[48];
    return bad(d, loc_text(where, buf), key, what);
}

static int cbor_bad_at(diag *d, const map_loc *where, const char *key, int err)
{
    char buf[48];
    return cbor_bad(d, loc_text(where, buf), key, err);
}

/* Text from the input quoted in a message: replicas log rejections of what
 * peers sent, so nothing but printable ASCII reaches a terminal. */
static const char *printable(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        out[k++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    out[k] = '\0';
    return out;
}

/* The head of a map in bytes cbor_validate has accepted as a whole (entry_decode
 * validates before it walks): cbor_rd_map would scan the entire map again,
 * which validation already did. Maps in entries have fewer than 24 pairs, so
 * their head is one byte (major type 5, count in the low five bits): that
 * head is read here; any other goes through cbor_rd_map. */
static int rd_map_validated(cbor_rd *r, size_t *n)
{
    if (r->pos < r->len) {
        uint8_t head = r->p[r->pos];
        if (head >> 5 == CBOR_MAP && (head & 0x1f) < 24) {
            *n = head & 0x1f;
            r->pos++;
            return CF_OK;
        }
    }
    return cbor_rd_map(r, n, ENTRY_BYTES_MAX);
}

static int decode_map(cbor_rd *r, const field_spec *spec, size_t nspec,
                      void *dst, const map_loc *where, diag *d);

static int decode_roles(cbor_rd *r, uint32_t *out, const map_loc *where,
                        const char *key, diag *d)
{
    size_t n;
    int err = cbor_rd_array(r, &n, 2);
    if (err) return cbor_bad_at(d, where, key, err);
    if (n == 0) return bad_at(d, where, key, "names no role");
    uint32_t set = 0;
    int prev = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s;
        size_t len;
        if ((err = cbor_rd_text(r, &s, &len, 16)) != 0)
            return cbor_bad_at(d, where, key, err);
        enum member_role role = role_from_name(s, len);
        if (role == 0 || !(ROLE_BIT(role) & COUNTERPART_ROLES))
            return bad_at(d, where, key, "only investor and team can be counterparts");
        if ((int)role <= prev)
            return bad_at(d, where, key, "roles must be listed once, in the order investor, team");
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
        if ((err = decode_map(r, SPEC(cite_fields), &m->cites[i], &where, d)))
            return err;
    }
    m->ncites = n;
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
                           ? "identifier must be 1-64 of A-Z a-z 0-9 . _ -"
                           : "name must be 1-128 bytes without control characters");
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
        if (u > TIME_MS_MAX) return bad_at(d, where, k, "time beyond year 9999");
        memcpy(p, &u, sizeof u);
        return CF_OK;
    case F_AMOUNT:
        if ((err = cbor_rd_uint(r, &u)) != 0) break;
        if (u == 0 || u > (uint64_t)AMOUNT_FEN_MAX)
            return bad_at(d, where, k, "amount must be 0.01 to 10,000,000,000,000.00");
        i = (int64_t)u;
        memcpy(p, &i, sizeof i);
        return CF_OK;
    case F_ROLE: {
        const char *s;
        size_t n;
        if ((err = cbor_rd_text(r, &s, &n, 16)) != 0) break;
        enum member_role role = role_from_name(s, n);
        if (role == 0 || role == ROLE_GOVERNANCE)
            return bad_at(d, where, k, "role must be fund, investor, team or auditor");
        memcpy(p, &role, sizeof role);
        return CF_OK;
    }
    case F_ROLES:
        return decode_roles(r, (uint32_t *)(void *)p, where, k, d);
    case F_RATIO: {
        size_t n;
        uint64_t num, den;
        if ((err = cbor_rd_array(r, &n, 2)) != 0) break;
        if (n != 2) return bad_at(d, where, k, "ratio must be [numerator, denominator]");
        if ((err = cbor_rd_uint(r, &num)) != 0 ||
            (err = cbor_rd_uint(r, &den)) != 0)
            break;
        if (num == 0 || den == 0 || num > RATIO_TERM_MAX || den > RATIO_TERM_MAX)
            return bad_at(d, where, k, "ratio terms must be 1 to 1000");
        uint32_t terms[2] = {(uint32_t)num, (uint32_t)den};
        memcpy(p, terms, sizeof terms);
        return CF_OK;
    }
    case F_DAYS:
        if ((err = cbor_rd_uint(r, &u)) != 0) break;
        if (u > WINDOW_DAYS_MAX) return bad_at(d, where, k, "window over 3650 days");
        {
            uint32_t days = (uint32_t)u;
            memcpy(p, &days, sizeof days);
        }
        return CF_OK;
    case F_TZ:
        if ((err = cbor_rd_int(r, &i)) != 0) break;
        if (i < TZ_MIN_MIN || i > TZ_MIN_MAX)
            return bad_at(d, where, k, "time zone offset must be -720 to 840 minutes");
        {
            int32_t tz = (int32_t)i;
            memcpy(p, &tz, sizeof tz);
        }
        return CF_OK;
    case F_CITES:
        return decode_cites(r, (body_match *)dst, k, d);
    }
    return err ? cbor_bad_at(d, where, k, err) : CF_OK;
}

/* Walk a map against its table. Keys are known to be sorted and unique only
 * if the caller validated the whole item first; the walk itself also rejects
 * out-of-table-order keys, so it is safe either way. */
static int decode_map(cbor_rd *r, const field_spec *spec, size_t nspec,
                      void *dst, const map_loc *where, diag *d)
{
    size_t n, next = 0;
    char shown[40], buf[48];
    /* No count limit beyond the input's own: the walk stops at the first key
     * not in the table, and names it. */
    int err = rd_map_validated(r, &n);
    if (err) return cbor_bad_at(d, where, "", err);
    for (size_t i = 0; i < n; i++) {
        const char *key;
        size_t klen;
        if ((err = cbor_rd_text(r, &key, &klen, 32)) != 0)
            return cbor_bad_at(d, where, "(key)", err);
        size_t j = next;
        while (j < nspec && !(strlen(spec[j].key) == klen &&
                              memcmp(spec[j].key, key, klen) == 0))
            j++;
        if (j == nspec)
            return diag_set(d, CF_EENTRY, "R-ENV", "%s: unknown or misplaced key \"%s\"",
                            where->name[0] ? loc_text(where, buf) : "entry",
                            printable(key, klen, shown, sizeof shown));
        for (size_t m = next; m < j; m++)
            if (spec[m].has_off == NO_HAS)
                return bad_at(d, where, spec[m].key, "missing");
        if (spec[j].has_off != NO_HAS) *(bool *)((uint8_t *)dst + spec[j].has_off) = true;
        if ((err = decode_value(r, &spec[j], dst, where, d)) != 0) return err;
        next = j + 1;
    }
    for (size_t m = next; m < nspec; m++)
        if (spec[m].has_off == NO_HAS) return bad_at(d, where, spec[m].key, "missing");
    return CF_OK;
}

int entry_decode(const uint8_t *bytes, size_t len, entry *out, diag *d)
{
    size_t off = 0;
    int err;

    memset(out, 0, sizeof *out);
    if (len > ENTRY_BYTES_MAX)
        return diag_set(d, CF_ETOOBIG, "R-ENV", "entry: %zu bytes exceed the limit of %d",
                        len, ENTRY_BYTES_MAX);
    if ((err = cbor_validate(bytes, len, &off)) != 0)
        return diag_set(d, err, "R-ENV", "entry: %s at byte %zu", cf_strerror(err), off);

    /* Envelope, in canonical key order: v gov net body time type index author. */
    cbor_rd r;
    size_t n;
    char shown[40];
    cbor_rd_init(&r, bytes, len);
    /* As in decode_map: an extra key is reported by name, not by count. */
    if ((err = rd_map_validated(&r, &n)) != 0) return cbor_bad(d, "", "entry", err);
    static const char *const keys[] = {"v", "gov", "net", "body", "time", "type", "index", "author"};
    const size_t nkeys = sizeof keys / sizeof keys[0];
    size_t next = 0;
    cbor_rd body = {0};
    bool have[8] = {false};
    for (size_t i = 0; i < n; i++) {
        const char *key;
        size_t klen;
        if ((err = cbor_rd_text(&r, &key, &klen, 16)) != 0) return cbor_bad(d, "", "entry key", err);
        size_t j = next;
        while (j < nkeys && !(strlen(keys[j]) == klen && memcmp(keys[j], key, klen) == 0)) j++;
        if (j == nkeys)
            return diag_set(d, CF_EENTRY, "R-ENV", "entry: unknown or misplaced key \"%s\"",
                            printable(key, klen, shown, sizeof shown));
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
        case 3: /* body: decoded once the type is known */
            body = r;
            if ((err = cbor_rd_skip(&r)) != 0) return cbor_bad(d, "", "body", err);
            break;
        case 4: /* time */
            if ((err = cbor_rd_uint(&r, &out->time_ms)) != 0) return cbor_bad(d, "", "time", err);
            if (out->time_ms > TIME_MS_MAX) return bad(d, "", "time", "beyond year 9999");
            break;
        case 5: { /* type */
            const char *s;
            size_t slen;
            if ((err = cbor_rd_text(&r, &s, &slen, 32)) != 0) return cbor_bad(d, "", "type", err);
            out->type = entry_type_from_name(s, slen);
            if (out->type == 0)
                return diag_set(d, CF_EENTRY, "R-ENV", "type: unknown entry type \"%s\"",
                                printable(s, slen, shown, sizeof shown));
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
    static const char *const required[] = {"v", "gov", NULL, "body", "time", "type", "index", "author"};
    for (size_t j = 0; j < nkeys; j++)
        if (required[j] && !have[j]) return bad(d, "", keys[j], "missing");
    if ((err = cbor_rd_end(&r)) != 0) return cbor_bad(d, "", "entry", err);
    if (out->has_net == (out->type == ENTRY_GENESIS))
        return bad(d, "", "net", out->type == ENTRY_GENESIS
                                     ? "genesis must not name a network"
                                     : "missing");

    static const map_loc body_loc = {"body", NO_CITE};
    if ((err = decode_map(&body, types[out->type].fields, types[out->type].nfields,
                          &out->body, &body_loc, d)) != 0)
        return err;
    if (out->type == ENTRY_MEMBER && looks_like_key(out->body.member.name))
        return bad(d, "body", "name", "a member name must not look like a key");
    if (out->type == ENTRY_GENESIS && looks_like_key(out->body.genesis.member))
        return bad(d, "body", "member", "a member name must not look like a key");
    return CF_OK;
}

/* ---- encoding ----------------------------------------------------------- */

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
    case F_AMOUNT: {
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
            if (set & ROLE_BIT(r)) cbor_put_cstr(e, role_names[r]);
        break;
    }
    case F_RATIO: {
        uint32_t terms[2];
        memcpy(terms, p, sizeof terms);
        cbor_put_array(e, 2);
        cbor_put_uint(e, terms[0]);
        cbor_put_uint(e, terms[1]);
        break;
    }
    case F_DAYS: {
        uint32_t days;
        memcpy(&days, p, sizeof days);
        cbor_put_uint(e, days);
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
            encode_map(e, SPEC(cite_fields), &m->cites[i]);
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
        cbor_put_cstr(e, spec[i].key);
        encode_value(e, &spec[i], src);
    }
}

/* Values the encoder could not write as given — it would drop or invent
 * data rather than produce bytes the decoder rejects (those are caught by
 * decoding the result). */
static int encode_check(const entry *in, diag *d)
{
    if (in->has_net != (in->type != ENTRY_GENESIS))
        return bad(d, "", "net", in->type == ENTRY_GENESIS
                                     ? "genesis must not name a network"
                                     : "missing");
    if (in->type == ENTRY_PROGRAM && (in->body.program.counterpart_roles & ~COUNTERPART_ROLES))
        return bad(d, "body", "counterpart", "only investor and team can be counterparts");
    if (in->type == ENTRY_MATCH && in->body.match.ncites > ENTRY_CITES_MAX)
        return bad(d, "body", "cites", "more than 64 citations");
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
    cbor_enc e;
    cbor_enc_init(&e, buf, cap);
    bool genesis = in->type == ENTRY_GENESIS;
    cbor_put_map(&e, genesis ? 7 : 8);
    cbor_put_cstr(&e, "v");
    cbor_put_uint(&e, ENTRY_VERSION);
    cbor_put_cstr(&e, "gov");
    cbor_put_uint(&e, in->gov);
    if (!genesis) {
        cbor_put_cstr(&e, "net");
        cbor_put_bytes(&e, in->net, 32);
    }
    cbor_put_cstr(&e, "body");
    encode_map(&e, types[in->type].fields, types[in->type].nfields, &in->body);
    cbor_put_cstr(&e, "time");
    cbor_put_uint(&e, in->time_ms);
    cbor_put_cstr(&e, "type");
    cbor_put_cstr(&e, types[in->type].name);
    cbor_put_cstr(&e, "index");
    cbor_put_uint(&e, in->index);
    cbor_put_cstr(&e, "author");
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
