/* store_guard.c — a damaged data.mdb stops the process with "store
 * corrupted" instead of a crash (docs/storage.md, "A damaged store").
 *
 * LMDB keeps no checksums of its pages and trusts what it reads: a flipped
 * bit in a page header (a key count, an offset, a page number) sends it to
 * addresses outside the page. That shows up as SIGSEGV (outside the map),
 * SIGBUS (inside the map, past the end of data.mdb), a failed assertion
 * inside LMDB (which calls the environment's assert callback, then abort),
 * or — when LMDB writes through a damaged page into memory it did not
 * allocate — the C library's heap checks aborting (SIGABRT) inside one of
 * its calls.
 *
 * Every LMDB call the store makes runs with store__guard_depth raised
 * (store_internal.h wraps them). A fault while it is raised is the store's
 * bytes, not our code: the handler writes one line with write(2) and ends
 * the process with _exit(1). Both are async-signal-safe, and nothing else
 * is done: after a fault LMDB's state (a cursor half moved, a write
 * transaction's dirty pages) cannot be trusted, so the process neither
 * returns into it nor jumps out of it to carry on. Stopping loses nothing
 * sound: LMDB writes nothing to data.mdb before a commit, and a commit is
 * atomic (its meta page is written last); the writer lock is a robust mutex
 * that the next process recovers. A fault with the depth at zero is not the store's: the
 * previous handler is put back and the faulting instruction runs again, so
 * a bug of ours still crashes (or reaches the sanitizer) as before.
 *
 * The depth is thread-local: SIGSEGV and SIGBUS from a bad access are
 * delivered to the thread that made it, so the handler reads its own
 * thread's depth. It is an initial-exec TLS variable of a static library
 * (no allocation on first access), which a handler may read.
 */
#include "store_internal.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

_Thread_local volatile sig_atomic_t store__guard_depth;

static struct sigaction old_segv, old_bus, old_abrt;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

#define CORRUPT_MSG                                                                  \
    "cofund: store corrupted: reading the store's pages failed (%s); cofund "      \
    "stopped, writing nothing more. Restore this home from its peers or a backup " \
    "(docs/operations.md, \"A corrupted store\").\n"

static _Noreturn void say_and_exit(const char *what)
{
    /* No stdio in a handler: compose the line by hand. */
    char line[512];
    const char *fmt = CORRUPT_MSG;
    size_t n = 0;
    for (const char *p = fmt; *p && n + 1 < sizeof line; p++) {
        if (p[0] == '%' && p[1] == 's') {
            for (const char *w = what; *w && n + 1 < sizeof line; w++) line[n++] = *w;
            p++;
        } else {
            line[n++] = *p;
        }
    }
    ssize_t w = write(STDERR_FILENO, line, n);
    (void)w;
    _exit(1);
}

static void on_fault(int sig, siginfo_t *info, void *uctx)
{
    (void)info;
    (void)uctx;
    if (store__guard_depth > 0)
        say_and_exit(sig == SIGBUS    ? "SIGBUS"
                     : sig == SIGABRT ? "SIGABRT: the heap, written through a damaged page"
                                      : "SIGSEGV");
    /* Not in the store: as if we had never been here. */
    sigaction(sig, sig == SIGBUS ? &old_bus : sig == SIGABRT ? &old_abrt : &old_segv, NULL);
    if (sig == SIGABRT) raise(SIGABRT); /* abort() blocks nothing: deliver it again */
}

static void install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &old_segv) != 0) return;
    if (sigaction(SIGBUS, &sa, &old_bus) != 0) {
        sigaction(SIGSEGV, &old_segv, NULL);
        return;
    }
    if (sigaction(SIGABRT, &sa, &old_abrt) != 0) {
        sigaction(SIGSEGV, &old_segv, NULL);
        sigaction(SIGBUS, &old_bus, NULL);
    }
}

_Noreturn void store__guard_corrupt(const char *what)
{
    say_and_exit(what);
}

/* LMDB's assert callback: an internal check failed on the pages it read. */
static void on_assert(MDB_env *env, const char *msg)
{
    (void)env;
    (void)msg;
    say_and_exit("an LMDB consistency check failed");
}

void store__guard_install(MDB_env *env)
{
    pthread_once(&installed, install);
    mdb_env_set_assert(env, on_assert);
}
