/* cmd_register.c — `cofund register`: one journal of every feed's entries in
 * time order (as `hledger register` lists postings), each a row of `log`
 * (journal.c), filtered by member, project, program, type and time.
 *
 * Two ways to one answer. Without --last, --type, --from or --to every entry
 * is listed (or filtered by what it concerns): all are read and sorted. With
 * any of them, only what is listed is read: candidates come newest first
 * from streams merged on (time, feed, index) — each feed's applied entries
 * read from its end, or with --type that type's records of the register's
 * index (state_index.c), both in time order (R-TIME) — and from the entries
 * not applied (a held feed's, a pending one's, past a fork), few and read
 * whole, then sorted; the merge stops at --last's count or below --from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/query.h"
#include "ledger/rules.h"
#include "render.h"
#include "table.h"

#define TYPES_MAX 8

typedef struct {
    uint64_t time_ms;
    uint32_t feed; /* into feeds[] */
    uint64_t index;
} reg_item;

struct register_job {
    home *h;
    enum cli_format fmt;
    const char *member_arg, *project, *program, *from_arg, *to_arg;
    uint64_t last; /* --last: only the latest this many (0: all) */
    const char *type_args[TYPES_MAX];
    size_t ntypes;
    enum entry_type types[TYPES_MAX];
    uint8_t identity[32]; /* --member's */
    uint64_t from_ms, to_ms;
    int32_t tz;
    store_txn *txn;
    const ledger_kv *kv;
    journal_feed *feeds;
    uint64_t *prefix; /* per feed: its entries below this are applied */
    size_t nfeeds, feeds_cap, prefix_cap;
    uint32_t feed; /* the feed being read */
    bool merged;     /* items came from the merge: only what is listed */
    reg_item *items; /* what is listed, in time order */
    size_t n, cap;
    render_rows out;
    journal_table table;
};

static bool type_wanted(const struct register_job *j, enum entry_type t)
{
    if (j->ntypes == 0) return true;
    for (size_t i = 0; i < j->ntypes; i++)
        if (j->types[i] == t) return true;
    return false;
}

/* The entries that pass the filters, by time (their rows are built again
 * when printed: the index holds 24 bytes an entry). */
static int gather_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    struct register_job *j = arg;
    journal_row r;
    diag d;
    int err;
    /* An entry that does not decode has no time: it is listed by its
     * feed's log, not here. */
    if (entry_decode(bytes, len, &r.e, &d) != CF_OK) return CF_OK;
    if (r.e.time_ms < j->from_ms || r.e.time_ms > j->to_ms || !type_wanted(j, r.e.type))
        return CF_OK;
    if (j->project || j->program) {
        journal_row_subject(j->txn, j->kv, &r.e, &r);
        if ((j->project && strcmp(j->project, r.project) != 0) ||
            (j->program && strcmp(j->program, r.program) != 0))
            return CF_OK;
    }
    if ((err = cf_reserve((void **)&j->items, &j->cap, j->n, sizeof *j->items, 256)) != 0)
        return err;
    j->items[j->n++] = (reg_item){r.e.time_ms, j->feed, index};
    return CF_OK;
}

/* The feeds --member leaves in, in key order (the order ties are broken
 * in); each one's entries from `from` on that pass the filters into items
 * (the full listing: from 0; the merge: from its applied prefix's end). */
static int gather_feed(struct register_job *j, const store_feed *f, bool all)
{
    uint8_t id[32];
    int err;
    if (j->member_arg) {
        if ((err = query_identity(j->kv, f->author, id)) != 0) return err;
        if (memcmp(id, j->identity, 32) != 0) return CF_OK;
    }
    err = cf_reserve((void **)&j->feeds, &j->feeds_cap, j->nfeeds, sizeof *j->feeds, 16);
    if (err == CF_OK)
        err = cf_reserve((void **)&j->prefix, &j->prefix_cap, j->nfeeds, sizeof *j->prefix, 16);
    if (err) return err;
    journal_feed *jf = &j->feeds[j->nfeeds];
    if ((err = journal_feed_load(j->kv, f->author, jf)) != 0) return err;
    uint64_t prefix = all ? 0 : jf->applied < f->size ? jf->applied : f->size;
    j->prefix[j->nfeeds] = prefix;
    j->feed = (uint32_t)j->nfeeds++;
    return store_entries_each(j->txn, f->author, prefix, f->size, gather_entry, j);
}

