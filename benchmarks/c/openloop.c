/*
 * openloop: a constant-rate HTTP/1.1 load generator for POST /v1/score, written in C so that the client has no
 * garbage collector, no JIT and no safepoints of its own to charge to the server.
 *
 * Request i is due at start + i / rate, whatever happened before (open loop). It goes out on the first keep-alive
 * connection that is free; when none is, it waits in line, and its latency still counts from its due time, so a
 * stall of the server (or of this client) shows in full instead of being hidden by sending less (coordinated
 * omission). Every request carries a transaction id no other request of the run has; customers, cards, devices and
 * IPs cycle through a population of 200,000, merchants through 2,000 (as benchmarks/wrk/score.lua).
 *
 *   openloop HOST PORT KEY RATE SECONDS [CONNECTIONS] [WARMUP_SECONDS]
 *
 * CONNECTIONS (16 by default, at most 4,096) are opened at the start; a free one is taken from a stack.
 *
 * Prints one line per second (sent, answered, worst latency of that second) and, for the measured part (after the
 * warm-up), the latency percentiles from due time to the last byte of the answer, and the answers that were not 200.
 * Build: gcc -O2 -o openloop openloop.c (benchmarks/run http-vs-floor does it).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 4096
#define BUFFER 16384
#define FINE_LIMIT_US 1000000 /* microsecond buckets below one second, millisecond buckets above */
#define COARSE_BUCKETS 60000  /* up to a minute */

typedef struct {
    int fd;
    int busy;
    int64_t due_ns;       /* due time of the request in flight */
    int measured;         /* sent after the warm-up */
    char out[4096];
    int out_len;
    int out_sent;
    char in[BUFFER];
    int in_len;
} connection;

typedef struct {
    uint64_t fine[FINE_LIMIT_US];
    uint64_t coarse[COARSE_BUCKETS + 1];
    uint64_t recorded;
    int64_t worst_ns;
} histogram;

static histogram all;      /* every answer */
static histogram ok;       /* the 200 answers: what a server that sheds load (503) accepted */
static int64_t second_worst_ns;
static int64_t client_stall_ns;
static uint64_t client_stalls;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000L + t.tv_nsec;
}

static void record(histogram *h, int64_t latency_ns) {
    int64_t us = latency_ns / 1000;
    if (us < 0) {
        us = 0;
    }
    if (us < FINE_LIMIT_US) {
        h->fine[us]++;
    } else {
        int64_t ms = us / 1000;
        h->coarse[ms < COARSE_BUCKETS ? ms : COARSE_BUCKETS]++;
    }
    h->recorded++;
    if (latency_ns > h->worst_ns) {
        h->worst_ns = latency_ns;
    }
}

/* The latency at quantile q, in microseconds (upper bound of its bucket). */
static double quantile_us(const histogram *h, double q) {
    uint64_t want = (uint64_t) (q * (double) h->recorded + 0.5);
    if (want == 0) {
        want = 1;
    }
    uint64_t seen = 0;
    for (int64_t us = 0; us < FINE_LIMIT_US; us++) {
        seen += h->fine[us];
        if (seen >= want) {
            return (double) us + 1;
        }
    }
    for (int ms = 0; ms <= COARSE_BUCKETS; ms++) {
        seen += h->coarse[ms];
        if (seen >= want) {
            return (double) (ms + 1) * 1000;
        }
    }
    return (double) h->worst_ns / 1000;
}

static void print_latency(const char *label, double us) {
    if (us < 1000) {
        printf("%s %.0f us", label, us);
    } else {
        printf("%s %.2f ms", label, us / 1000);
    }
}

static void print_percentiles(const char *title, const histogram *h) {
    printf("%s", title);
    print_latency(" p50", quantile_us(h, 0.50));
    print_latency("  p90", quantile_us(h, 0.90));
    print_latency("  p99", quantile_us(h, 0.99));
    print_latency("  p99.9", quantile_us(h, 0.999));
    print_latency("  p99.99", quantile_us(h, 0.9999));
    print_latency("  max", (double) h->worst_ns / 1000);
    printf("\n");
}

static int connect_to(const char *host, int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        perror("socket");
        exit(1);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t) port);
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        fprintf(stderr, "openloop: HOST must be an IPv4 address, got %s\n", host);
        exit(2);
    }
    if (connect(fd, (struct sockaddr *) &address, sizeof address) < 0 && errno != EINPROGRESS) {
        fprintf(stderr, "openloop: cannot connect to %s:%d: %s\n", host, port, strerror(errno));
        exit(1);
    }
    return fd;
}

