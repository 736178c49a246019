/*  =========================================================================
    wk_spool - a worker's USAGE journal and its conversation with the ledger

    What goes to the ledger is the USAGE body frame exactly as journaled,
    so a resend after a restart needs no decoding.  Order of one USAGE:
      durability host:    append (buffered) -> fsync on the flush timer
                          -> send; the worker holds the answer's last
                          message until the fsync;
      durability process: append -> write(2) at once -> send within
                          S_SEND_MS (what the period gathers goes
                          together, so the ledger wakes once for many,
                          not once a request); the fsync follows on the
                          flush timer.  A killed process loses nothing
                          (the kernel has the bytes); a host crash may
                          lose the last period.
    Sends never block; a frame the socket refuses stays queued for the next
    tick, and whatever is lost on the way (a ledger killed before COMMIT, a
    batch rolled back) comes back through the stuck check.
    =========================================================================
*/
#include "wk_spool.h"

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

#include "journal/oa_journal.h"
#include "oa_ids.h"
#include "oa_log.h"

#define S_SYNC_MS_HOST 3            //  default fsync period, durability host: what a RELAY_END waits
#define S_SYNC_MS_PROCESS 100       //  default fsync period, durability process: host-crash window
#define S_SEND_MS 2                 //  durability process: USAGE gathered this long, then sent
#define S_CHECK_MS 1000             //  stuck-entry check period
#define S_STUCK_CHECKS 2            //  checks the oldest entry may stay before a resend
#define S_RESEND_BATCH 200          //  resent entries per flush tick (bounds the rate)
#define S_QUEUE_MAX 100000          //  queued frames kept (the journal keeps the rest)
#define S_NAME_TRIES 16             //  worker-<index>, worker-<index>.1 .. .15

struct _wk_spool_t {
    zloop_t *loop;                  //  owner's reactor; borrowed
    zsock_t *ledger;                //  DEALER to the ledger; borrowed, may be NULL
    oa_journal_t *journal;          //  NULL: send directly
    char name [80];                 //  journal name, "" without one
    zlist_t *queue;                 //  zframe_t: appended, waiting for sync + send
    int flush_timer;                //  zloop timer ids
    int check_timer;
    int send_timer;                 //  armed while written USAGE waits to be sent, else 0
    int sync_ms;                    //  fsync period, > 0
    bool host;                      //  durability host: send only after the fsync
    bool resending;                 //  resend cursor not done
    bool failed_logged;             //  a journal failure was reported
    char oldest [OA_JOURNAL_KEY_MAX + 1];   //  oldest pending key at the last check
    int stuck;                      //  checks it has been the oldest
    uint64_t resent;                //  entries handed out again
    wk_spool_synced_fn *synced;     //  after each sync round, or NULL
    void *synced_arg;
};

//  Sends one body frame to the ledger, never blocking.  Returns 0 or -1.
static int
s_send_raw (wk_spool_t *self, const void *data, size_t size)
{
    if (!self->ledger)
        return -1;
    return zmq_send (zsock_resolve (self->ledger), data, size, ZMQ_DONTWAIT) < 0? -1: 0;
}

//  oa_journal_resend callback: -1 keeps the cursor on this entry.
typedef struct {
    wk_spool_t *self;
    bool blocked;
} s_resend_arg_t;

static int
s_resend_one (const char *key, const void *data, size_t size, void *arg)
{
    (void) key;
    s_resend_arg_t *resend = (s_resend_arg_t *) arg;
    if (s_send_raw (resend->self, data, size)) {
        resend->blocked = true;
        return -1;
    }
    resend->self->resent++;
    return 0;
}

//  Sends the queued frames, in order, until the socket refuses one.
static void
s_send_queue (wk_spool_t *self)
{
    zframe_t *frame;
    while ((frame = (zframe_t *) zlist_first (self->queue))) {
        if (s_send_raw (self, zframe_data (frame), zframe_size (frame)))
            break;              //  full or no ledger: next tick
        zlist_pop (self->queue);
        zframe_destroy (&frame);
    }
}

