/* notify.c — the command line's end of <home>/node.sock (control.c has the
 * daemon's). Plain POSIX sockets, no libuv: the CLI links it for every
 * append. Non-blocking connect and short poll() deadlines: a missing,
 * refusing, full or stuck socket costs the CLI at most NOTIFY_WAIT_MS. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "crypto/cf_error.h"
#include "net.h"

/* A notification is a hint (the node also looks every NET_TICK_MS): never
 * let it slow an append down noticeably. */
#define NOTIFY_WAIT_MS 200
/* A status answer is built from memory at once; allow for a busy loop. */
#define STATUS_WAIT_MS 5000
/* The daemon's status line: peers and dialers, each a few hundred bytes. */
#define STATUS_REPLY_MAX (1u << 20)

static int ctl_connect(const char *home_dir, int *fd)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int n = snprintf(sun.sun_path, sizeof sun.sun_path, "%s/%s", home_dir, NET_SOCK_FILE);
    if (n < 0 || (size_t)n >= sizeof sun.sun_path) return CF_ETOOBIG;
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0) return CF_EIO;
    /* On AF_UNIX a non-blocking connect completes at once or fails
     * (EAGAIN: the backlog is full). */
    if (connect(s, (struct sockaddr *)&sun, sizeof sun) != 0) {
        int e = errno;
        close(s);
        return e == ENOENT || e == ECONNREFUSED ? CF_ENOTFOUND : CF_EIO;
    }
    *fd = s;
    return CF_OK;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Wait for fd to be ready for events until deadline (monotonic ms). */
static int wait_fd(int fd, short events, uint64_t deadline)
{
    for (;;) {
        uint64_t now = mono_ms();
        if (now >= deadline) return CF_EIO;
        struct pollfd pfd = {.fd = fd, .events = events};
        int r = poll(&pfd, 1, (int)(deadline - now));
        if (r > 0) return CF_OK;
        if (r < 0 && errno != EINTR) return CF_EIO;
    }
}

static int send_all(int fd, const char *s, size_t len, uint64_t deadline)
{
    while (len > 0) {
        ssize_t w = send(fd, s, len, MSG_NOSIGNAL);
        if (w > 0) {
            s += w;
            len -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return CF_EIO;
        if (wait_fd(fd, POLLOUT, deadline) != CF_OK) return CF_EIO;
    }
    return CF_OK;
}

int net_ctl_notify(const char *home_dir)
{
    int fd, err = ctl_connect(home_dir, &fd);
    if (err) return err;
    err = send_all(fd, "notify\n", 7, mono_ms() + NOTIFY_WAIT_MS);
    close(fd);
    return err;
}

int net_ctl_status(const char *home_dir, char **reply)
{
    uint64_t deadline = mono_ms() + STATUS_WAIT_MS;
    size_t len = 0, cap = 4096;
    int fd, err = ctl_connect(home_dir, &fd);
    if (err) return err;
    char *buf = malloc(cap);
    if (buf == NULL) {
        close(fd);
        return CF_ENOMEM;
    }
    if ((err = send_all(fd, "status\n", 7, deadline)) != 0) goto out;
    for (;;) {
        if (len + 1 == cap) {
            if (cap >= STATUS_REPLY_MAX) {
                err = CF_ETOOBIG;
                goto out;
            }
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                err = CF_ENOMEM;
                goto out;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = recv(fd, buf + len, cap - 1 - len, 0);
        if (r > 0) {
            len += (size_t)r;
            continue;
        }
        if (r == 0) break;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            err = CF_EIO;
            goto out;
        }
        if ((err = wait_fd(fd, POLLIN, deadline)) != 0) goto out;
    }
    buf[len] = '\0';
    if (len == 0 || buf[len - 1] != '\n') {
        err = CF_EIO;
        goto out;
    }
    *reply = buf;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return err;
}
