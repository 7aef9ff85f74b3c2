/* http_api.c — the dashboard's JSON API (http.h): each route is a command of
 * the CLI, run in this process on the node's loop with the query's
 * arguments as its options and --format json, its output captured: the API
 * answers exactly what `cofund COMMAND --format json` prints, from the same
 * code, and refuses what the command refuses (a usage error is 400, a name
 * not registered 404).
 *
 *   /api/positions  /api/projects  /api/programs  /api/register
 *   /api/unmatched  /api/leases    /api/members   /api/forks
 *   /api/violations /api/returns   /api/node (`node status`)     /api/program/ID
 *   /api/pool/ID    /api/pools (each pool's `pool status`, in an array)
 *   /api/proof/FEED/INDEX (`proof inclusion FEED:INDEX`, text)
 *
 * Capturing: the command prints with printf and friends; the loop is the
 * only thread that prints while a query runs (libmicrohttpd's thread logs
 * nothing), so stdout and stderr are swapped for memory streams for its
 * duration (glibc lets a program assign them). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "http.h"

#define HTTP_ARGV_MAX 48

struct run_job {
    net_node *n;
    const cli_cmd *c;
    int argc;
    char **argv;
    http_answer *a;
};

static void run_on_loop(void *arg)
{
    struct run_job *j = arg;
    home *h = net_node_home(j->n);
    cli_env env = {.home_dir = h->dir};
    FILE *out = open_memstream(&j->a->out, &j->a->out_len);
    FILE *err = open_memstream(&j->a->err, &j->a->err_len);
    if (out == NULL || err == NULL) {
        if (out) fclose(out);
        if (err) fclose(err);
        j->a->rc = CLI_ENV;
        return;
    }
    fflush(stdout);
    fflush(stderr);
    FILE *saved_out = stdout, *saved_err = stderr;
    stdout = out;
    stderr = err;
    cli_share_home(h);
    cli_set_local_node(j->n);
    cli_set_command(j->c->name);
    cli_args a;
    bool help = false;
    int rc = cli_parse(j->c, j->argc, j->argv, &a, &help);
    if (rc == CLI_OK) {
        if (help) rc = cli_usage_error(&a, "no help here");
        if (rc == CLI_OK && !(j->c->flags & CLI_NO_HOME)) rc = cli_require_named(&env, &a);
        if (rc == CLI_OK) rc = j->c->run(&env, &a);
        cli_args_free(&a);
    }
    cli_set_command("node run");
    cli_set_local_node(NULL);
    cli_share_home(NULL);
    stdout = saved_out;
    stderr = saved_err;
    if (fclose(out) != 0 || fclose(err) != 0) rc = CLI_ENV;
    j->a->rc = rc;
}

void http_run(net_node *n, const cli_cmd *c, int argc, char **argv, http_answer *a)
{
    memset(a, 0, sizeof *a);
    struct run_job j = {n, c, argc, argv, a};
    if (net_node_call(n, run_on_loop, &j) != CF_OK) {
        free(a->out);
        free(a->err);
        memset(a, 0, sizeof *a);
        a->rc = CLI_ENV;
        a->err = strdup("the node is stopping");
        a->err_len = a->err ? strlen(a->err) : 0;
    }
}

void http_answer_free(http_answer *a)
{
    free(a->out);
    free(a->err);
    a->out = a->err = NULL;
}

/* ---- routes ---------------------------------------------------------------- */

typedef struct {
    const char *path; /* below /api/; ending in '/': one positional argument follows */
    const cli_cmd *cmd;
} route;

static const route routes[] = {
    {"positions", &cli_cmd_positions},       {"projects", &cli_cmd_projects},
    {"programs", &cli_cmd_programs},         {"register", &cli_cmd_register},
    {"unmatched", &cli_cmd_unmatched},       {"leases", &cli_cmd_leases},
    {"members", &cli_cmd_members},           {"forks", &cli_cmd_forks},
    {"violations", &cli_cmd_violations},     {"node", &cli_cmd_node_status},
    {"program/", &cli_cmd_program_status},   {"pool/", &cli_cmd_pool_status},
    {"returns", &cli_cmd_returns},
};

static bool has_opt(const cli_cmd *c, const char *name)
{
    for (size_t i = 0; c->opts && c->opts[i].name; i++)
        if (strcmp(c->opts[i].name, name) == 0) return true;
    return false;
}

/* Options a query may set: the command's own but --format (the API's). */
static bool arg_allowed(const cli_cmd *c, const char *name)
{
    return strcmp(name, "format") != 0 && has_opt(c, name);
}

/* The error as JSON: {"error": TEXT, "exit": CODE}. */
static char *error_json(const char *text, size_t len, int rc, size_t *out_len)
{
    json_t *o = json_object();
    json_object_set_new(o, "error", json_stringn(text ? text : "", text ? len : 0));
    json_object_set_new(o, "exit", json_integer(rc));
    char *s = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    *out_len = s ? strlen(s) : 0;
    return s;
}

static int status_of(int rc)
{
    switch (rc) {
    case CLI_OK: return 200;
    case CLI_USAGE: return 400;
    case CLI_INPUT: return 404;
    case CLI_REJECTED: return 409;
    case CLI_BEHIND: return 503;
    default: return 500;
    }
}

