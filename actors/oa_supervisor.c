/*  =========================================================================
    oa_supervisor - starts, drains and stops a process's actors in order

    zactor_new waits for the actor's first signal but throws its status
    away, so a failed start would look like a success.  Each actor runs
    inside s_shim, which gives zactor_new its handshake itself, runs the
    actor, and signals again when the actor returns.  oa_supervisor_start
    then reads the actor's own start signal, with its status, from the
    pipe.  The closing signal also tells the supervisor, at any later read
    of the pipe, that the thread has ended (S_EXIT_STATUS), so a
    dead actor is never waited for.

    Every wait on a pipe is bounded by a receive timeout; replies that come
    after their wait ended are flushed before the next command, so a late
    answer is never taken for the answer to a newer question.
    =========================================================================
*/
#include "oa_supervisor.h"

#include <pthread.h>

#include "oa_actor.h"
#include "oa_log.h"

#define S_EXIT_STATUS 0xEE          //  s_shim's signal: the actor returned

typedef struct {
    char *name;                 //  unique name, for logs and lookups
    zactor_t *actor;            //  the running actor; NULL once stopped
    bool exited;                //  its thread ended (exit signal seen)
    bool drained;               //  it replied DRAINED
} s_child_t;

struct _oa_supervisor_t {
    s_child_t *children;        //  start order
    size_t size;                //  entries used in children
    size_t capacity;            //  entries allocated in children
    int term_timeout;           //  ms destroy waits for one actor
};

//  What s_shim needs; lives on the starter's stack until zactor_new returns,
//  so s_shim copies it before its first signal.
typedef struct {
    zactor_fn *actor;           //  the real actor
    void *args;                 //  its arguments
} s_start_t;

static void
s_shim (zsock_t *pipe, void *args)
{
    s_start_t start = *(s_start_t *) args;
    zsock_signal (pipe, 0);     //  releases zactor_new; the actor's own comes next
    start.actor (pipe, start.args);
    //  The owner may be gone already: never block on this signal (and the
    //  socket option also covers the one CZMQ's thread shim sends after us).
    zsock_set_sndtimeo (pipe, 0);
    zsock_signal (pipe, S_EXIT_STATUS);
}

oa_supervisor_t *
oa_supervisor_new (void)
{
    oa_supervisor_t *self = (oa_supervisor_t *) zmalloc (sizeof (oa_supervisor_t));
    assert (self);
    self->term_timeout = OA_SUPERVISOR_TERM_TIMEOUT;
    return self;
}

//  Stops one actor: $TERM, then wait at most timeout_ms for its exit signal.
static void
s_child_stop (s_child_t *child, int timeout_ms)
{
    if (!child->actor)
        return;
    int64_t started = zclock_mono ();
    zsock_set_rcvtimeo (zactor_sock (child->actor), timeout_ms);
    zactor_destroy (&child->actor);
    int64_t elapsed = zclock_mono () - started;
    if (elapsed >= timeout_ms)
        oa_log_error ("supervisor", "actor %s did not stop within %d ms; abandoned",
                      child->name, timeout_ms);
    else
        oa_log_debug ("supervisor", "actor %s stopped in %d ms", child->name, (int) elapsed);
}

void
oa_supervisor_destroy (oa_supervisor_t **self_p)
{
    assert (self_p);
    oa_supervisor_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = self->size; i-- > 0;) {
        s_child_stop (&self->children [i], self->term_timeout);
        zstr_free (&self->children [i].name);
    }
    free (self->children);
    free (self);
    *self_p = NULL;
}

void
oa_supervisor_set_term_timeout (oa_supervisor_t *self, int timeout_ms)
{
    assert (self);
    assert (timeout_ms >= 0);
    self->term_timeout = timeout_ms;
}

static s_child_t *
s_find (oa_supervisor_t *self, const char *name)
{
    for (size_t i = 0; i < self->size; i++)
        if (streq (self->children [i].name, name))
            return &self->children [i];
    return NULL;
}

int
oa_supervisor_start (oa_supervisor_t *self, const char *name, zactor_fn *actor, void *args)
{
    assert (self);
    assert (name);
    assert (actor);
    assert (!s_find (self, name));     //  names are chosen by the program
    if (self->size == self->capacity) {
        size_t capacity = self->capacity? self->capacity * 2: 8;
        s_child_t *children = (s_child_t *) realloc (self->children, capacity * sizeof (s_child_t));
        assert (children);
        self->children = children;
        self->capacity = capacity;
    }
    s_start_t start = { actor, args };
    s_child_t child = { strdup (name), zactor_new (s_shim, &start), false, false };
    assert (child.name && child.actor);
    int64_t started = zclock_mono ();
    int status = zsock_wait (zactor_sock (child.actor));
    if (status != 0) {
        oa_log_error ("supervisor", "actor %s failed to start (%s)", name,
                      status == S_EXIT_STATUS? "it returned without signalling"
                      : status < 0? "interrupted": "it signalled a failure");
        child.exited = status == S_EXIT_STATUS;
        s_child_stop (&child, self->term_timeout);
        zstr_free (&child.name);
        return -1;
    }
    oa_log_debug ("supervisor", "actor %s started in %d ms", name,
                  (int) (zclock_mono () - started));
    self->children [self->size++] = child;
    return 0;
}

