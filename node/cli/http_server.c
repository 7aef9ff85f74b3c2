/* http_server.c — the dashboard's HTTP daemon (http.h): where it listens,
 * who may ask (a loopback address, or a bearer token compared in constant
 * time), what may be asked (GET and HEAD, bounded connections and request
 * sizes), the headers every answer carries (a strict Content-Security-
 * Policy: scripts and styles only from this server, no inline code) and the
 * routes: /api/ (http_api.c), /metrics and /healthz (http_metrics.c), the
 * scripts under /static/ and the pages, one HTML shell for every page path
 * (http_assets.c). docs/operations.md "The dashboard". */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "crypto/cf_error.h"
#include "http.h"
#include "table.h"

/* Limits: a dashboard has a few readers; a scraper one more. */
#define HTTP_CONNECTIONS_MAX 32u     /* open at once */
#define HTTP_PER_IP_MAX 16u          /* from one address */
#define HTTP_CONN_MEMORY (32u * 1024) /* a request's line, headers and buffers */
#define HTTP_TIMEOUT_S 15u           /* an idle connection is closed */
#define HTTP_ARGS_MAX 16             /* query arguments */
#define HTTP_TOKEN_MIN 16

struct http_server {
    struct MHD_Daemon *d;
    net_node *node;
    net_addr addr;
    struct sockaddr_storage sa;
    bool v6;
    char token[sizeof ((net_config *)0)->http_token];
    size_t token_len;
    http_stats stats;
    http_i18n i18n;
};

static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
                          "form-action 'none'; frame-ancestors 'none'";

/* ---- the address and the token ------------------------------------------- */

static bool is_loopback(const struct sockaddr_storage *sa)
{
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    return false;
}

int http_prepare(const net_config *cfg, http_server **out, diag *d)
{
    char port[8], text[NET_ADDR_TEXT_BYTES];
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *res;
    *out = NULL;
    if (!cfg->has_http) return CF_OK;
    net_addr_format(&cfg->http, text, sizeof text);
    size_t tlen = strlen(cfg->http_token);
    for (size_t i = 0; i < tlen; i++)
        if (cfg->http_token[i] <= ' ' || cfg->http_token[i] > '~')
            return diag_set(d, CF_EINVAL, NULL, "--http-token: printable characters only");
    if (tlen > 0 && tlen < HTTP_TOKEN_MIN)
        return diag_set(d, CF_EINVAL, NULL, "--http-token: at least %d characters",
                        HTTP_TOKEN_MIN);
    snprintf(port, sizeof port, "%u", (unsigned)cfg->http.port);
    int rc = getaddrinfo(cfg->http.host, port, &hints, &res);
    if (rc != 0)
        return diag_set(d, CF_EINVAL, NULL, "--http %s: %s", text, gai_strerror(rc));
    http_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        freeaddrinfo(res);
        return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    }
    memcpy(&s->sa, res->ai_addr, res->ai_addrlen);
    s->v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    if (!is_loopback(&s->sa) && tlen == 0) {
        free(s);
        return diag_set(d, CF_EINVAL, NULL,
                        "--http %s is not a loopback address: the dashboard serves it only "
                        "with --http-token (docs/operations.md \"The dashboard\")", text);
    }
    if (http_i18n_prepare(&s->i18n) != CF_OK) {
        free(s);
        return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    }
    s->addr = cfg->http;
    memcpy(s->token, cfg->http_token, tlen + 1);
    s->token_len = tlen;
    *out = s;
    return CF_OK;
}

/* Equal in time that depends on the given length only, never on where the
 * first difference is. */
static bool token_equal(const http_server *s, const char *given, size_t len)
{
    volatile unsigned char diff = (unsigned char)(len != s->token_len);
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)(given[i] ^ s->token[i < s->token_len ? i : 0]);
    return diff == 0;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of "user:password" into out (the password: after the first ':'). */
