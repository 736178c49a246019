/*  =========================================================================
    wk_loop - libcurl multi driven by the worker's zloop

    @header
    One CURLM per worker actor.  Its sockets and its single timer (a
    timerfd) sit in one epoll set, which is one zloop poller: a wake-up
    costs the ready sockets, not all of them (style.md §3.5).  HTTP/2
    multiplexing and connection reuse come from sharing the multi.  When a
    transfer ends, its easy handle is removed from the multi and handed to
    the done callback, outside any curl callback, so the callback may add
    new transfers or clean the handle up.
    @end
    =========================================================================
*/
#ifndef WK_LOOP_H_INCLUDED
#define WK_LOOP_H_INCLUDED

#include <czmq.h>
#include <curl/curl.h>

typedef struct _wk_loop_t wk_loop_t;

//  Called once per finished transfer, after its removal from the multi.
//  arg is the easy handle's CURLOPT_PRIVATE.
typedef void (wk_loop_done_fn) (CURL *easy, CURLcode result, void *arg);

//  Called after every batch of curl work (socket event or timer), when no
//  curl call is on the stack: the owner frees what finished.
typedef void (wk_loop_idle_fn) (void *arg);

//  Creates the multi on a zloop (borrowed).  Caller owns the result; NULL
//  if the process is out of file descriptors.
wk_loop_t *
    wk_loop_new (zloop_t *loop, wk_loop_done_fn *done, wk_loop_idle_fn *idle, void *idle_arg);

//  Destroys the multi; transfers still in it are removed, not reported.
void
    wk_loop_destroy (wk_loop_t **self_p);

//  Starts a transfer.  Returns 0 or -1.
int
    wk_loop_add (wk_loop_t *self, CURL *easy);

//  Aborts a transfer without reporting it (closes its connection, or resets
//  its HTTP/2 stream).  Never call from a curl callback.
void
    wk_loop_remove (wk_loop_t *self, CURL *easy);

//  Transfers in the multi.
size_t
    wk_loop_active (wk_loop_t *self);

#endif