/* The answer a's HTTP status and body, JSON either way. */
static int finish(http_answer *a, char **body, size_t *len)
{
    int status = status_of(a->rc);
    if (a->rc == CLI_OK) {
        *body = a->out;
        *len = a->out_len;
        a->out = NULL;
    } else {
        *body = error_json(a->err, a->err_len, a->rc, len);
    }
    http_answer_free(a);
    return status;
}

/* Run c with pos (NULL: none) and the query's arguments, --format json. */
static int run_route(net_node *n, const cli_cmd *c, const char *pos, const http_arg *args,
                     size_t nargs, http_answer *a, bool json, char **bad)
{
    char *argv[HTTP_ARGV_MAX], opt[HTTP_ARGV_MAX][72];
    int argc = 0;
    const char *last = strrchr(c->name, ' ');
    argv[argc++] = (char *)(last ? last + 1 : c->name);
    if (pos) argv[argc++] = (char *)pos;
    for (size_t i = 0; i < nargs; i++) {
        if (!arg_allowed(c, args[i].name) || strlen(args[i].name) > 64 ||
            argc + 2 >= HTTP_ARGV_MAX - 2) {
            *bad = (char *)args[i].name;
            return 400;
        }
        snprintf(opt[i], sizeof opt[i], "--%s", args[i].name);
        argv[argc++] = opt[i];
        if (args[i].value) argv[argc++] = (char *)args[i].value;
    }
    if (json && has_opt(c, "format")) {
        argv[argc++] = (char *)"--format";
        argv[argc++] = (char *)"json";
    }
    argv[argc] = NULL;
    http_run(n, c, argc, argv, a);
    return 0;
}

/* /api/pools: each pool program's `pool status` JSON, in an array. */
static int pools(net_node *n, char **body, size_t *len)
{
    http_answer a;
    char *bad = NULL;
    run_route(n, &cli_cmd_programs, NULL, NULL, 0, &a, true, &bad);
    if (a.rc != CLI_OK) return finish(&a, body, len);
    json_t *list = json_loadb(a.out, a.out_len, 0, NULL), *all = json_array(), *o;
    http_answer_free(&a);
    size_t i;
    int status = 200;
    json_array_foreach(list, i, o) {
        const char *kind = json_string_value(json_object_get(o, "kind"));
        const char *id = json_string_value(json_object_get(o, "program"));
        if (kind == NULL || id == NULL || strcmp(kind, "pool") != 0) continue;
        run_route(n, &cli_cmd_pool_status, id, NULL, 0, &a, true, &bad);
        if (a.rc != CLI_OK) {
            status = finish(&a, body, len);
            break;
        }
        json_array_append_new(all, json_loadb(a.out, a.out_len, 0, NULL));
        http_answer_free(&a);
    }
    if (status == 200) {
        *body = json_dumps(all, JSON_INDENT(2));
        *len = *body ? strlen(*body) : 0;
    }
    json_decref(list);
    json_decref(all);
    return status;
}

/* /api/proof/FEED/INDEX: `proof inclusion FEED:INDEX`, as text. */
static int proof(net_node *n, const char *rest, char **body, size_t *len, const char **type)
{
    char arg[160];
    const char *slash = strchr(rest, '/');
    http_answer a;
    char *bad = NULL;
    if (slash == NULL || slash == rest || strchr(slash + 1, '/') || (size_t)(slash - rest) > 100 ||
        strlen(slash + 1) > 20) {
        *body = error_json("expected /api/proof/FEED/INDEX", 30, CLI_USAGE, len);
        return 400;
    }
    snprintf(arg, sizeof arg, "%.*s:%s", (int)(slash - rest), rest, slash + 1);
    run_route(n, &cli_cmd_proof_inclusion, arg, NULL, 0, &a, false, &bad);
    if (a.rc == CLI_OK) *type = "text/plain; charset=utf-8";
    return finish(&a, body, len);
}

int http_api(net_node *n, const char *url, const http_arg *args, size_t nargs, char **body,
             size_t *len, const char **type)
{
    http_answer a;
    char *bad = NULL, msg[160];
    *type = "application/json";
    if (strcmp(url, "pools") == 0 && nargs == 0) return pools(n, body, len);
    if (strncmp(url, "proof/", 6) == 0 && nargs == 0) return proof(n, url + 6, body, len, type);
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const route *r = &routes[i];
        size_t pl = strlen(r->path);
        bool one = r->path[pl - 1] == '/';
        if (one ? strncmp(url, r->path, pl) != 0 || url[pl] == '\0' || strchr(url + pl, '/')
                : strcmp(url, r->path) != 0)
            continue;
        if (run_route(n, r->cmd, one ? url + pl : NULL, args, nargs, &a, true, &bad) != 0) {
            snprintf(msg, sizeof msg, "%.64s: not an option of /api/%.40s", bad, r->path);
            *body = error_json(msg, strlen(msg), CLI_USAGE, len);
            return 400;
        }
        return finish(&a, body, len);
    }
    snprintf(msg, sizeof msg, "no such query: /api/%.80s", url);
    *body = error_json(msg, strlen(msg), CLI_INPUT, len);
    return 404;
}