static int
s_on_send (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    wk_spool_t *self = (wk_spool_t *) arg;
    if (timer_id == self->send_timer)
        self->send_timer = 0;
    s_send_queue (self);
    return 0;
}

//  Syncs the journal, then sends the queued frames and a slice of the
//  resend cursor.
static void
s_flush (wk_spool_t *self)
{
    //  Cheap when nothing was appended; always run, so the synced hook
    //  releases what waits on appends an earlier round already covered
    if (oa_journal_sync (self->journal) != 0 && !self->failed_logged) {
        //  Billing beats durability: send anyway, and say so loudly
        oa_log_error ("worker", "journal %s: sync failed; USAGE is sent without durability",
                      self->name);
        self->failed_logged = true;
    }
    s_send_queue (self);
    if (self->synced)
        self->synced (self->synced_arg);
    if (self->resending) {
        s_resend_arg_t arg = { self, false };
        int sent = oa_journal_resend (self->journal, S_RESEND_BATCH, s_resend_one, &arg);
        if (sent < 0 || (sent == 0 && !arg.blocked))
            self->resending = false;
    }
}

static int
s_on_flush (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_flush ((wk_spool_t *) arg);
    return 0;
}

//  oa_journal_foreach_pending callback: copies the first key and stops.
static int
s_first_key (const char *key, const void *data, size_t size, void *arg)
{
    (void) data;
    (void) size;
    snprintf ((char *) arg, OA_JOURNAL_KEY_MAX + 1, "%s", key);
    return -1;
}

//  Every S_CHECK_MS: an oldest entry that stays unacknowledged means the
//  ledger lost it (killed, restarted, database away): resend everything.
static int
s_on_check (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    wk_spool_t *self = (wk_spool_t *) arg;
    if (!self->journal)
        return 0;
    //  Acks need no sync of their own, but compaction runs in sync
    oa_journal_sync (self->journal);
    char oldest [OA_JOURNAL_KEY_MAX + 1] = "";
    if (oa_journal_pending (self->journal))
        oa_journal_foreach_pending (self->journal, s_first_key, oldest);
    if (!*oldest || strcmp (oldest, self->oldest)) {
        snprintf (self->oldest, sizeof self->oldest, "%s", oldest);
        self->stuck = 0;
        return 0;
    }
    if (++self->stuck >= S_STUCK_CHECKS && !self->resending) {
        oa_log_info ("worker", "journal %s: %zu USAGE unacknowledged for %d s; resending",
                     self->name, oa_journal_pending (self->journal),
                     S_STUCK_CHECKS * S_CHECK_MS / 1000);
        oa_journal_rewind (self->journal);
        self->resending = true;
        self->stuck = 0;
    }
    return 0;
}

wk_spool_t *
wk_spool_new (zloop_t *loop, zsock_t *ledger, const char *dir, int index, int sync_ms,
              wk_spool_durability_t durability)
{
    assert (loop);
    wk_spool_t *self = (wk_spool_t *) zmalloc (sizeof (wk_spool_t));
    self->loop = loop;
    self->ledger = ledger;
    self->queue = zlist_new ();
    self->host = durability == WK_SPOOL_HOST;
    //  ONEAPI_JOURNAL_SYNC_MS, validated by oa_config; 0 = the mode's default
    self->sync_ms = sync_ms > 0 && sync_ms <= 10000
                  ? sync_ms: self->host? S_SYNC_MS_HOST: S_SYNC_MS_PROCESS;
    char err [256] = "";
    for (int try = 0; dir && *dir && ledger && try < S_NAME_TRIES && !self->journal; try++) {
        if (try)
            snprintf (self->name, sizeof self->name, "worker-%d.%d", index, try);
        else
            snprintf (self->name, sizeof self->name, "worker-%d", index);
        self->journal = oa_journal_open (dir, self->name, err, sizeof err);
    }
    if (self->journal) {
        size_t pending = oa_journal_pending (self->journal);
        //  open rewinds by itself: what a previous life left is resent now
        self->resending = pending > 0;
        oa_log_info ("worker", "journal %s/%s open, %zu USAGE to resend", dir, self->name,
                     pending);
        self->flush_timer = zloop_timer (loop, (size_t) self->sync_ms, 0, s_on_flush, self);
        self->check_timer = zloop_timer (loop, S_CHECK_MS, 0, s_on_check, self);
    }
    else {
        self->name [0] = 0;
        if (dir && *dir && ledger)
            oa_log_error ("worker", "no USAGE journal in %s (%s): a worker crash can lose "
                          "billing", dir, err);
    }
    return self;
}

