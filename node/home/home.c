/* home.c — see home.h. */
#include "home.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "replica.h"
#include "state_kv.h"

#define META_SELF "self"
#define META_NAME "name"
/* The ledger state's layout (docs/storage.md): a home whose state was
 * written by an older cofund is rebuilt from its stored feeds when it is
 * next opened for writing. 2: R-MATCH.6's holdings and R-KEY's records; 3: the
 * records reversals read (R-REVERSE); 4: a program's terms over time
 * (R-AMEND, R-CLOSE) and the network's sanity bound (R-BOUND); 5: the records
 * reversals of the instruments' entries read (R-REVERSE); 6: a lease's leaf
 * hash (R-SUBSIDY.1 reads it), certifications and subsidies; 7: the match
 * queue ('c') keyed by program and time, its project and round in the value;
 * 8: the register's index of the entries applied ('E'); 9: holdings and
 * series as a head and full blocks ('h', 'H', 'I', 'S';
 * node/ledger/state_history.h). Members' display
 * names (R-RENAME: a flag of the member record) asked for none: a state
 * written before them holds no entry that gives one. */
#define META_STATE "state_version"
#define HOME_STATE_VERSION 9u

static int put_state_version(store_txn *txn)
{
    uint8_t v[4];
    cf_put_be32(v, HOME_STATE_VERSION);
    return store_kv_put(txn, STORE_T_META, META_STATE, strlen(META_STATE), v, sizeof v);
}

/* The state's version, 1 when the record is absent (written before it). */
static int state_version(store_txn *txn, uint32_t *out)
{
    const uint8_t *v;
    size_t n;
    int err = store_kv_get(txn, STORE_T_META, META_STATE, strlen(META_STATE), &v, &n);
    if (err == CF_ENOTFOUND) {
        *out = 1;
        return CF_OK;
    }
    if (err) return err;
    if (n != 4) return CF_ESTORE_CORRUPT;
    *out = cf_get_be32(v);
    return CF_OK;
}

static int upgrade_state(store_txn *txn, void *arg)
{
    drain_result dr;
    uint32_t version;
    int err = state_version(txn, &version);
    if (err || version >= HOME_STATE_VERSION) return err;
    if ((err = replica_rebuild(txn, &dr, arg)) != 0) return err;
    return put_state_version(txn);
}

int home_path(const home *h, const char *leaf, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", h->dir, leaf);
    return n < 0 || (size_t)n >= cap ? CF_ETOOBIG : CF_OK;
}

static int join_path(const char *dir, const char *leaf, char *out, size_t cap, diag *d)
{
    int n = snprintf(out, cap, "%s/%s", dir, leaf);
    if (n < 0 || (size_t)n >= cap)
        return diag_set(d, CF_ETOOBIG, NULL, "home path too long: %s", dir);
    return CF_OK;
}

struct init_meta {
    const uint8_t *self;
    const char *name;
};

static int write_meta(store_txn *txn, void *arg)
{
    const struct init_meta *m = arg;
    int err = store_kv_put(txn, STORE_T_META, META_SELF, strlen(META_SELF), m->self, 32);
    if (err) return err;
    if ((err = put_state_version(txn)) != 0) return err;
    return store_kv_put(txn, STORE_T_META, META_NAME, strlen(META_NAME), m->name,
                        strlen(m->name));
}

int home_init(const char *dir, const char *name, const char *pass, size_t pass_len,
              diag *d)
{
    char key_path[HOME_PATH_MAX], store_path[HOME_PATH_MAX];
    keyfile_keypair kp;
    store *st = NULL;
    int err;

    if (!entry_id_valid(name, strlen(name)))
        return diag_set(d, CF_EINVAL, NULL,
                        "name \"%s\": use 1-%d characters from A-Z a-z 0-9 . _ -", name,
                        ENTRY_ID_BYTES_MAX);
    if ((err = join_path(dir, "key", key_path, sizeof key_path, d)) != 0 ||
        (err = join_path(dir, "store", store_path, sizeof store_path, d)) != 0)
        return err;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return diag_set(d, CF_EIO, NULL, "cannot create %s: %s", dir, strerror(errno));
    struct stat st_key;
    if (stat(key_path, &st_key) == 0)
        return diag_set(d, CF_EEXISTS, NULL, "%s already holds a home (found %s)", dir, key_path);
    if ((err = keyfile_create(key_path, pass, pass_len, &kp)) != 0)
        return diag_set(d, err, NULL, "cannot create key file %s: %s", key_path,
                        cf_strerror(err));
    uint8_t self[32];
    memcpy(self, kp.pk, 32);
    keyfile_wipe(&kp);
    if (mkdir(store_path, 0700) != 0 && errno != EEXIST)
        return diag_set(d, CF_EIO, NULL, "cannot create %s: %s", store_path, strerror(errno));
    if ((err = store_open(store_path, 0, &st)) != 0)
        return diag_set(d, err, NULL, "cannot create store in %s: %s", store_path,
                        cf_strerror(err));
    struct init_meta m = {self, name};
    err = store_write(st, write_meta, &m);
    store_close(st);
    if (err) return diag_set(d, err, NULL, "cannot write %s: %s", store_path, cf_strerror(err));
    return CF_OK;
}

