/*  =========================================================================
    wk_loop - libcurl multi driven by the worker's zloop, through one epoll

    All curl sockets live in one epoll set, and so does curl's one timer (a
    timerfd); zloop polls only the epoll fd.  A wake-up then costs the
    ready sockets, not all of them: with thousands of held streams, a poll
    over every socket on every chunk dominated the worker, and each curl
    socket change made zloop rebuild its whole poll set.

    Invariants: curl is never called from inside its own callbacks (the
    socket and timer callbacks only touch the epoll set and the timerfd);
    finished transfers are read once per batch of events, then the idle
    hook runs.  Epoll is level-triggered, so a batch cut at S_BATCH events
    leaves the rest ready for zloop's next pass.
    =========================================================================
*/
#include "wk_loop.h"

#include <sys/epoll.h>
#include <sys/timerfd.h>
#include "oa_log.h"

#define S_BATCH     256             //  epoll events handled per wake-up
#define S_NEVER     INT64_MAX       //  no deadline / timerfd not armed

//  curl_multi_assign marker of a socket already in the epoll set
static char s_registered;

struct _wk_loop_t {
    zloop_t *loop;                  //  the actor's reactor, borrowed
    CURLM *multi;                   //  all transfers of this worker
    int epoll;                      //  epoll set: curl's sockets and timer
    int timer;                      //  timerfd for curl's timeout, in the set
    int64_t armed;                  //  when the timerfd fires (monotonic ns), or S_NEVER
    int64_t deadline;               //  curl's timeout (monotonic ns), or S_NEVER
    int soon;                       //  pending zero-delay zloop timer, 0 = none
    bool in_batch;                  //  s_on_epoll or s_on_soon is running
    size_t active;                  //  easy handles in the multi
    wk_loop_done_fn *done;          //  reports a finished transfer
    wk_loop_idle_fn *idle;          //  runs after each batch of curl work
    void *idle_arg;                 //  argument of idle
};

//  CURLMOPT_SOCKETFUNCTION: adds, changes or drops the socket in the epoll
//  set.  socketp (curl_multi_assign) marks a socket already added.
static int
s_curl_socket (CURL *easy, curl_socket_t fd, int what, void *arg, void *socketp)
{
    (void) easy;
    wk_loop_t *self = (wk_loop_t *) arg;
    if (what == CURL_POLL_REMOVE) {
        //  curl may have closed it already, which removed it: ignore errors
        epoll_ctl (self->epoll, EPOLL_CTL_DEL, fd, NULL);
        return 0;
    }
    struct epoll_event ev = { 0 };
    ev.events = (what & CURL_POLL_IN? EPOLLIN: 0) | (what & CURL_POLL_OUT? EPOLLOUT: 0);
    ev.data.fd = fd;
    int op = socketp? EPOLL_CTL_MOD: EPOLL_CTL_ADD;
    int rc = epoll_ctl (self->epoll, op, fd, &ev);
    //  A closed and reopened fd number, or a socket curl handed over
    //  between its own tables: try the other operation once
    if (rc && errno == (op == EPOLL_CTL_ADD? EEXIST: ENOENT))
        rc = epoll_ctl (self->epoll, op == EPOLL_CTL_ADD? EPOLL_CTL_MOD: EPOLL_CTL_ADD, fd, &ev);
    if (rc) {
        oa_log_error ("worker", "cannot poll curl socket %d: %s", (int) fd, strerror (errno));
        return -1;
    }
    if (!socketp)
        curl_multi_assign (self->multi, fd, &s_registered);
    return 0;
}

