/*  =========================================================================
    oa-wakeup - round trip of two thread wake-ups, as oneapi's threads do them

    Two threads ping-pong through eventfds, each sleeping in poll() between
    turns (the way a ZeroMQ mailbox wakes a socket's owner).  Prints the
    p50/p90/p99 round trip (two wake-ups) with the threads where the
    scheduler puts them, both on CPU 0, and on CPU 0 and CPU 1: on a VM a
    cross-CPU wake-up (an inter-processor interrupt through the hypervisor)
    can cost several times a same-CPU one.  Usage: oa-wakeup [rounds]
    =========================================================================
*/
#include <pthread.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int ping, pong;             //  eventfds: to the peer, back from it
    int rounds;
} s_pair_t;

static void
s_wait (int fd)
{
    struct pollfd item = { fd, POLLIN, 0 };
    while (poll (&item, 1, -1) < 0)
        ;
    uint64_t value;
    if (read (fd, &value, sizeof value) != sizeof value)
        abort ();
}

static void
s_signal (int fd)
{
    uint64_t one = 1;
    if (write (fd, &one, sizeof one) != sizeof one)
        abort ();
}

static void *
s_peer (void *arg)
{
    s_pair_t *pair = (s_pair_t *) arg;
    for (int round = 0; round < pair->rounds; round++) {
        s_wait (pair->ping);
        s_signal (pair->pong);
    }
    return NULL;
}

static int
s_compare (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y? -1: x > y? 1: 0;
}

//  One measurement; cpu_self / cpu_peer < 0: wherever the scheduler puts them.
static void
s_run (const char *label, int rounds, int cpu_self, int cpu_peer)
{
    s_pair_t pair = { eventfd (0, 0), eventfd (0, 0), rounds };
    pthread_attr_t attr;
    pthread_attr_init (&attr);
    cpu_set_t set;
    if (cpu_peer >= 0) {
        CPU_ZERO (&set);
        CPU_SET (cpu_peer, &set);
        pthread_attr_setaffinity_np (&attr, sizeof set, &set);
    }
    if (cpu_self >= 0) {
        CPU_ZERO (&set);
        CPU_SET (cpu_self, &set);
        pthread_setaffinity_np (pthread_self (), sizeof set, &set);
    }
    pthread_t peer;
    if (pthread_create (&peer, &attr, s_peer, &pair) != 0)
        abort ();
    double *samples = (double *) malloc (sizeof (double) * (size_t) rounds);
    for (int round = 0; round < rounds; round++) {
        struct timespec start, stop;
        clock_gettime (CLOCK_MONOTONIC, &start);
        s_signal (pair.ping);
        s_wait (pair.pong);
        clock_gettime (CLOCK_MONOTONIC, &stop);
        samples [round] = (double) (stop.tv_sec - start.tv_sec) * 1e6
                        + (double) (stop.tv_nsec - start.tv_nsec) / 1e3;
    }
    pthread_join (peer, NULL);
    qsort (samples, (size_t) rounds, sizeof (double), s_compare);
    printf ("  %-26s p50 %6.1f us   p90 %6.1f us   p99 %6.1f us\n", label,
            samples [rounds / 2], samples [rounds * 9 / 10], samples [rounds * 99 / 100]);
    free (samples);
    close (pair.ping);
    close (pair.pong);
    if (cpu_self >= 0) {
        cpu_set_t all;
        CPU_ZERO (&all);
        for (int index = 0; index < CPU_SETSIZE; index++)
            CPU_SET (index, &all);
        pthread_setaffinity_np (pthread_self (), sizeof all, &all);
    }
    pthread_attr_destroy (&attr);
}

int
main (int argc, char *argv [])
{
    int rounds = argc > 1? atoi (argv [1]): 20000;
    if (rounds < 100)
        rounds = 100;
    printf ("thread wake-up round trip (2 wake-ups, eventfd + poll), %d rounds:\n", rounds);
    s_run ("wherever scheduled", rounds, -1, -1);
    s_run ("both on CPU 0", rounds, 0, 0);
    if (sysconf (_SC_NPROCESSORS_ONLN) > 1)
        s_run ("on CPU 0 and CPU 1", rounds, 0, 1);
    return 0;
}