//  Reads the child's pipe until a wanted message (DRAINED if want_drained,
//  otherwise anything but DRAINED) or the deadline; returns it, or NULL on
//  timeout or when the actor's exit signal arrives (then child->exited).
//  A deadline in the past still reads what is already queued.
static zmsg_t *
s_child_await (s_child_t *child, bool want_drained, int64_t deadline)
{
    zsock_t *pipe = zactor_sock (child->actor);
    while (!child->exited) {
        int64_t remaining = deadline - zclock_mono ();
        zsock_set_rcvtimeo (pipe, remaining > 0? (int) remaining: 0);
        zmsg_t *msg = zmsg_recv (pipe);
        if (!msg)
            return NULL;
        int status = zmsg_signal (msg);
        if (status == S_EXIT_STATUS) {
            child->exited = true;
            oa_log_warn ("supervisor", "actor %s has ended", child->name);
        }
        else
        if (status >= 0)
            oa_log_debug ("supervisor", "actor %s: dropped a signal", child->name);
        else {
            char *first = zmsg_popstr (msg);
            bool drained = first && streq (first, OA_ACTOR_DRAINED);
            if (drained)
                child->drained = true;
            if (drained == want_drained) {
                zmsg_pushstr (msg, first? first: "");
                zstr_free (&first);
                return msg;
            }
            oa_log_debug ("supervisor", "actor %s: dropped '%s'", child->name,
                          first? first: "");
            zstr_free (&first);
        }
        zmsg_destroy (&msg);
    }
    return NULL;
}

//  Discards replies that came after their wait ended (noting DRAINED and
//  exit signals on the way), so the next reply read is to the next command.
static void
s_child_flush (s_child_t *child)
{
    zsock_t *pipe = zactor_sock (child->actor);
    while (!child->exited && (zsock_events (pipe) & ZMQ_POLLIN)) {
        zmsg_t *msg = s_child_await (child, false, 0);
        zmsg_destroy (&msg);
    }
}

//  Puts the pipe's timeouts back, so that whoever uses the actor through
//  oa_supervisor_actor finds the blocking pipe zactor_new gave.
static void
s_child_reset (s_child_t *child)
{
    if (child->actor) {
        zsock_set_rcvtimeo (zactor_sock (child->actor), -1);
        zsock_set_sndtimeo (zactor_sock (child->actor), -1);
    }
}

//  Sends a command, waiting at most until the deadline if the pipe is full.
static int
s_child_send (s_child_t *child, const char *command, int64_t deadline)
{
    zsock_t *pipe = zactor_sock (child->actor);
    int64_t remaining = deadline - zclock_mono ();
    zsock_set_sndtimeo (pipe, remaining > 0? (int) remaining: 0);
    int rc = zstr_send (pipe, command);
    if (rc)
        oa_log_warn ("supervisor", "cannot send %s to actor %s", command, child->name);
    return rc;
}

int
oa_supervisor_drain (oa_supervisor_t *self, int timeout_ms)
{
    assert (self);
    int64_t deadline = zclock_mono () + (timeout_ms > 0? timeout_ms: 0);
    int rc = 0;
    for (size_t i = self->size; i-- > 0;) {
        s_child_t *child = &self->children [i];
        if (!child->actor || child->drained)
            continue;
        s_child_flush (child);
        int64_t started = zclock_mono ();
        if (!child->exited && !child->drained && s_child_send (child, OA_ACTOR_DRAIN, deadline) == 0) {
            zmsg_t *reply = s_child_await (child, true, deadline);
            zmsg_destroy (&reply);
        }
        s_child_reset (child);
        if (child->drained)
            oa_log_debug ("supervisor", "actor %s drained in %d ms", child->name,
                          (int) (zclock_mono () - started));
        else {
            oa_log_warn ("supervisor", "actor %s %s", child->name,
                         child->exited? "ended before draining"
                         : "did not drain before the deadline; it will be stopped");
            rc = -1;
        }
    }
    return rc;
}

