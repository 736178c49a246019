/*  =========================================================================
    oa_signal - stop signals, received synchronously by the main thread

    No signal handlers: main calls oa_signal_block_all before any thread
    or CZMQ socket exists, so every thread inherits a mask that blocks
    SIGTERM, SIGINT and SIGHUP, and those signals stay pending on the
    process until main picks them up with oa_signal_wait (sigtimedwait).
    No actor is ever interrupted by a signal (no EINTR in zmq_poll or
    curl), and CZMQ's own handlers, which would set zsys_interrupted and
    make every zloop and zpoller quit behind the supervisor's back, are
    turned off.  SIGPIPE is ignored: a peer that closes shows up as EPIPE.

    Send stop signals to the process (kill(2), systemd, Ctrl-C): a signal
    sent to one thread (raise(3), pthread_kill) can be picked up only by
    that thread.
    =========================================================================
*/
#ifndef OA_SIGNAL_H_INCLUDED
#define OA_SIGNAL_H_INCLUDED

#include <stdbool.h>

//  Disables CZMQ's SIGINT/SIGTERM handlers (zsys_handler_set (NULL)),
//  ignores SIGPIPE and blocks SIGTERM, SIGINT and SIGHUP in the calling
//  thread, which threads created afterwards inherit.  Call from main
//  before starting any thread.  Returns 0, or -1 if a system call failed.
int
    oa_signal_block_all (void);

//  Unblocks SIGTERM, SIGINT and SIGHUP in the calling thread (tests, or a
//  child process before exec).  Returns 0 or -1.
int
    oa_signal_unblock_all (void);

//  Waits up to timeout_ms (-1: forever) for SIGTERM, SIGINT or SIGHUP and
//  returns its number, or 0 on timeout.  The signals must be blocked in
//  every thread (oa_signal_block_all).
int
    oa_signal_wait (int timeout_ms);

//  Self test.
void
    oa_signal_test (bool verbose);

#endif
