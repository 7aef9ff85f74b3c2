/* config.h — the node's settings: <home>/config (docs/operations.md) and
 * the command line.
 *
 *   # comments and blank lines are ignored
 *   listen 127.0.0.1:7001      where to accept peers (at most once)
 *   peer 127.0.0.1:7002        a peer to dial and keep dialling (repeatable)
 *   log-level info             debug | info | warn | error
 *   http 127.0.0.1:8080        serve the dashboard there (node/cli/http_server.c)
 *   http-token TOKEN           the bearer token it asks for
 *   peers-target 3             dial learned members while fewer sessions (pex.c)
 *   lang zh                    the CLI's and the dashboard's language (zh | en)
 *   unit wan                   amounts in tables: yuan | wan (10,000 yuan)
 *
 * Addresses are HOST:PORT, an IPv6 host in brackets ([::1]:7001); HOST is a
 * name or a numeric address, resolved at every dial. A missing file is an
 * empty configuration. Command-line flags add peers and override listen and
 * log-level. */
#ifndef COFUND_NET_CONFIG_H
#define COFUND_NET_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/diag.h"
#include "log.h"

/* Peers one node dials: a city's participants, with room to spare; each
 * costs a timer and, when connected, a connection's buffers. */
#define NET_CONFIG_PEERS_MAX 64
/* peers-target at most: learned members a node keeps sessions with. */
#define NET_PEERS_TARGET_MAX 16

/* A DNS name is at most 253 characters. */
#define NET_HOST_BYTES 256
/* "[host]:65535" */
#define NET_ADDR_TEXT_BYTES (NET_HOST_BYTES + 8)
/* Longest config line. */
#define NET_CONFIG_LINE_BYTES 1024

typedef struct {
    char host[NET_HOST_BYTES]; /* without brackets */
    uint16_t port;
} net_addr;

typedef struct {
    bool has_listen;
    net_addr listen;
    size_t npeers;
    net_addr peers[NET_CONFIG_PEERS_MAX];
    bool has_log_level;
    enum net_log_level log_level;
    bool has_http;
    net_addr http;
    char http_token[129]; /* "" when none */
    /* Members with a session at least, dialling learned addresses while
     * fewer (0: only the configured peers; pex.c). */
    unsigned peers_target;
    char lang[4]; /* "zh", "en" or "" (the environment's) */
    char unit[8]; /* "yuan", "wan" or "" (yuan) */
} net_config;

/* Parse "HOST:PORT" (s[0..n)); port 0 only when allow_port0 (listen).
 * CF_EINVAL with d saying why. */
int net_addr_parse(const char *s, size_t n, bool allow_port0, net_addr *out, diag *d);
/* "host:port", "[v6]:port". */
void net_addr_format(const net_addr *a, char *out, size_t cap);

/* The settings a config line may give, in the order of the manual page
 * cofund.conf(5) (written from this table by `cofund help --man
 * cofund.conf`); the parser names them in its refusals. */
typedef struct {
    const char *name;  /* "listen" */
    const char *value; /* "HOST:PORT" */
    const char *help;  /* a paragraph */
} net_config_setting;
extern const net_config_setting net_config_settings[];
extern const size_t net_config_nsettings;

/* Read path into cfg (zeroed first). A missing file leaves cfg empty. A
 * malformed line is CF_EFORMAT with d naming file and line; an unreadable
 * file CF_EIO. */
int net_config_load(const char *path, net_config *cfg, diag *d);
/* Add a peer unless already listed; CF_ETOOBIG past NET_CONFIG_PEERS_MAX. */
int net_config_add_peer(net_config *cfg, const net_addr *a, diag *d);

#endif