char *
oa_supervisor_status (oa_supervisor_t *self, const char *name, int timeout_ms)
{
    assert (self);
    assert (name);
    s_child_t *child = s_find (self, name);
    if (!child || !child->actor)
        return NULL;
    int64_t deadline = zclock_mono () + (timeout_ms > 0? timeout_ms: 0);
    s_child_flush (child);
    zmsg_t *reply = NULL;
    if (!child->exited && s_child_send (child, OA_ACTOR_STATUS, deadline) == 0)
        reply = s_child_await (child, false, deadline);
    s_child_reset (child);
    char *status = reply? zmsg_popstr (reply): NULL;
    zmsg_destroy (&reply);
    if (!status && !child->exited)
        oa_log_warn ("supervisor", "actor %s did not answer STATUS within %d ms", name,
                     timeout_ms);
    return status;
}

const char *
oa_supervisor_exited (oa_supervisor_t *self)
{
    assert (self);
    for (size_t i = 0; i < self->size; i++) {
        s_child_t *child = &self->children [i];
        if (child->actor) {
            s_child_flush (child);
            s_child_reset (child);
        }
        if (child->exited)
            return child->name;
    }
    return NULL;
}

zactor_t *
oa_supervisor_actor (oa_supervisor_t *self, const char *name)
{
    assert (self);
    s_child_t *child = s_find (self, name);
    return child? child->actor: NULL;
}

size_t
oa_supervisor_size (oa_supervisor_t *self)
{
    assert (self);
    return self->size;
}


//  --------------------------------------------------------------------------
//  Self test

//  What the test actors did, in order, across their threads.
static pthread_mutex_t s_journal_mutex = PTHREAD_MUTEX_INITIALIZER;
static char s_journal [1024];

static void
s_note (const char *event, const char *name)
{
    pthread_mutex_lock (&s_journal_mutex);
    size_t used = strlen (s_journal);
    snprintf (s_journal + used, sizeof s_journal - used, "%s:%s ", event, name);
    pthread_mutex_unlock (&s_journal_mutex);
}

static bool
s_journal_is (const char *expected)
{
    pthread_mutex_lock (&s_journal_mutex);
    bool same = streq (s_journal, expected);
    if (!same)
        fprintf (stderr, "\njournal: '%s'\nexpected: '%s'\n", s_journal, expected);
    s_journal [0] = 0;
    pthread_mutex_unlock (&s_journal_mutex);
    return same;
}

typedef struct {
    const char *name;           //  journal name
    int drain_ms;               //  time DRAIN takes
    bool deaf;                  //  ignores DRAIN and STATUS
    const char *status;         //  reply to STATUS
    int start;                  //  0 ok, 1 signals failure, 2 returns silently
} s_test_args_t;

static void
s_test_actor (zsock_t *pipe, void *args)
{
    s_test_args_t *self = (s_test_args_t *) args;
    if (self->start == 1)
        zsock_signal (pipe, OA_ACTOR_START_FAILED);
    if (self->start)
        return;
    s_note ("start", self->name);
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, NULL);
    int64_t drain_at = -1;      //  when to reply DRAINED, if draining
    bool terminated = false;
    while (!terminated) {
        int64_t wait = drain_at < 0? -1: drain_at - zclock_mono ();
        void *which = zpoller_wait (poller, wait < 0 && drain_at >= 0? 0: (int) wait);
        if (drain_at >= 0 && zclock_mono () >= drain_at) {
            s_note ("drained", self->name);
            oa_actor_drained (pipe);
            drain_at = -1;
        }
        if (!which) {
            if (zpoller_terminated (poller))
                break;
            continue;
        }
        char *command = oa_actor_pipe_command (pipe, NULL);
        if (!command)
            break;
        if (streq (command, OA_ACTOR_TERM)) {
            s_note ("term", self->name);
            terminated = true;
        }
        else
        if (streq (command, OA_ACTOR_DRAIN)) {
            s_note ("drain", self->name);
            if (!self->deaf)
                drain_at = zclock_mono () + self->drain_ms;
        }
        else
        if (streq (command, OA_ACTOR_STATUS) && !self->deaf)
            zstr_send (pipe, self->status);
        else
        if (streq (command, "QUIT")) {
            s_note ("quit", self->name);
            terminated = true;  //  ends on its own, without $TERM
        }
        zstr_free (&command);
    }
    zpoller_destroy (&poller);
}

