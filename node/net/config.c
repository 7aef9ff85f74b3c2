/* config.c — see config.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"

int net_addr_parse(const char *s, size_t n, bool allow_port0, net_addr *out, diag *d)
{
    const char *host, *port;
    size_t hlen, plen;
    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (close == NULL || close + 1 >= s + n || close[1] != ':')
            return diag_set(d, CF_EINVAL, NULL, "\"%.*s\": expected [IPV6]:PORT", (int)n, s);
        host = s + 1;
        hlen = (size_t)(close - host);
        port = close + 2;
    } else {
        const char *colon = NULL;
        for (size_t i = 0; i < n; i++)
            if (s[i] == ':') colon = s + i;
        if (colon == NULL)
            return diag_set(d, CF_EINVAL, NULL, "\"%.*s\": expected HOST:PORT", (int)n, s);
        host = s;
        hlen = (size_t)(colon - s);
        port = colon + 1;
        if (memchr(host, ':', hlen))
            return diag_set(d, CF_EINVAL, NULL, "\"%.*s\": put an IPv6 address in brackets",
                            (int)n, s);
    }
    plen = (size_t)(s + n - port);
    if (hlen == 0 || hlen >= NET_HOST_BYTES)
        return diag_set(d, CF_EINVAL, NULL, "\"%.*s\": missing or overlong host", (int)n, s);
    for (size_t i = 0; i < hlen; i++)
        if ((unsigned char)host[i] <= ' ' || host[i] == '[' || host[i] == ']' ||
            host[i] == 0x7f)
            return diag_set(d, CF_EINVAL, NULL, "\"%.*s\": bad character in host", (int)n, s);
    unsigned long v = 0;
    if (plen == 0 || plen > 5 || (port[0] == '0' && plen > 1))
        return diag_set(d, CF_EINVAL, NULL, "\"%.*s\": bad port", (int)n, s);
    for (size_t i = 0; i < plen; i++) {
        if (port[i] < '0' || port[i] > '9')
            return diag_set(d, CF_EINVAL, NULL, "\"%.*s\": bad port", (int)n, s);
        v = v * 10 + (unsigned long)(port[i] - '0');
    }
    if (v > 65535 || (v == 0 && !allow_port0))
        return diag_set(d, CF_EINVAL, NULL, "\"%.*s\": port must be 1-65535", (int)n, s);
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    out->port = (uint16_t)v;
    return CF_OK;
}

void net_addr_format(const net_addr *a, char *out, size_t cap)
{
    if (strchr(a->host, ':'))
        snprintf(out, cap, "[%s]:%u", a->host, (unsigned)a->port);
    else
        snprintf(out, cap, "%s:%u", a->host, (unsigned)a->port);
}

int net_config_add_peer(net_config *cfg, const net_addr *a, diag *d)
{
    for (size_t i = 0; i < cfg->npeers; i++)
        if (cfg->peers[i].port == a->port && strcmp(cfg->peers[i].host, a->host) == 0)
            return CF_OK;
    if (cfg->npeers == NET_CONFIG_PEERS_MAX)
        return diag_set(d, CF_ETOOBIG, NULL, "more than %d peers", NET_CONFIG_PEERS_MAX);
    cfg->peers[cfg->npeers++] = *a;
    return CF_OK;
}

const net_config_setting net_config_settings[] = {
    {"listen", "HOST:PORT",
     "Where the node accepts peers, at most once; port 0 takes any free port. `cofund node "
     "run --listen` overrides it."},
    {"peer", "HOST:PORT",
     "A peer to dial, and to dial again with backoff whenever the connection drops; "
     "repeatable, up to 64. HOST is a name, resolved at every dial, or a numeric address; an "
     "IPv6 address goes in brackets ([::1]:7001). `cofund node run --peer` adds more."},
    {"log-level", "debug|info|warn|error",
     "How much the node logs (default info). `cofund node run --log-level` overrides it."},
    {"http", "HOST:PORT",
     "Serve the read-only dashboard and its JSON API there (at most once; port 0 takes any "
     "free port). A loopback address (127.0.0.1, [::1], localhost) serves without a token; "
     "any other needs http-token. `cofund node run --http` overrides it."},
    {"http-token", "TOKEN",
     "The bearer token the dashboard asks of every request (Authorization: Bearer TOKEN, or "
     "a browser's basic authentication with TOKEN as the password): 16 to 128 printable "
     "characters. Keep the config file private (mode 0600) when it holds one. `cofund node "
     "run --http-token` overrides it."},
    {"peers-target", "N",
     "Members to hold a session with, 0-16 (default 0: only the configured peers). While the "
     "node has sessions with fewer members, it dials members whose addresses it learned from "
     "its peers (their own announcements, relayed; docs/protocol.md \"Peer exchange\"), a "
     "few at a time with backoff. A member node of a city: 3."},
    {"lang", "zh|en",
     "The language of the cofund command run on this home and of its dashboard's pages "
     "(default: the locale variables LANG, LC_MESSAGES, LC_ALL say). `cofund --lang` "
     "overrides it; docs/i18n.md."},
    {"unit", "yuan|wan",
     "The unit of amounts in tables and on the dashboard: yuan, or wan (10,000 yuan) "
     "(default yuan). JSON and CSV are always in yuan. `cofund --unit` overrides it."},
};
const size_t net_config_nsettings = sizeof net_config_settings / sizeof net_config_settings[0];

/* One line without its newline: "keyword value" or nothing. */
static int config_line(net_config *cfg, char *line, diag *d)
{
    char *p = line, *kw, *val, *rest;
    char *hash = strchr(p, '#');
    if (hash) *hash = '\0';
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '\0') return CF_OK;
    kw = p;
    while (*p && *p != ' ' && *p != '\t') p++;
    if (*p) *p++ = '\0';
    while (*p == ' ' || *p == '\t') p++;
    val = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '\r') p++;
    rest = p;
    while (*rest == ' ' || *rest == '\t' || *rest == '\r') rest++;
    if (*rest != '\0') return diag_set(d, CF_EFORMAT, NULL, "%s: one value expected", kw);
    *p = '\0';
    if (*val == '\0') return diag_set(d, CF_EFORMAT, NULL, "%s: value missing", kw);
    net_addr a;
    int err;
    if (strcmp(kw, "listen") == 0) {
        if (cfg->has_listen) return diag_set(d, CF_EFORMAT, NULL, "listen given twice");
        if ((err = net_addr_parse(val, strlen(val), true, &cfg->listen, d)) != 0)
            return CF_EFORMAT;
        cfg->has_listen = true;
        return CF_OK;
    }
    if (strcmp(kw, "peer") == 0) {
        if ((err = net_addr_parse(val, strlen(val), false, &a, d)) != 0) return CF_EFORMAT;
        return net_config_add_peer(cfg, &a, d) ? CF_EFORMAT : CF_OK;
    }
    if (strcmp(kw, "log-level") == 0) {
        if (net_log_parse_level(val, &cfg->log_level) != CF_OK)
            return diag_set(d, CF_EFORMAT, NULL, "log-level: debug, info, warn or error");
        cfg->has_log_level = true;
        return CF_OK;
    }
    if (strcmp(kw, "http") == 0) {
        if (cfg->has_http) return diag_set(d, CF_EFORMAT, NULL, "http given twice");
        if ((err = net_addr_parse(val, strlen(val), true, &cfg->http, d)) != 0)
            return CF_EFORMAT;
        cfg->has_http = true;
        return CF_OK;
    }
    if (strcmp(kw, "http-token") == 0) {
        if (strlen(val) >= sizeof cfg->http_token)
            return diag_set(d, CF_EFORMAT, NULL, "http-token: at most %zu characters",
                            sizeof cfg->http_token - 1);
        strcpy(cfg->http_token, val);
        return CF_OK;
    }
    if (strcmp(kw, "peers-target") == 0) {
        char *end;
        unsigned long v = strtoul(val, &end, 10);
        if (*end != '\0' || val[0] < '0' || val[0] > '9' || v > NET_PEERS_TARGET_MAX)
            return diag_set(d, CF_EFORMAT, NULL, "peers-target: a number 0-%d",
                            NET_PEERS_TARGET_MAX);
        cfg->peers_target = (unsigned)v;
        return CF_OK;
    }
    if (strcmp(kw, "lang") == 0) {
        if (strcmp(val, "zh") != 0 && strcmp(val, "en") != 0)
            return diag_set(d, CF_EFORMAT, NULL, "lang: zh or en");
        strcpy(cfg->lang, val);
        return CF_OK;
    }
    if (strcmp(kw, "unit") == 0) {
        if (strcmp(val, "yuan") != 0 && strcmp(val, "wan") != 0)
            return diag_set(d, CF_EFORMAT, NULL, "unit: yuan or wan");
        strcpy(cfg->unit, val);
        return CF_OK;
    }
    char names[160] = "";
    for (size_t i = 0; i < net_config_nsettings; i++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                 net_config_settings[i].name);
    return diag_set(d, CF_EFORMAT, NULL, "unknown setting \"%s\" (%s)", kw, names);
}

int net_config_load(const char *path, net_config *cfg, diag *d)
{
    char line[NET_CONFIG_LINE_BYTES + 2];
    unsigned lineno = 0;
    int err = CF_OK;
    memset(cfg, 0, sizeof *cfg);
    cfg->log_level = NET_LOG_INFO;
    diag_clear(d);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (errno == ENOENT) return CF_OK;
        return diag_set(d, CF_EIO, NULL, "cannot read %s: %s", path, strerror(errno));
    }
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
        else if (!feof(f)) {
            err = diag_set(d, CF_EFORMAT, NULL, "line longer than %d bytes", NET_CONFIG_LINE_BYTES);
            break;
        }
        if ((err = config_line(cfg, line, d)) != 0) break;
    }
    if (err == CF_OK && ferror(f))
        err = diag_set(d, CF_EIO, NULL, "cannot read %s: %s", path, strerror(errno));
    else if (err)
        diag_prefix(d, "%s:%u", path, lineno);
    fclose(f);
    return err;
}