static int gather_all(void *arg, const store_feed *f) { return gather_feed(arg, f, true); }
static int gather_tails(void *arg, const store_feed *f) { return gather_feed(arg, f, false); }

static int by_time(const void *a, const void *b)
{
    const reg_item *x = a, *y = b;
    if (x->time_ms != y->time_ms) return x->time_ms < y->time_ms ? -1 : 1;
    if (x->feed != y->feed) return x->feed < y->feed ? -1 : 1; /* feeds in key order */
    return x->index < y->index ? -1 : x->index > y->index;
}

/* ---- the merge ------------------------------------------------------------ */

/* A feed's applied entries out of time order: R-TIME says they never are;
 * should a state say otherwise, the full listing answers. */
#define REG_UNORDERED 1

enum stream_kind { STREAM_FEED, STREAM_TYPE, STREAM_TAIL };

/* Candidates newest first: head is the next; dead when none is left. */
typedef struct {
    enum stream_kind kind;
    bool dead;
    reg_item head;
    enum entry_type type; /* FEED: the head's; TYPE: the stream's */
    state_entry_at at;    /* TYPE: the head's record */
    size_t pos;           /* TAIL: the head's position in items */
} reg_stream;

struct reg_merge {
    reg_stream *s;
    size_t ns;
    size_t *heap; /* streams alive, the newest head first */
    size_t nheap;
    reg_item *tails; /* the entries not applied that pass the filters, sorted */
    size_t ntails;
};

/* Entry index of feed f: its time and type (an applied entry decodes). */
static int read_at(struct register_job *j, uint32_t f, uint64_t index, uint64_t *time_ms,
                   enum entry_type *type)
{
    const uint8_t *bytes;
    size_t len;
    entry e;
    diag d;
    int err = store_entry_get(j->txn, j->feeds[f].author, index, &bytes, &len);
    if (err) return err;
    if (entry_decode(bytes, len, &e, &d) != CF_OK) return CF_ESTORE_CORRUPT;
    *time_ms = e.time_ms;
    *type = e.type;
    return CF_OK;
}

/* A feed's applied entries from the last dated at or before --to, down. */
static int feed_stream(struct register_job *j, uint32_t f, reg_stream *s)
{
    uint64_t lo = 0, hi = j->prefix[f], t;
    enum entry_type type;
    int err;
    *s = (reg_stream){.kind = STREAM_FEED, .dead = true};
    if (hi == 0) return CF_OK;
    if (j->to_ms == UINT64_MAX) {
        lo = hi;
    } else {
        while (lo < hi) { /* the first dated after --to */
            uint64_t mid = lo + (hi - lo) / 2;
            if ((err = read_at(j, f, mid, &t, &type)) != 0) return err;
            if (t <= j->to_ms) lo = mid + 1;
            else hi = mid;
        }
    }
    if (lo == 0) return CF_OK;
    if ((err = read_at(j, f, lo - 1, &t, &type)) != 0) return err;
    if (t < j->from_ms) return CF_OK;
    *s = (reg_stream){.kind = STREAM_FEED, .head = {t, f, lo - 1}, .type = type};
    return CF_OK;
}