void
oa_supervisor_test (bool verbose)
{
    (void) verbose;
    s_test_args_t deaf = { "deaf", 0, true, NULL, 0 };
    s_test_args_t slow = { "slow", 200, false, "READY", 0 };
    s_test_args_t fast = { "fast", 0, false, "FATAL store: disk full", 0 };
    s_test_args_t broken = { "broken", 0, false, NULL, 1 };
    s_test_args_t silent = { "silent", 0, false, NULL, 2 };

    //  Start in order; failures are reported and not kept.
    oa_supervisor_t *supervisor = oa_supervisor_new ();
    oa_supervisor_set_term_timeout (supervisor, 2000);
    assert (oa_supervisor_start (supervisor, "deaf", s_test_actor, &deaf) == 0);
    assert (oa_supervisor_start (supervisor, "slow", s_test_actor, &slow) == 0);
    assert (oa_supervisor_start (supervisor, "fast", s_test_actor, &fast) == 0);
    assert (oa_supervisor_start (supervisor, "broken", s_test_actor, &broken) == -1);
    assert (oa_supervisor_start (supervisor, "silent", s_test_actor, &silent) == -1);
    assert (oa_supervisor_size (supervisor) == 3);
    assert (oa_supervisor_actor (supervisor, "slow"));
    assert (!oa_supervisor_actor (supervisor, "broken"));
    assert (s_journal_is ("start:deaf start:slow start:fast "));

    //  STATUS: replies, unknown names, and a bounded wait for the deaf one.
    char *status = oa_supervisor_status (supervisor, "fast", 1000);
    assert (status && streq (status, "FATAL store: disk full"));
    zstr_free (&status);
    status = oa_supervisor_status (supervisor, "slow", 1000);
    assert (status && streq (status, "READY"));
    zstr_free (&status);
    assert (!oa_supervisor_status (supervisor, "nobody", 1000));
    int64_t started = zclock_mono ();
    assert (!oa_supervisor_status (supervisor, "deaf", 100));
    int64_t elapsed = zclock_mono () - started;
    assert (elapsed >= 90 && elapsed < 1000);
    assert (!oa_supervisor_exited (supervisor));

    //  DRAIN in reverse start order; the deaf actor is cut off at the deadline.
    started = zclock_mono ();
    assert (oa_supervisor_drain (supervisor, 500) == -1);
    elapsed = zclock_mono () - started;
    assert (elapsed >= 490 && elapsed < 1500);
    assert (s_journal_is ("drain:fast drained:fast drain:slow drained:slow drain:deaf "));
    //  Drained actors are not asked again.
    started = zclock_mono ();
    assert (oa_supervisor_drain (supervisor, 50) == -1);
    assert (zclock_mono () - started < 1000);
    assert (s_journal_is ("drain:deaf "));
    //  STATUS still works after DRAIN, until $TERM.
    status = oa_supervisor_status (supervisor, "slow", 1000);
    assert (status && streq (status, "READY"));
    zstr_free (&status);
    //  $TERM in reverse start order.
    oa_supervisor_destroy (&supervisor);
    assert (supervisor == NULL);
    assert (s_journal_is ("term:fast term:slow term:deaf "));

    //  A graceful stop: everyone drains in time, the slow one included.
    supervisor = oa_supervisor_new ();
    assert (oa_supervisor_start (supervisor, "slow", s_test_actor, &slow) == 0);
    assert (oa_supervisor_start (supervisor, "fast", s_test_actor, &fast) == 0);
    started = zclock_mono ();
    assert (oa_supervisor_drain (supervisor, 2000) == 0);
    elapsed = zclock_mono () - started;
    assert (elapsed >= 195 && elapsed < 1500);
    oa_supervisor_destroy (&supervisor);
    assert (s_journal_is ("start:slow start:fast drain:fast drained:fast drain:slow "
                          "drained:slow term:fast term:slow "));

    //  An actor that ends on its own is noticed and never waited for.
    s_test_args_t quitter = { "quitter", 0, false, "READY", 0 };
    supervisor = oa_supervisor_new ();
    assert (oa_supervisor_start (supervisor, "quitter", s_test_actor, &quitter) == 0);
    assert (oa_supervisor_start (supervisor, "fast", s_test_actor, &fast) == 0);
    zstr_send (oa_supervisor_actor (supervisor, "quitter"), "QUIT");
    const char *exited = NULL;
    for (int i = 0; i < 200 && !exited; i++) {
        exited = oa_supervisor_exited (supervisor);
        if (!exited)
            zclock_sleep (5);
    }
    assert (exited && streq (exited, "quitter"));
    assert (!oa_supervisor_status (supervisor, "quitter", 1000));
    started = zclock_mono ();
    assert (oa_supervisor_drain (supervisor, 2000) == -1);
    assert (zclock_mono () - started < 1000);
    oa_supervisor_destroy (&supervisor);
    assert (s_journal_is ("start:quitter start:fast quit:quitter drain:fast drained:fast "
                          "term:fast "));
}
