/*  =========================================================================
    wk_loop - libcurl multi driven by the worker's zloop

    Invariants: at most one zloop timer belongs to curl (curl_timer, 0 =
    none); zloop_timer_end is deferred, so a cancelled timer may still fire
    once and the handler ignores any id but the current one.  curl is never
    called from inside its own callbacks.
    =========================================================================
*/
#include "wk_loop.h"

#include "oa_log.h"

struct _wk_loop_t {
    zloop_t *loop;                  //  the actor's reactor, borrowed
    CURLM *multi;                   //  all transfers of this worker
    int curl_timer;                 //  current zloop timer id for curl, 0 = none
    size_t active;                  //  easy handles in the multi
    wk_loop_done_fn *done;          //  reports a finished transfer
    wk_loop_idle_fn *idle;          //  runs after each batch of curl work
    void *idle_arg;                 //  argument of idle
};

static void s_drive (wk_loop_t *self, curl_socket_t fd, int ev_bitmask);

//  zloop poller handler for a curl socket.
static int
s_on_fd (zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void) loop;
    wk_loop_t *self = (wk_loop_t *) arg;
    int mask = 0;
    if (item->revents & ZMQ_POLLIN)
        mask |= CURL_CSELECT_IN;
    if (item->revents & ZMQ_POLLOUT)
        mask |= CURL_CSELECT_OUT;
    if (item->revents & ZMQ_POLLERR)
        mask |= CURL_CSELECT_ERR;
    s_drive (self, item->fd, mask);
    return 0;
}

//  CURLMOPT_SOCKETFUNCTION: one zloop poller per socket, replaced on change.
static int
s_curl_socket (CURL *easy, curl_socket_t fd, int what, void *arg, void *socketp)
{
    (void) easy;
    (void) socketp;
    wk_loop_t *self = (wk_loop_t *) arg;
    zmq_pollitem_t item = { NULL, fd, 0, 0 };
    zloop_poller_end (self->loop, &item);
    if (what == CURL_POLL_REMOVE)
        return 0;
    item.events = (what & CURL_POLL_IN? ZMQ_POLLIN: 0) | (what & CURL_POLL_OUT? ZMQ_POLLOUT: 0);
    if (zloop_poller (self->loop, &item, s_on_fd, self)) {
        oa_log_error ("worker", "cannot poll curl socket %d", (int) fd);
        return -1;
    }
    zloop_poller_set_tolerant (self->loop, &item);
    return 0;
}

//  zloop timer handler for curl's timeout.
static int
s_on_timer (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    wk_loop_t *self = (wk_loop_t *) arg;
    if (timer_id != self->curl_timer)
        return 0;               //  a cancelled timer firing late (deferred end)
    self->curl_timer = 0;
    s_drive (self, CURL_SOCKET_TIMEOUT, 0);
    return 0;
}

//  CURLMOPT_TIMERFUNCTION: replace the one curl timer; never calls curl.
static int
s_curl_timer (CURLM *multi, long timeout_ms, void *arg)
{
    (void) multi;
    wk_loop_t *self = (wk_loop_t *) arg;
    if (self->curl_timer) {
        zloop_timer_end (self->loop, self->curl_timer);
        self->curl_timer = 0;
    }
    if (timeout_ms >= 0) {
        //  A 0 ms timer makes zloop poll without waiting and fire it on the
        //  next pass; rounding it up to 1 ms would add a millisecond to the
        //  start of every transfer.
        int id = zloop_timer (self->loop, (size_t) timeout_ms, 1, s_on_timer, self);
        if (id < 0)
            return -1;
        self->curl_timer = id;
    }
    return 0;
}

//  Lets curl work on a socket (or its timeout), then reports finished
//  transfers and runs the idle hook.
static void
s_drive (wk_loop_t *self, curl_socket_t fd, int ev_bitmask)
{
    int running = 0;
    curl_multi_socket_action (self->multi, fd, ev_bitmask, &running);
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read (self->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        CURLcode result = msg->data.result;
        void *priv = NULL;
        curl_easy_getinfo (easy, CURLINFO_PRIVATE, &priv);
        curl_multi_remove_handle (self->multi, easy);
        self->active--;
        self->done (easy, result, priv);
    }
    if (self->idle)
        self->idle (self->idle_arg);
}


//  --------------------------------------------------------------------------
//  Creates the multi on a zloop

wk_loop_t *
wk_loop_new (zloop_t *loop, wk_loop_done_fn *done, wk_loop_idle_fn *idle, void *idle_arg)
{
    assert (loop);
    assert (done);
    wk_loop_t *self = (wk_loop_t *) zmalloc (sizeof (wk_loop_t));
    self->loop = loop;
    self->done = done;
    self->idle = idle;
    self->idle_arg = idle_arg;
    self->multi = curl_multi_init ();
    assert (self->multi);
    curl_multi_setopt (self->multi, CURLMOPT_SOCKETFUNCTION, s_curl_socket);
    curl_multi_setopt (self->multi, CURLMOPT_SOCKETDATA, self);
    curl_multi_setopt (self->multi, CURLMOPT_TIMERFUNCTION, s_curl_timer);
    curl_multi_setopt (self->multi, CURLMOPT_TIMERDATA, self);
    curl_multi_setopt (self->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX);
    //  Many streams share one HTTP/2 connection; allow plenty per connection
    curl_multi_setopt (self->multi, CURLMOPT_MAX_CONCURRENT_STREAMS, 1000L);
    //  Keep idle upstream connections for reuse.  curl's default cache is
    //  4 x the easy handles attached at that moment; each finished request
    //  detaches its handle, so under a steady load the cache kept shrinking
    //  below the connections in use and closed one every ~10 requests.
    curl_multi_setopt (self->multi, CURLMOPT_MAXCONNECTS, 4096L);
    return self;
}


//  --------------------------------------------------------------------------
//  Destroys the multi

void
wk_loop_destroy (wk_loop_t **self_p)
{
    assert (self_p);
    wk_loop_t *self = *self_p;
    if (!self)
        return;
    if (self->curl_timer)
        zloop_timer_end (self->loop, self->curl_timer);
    curl_multi_cleanup (self->multi);
    free (self);
    *self_p = NULL;
}


//  --------------------------------------------------------------------------
//  Starts a transfer

int
wk_loop_add (wk_loop_t *self, CURL *easy)
{
    assert (self);
    if (curl_multi_add_handle (self->multi, easy) != CURLM_OK)
        return -1;
    self->active++;
    return 0;
}


//  --------------------------------------------------------------------------
//  Aborts a transfer without reporting it

void
wk_loop_remove (wk_loop_t *self, CURL *easy)
{
    assert (self);
    if (curl_multi_remove_handle (self->multi, easy) == CURLM_OK)
        self->active--;
}


//  --------------------------------------------------------------------------
//  Transfers in the multi

size_t
wk_loop_active (wk_loop_t *self)
{
    assert (self);
    return self->active;
}