static uint32_t feed_of(const struct register_job *j, const uint8_t author[32], bool *found)
{
    size_t lo = 0, hi = j->nfeeds;
    while (lo < hi) { /* the feeds are in key order */
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(j->feeds[mid].author, author, 32);
        if (c == 0) {
            *found = true;
            return (uint32_t)mid;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    *found = false;
    return 0;
}

/* The type's next index record at or below s->at; dead below --from. */
static int type_seek(struct register_job *j, reg_stream *s)
{
    int err = state_entry_index_floor(j->kv, s->type, &s->at, &s->at);
    s->dead = err == CF_ENOTFOUND || (err == CF_OK && s->at.time_ms < j->from_ms);
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err || s->dead) return err;
    bool found;
    s->head = (reg_item){s->at.time_ms, feed_of(j, s->at.author, &found), s->at.index};
    /* a feed --member leaves out, or (a state that lies) an entry the tails
     * list: a candidate no filter passes */
    if (!found || s->at.index >= j->prefix[s->head.feed]) s->head.feed = UINT32_MAX;
    return CF_OK;
}

static int stream_next(struct register_job *j, struct reg_merge *m, reg_stream *s)
{
    uint64_t t;
    enum entry_type type;
    int err;
    switch (s->kind) {
    case STREAM_FEED:
        if (s->head.index == 0) break;
        if ((err = read_at(j, s->head.feed, s->head.index - 1, &t, &type)) != 0) return err;
        if (t > s->head.time_ms) return REG_UNORDERED;
        if (t < j->from_ms) break;
        s->head.time_ms = t;
        s->head.index--;
        s->type = type;
        return CF_OK;
    case STREAM_TYPE:
        if (!state_entry_at_below(&s->at)) break;
        return type_seek(j, s);
    case STREAM_TAIL:
        if (s->pos == 0) break;
        s->head = m->tails[--s->pos];
        return CF_OK;
    }
    s->dead = true;
    return CF_OK;
}

static bool newer(const struct reg_merge *m, size_t a, size_t b)
{
    return by_time(&m->s[a].head, &m->s[b].head) > 0;
}

static void heap_down(struct reg_merge *m, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, top = i;
        if (l < m->nheap && newer(m, m->heap[l], m->heap[top])) top = l;
        if (r < m->nheap && newer(m, m->heap[r], m->heap[top])) top = r;
        if (top == i) return;
        size_t x = m->heap[i];
        m->heap[i] = m->heap[top];
        m->heap[top] = x;
        i = top;
    }
}

/* Whether a candidate of an applied entry passes the filters the streams
 * did not apply: --member (type streams), --type (feed streams), --project
 * and --program. */
static int passes(struct register_job *j, const reg_stream *s, bool *ok)
{
    *ok = s->head.feed != UINT32_MAX && (s->kind != STREAM_FEED || type_wanted(j, s->type));
    if (!*ok || s->kind == STREAM_TAIL || (!j->project && !j->program)) return CF_OK;
    const uint8_t *bytes;
    size_t len;
    journal_row r;
    diag d;
    int err = store_entry_get(j->txn, j->feeds[s->head.feed].author, s->head.index, &bytes, &len);
    if (err) return err;
    if (entry_decode(bytes, len, &r.e, &d) != CF_OK) return CF_ESTORE_CORRUPT;
    journal_row_subject(j->txn, j->kv, &r.e, &r);
    *ok = (!j->project || strcmp(j->project, r.project) == 0) &&
          (!j->program || strcmp(j->program, r.program) == 0);
    return CF_OK;
}

static int merge_streams(struct register_job *j, struct reg_merge *m)
{
    int err;
    for (size_t i = 0; i < m->ns; i++)
        if (!m->s[i].dead) m->heap[m->nheap++] = i;
    for (size_t i = m->nheap / 2; i-- > 0;) heap_down(m, i);
    while (m->nheap > 0 && (j->last == 0 || j->n < j->last)) {
        reg_stream *s = &m->s[m->heap[0]];
        bool ok;
        if ((err = passes(j, s, &ok)) != 0) return err;
        if (ok) {
            if ((err = cf_reserve((void **)&j->items, &j->cap, j->n, sizeof *j->items, 256)) != 0)
                return err;
            j->items[j->n++] = s->head;
        }
        if ((err = stream_next(j, m, s)) != 0) return err;
        if (s->dead) m->heap[0] = m->heap[--m->nheap];
        heap_down(m, 0);
    }
    for (size_t a = 0, b = j->n; a + 1 < b; a++, b--) { /* newest first: reverse */
        reg_item x = j->items[a];
        j->items[a] = j->items[b - 1];
        j->items[b - 1] = x;
    }
    return CF_OK;
}