static size_t b64_decode(const char *in, char *out, size_t cap)
{
    unsigned v = 0;
    int bits = 0;
    size_t n = 0;
    for (; *in && *in != '='; in++) {
        const char *p = strchr(B64, *in);
        if (p == NULL || *in == '\0') return 0;
        v = (v << 6) | (unsigned)(p - B64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n + 1 >= cap) return 0;
            out[n++] = (char)((v >> bits) & 0xff);
        }
    }
    out[n] = '\0';
    return n;
}

/* Authorization: "Bearer TOKEN", or (a browser's prompt) "Basic
 * base64(ANY:TOKEN)". */
static bool authorized(const http_server *s, struct MHD_Connection *c)
{
    if (s->token_len == 0) return true;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (h == NULL) return false;
    if (strncmp(h, "Bearer ", 7) == 0) return token_equal(s, h + 7, strlen(h + 7));
    if (strncmp(h, "Basic ", 6) == 0) {
        char plain[512];
        size_t n = b64_decode(h + 6, plain, sizeof plain);
        const char *colon = n ? memchr(plain, ':', n) : NULL;
        bool ok = colon && token_equal(s, colon + 1, n - (size_t)(colon + 1 - plain));
        memset(plain, 0, sizeof plain);
        return ok;
    }
    return false;
}

/* ---- answers --------------------------------------------------------------- */

/* An answer; lang (NULL: none) its Content-Language. */
static enum MHD_Result answer_in(struct MHD_Connection *c, unsigned status, const char *type,
                                 void *body, size_t len, bool owned, const char *lang)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, body, owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (r == NULL) {
        if (owned) free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (lang) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_LANGUAGE, lang);
        MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Language");
        /* the unit the config names (the page's default for its switch) */
        MHD_add_response_header(r, "X-Cofund-Unit", cli_unit() == CLI_UNIT_WAN ? "wan" : "yuan");
    }
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, "Allow", "GET, HEAD");
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, "WWW-Authenticate", "Basic realm=\"cofund\", charset=\"UTF-8\"");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *type,
                              void *body, size_t len, bool owned)
{
    return answer_in(c, status, type, body, len, owned, NULL);
}

static enum MHD_Result answer_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    return answer(c, status, "text/plain; charset=utf-8", (void *)text, strlen(text), false);
}

struct args_job {
    http_arg args[HTTP_ARGS_MAX];
    size_t n;
    bool too_many;
    const char *lang; /* ?lang= */
};

/* A query's arguments but lang and unit: the page's language and unit are
 * its own, never the API's (its JSON is the same whatever they are). */
static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct args_job *j = cls;
    (void)kind;
    if (strcmp(key, "lang") == 0 || strcmp(key, "unit") == 0) {
        if (key[0] == 'l') j->lang = value ? value : "";
        return MHD_YES;
    }
    if (j->n == HTTP_ARGS_MAX) {
        j->too_many = true;
        return MHD_NO;
    }
    j->args[j->n++] = (http_arg){key, value};
    return MHD_YES;
}

static const http_asset *find_asset(const char *path)
{
    for (size_t i = 0; i < http_nassets; i++)
        if (strcmp(http_assets[i].path, path) == 0) return &http_assets[i];
    return NULL;
}

/* The page paths: each is the one shell (index.html), its script drawing
 * the page the path names. */