static int format_request(char *out, const char *host, int port, const char *key, long run, uint64_t n) {
    uint64_t c = (n * 7919) % 200000;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    long long ts = (long long) wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
    char body[512];
    int body_len = snprintf(body, sizeof body,
        "{\"txnId\":\"ol-%ld-%llu\",\"ts\":%lld,\"customerId\":\"c-%llu\",\"cardId\":\"k-%llu\","
        "\"merchantId\":\"m-%llu\",\"amount\":\"%llu.%02llu\",\"currency\":\"USD\",\"deviceId\":\"d-%llu\","
        "\"ip\":\"10.%llu.%llu.%llu\",\"country\":\"US\",\"channel\":\"WEB\"}",
        run, (unsigned long long) n, ts, (unsigned long long) c, (unsigned long long) c,
        (unsigned long long) (c % 2000), (unsigned long long) (5 + c % 400), (unsigned long long) (c % 100),
        (unsigned long long) c, (unsigned long long) (c % 250), (unsigned long long) ((c / 250) % 250),
        (unsigned long long) (c % 200 + 1));
    return snprintf(out, 4096,
        "POST /v1/score HTTP/1.1\r\nHost: %s:%d\r\nX-API-Key: %s\r\nContent-Type: application/json\r\n"
        "Content-Length: %d\r\n\r\n%s", host, port, key, body_len, body);
}

/* Whether in[0, len) holds a whole answer; if so, its length and status. Returns -1 on a malformed answer. */
static int whole_answer(const char *in, int len, int *answer_len, int *status) {
    const char *end = memmem(in, (size_t) len, "\r\n\r\n", 4);
    if (end == NULL) {
        return len > BUFFER - 1024 ? -1 : 0;
    }
    int header_len = (int) (end - in) + 4;
    if (len < 12 || strncmp(in, "HTTP/1.1 ", 9) != 0) {
        return -1;
    }
    *status = atoi(in + 9);
    long content_length = -1;
    for (const char *line = memchr(in, '\n', (size_t) header_len); line != NULL && line < end;
         line = memchr(line + 1, '\n', (size_t) (end - line))) {
        if (strncasecmp(line + 1, "content-length:", 15) == 0) {
            content_length = strtol(line + 16, NULL, 10);
        }
    }
    if (content_length < 0) {
        return -1;
    }
    if (len < header_len + content_length) {
        return 0;
    }
    *answer_len = header_len + (int) content_length;
    return 1;
}

/* A number argument, checked whole: the program ends with a message naming it when it is not one or out of range. */
static double number_argument(const char *name, const char *text, double min, double max) {
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !(value >= min && value <= max)) {
        fprintf(stderr, "openloop: %s: expected a number from %g to %g, found '%s'\n", name, min, max, text);
        exit(2);
    }
    return value;
}

static long whole_argument(const char *name, const char *text, long min, long max) {
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno != 0 || value < min || value > max) {
        fprintf(stderr, "openloop: %s: expected a whole number from %ld to %ld, found '%s'\n", name, min, max, text);
        exit(2);
    }
    return value;
}

static volatile sig_atomic_t stop;

