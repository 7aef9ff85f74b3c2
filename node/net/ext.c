/* ext.c — what runs beside replication in the node's process (the
 * dashboard, node/cli/http_server.c): started once the node serves, stopped
 * as it stops, and calls from the extension's own threads onto the node's
 * loop (net.h). The store handle and the state caches are the loop's alone,
 * so another thread never touches them: it asks the loop to run its read
 * between two turns of work and waits. */
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "net_internal.h"

static void on_call(uv_async_t *a)
{
    net_node *n = a->data;
    pthread_mutex_lock(&n->call_mu);
    void (*fn)(void *) = n->call_fn;
    void *arg = n->call_arg;
    pthread_mutex_unlock(&n->call_mu);
    if (fn == NULL) return;
    fn(arg); /* outside the lock: the caller waits for `done` */
    pthread_mutex_lock(&n->call_mu);
    n->call_fn = NULL;
    n->call_done = true;
    pthread_cond_broadcast(&n->call_cv);
    pthread_mutex_unlock(&n->call_mu);
}

int net__ext_init(net_node *n)
{
    if (pthread_mutex_init(&n->call_mu, NULL) != 0) return CF_ENOMEM;
    if (pthread_mutex_init(&n->call_one, NULL) != 0) {
        pthread_mutex_destroy(&n->call_mu);
        return CF_ENOMEM;
    }
    if (pthread_cond_init(&n->call_cv, NULL) != 0) {
        pthread_mutex_destroy(&n->call_one);
        pthread_mutex_destroy(&n->call_mu);
        return CF_ENOMEM;
    }
    n->ext_ready = true;
    return CF_OK;
}

int net__ext_start(net_node *n, diag *d)
{
    if (n->ext == NULL || n->ext->start == NULL) return CF_OK;
    if (uv_async_init(&n->loop, &n->call_async, on_call) != 0)
        return diag_set(d, CF_EIO, NULL, "cannot start the node's call handle");
    n->call_async.data = n;
    n->call_async_open = true;
    int err = n->ext->start(n->ext->arg, n, d);
    if (err == CF_OK) n->ext_started = true;
    return err;
}

void net__ext_stop(net_node *n)
{
    if (!n->ext_ready) return;
    /* Refuse new calls and release a waiting one before the extension
     * stops: its threads may be waiting for the loop, which is here. */
    pthread_mutex_lock(&n->call_mu);
    n->call_closed = true;
    pthread_cond_broadcast(&n->call_cv);
    pthread_mutex_unlock(&n->call_mu);
    if (n->ext_started && n->ext->stop) n->ext->stop(n->ext->arg);
    n->ext_started = false;
    if (n->call_async_open) uv_close((uv_handle_t *)&n->call_async, NULL);
    n->call_async_open = false;
}

void net__ext_free(net_node *n)
{
    if (!n->ext_ready) return;
    pthread_cond_destroy(&n->call_cv);
    pthread_mutex_destroy(&n->call_one);
    pthread_mutex_destroy(&n->call_mu);
    n->ext_ready = false;
}

int net_node_call(net_node *n, void (*fn)(void *arg), void *arg)
{
    int err = CF_OK;
    pthread_mutex_lock(&n->call_one); /* one call at a time */
    pthread_mutex_lock(&n->call_mu);
    if (n->call_closed) {
        err = CF_EIO;
    } else {
        n->call_fn = fn;
        n->call_arg = arg;
        n->call_done = false;
        uv_async_send(&n->call_async);
        while (!n->call_done && !n->call_closed) pthread_cond_wait(&n->call_cv, &n->call_mu);
        if (!n->call_done) err = CF_EIO; /* the node stopped first: fn did not run */
        n->call_fn = NULL;
    }
    pthread_mutex_unlock(&n->call_mu);
    pthread_mutex_unlock(&n->call_one);
    return err;
}

home *net_node_home(const net_node *n)
{
    return n->h;
}