/* The listing through the merge (see the top); REG_UNORDERED: see above. */
static int gather_merged(struct register_job *j)
{
    struct reg_merge m = {0};
    int err = store_feeds_each(j->txn, gather_tails, j);
    if (err) return err;
    /* the tails' entries, sorted, become a stream; items is the answer's */
    m.tails = j->items;
    m.ntails = j->n;
    j->items = NULL;
    j->n = j->cap = 0;
    if (m.ntails > 1) qsort(m.tails, m.ntails, sizeof *m.tails, by_time);
    bool by_type = j->ntypes > 0; /* every open state has the index (home_open) */
    size_t cap = (by_type ? j->ntypes : j->nfeeds) + 1;
    m.s = calloc(cap, sizeof *m.s);
    m.heap = calloc(cap, sizeof *m.heap);
    if (m.s == NULL || m.heap == NULL) err = CF_ENOMEM;
    for (size_t i = 0; err == CF_OK && i < (by_type ? j->ntypes : j->nfeeds); i++) {
        reg_stream *s = &m.s[m.ns++];
        if (!by_type) {
            err = feed_stream(j, (uint32_t)i, s);
            continue;
        }
        bool repeated = false; /* --type match --type match: one stream */
        for (size_t k = 0; k < i; k++) repeated = repeated || j->types[k] == j->types[i];
        *s = (reg_stream){.kind = STREAM_TYPE, .dead = true, .type = j->types[i],
                          .at = {.time_ms = j->to_ms, .index = UINT64_MAX}};
        memset(s->at.author, 0xff, 32);
        if (!repeated) err = type_seek(j, s);
    }
    if (err == CF_OK && m.ntails > 0)
        m.s[m.ns++] = (reg_stream){.kind = STREAM_TAIL, .head = m.tails[m.ntails - 1],
                                   .pos = m.ntails - 1};
    if (err == CF_OK) err = merge_streams(j, &m);
    free(m.s);
    free(m.heap);
    free(m.tails);
    return err;
}

static int print_item(struct register_job *j, const reg_item *it)
{
    const journal_feed *f = &j->feeds[it->feed];
    const uint8_t *bytes;
    size_t len;
    journal_row r;
    char first[STATE_ID_CAP + 24], who[STATE_ID_CAP];
    int err = store_entry_get(j->txn, f->author, it->index, &bytes, &len);
    if (err == CF_OK)
        err = journal_row_fill(j->txn, j->kv, f, j->tz, it->index, bytes, len,
                               j->fmt == CLI_TABLE ? RENDER_PEOPLE : RENDER_MACHINE, &r);
    if (err) return err;
    if (j->fmt != CLI_TABLE) return render_rows_add(&j->out, &r);
    ledger_member_label(j->kv, f->author, who, sizeof who);
    snprintf(first, sizeof first, "%s#%llu", who, (unsigned long long)it->index);
    journal_table_line(&j->table, &r, first);
    return CF_OK;
}

static int register_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct register_job *j = arg;
    uint64_t latest;
    diag d;
    int rc, err;
    j->txn = txn;
    j->kv = kv;
    if ((rc = cli_query_as_of(kv, j->to_arg, &latest, &j->tz)) != 0) return rc;
    j->to_ms = latest;
    if (j->from_arg && cli_parse_time(j->from_arg, j->tz, false, &j->from_ms, &d) != CF_OK)
        return cli_fail(&d);
    if (j->member_arg) {
        uint8_t key[32];
        if (cli_resolve_member(kv, j->h, j->member_arg, key, &d) != CF_OK) return cli_fail(&d);
        if ((err = query_identity(kv, key, j->identity)) != 0)
            return cli_failf(err, "reading members: %s", cf_strerror(err));
    }
    if (j->project && (rc = cli_require_project(kv, j->project)) != 0) return rc;
    if (j->program && (rc = cli_require_program(kv, j->program)) != 0) return rc;
    if (j->last || j->ntypes || j->from_arg || j->to_arg) {
        err = gather_merged(j);
        if (err == REG_UNORDERED) { /* start again, the full way */
            j->nfeeds = j->n = 0;
            err = CF_OK;
        } else if (err) {
            return cli_failf(err, "reading the feeds: %s", cf_strerror(err));
        } else {
            j->merged = true;
        }
    }
    if (!j->merged && (err = store_feeds_each(txn, gather_all, j)) != 0)
        return cli_failf(err, "reading the feeds: %s", cf_strerror(err));
    if (!j->merged && j->n > 1) qsort(j->items, j->n, sizeof *j->items, by_time);
    report_ctx c = {.kv = kv, .as_of = STATE_TIME_LATEST, .tz_min = j->tz};
    render_rows_begin(&j->out, j->fmt, &c, &journal_desc);
    if (j->fmt == CLI_TABLE) journal_table_begin(&j->table, _("ENTRY"), -24, j->tz);
    size_t first = j->last && j->n > j->last ? j->n - (size_t)j->last : 0;
    for (size_t i = first; i < j->n; i++)
        if ((err = print_item(j, &j->items[i])) != 0)
            return cli_failf(err, "reading the feeds: %s", cf_strerror(err));
    if (j->fmt == CLI_TABLE && j->n == 0) printf("%s\n", _("(no entries)"));
    return CLI_OK;
}