static bool is_page(const char *url)
{
    static const char *const pages[] = {"/", "/network", "/programs", "/positions", "/pools",
                                        "/leases", "/awards", "/register", "/projects"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (strcmp(url, pages[i]) == 0) return true;
    return strncmp(url, "/program/", 9) == 0 && url[9] != '\0' && strchr(url + 9, '/') == NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* /api/i18n: the pages' words, in the language asked (Content-Language). */
static enum MHD_Result i18n(http_server *s, struct MHD_Connection *c, const struct args_job *j)
{
    const char *body;
    size_t len;
    enum cf_lang lang;
    if (j->n != 0) return answer_text(c, 400, "/api/i18n takes lang=zh|en only\n");
    const char *accept =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    if (http_i18n_answer(&s->i18n, j->lang, accept, &body, &len, &lang) != 200)
        return answer_text(c, 400, "lang: expected zh or en\n");
    return answer_in(c, MHD_HTTP_OK, "application/json", (void *)body, len, false,
                     cf_lang_name(lang));
}

static enum MHD_Result route(http_server *s, struct MHD_Connection *c, const char *url)
{
    char *body = NULL;
    size_t len = 0;
    int status;
    const char *type = "text/plain; charset=utf-8";
    if (strncmp(url, "/api/", 5) == 0) {
        struct args_job j = {.n = 0};
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &j);
        if (j.too_many) return answer_text(c, 400, "too many query arguments\n");
        if (strcmp(url, "/api/i18n") == 0) return i18n(s, c, &j);
        status = http_api(s->node, url + 5, j.args, j.n, &body, &len, &type);
    } else if (strcmp(url, "/metrics") == 0) {
        status = http_metrics(s->node, &s->stats, &body, &len);
        type = "text/plain; version=0.0.4; charset=utf-8";
    } else if (strcmp(url, "/healthz") == 0) {
        status = http_healthz(s->node, &body, &len);
    } else {
        const http_asset *a = find_asset(is_page(url) ? "/index.html" : url);
        if (a == NULL || strcmp(url, "/index.html") == 0)
            return answer_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
        return answer(c, MHD_HTTP_OK, a->type, (void *)a->data, a->len, false);
    }
    if (body == NULL) return answer_text(c, 500, "out of memory\n");
    return answer(c, (unsigned)status, type, body, len, true);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_len, void **state)
{
    static int seen;
    http_server *s = cls;
    (void)version, (void)upload;
    if (*state == NULL) { /* the headers: answer once the request is whole */
        *state = &seen;
        return MHD_YES;
    }
    if (*upload_len != 0) { /* a body: GET has none; drop it unread */
        *upload_len = 0;
        return MHD_YES;
    }
    double t0 = now_s();
    enum MHD_Result r;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        r = answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET only: the dashboard is read-only\n");
    else if (!authorized(s, c))
        r = answer_text(c, MHD_HTTP_UNAUTHORIZED, "a bearer token is needed\n");
    else
        r = route(s, c, url);
    double dt = now_s() - t0;
    s->stats.requests++;
    net_histogram_observe(&s->stats.latency, dt);
    if (dt > 0.050) s->stats.slow++;
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why)
{
    http_server *s = cls;
    (void)c, (void)state;
    if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK) s->stats.errors++;
}

/* ---- start and stop with the node ------------------------------------------- */

static int start(void *arg, net_node *n, diag *d)
{
    http_server *s = arg;
    char text[NET_ADDR_TEXT_BYTES];
    s->node = n;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | (s->v6 ? MHD_USE_IPv6 : 0);
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&s->sa,
                            MHD_OPTION_CONNECTION_LIMIT, HTTP_CONNECTIONS_MAX,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, HTTP_PER_IP_MAX,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
                            MHD_OPTION_CONNECTION_TIMEOUT, HTTP_TIMEOUT_S,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    net_addr_format(&s->addr, text, sizeof text);
    if (s->d == NULL)
        return diag_set(d, CF_EIO, NULL, "cannot serve the dashboard on %s (in use?)", text);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    net_addr bound = s->addr;
    if (info) bound.port = info->port;
    net_addr_format(&bound, text, sizeof text);
    printf("dashboard: http://%s/%s\n", text, s->token_len ? " (bearer token required)" : "");
    return CF_OK;
}

static void stop(void *arg)
{
    http_server *s = arg;
    if (s->d) MHD_stop_daemon(s->d);
    s->d = NULL;
}

net_extension http_extension(http_server *s)
{
    return (net_extension){start, stop, s};
}

void http_free(http_server *s)
{
    if (s == NULL) return;
    http_i18n_free(&s->i18n);
    memset(s->token, 0, sizeof s->token);
    free(s);
}