void
wk_spool_destroy (wk_spool_t **self_p)
{
    wk_spool_t *self = *self_p;
    if (!self)
        return;
    if (self->journal) {
        s_flush (self);
        zloop_timer_end (self->loop, self->flush_timer);
        zloop_timer_end (self->loop, self->check_timer);
        if (self->send_timer)
            zloop_timer_end (self->loop, self->send_timer);
    }
    oa_journal_destroy (&self->journal);
    zframe_t *frame;
    while ((frame = (zframe_t *) zlist_pop (self->queue)))
        zframe_destroy (&frame);
    zlist_destroy (&self->queue);
    free (self);
    *self_p = NULL;
}

void
wk_spool_usage (wk_spool_t *self, oa_msg_t **usage_p)
{
    assert (self);
    oa_msg_t *usage = *usage_p;
    if (!usage)
        return;
    const char *request_id = oa_msg_request_id (usage);
    zmsg_t *encoded = zmsg_new ();
    zframe_t *frame = NULL;
    if (oa_msg_encode (usage, encoded) == 0)
        frame = zmsg_pop (encoded);
    zmsg_destroy (&encoded);
    if (!frame) {
        oa_log (OA_LOG_ERROR, "worker", request_id, "USAGE cannot be encoded: %s",
                strerror (errno));
        oa_msg_destroy (usage_p);
        return;
    }
    if (!self->journal || !*request_id
    ||  oa_journal_append (self->journal, request_id, zframe_data (frame),
                           zframe_size (frame)) != 0) {
        if (self->journal && !self->failed_logged) {
            oa_log (OA_LOG_ERROR, "worker", request_id, "journal %s refused a USAGE; sent "
                    "without durability", self->name);
            self->failed_logged = true;
        }
        if (s_send_raw (self, zframe_data (frame), zframe_size (frame)))
            oa_log (OA_LOG_ERROR, "worker", request_id, "USAGE not sent to the ledger: %s",
                    self->ledger? strerror (errno): "no ledger");
        zframe_destroy (&frame);
    }
    else
    if (!self->host && oa_journal_write_out (self->journal) == 0) {
        //  In the kernel's hands, so a killed worker cannot lose it: sent
        //  with what the next S_SEND_MS gathers, fsynced on the next tick
        if (zlist_size (self->queue) >= S_QUEUE_MAX) {
            zframe_t *oldest = (zframe_t *) zlist_pop (self->queue);
            zframe_destroy (&oldest);   //  the journal has it; the stuck check resends it
        }
        zlist_append (self->queue, frame);
        if (!self->send_timer)
            self->send_timer = zloop_timer (self->loop, S_SEND_MS, 1, s_on_send, self);
        if (self->send_timer < 0) {
            self->send_timer = 0;
            s_send_queue (self);
        }
    }
    else {
        //  Host durability, an earlier frame still queued (keeps the order),
        //  a refused write (retried at the sync) or a full socket
        if (zlist_size (self->queue) >= S_QUEUE_MAX) {
            //  The journal has it; the stuck check resends it
            zframe_t *oldest = (zframe_t *) zlist_pop (self->queue);
            zframe_destroy (&oldest);
        }
        zlist_append (self->queue, frame);
    }
    oa_msg_destroy (usage_p);
}