static int read_meta(store_txn *txn, home *h)
{
    const uint8_t *v;
    size_t n;
    int err = store_kv_get(txn, STORE_T_META, META_SELF, strlen(META_SELF), &v, &n);
    if (err) return err;
    if (n != 32) return CF_ESTORE_CORRUPT;
    memcpy(h->self, v, 32);
    if ((err = store_kv_get(txn, STORE_T_META, META_NAME, strlen(META_NAME), &v, &n)) != 0)
        return err;
    if (n >= sizeof h->name) return CF_ESTORE_CORRUPT;
    memcpy(h->name, v, n);
    h->name[n] = '\0';
    return CF_OK;
}

/* A state an older cofund wrote is rebuilt before anything reads it: a
 * query opens the home read-only, but the records it reads may have changed
 * their layout since (layout 7's match queue), so the store is closed,
 * opened for writing to rebuild (LMDB forbids one environment open twice
 * in a process: closing either would drop the other's locks), and opened
 * read-only again. A home that cannot be written here (a read-only copy) is
 * refused with the reason: answering from records of another layout would
 * give wrong figures or call a sound store damaged. */
static int rebuild_old_state(home *h, const char *store_path, diag *d)
{
    int err;
    if (h->readonly) {
        store_close(h->st);
        h->st = NULL;
        if ((err = store_open(store_path, 0, &h->st)) != CF_OK) {
            h->st = NULL;
            return diag_set(d, err, NULL,
                            "the ledger state of %s was written by an older cofund and must be "
                            "rebuilt, which needs the home to be writable (%s): copy the home "
                            "where it can be written, or open it once for writing",
                            h->dir, cf_strerror(err));
        }
    }
    if ((err = store_write(h->st, upgrade_state, d)) != 0) {
        diag why = *d;
        return diag_set(d, err, NULL, "rebuilding the ledger state of %s (written by an older "
                        "cofund): %s", store_path, why.code != CF_OK ? why.text : cf_strerror(err));
    }
    if (h->readonly) {
        store_close(h->st);
        h->st = NULL;
        if ((err = store_open(store_path, STORE_RDONLY, &h->st)) != CF_OK) {
            h->st = NULL;
            return diag_set(d, err, NULL, "cannot open store %s: %s", store_path,
                            cf_strerror(err));
        }
    }
    return CF_OK;
}

int home_open(const char *dir, unsigned flags, home **out, diag *d)
{
    char store_path[HOME_PATH_MAX];
    struct stat sb;
    int err;
    home *h = calloc(1, sizeof *h);
    if (h == NULL) return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    if (strlen(dir) >= sizeof h->dir) {
        free(h);
        return diag_set(d, CF_ETOOBIG, NULL, "home path too long");
    }
    strcpy(h->dir, dir);
    h->readonly = flags & HOME_RDONLY;
    if ((err = join_path(dir, "store", store_path, sizeof store_path, d)) != 0) goto fail;
    if (stat(store_path, &sb) != 0) {
        err = diag_set(d, CF_ENOTFOUND, NULL,
                       "%s is not a cofund home (run `cofund init --name NAME` first)", dir);
        goto fail;
    }
    if ((err = store_open(store_path, h->readonly ? STORE_RDONLY : 0, &h->st)) != 0) {
        err = diag_set(d, err, NULL, "cannot open store %s: %s", store_path, cf_strerror(err));
        goto fail;
    }
    store_txn *txn;
    if ((err = store_read_begin(h->st, &txn)) != 0) {
        err = diag_set(d, err, NULL, "cannot read store: %s", cf_strerror(err));
        goto fail;
    }
    uint32_t version = HOME_STATE_VERSION;
    err = read_meta(txn, h);
    if (err == CF_OK) err = state_version(txn, &version);
    store_read_end(txn);
    if (err) {
        err = diag_set(d, err, NULL, "home metadata in %s: %s", store_path, cf_strerror(err));
        goto fail;
    }
    if (version < HOME_STATE_VERSION && (err = rebuild_old_state(h, store_path, d)) != 0)
        goto fail;
    *out = h;
    return CF_OK;
fail:
    if (h->st) store_close(h->st);
    free(h);
    return err;
}

void home_close(home *h)
{
    if (h == NULL) return;
    store_close(h->st);
    free(h);
}

int home_key_encrypted(const home *h)
{
    char path[HOME_PATH_MAX];
    if (home_path(h, "key", path, sizeof path) != CF_OK) return CF_ETOOBIG;
    return keyfile_is_encrypted(path);
}

int home_load_keypair(const home *h, const char *pass, size_t pass_len,
                      keyfile_keypair *kp, diag *d)
{
    char path[HOME_PATH_MAX];
    int err = home_path(h, "key", path, sizeof path);
    if (err) return diag_set(d, err, NULL, "home path too long");
    if ((err = keyfile_load(path, pass, pass_len, kp)) != 0)
        return diag_set(d, err, NULL, "%s: %s", path, cf_strerror(err));
    if (memcmp(kp->pk, h->self, 32) != 0) {
        keyfile_wipe(kp);
        return diag_set(d, CF_EKEY_FORMAT, NULL, "%s does not hold this home's key", path);
    }
    return CF_OK;
}

int home_network(home *h, state_network *out, diag *d)
{
    store_txn *txn;
    ledger_kv kv;
    int err = store_read_begin(h->st, &txn);
    if (err) return diag_set(d, err, NULL, "cannot read store: %s", cf_strerror(err));
    state_kv_init(&kv, txn);
    err = state_network_get(&kv, out);
    store_read_end(txn);
    if (err == CF_ENOTFOUND)
        return diag_set(d, CF_ENO_NETWORK, NULL,
                        "this home has not joined a network yet (cofund network create, or cofund join BUNDLE)");
    if (err) return diag_set(d, err, NULL, "reading the network: %s", cf_strerror(err));
    return CF_OK;
}
