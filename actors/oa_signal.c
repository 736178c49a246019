/*  =========================================================================
    oa_signal - stop signals, received synchronously by the main thread

    Blocked signals plus sigtimedwait instead of handlers: nothing runs in
    signal context, and main decides what a signal means (drain, then
    stop) in ordinary code.
    =========================================================================
*/
#include "oa_signal.h"

#include <assert.h>
#include <czmq.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

//  The signals main waits for; every other one keeps its default action.
static void
s_stop_set (sigset_t *set)
{
    sigemptyset (set);
    sigaddset (set, SIGTERM);
    sigaddset (set, SIGINT);
    sigaddset (set, SIGHUP);
}

static int64_t
s_now_ms (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int
oa_signal_block_all (void)
{
    //  Before zsys_init: CZMQ then never installs its handlers (and if it
    //  already had, this restores the previous ones).
    zsys_handler_set (NULL);
    struct sigaction ignore;
    memset (&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset (&ignore.sa_mask);
    if (sigaction (SIGPIPE, &ignore, NULL))
        return -1;
    sigset_t set;
    s_stop_set (&set);
    return pthread_sigmask (SIG_BLOCK, &set, NULL) == 0? 0: -1;
}

int
oa_signal_unblock_all (void)
{
    sigset_t set;
    s_stop_set (&set);
    return pthread_sigmask (SIG_UNBLOCK, &set, NULL) == 0? 0: -1;
}

int
oa_signal_wait (int timeout_ms)
{
    sigset_t set;
    s_stop_set (&set);
    int64_t deadline = s_now_ms () + timeout_ms;
    while (true) {
        int signal_number;
        if (timeout_ms < 0)
            signal_number = sigwaitinfo (&set, NULL);
        else {
            int64_t remaining = deadline - s_now_ms ();
            if (remaining < 0)
                remaining = 0;
            struct timespec wait = { (time_t) (remaining / 1000),
                                     (long) (remaining % 1000) * 1000000 };
            signal_number = sigtimedwait (&set, NULL, &wait);
        }
        if (signal_number > 0)
            return signal_number;
        if (errno != EINTR)
            return 0;           //  EAGAIN: the time is up
        //  EINTR: another signal (say SIGCHLD) was handled; wait on
    }
}


//  --------------------------------------------------------------------------
//  Self test

//  Threads of this process; with one, a process-directed signal sent while
//  every thread blocks it can only end up in oa_signal_wait.
static int
s_thread_count (void)
{
    int count = 0;
    DIR *dir = opendir ("/proc/self/task");
    if (dir) {
        for (struct dirent *entry = readdir (dir); entry; entry = readdir (dir))
            if (entry->d_name [0] != '.')
                count++;
        closedir (dir);
    }
    return count;
}

typedef struct {
    pthread_t main;             //  the thread that waits
    bool to_process;            //  kill the process, not just main
} s_sender_t;

static void *
s_sender (void *args)
{
    s_sender_t *self = (s_sender_t *) args;
    //  The mask was inherited from the thread that called block_all.
    sigset_t mask;
    pthread_sigmask (SIG_BLOCK, NULL, &mask);
    assert (sigismember (&mask, SIGTERM) && sigismember (&mask, SIGINT));
    zclock_sleep (20);
    if (self->to_process)
        kill (getpid (), SIGTERM);
    else
        pthread_kill (self->main, SIGTERM);
    return NULL;
}

void
oa_signal_test (bool verbose)
{
    sigset_t saved_mask;
    pthread_sigmask (SIG_BLOCK, NULL, &saved_mask);
    struct sigaction saved_pipe;
    sigaction (SIGPIPE, NULL, &saved_pipe);
    //  Threads started by earlier tests in this process (libzmq's) do not
    //  block SIGTERM; then the signal goes to main alone, not the process.
    s_sender_t sender = { pthread_self (), s_thread_count () == 1 };

    assert (oa_signal_block_all () == 0);
    struct sigaction action;
    sigaction (SIGPIPE, NULL, &action);
    assert (action.sa_handler == SIG_IGN);
    int fds [2];
    assert (pipe (fds) == 0);
    close (fds [0]);
    assert (write (fds [1], "x", 1) == -1 && errno == EPIPE);
    close (fds [1]);

    int64_t started = s_now_ms ();
    assert (oa_signal_wait (50) == 0);
    assert (s_now_ms () - started >= 45);

    pthread_t thread;
    assert (pthread_create (&thread, NULL, s_sender, &sender) == 0);
    assert (oa_signal_wait (5000) == SIGTERM);
    pthread_join (thread, NULL);
    if (verbose)
        printf ("(SIGTERM sent to the %s) ", sender.to_process? "process": "main thread");

    raise (SIGHUP);
    raise (SIGINT);
    int first = oa_signal_wait (0);
    int second = oa_signal_wait (0);
    assert ((first == SIGHUP && second == SIGINT) || (first == SIGINT && second == SIGHUP));
    assert (oa_signal_wait (0) == 0);

    assert (oa_signal_unblock_all () == 0);
    sigaction (SIGPIPE, &saved_pipe, NULL);
    pthread_sigmask (SIG_SETMASK, &saved_mask, NULL);
}