void
wk_spool_ack (wk_spool_t *self, oa_msg_t *ack)
{
    assert (self);
    zlist_t *ids = oa_msg_request_ids (ack);
    if (!self->journal || !ids)
        return;
    for (const char *id = (const char *) zlist_first (ids); id;
         id = (const char *) zlist_next (ids))
        if (*id && strlen (id) <= OA_JOURNAL_KEY_MAX)
            oa_journal_ack (self->journal, id);
}

void
wk_spool_set_synced (wk_spool_t *self, wk_spool_synced_fn *fn, void *arg)
{
    assert (self);
    self->synced = fn;
    self->synced_arg = arg;
}

bool
wk_spool_durable (wk_spool_t *self)
{
    assert (self);
    return self->journal != NULL;
}

bool
wk_spool_holds_replies (wk_spool_t *self)
{
    assert (self);
    return self->journal != NULL && self->host;
}

size_t
wk_spool_pending (wk_spool_t *self)
{
    assert (self);
    return self->journal? oa_journal_pending (self->journal): 0;
}

const char *
wk_spool_name (wk_spool_t *self)
{
    assert (self);
    return self->name;
}


//  --------------------------------------------------------------------------
//  Self test: journal, send after sync, ack, adoption by a second spool,
//  replay and resend after a "restart".

static oa_msg_t *
s_test_usage (const char *request_id)
{
    oa_msg_t *usage = oa_msg_sample (OA_MSG_USAGE);
    oa_msg_set_request_id (usage, request_id);
    return usage;
}

static oa_msg_t *
s_test_recv (zsock_t *router, int timeout_ms)
{
    zpoller_t *poller = zpoller_new (router, NULL);
    oa_msg_t *msg = NULL;
    if (zpoller_wait (poller, timeout_ms))
        msg = oa_msg_recv (zsock_resolve (router), 0, NULL);
    zpoller_destroy (&poller);
    return msg;
}

//  Runs the loop for about ms milliseconds.
static int
s_test_stop (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    (void) arg;
    return -1;
}

static void
s_test_run (zloop_t *loop, int ms)
{
    zloop_timer (loop, (size_t) ms, 1, s_test_stop, NULL);
    zloop_start (loop);
}

//  Bytes of the regular files in dir (what reached the kernel).
static off_t
s_test_dir_bytes (const char *dir)
{
    off_t total = 0;
    DIR *handle = opendir (dir);
    assert (handle);
    struct dirent *entry;
    while ((entry = readdir (handle))) {
        char path [PATH_MAX];
        struct stat st;
        snprintf (path, sizeof path, "%s/%s", dir, entry->d_name);
        if (stat (path, &st) == 0 && S_ISREG (st.st_mode))
            total += st.st_size;
    }
    closedir (handle);
    return total;
}