//  Monotonic clock in nanoseconds, the timerfd's clock.
static int64_t
s_now_ns (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

//  Arms the timerfd at deadline (monotonic ns) unless it already fires at
//  or before it.
static void
s_timer_arm (wk_loop_t *self, int64_t deadline)
{
    if (self->armed <= deadline)
        return;
    struct itimerspec spec = { { 0, 0 }, { 0, 0 } };
    spec.it_value.tv_sec = deadline / 1000000000LL;
    spec.it_value.tv_nsec = deadline % 1000000000LL;
    if (timerfd_settime (self->timer, TFD_TIMER_ABSTIME, &spec, NULL) == 0)
        self->armed = deadline;
    else
        oa_log_error ("worker", "cannot set the curl timer: %s", strerror (errno));
}

static int s_on_soon (zloop_t *loop, int timer_id, void *arg);

//  CURLMOPT_TIMERFUNCTION: records curl's deadline; never calls curl.
static int
s_curl_timer (CURLM *multi, long timeout_ms, void *arg)
{
    (void) multi;
    wk_loop_t *self = (wk_loop_t *) arg;
    if (timeout_ms < 0) {
        //  The timerfd stays armed: firing early finds no deadline
        self->deadline = S_NEVER;
        return 0;
    }
    int64_t now = s_now_ns ();
    self->deadline = now + (int64_t) timeout_ms * 1000000LL;
    if (self->in_batch)
        return 0;               //  s_batch_end runs it if due, else arms the timerfd
    if (timeout_ms > 0)
        s_timer_arm (self, self->deadline);
    else
    if (!self->soon) {
        //  "Now", outside a batch (a transfer added from a zloop handler):
        //  a zero-delay zloop timer wakes the loop without a syscall
        int id = zloop_timer (self->loop, 0, 1, s_on_soon, self);
        if (id < 0)
            s_timer_arm (self, now);
        else
            self->soon = id;
    }
    return 0;
}

//  Runs curl's timeout while its deadline has passed, then reports finished
//  transfers; again while the done callbacks left curl work due now.  Ends
//  with a wake-up scheduled for the deadline left, and the idle hook.
static void
s_batch_end (wk_loop_t *self)
{
    for (int round = 0; round < 8; round++) {
        if (self->deadline <= s_now_ns ()) {
            self->deadline = S_NEVER;
            int running = 0;
            curl_multi_socket_action (self->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        }
        bool reported = false;
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
            reported = true;
        }
        if (!reported && self->deadline > s_now_ns ())
            break;
    }
    self->in_batch = false;
    if (self->deadline != S_NEVER)
        s_timer_arm (self, self->deadline);
    if (self->idle)
        self->idle (self->idle_arg);
}

//  zloop timer handler of a "now" deadline set outside a batch.
static int
s_on_soon (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    wk_loop_t *self = (wk_loop_t *) arg;
    self->soon = 0;
    self->in_batch = true;
    s_batch_end (self);
    return 0;
}

//  Lets curl work on one ready socket.
static void
s_act (wk_loop_t *self, struct epoll_event *ev)
{
    if (ev->data.fd == self->timer) {
        uint64_t expirations;
        //  s_batch_end runs the deadline if it is due, and re-arms if not
        if (read (self->timer, &expirations, sizeof expirations) == sizeof expirations)
            self->armed = S_NEVER;
        return;
    }
    int mask = 0;
    if (ev->events & EPOLLIN)
        mask |= CURL_CSELECT_IN;
    if (ev->events & EPOLLOUT)
        mask |= CURL_CSELECT_OUT;
    if (ev->events & (EPOLLERR | EPOLLHUP))
        mask |= CURL_CSELECT_ERR;
    //  A socket curl dropped earlier in this batch is unknown to it: ignored
    int running = 0;
    curl_multi_socket_action (self->multi, ev->data.fd, mask, &running);
}

//  zloop poller handler for the epoll fd: one batch of ready fds, then
//  curl's due timeout and the finished transfers.
static int
s_on_epoll (zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void) loop;
    (void) item;
    wk_loop_t *self = (wk_loop_t *) arg;
    struct epoll_event events [S_BATCH];
    self->in_batch = true;
    int count = epoll_wait (self->epoll, events, S_BATCH, 0);
    for (int i = 0; i < count; i++)
        s_act (self, &events [i]);
    s_batch_end (self);
    return 0;
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
    self->armed = self->deadline = S_NEVER;
    self->epoll = epoll_create1 (EPOLL_CLOEXEC);
    self->timer = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = self->timer };
    zmq_pollitem_t item = { NULL, self->epoll, ZMQ_POLLIN, 0 };
    if (self->epoll < 0 || self->timer < 0
    ||  epoll_ctl (self->epoll, EPOLL_CTL_ADD, self->timer, &ev)
    ||  zloop_poller (loop, &item, s_on_epoll, self)) {
        oa_log_error ("worker", "cannot set up the curl event loop: %s", strerror (errno));
        if (self->timer >= 0)
            close (self->timer);
        if (self->epoll >= 0)
            close (self->epoll);
        free (self);
        return NULL;
    }
    zloop_poller_set_tolerant (loop, &item);
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
    zmq_pollitem_t item = { NULL, self->epoll, 0, 0 };
    zloop_poller_end (self->loop, &item);
    if (self->soon)
        zloop_timer_end (self->loop, self->soon);
    //  Timer callbacks from the cleanup must only record, never add a
    //  zloop timer that would outlive self
    self->in_batch = true;
    //  Cleanup still calls the socket callback: close the set afterwards
    curl_multi_cleanup (self->multi);
    close (self->timer);
    close (self->epoll);
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