static void on_signal(int signal) {
    (void) signal;
    stop = 1;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: openloop HOST PORT KEY RATE SECONDS [CONNECTIONS] [WARMUP_SECONDS]\n");
        return 2;
    }
    const char *host = argv[1];
    int port = (int) whole_argument("PORT", argv[2], 1, 65535);
    const char *key = argv[3];
    double rate = number_argument("RATE", argv[4], 1, 1e6);
    double seconds = number_argument("SECONDS", argv[5], 0.001, 86400);
    int connections = argc > 6 ? (int) whole_argument("CONNECTIONS", argv[6], 1, MAX_CONNECTIONS) : 16;
    double warmup = argc > 7 ? number_argument("WARMUP_SECONDS", argv[7], 0, 86400) : 0;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    static connection conns[MAX_CONNECTIONS];
    static int free_ids[MAX_CONNECTIONS]; /* the connections without a request in flight, as a stack */
    int free_count = 0;
    int epoll = epoll_create1(0);
    for (int i = 0; i < connections; i++) {
        free_ids[free_count++] = connections - 1 - i;
        conns[i].fd = connect_to(host, port);
        struct epoll_event event = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.u32 = (uint32_t) i};
        epoll_ctl(epoll, EPOLL_CTL_ADD, conns[i].fd, &event);
    }
    long run = (long) time(NULL);
    int64_t start = now_ns();
    int64_t interval = (int64_t) (1e9 / rate);
    int64_t warm_end = start + (int64_t) (warmup * 1e9);
    uint64_t total = (uint64_t) (rate * (warmup + seconds));
    uint64_t next = 0;       /* the next request to become due */
    uint64_t sent = 0;       /* requests handed to a connection, in due order */
    uint64_t answered = 0, not_ok = 0, second_sent = 0, second_answered = 0;
    int64_t next_report = start + 1000000000L;
    int second = 0;
    struct epoll_event events[MAX_CONNECTIONS];
    while (!stop && answered < total) {
        int64_t now = now_ns();
        while (next < total && start + (int64_t) next * interval <= now) {
            next++;
        }
        /* hand the due requests to free connections, oldest first */
        while (free_count > 0 && sent < next) {
            connection *c = &conns[free_ids[--free_count]];
            c->busy = 1;
            c->due_ns = start + (int64_t) sent * interval;
            c->measured = c->due_ns >= warm_end;
            c->out_len = format_request(c->out, host, port, key, run, sent);
            c->out_sent = 0;
            sent++;
            second_sent++;
            ssize_t w = write(c->fd, c->out, (size_t) c->out_len);
            if (w > 0) {
                c->out_sent = (int) w;
            } else if (w < 0 && errno != EAGAIN) {
                fprintf(stderr, "openloop: cannot send to %s:%d: %s (is the server running?)\n", host, port,
                    strerror(errno));
                return 1;
            }
        }
        if (now >= next_report) {
            second++;
            printf("second %3d: sent %6llu answered %6llu waiting %6llu worst %.2f ms\n", second,
                (unsigned long long) second_sent, (unsigned long long) second_answered,
                (unsigned long long) (next - sent), (double) second_worst_ns / 1e6);
            fflush(stdout);
            second_sent = second_answered = 0;
            second_worst_ns = 0;
            next_report += 1000000000L;
        }
        int64_t wait_ns = next < total ? start + (int64_t) next * interval - now_ns() : 1000000;
        if (sent < next) {
            wait_ns = 1000000; /* every connection busy: wait for an answer */
        }
        struct timespec timeout = {.tv_sec = 0, .tv_nsec = wait_ns > 0 ? (wait_ns < 1000000 ? wait_ns : 1000000) : 0};
        int64_t before_wait = now_ns();
        int n = epoll_pwait2(epoll, events, MAX_CONNECTIONS, &timeout, NULL);
        int64_t overslept = now_ns() - before_wait - timeout.tv_nsec; /* woken later than asked: this client's stall */
        if (n == 0 && overslept > client_stall_ns && before_wait >= warm_end) {
            client_stall_ns = overslept;
        }
        if (n == 0 && overslept > 1000000 && before_wait >= warm_end) {
            client_stalls++;
        }
        for (int e = 0; e < n; e++) {
            connection *c = &conns[events[e].data.u32];
            if (c->busy && c->out_sent < c->out_len) {
                ssize_t w = write(c->fd, c->out + c->out_sent, (size_t) (c->out_len - c->out_sent));
                if (w > 0) {
                    c->out_sent += (int) w;
                }
            }
            while (1) {
                ssize_t r = read(c->fd, c->in + c->in_len, (size_t) (BUFFER - c->in_len));
                if (r > 0) {
                    c->in_len += (int) r;
                    continue;
                }
                if (r == 0) {
                    fprintf(stderr, "openloop: the server closed a connection\n");
                    return 1;
                }
                break; /* EAGAIN */
            }
            int answer_len, status;
            int whole;
            while (c->busy && (whole = whole_answer(c->in, c->in_len, &answer_len, &status)) != 0) {
                if (whole < 0) {
                    fprintf(stderr, "openloop: a malformed answer\n");
                    return 1;
                }
                int64_t latency = now_ns() - c->due_ns;
                if (c->measured) {
                    record(&all, latency);
                    if (status != 200) {
                        not_ok++;
                    } else {
                        record(&ok, latency);
                    }
                }
                if (latency > second_worst_ns) {
                    second_worst_ns = latency;
                }
                answered++;
                second_answered++;
                memmove(c->in, c->in + answer_len, (size_t) (c->in_len - answer_len));
                c->in_len -= answer_len;
                c->busy = 0;
                free_ids[free_count++] = (int) (c - conns);
            }
        }
    }
    double measured_s = (double) (now_ns() - warm_end) / 1e9;
    printf("openloop: %.0f requests/s due, %d connections, %.0f s measured after %.0f s warm-up: %llu answered "
        "(%.0f/s), %llu not 200\n", rate, connections, seconds, warmup, (unsigned long long) all.recorded,
        (double) all.recorded / measured_s, (unsigned long long) not_ok);
    print_percentiles("latency from due time:", &all);
    if (not_ok > 0 && ok.recorded > 0) {
        print_percentiles("latency of the 200 answers:", &ok);
    }
    printf("this client's own stalls (woken more than 1 ms late): %llu, the longest %.2f ms\n",
        (unsigned long long) client_stalls, (double) client_stall_ns / 1e6);
    return stop ? 130 : 0;
}