void
oa_wk_spool_test (bool verbose)
{
    printf (" * wk_spool: ");
    char dir [] = "/tmp/wk_spool_test.XXXXXX";
    assert (mkdtemp (dir));
    zsock_t *router = zsock_new_router ("inproc://wk_spool_test");
    assert (router);
    zsock_t *dealer = zsock_new_dealer (">inproc://wk_spool_test");
    assert (dealer);
    zloop_t *loop = zloop_new ();
    zloop_set_verbose (loop, verbose);

    //  Journaled, sent after the sync, acked
    wk_spool_t *spool = wk_spool_new (loop, dealer, dir, 3, 3, WK_SPOOL_HOST);
    assert (streq (wk_spool_name (spool), "worker-3"));
    assert (wk_spool_holds_replies (spool));
    oa_msg_t *usage = s_test_usage ("req-1");
    wk_spool_usage (spool, &usage);
    assert (!usage);
    usage = s_test_usage ("req-2");
    wk_spool_usage (spool, &usage);
    assert (wk_spool_pending (spool) == 2);
    s_test_run (loop, 30);
    oa_msg_t *got = s_test_recv (router, 1000);
    assert (got && streq (oa_msg_request_id (got), "req-1"));
    oa_msg_t *ack = oa_msg_new_reply (got, OA_MSG_USAGE_ACK);
    oa_msg_request_ids_append (ack, "req-1");
    oa_msg_send (ack, router, 0);
    oa_msg_destroy (&ack);
    oa_msg_destroy (&got);
    got = s_test_recv (router, 1000);
    assert (got && streq (oa_msg_request_id (got), "req-2"));
    oa_msg_destroy (&got);
    ack = oa_msg_recv (zsock_resolve (dealer), 0, NULL);
    assert (ack && oa_msg_id (ack) == OA_MSG_USAGE_ACK);
    wk_spool_ack (spool, ack);
    oa_msg_destroy (&ack);
    assert (wk_spool_pending (spool) == 1);

    //  A second spool of the same index takes the next name
    wk_spool_t *other = wk_spool_new (loop, dealer, dir, 3, 3, WK_SPOOL_HOST);
    assert (streq (wk_spool_name (other), "worker-3.1"));
    wk_spool_destroy (&other);

    //  Unacked req-2 is resent once it stays oldest for two checks
    s_test_run (loop, 3 * S_CHECK_MS + 100);
    got = s_test_recv (router, 1000);
    assert (got && streq (oa_msg_request_id (got), "req-2"));
    oa_msg_destroy (&got);

    //  "Restart": a new spool replays req-2 and resends it at once
    wk_spool_destroy (&spool);
    while ((got = s_test_recv (router, 0)))
        oa_msg_destroy (&got);
    spool = wk_spool_new (loop, dealer, dir, 3, 3, WK_SPOOL_HOST);
    assert (wk_spool_pending (spool) == 1);
    s_test_run (loop, 30);
    got = s_test_recv (router, 1000);
    assert (got && streq (oa_msg_request_id (got), "req-2"));
    oa_msg_destroy (&got);
    wk_spool_destroy (&spool);

    //  Durability process: written before wk_spool_usage returns (no reply
    //  needs holding), sent with what S_SEND_MS gathers, in order
    char pdir [PATH_MAX];
    snprintf (pdir, sizeof pdir, "%s/process", dir);
    spool = wk_spool_new (loop, dealer, pdir, 4, 0, WK_SPOOL_PROCESS);
    assert (streq (wk_spool_name (spool), "worker-4"));
    assert (!wk_spool_holds_replies (spool));
    off_t before = s_test_dir_bytes (pdir);
    usage = s_test_usage ("req-p1");
    wk_spool_usage (spool, &usage);
    off_t after_one = s_test_dir_bytes (pdir);
    assert (after_one > before);
    usage = s_test_usage ("req-p2");
    wk_spool_usage (spool, &usage);
    assert (s_test_dir_bytes (pdir) > after_one);
    assert (!s_test_recv (router, 0));          //  not yet: the period gathers
    s_test_run (loop, 10);
    got = s_test_recv (router, 1000);
    assert (got && streq (oa_msg_request_id (got), "req-p1"));
    oa_msg_destroy (&got);
    got = s_test_recv (router, 1000);
    assert (got && streq (oa_msg_request_id (got), "req-p2"));
    oa_msg_destroy (&got);
    assert (wk_spool_pending (spool) == 2);
    wk_spool_destroy (&spool);

    //  Without a directory: straight to the ledger
    spool = wk_spool_new (loop, dealer, NULL, 0, 3, WK_SPOOL_HOST);
    assert (streq (wk_spool_name (spool), ""));
    usage = s_test_usage ("req-3");
    wk_spool_usage (spool, &usage);
    got = s_test_recv (router, 1000);
    assert (got && streq (oa_msg_request_id (got), "req-3"));
    oa_msg_destroy (&got);
    wk_spool_destroy (&spool);

    zloop_destroy (&loop);
    zsock_destroy (&dealer);
    zsock_destroy (&router);
    char command [128];
    snprintf (command, sizeof command, "rm -rf %s", dir);
    assert (system (command) == 0);
    printf ("OK\n");
}