static int run_register(cli_env *env, const cli_args *a)
{
    struct register_job j = {.fmt = cli_get_format(a), .member_arg = cli_get(a, "member"),
                             .project = cli_get(a, "project"), .program = cli_get(a, "program"),
                             .from_arg = cli_get(a, "from"), .to_arg = cli_get(a, "to")};
    const char *last = cli_get(a, "last");
    int rc;
    if (last && (cli_parse_u64(last, &j.last) != CF_OK || j.last == 0))
        return cli_usage_error(a, "--last %s: a count of entries, 1 or more", last);
    j.ntypes = cli_get_all(a, "type", j.type_args, TYPES_MAX);
    for (size_t i = 0; i < j.ntypes; i++) {
        j.types[i] = entry_type_from_name(j.type_args[i], strlen(j.type_args[i]));
        if (j.types[i] == 0) {
            char all[512];
            size_t n = 0;
            for (int t = 1; t < ENTRY__TYPES && n < sizeof all; t++)
                n += (size_t)snprintf(all + n, sizeof all - n, "%s%s", t > 1 ? ", " : "",
                                      entry_type_name((enum entry_type)t));
            return cli_usage_error(a, "--type %s: not an entry type (%s)", j.type_args[i], all);
        }
    }
    if ((rc = cli_open_home(env, HOME_RDONLY, &j.h)) != 0) return rc;
    rc = render_rows_end(&j.out, cli_read(j.h, register_read, &j));
    free(j.items);
    free(j.feeds);
    free(j.prefix);
    cli_close_home(j.h);
    return rc;
}

const cli_cmd cli_cmd_register = {
    .name = "register",
    .opts = (const cli_opt[]){
        {"member", "MEMBER", 0, 0, N_("only this member's entries (every key it wrote with)")},
        {"project", "P", CLI_ID, 0, N_("only entries concerning this project")},
        {"program", "ID", CLI_ID, 0, N_("only entries concerning this program")},
        {"type", "TYPE", 0, TYPES_MAX, N_("only entries of this type (repeatable)")},
        {"from", "TIME", 0, 0, N_("only entries dated at or after TIME (a bare date: its start)")},
        {"to", "TIME", 0, 0, N_("only entries dated at or before TIME (a bare date: its end)")},
        {"last", "N", 0, 0, N_("only the latest N of the entries that pass the filters")},
        CLI_OPT_FORMAT,
        CLI_OPT_END},
    .summary = N_("every feed's entries in one journal, in time order"),
    .help = N_("Every entry this home holds, of every feed, in one journal ordered by time (then "
            "by feed and index), one line each as log prints them: the member and index, time, "
            "type, amount and what it says, marked when not applied or not counted here. An "
            "entry concerns a project and a program when it names them, or names an entry that "
            "does (a guarantee, repayment, default, compensation or release: its loan's; a "
            "reversal: the reversed entry's). --member, --project, --program, --type (repeatable) "
            "and --from/--to filter; --last N keeps the latest N of what passes."),
    .example = "register --project robotics --from 2026-01-01 --to 2026-06-30",
    .run = run_register,
};
