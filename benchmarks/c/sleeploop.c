/*
 * sleeploop: how late this machine wakes a sleeping thread, with nothing of ECAP running. Sleeps 100 us at a time
 * for 10 s and prints how many sleeps ended more than 1 ms late and the latest one: the scheduling delay any client
 * or server on the machine also pays (docs/PERFORMANCE.md, "HTTP").
 *
 *   gcc -O2 -o sleeploop benchmarks/c/sleeploop.c && ./sleeploop
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(void) {
    const struct timespec nap = {0, 100000};
    const int64_t end = now_ns() + 10000000000L;
    int64_t worst = 0;
    long late = 0;
    long sleeps = 0;
    while (now_ns() < end) {
        int64_t before = now_ns();
        nanosleep(&nap, NULL);
        int64_t over = now_ns() - before - nap.tv_nsec;
        sleeps++;
        if (over > worst) {
            worst = over;
        }
        if (over > 1000000) {
            late++;
        }
    }
    printf("sleeps %ld, woken more than 1 ms late: %ld, the latest %.2f ms late\n", sleeps, late, worst / 1e6);
    return 0;
}
