/* cmd_register.c — `cofund register`: one journal of every feed's entries in
 * time order (as `hledger register` lists postings), each a row of `log`
 * (journal.c), filtered by member, project, program, type and time. */
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
    size_t nfeeds, feeds_cap;
    uint32_t feed; /* the feed being read */
    reg_item *items;
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

static int gather_feed(void *arg, const store_feed *f)
{
    struct register_job *j = arg;
    uint8_t id[32];
    int err;
    if (j->member_arg) {
        if ((err = query_identity(j->kv, f->author, id)) != 0) return err;
        if (memcmp(id, j->identity, 32) != 0) return CF_OK;
    }
    if ((err = cf_reserve((void **)&j->feeds, &j->feeds_cap, j->nfeeds, sizeof *j->feeds, 16)) != 0)
        return err;
    if ((err = journal_feed_load(j->kv, f->author, &j->feeds[j->nfeeds])) != 0) return err;
    j->feed = (uint32_t)j->nfeeds++;
    return store_entries_each(j->txn, f->author, 0, f->size, gather_entry, j);
}

static int by_time(const void *a, const void *b)
{
    const reg_item *x = a, *y = b;
    if (x->time_ms != y->time_ms) return x->time_ms < y->time_ms ? -1 : 1;
    if (x->feed != y->feed) return x->feed < y->feed ? -1 : 1; /* feeds in key order */
    return x->index < y->index ? -1 : x->index > y->index;
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
    if ((err = store_feeds_each(txn, gather_feed, j)) != 0)
        return cli_failf(err, "reading the feeds: %s", cf_strerror(err));
    if (j->n > 1) qsort(j->items, j->n, sizeof *j->items, by_time);
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
