/* home.h — a participant's home directory: its key, its store, its name.
 *
 *   <home>/key       Ed25519 key file, mode 0600 (crypto/keyfile.h)
 *   <home>/store/    the LMDB environment (store/store.h)
 *   <home>/config    node settings (peers), optional
 *
 * The home directory is created mode 0700. docs/operations.md describes it.
 */
#ifndef COFUND_HOME_H
#define COFUND_HOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/keyfile.h"
#include "ledger/diag.h"
#include "ledger/state.h"
#include "store/store.h"

#define HOME_PATH_MAX 4096

typedef struct {
    char dir[HOME_PATH_MAX];
    store *st;
    uint8_t self[32];           /* this home's member key */
    char name[ENTRY_ID_BYTES_MAX + 1]; /* the name given to `init` */
    bool readonly;
    /* Optional: told every HOME_PROGRESS_EVERY entries a long import, join,
     * restore or export has read or written ("import", "export"), so the
     * command line can show progress on a terminal. NULL: silent. */
    void (*progress)(void *arg, const char *what, uint64_t entries);
    void *progress_arg;
} home;
#define HOME_PROGRESS_EVERY 8192

enum home_open_flags {
    HOME_RDONLY = 1 << 0,
};

/* Create a new home: directory (0700; may exist if empty), key file
 * (passphrase-protected when pass != NULL), store, and its name. */
int home_init(const char *dir, const char *name, const char *pass, size_t pass_len,
              diag *d);

int home_open(const char *dir, unsigned flags, home **out, diag *d);
void home_close(home *h);

/* Path of a file in the home ("key", "config", ...). */
int home_path(const home *h, const char *leaf, char *out, size_t cap);

/* Load the signing key (pass may be NULL for a plain key file). */
int home_load_keypair(const home *h, const char *pass, size_t pass_len,
                      keyfile_keypair *kp, diag *d);
/* 1 when the key file needs a passphrase, 0 when not, < 0 on error. */
int home_key_encrypted(const home *h);

/* The network this home belongs to: CF_ENO_NETWORK before it joined one. */
int home_network(home *h, state_network *out, diag *d);

#endif
