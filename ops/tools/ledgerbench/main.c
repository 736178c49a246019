/*  =========================================================================
    oa-ledgerbench - load generator for the ledger's settlement

    Plays N workers: DEALER sockets connected to the ledger's ROUTER, each
    sending USAGE messages for distinct request ids (spread over a range of
    tokens, whose owners are looked up by the ledger) with at most --window
    unacknowledged at a time, and waiting for every USAGE_ACK.  Prints the
    rate of acknowledged (committed) events and the time from send to ack.

    Usage: oa-ledgerbench --endpoint tcp://127.0.0.1:5556 [--events 200000]
             [--dealers 4] [--window 2000] [--tokens 300] [--token-base 1]
             [--channel 1] [--model gpt-4o-mini] [--prefix <text>] [--rate 0]
    --rate n sends at most n events per second (open loop), so the times to
    acknowledgement are those of a ledger that keeps up rather than the
    queueing of a saturated one; 0 (default) sends as fast as the windows
    allow and measures throughput.
    A second run with the same --prefix resends the same request ids: all
    must be acked again, none billed twice (the caller checks the database).
    Output (one line): events=<n> seconds=<s> rate=<n>/s p50_ms=<x>
    p99_ms=<x> max_ms=<x> unacked=<n>.  Exit 1 if not all were acked within
    60 s of the last send.
    =========================================================================
*/
#include <czmq.h>

#include "oa_ids.h"
#include "oa_msg.h"

typedef struct {
    const char *endpoint;       //  the ledger's ROUTER
    int64_t events;             //  USAGE messages to send
    int dealers;                //  sockets (workers)
    int window;                 //  unacknowledged per socket, at most
    int64_t tokens;             //  distinct token ids used
    int64_t token_base;         //  first token id
    int64_t channel;            //  channel id in every USAGE
    const char *model;          //  model billed
    int64_t rate;               //  events per second at most, 0 = unpaced
    char prefix [13];           //  request id prefix, unique per run (ids stay <= 32)
} s_options_t;

static int
s_compare (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y? -1: x > y;
}

static void
s_usage_help (void)
{
    fprintf (stderr, "usage: oa-ledgerbench --endpoint <zmq endpoint> [--events n] "
             "[--dealers n] [--window n] [--tokens n] [--token-base id] [--channel id] "
             "[--model name] [--prefix text] [--rate n]\n");
}

static int
s_parse (s_options_t *options, int argc, char **argv)
{
    *options = (s_options_t) { NULL, 200000, 4, 2000, 300, 1, 1, "gpt-4o-mini", 0, "" };
    snprintf (options->prefix, sizeof options->prefix, "b%08x", (unsigned) (oa_clock_ms () & 0xffffffff));
    for (int index = 1; index < argc; index++) {
        const char *name = argv [index];
        const char *value = index + 1 < argc? argv [index + 1]: NULL;
        if (!value) {
            s_usage_help ();
            return -1;
        }
        index++;
        if (streq (name, "--endpoint"))
            options->endpoint = value;
        else
        if (streq (name, "--events"))
            options->events = atoll (value);
        else
        if (streq (name, "--dealers"))
            options->dealers = atoi (value);
        else
        if (streq (name, "--window"))
            options->window = atoi (value);
        else
        if (streq (name, "--tokens"))
            options->tokens = atoll (value);
        else
        if (streq (name, "--token-base"))
            options->token_base = atoll (value);
        else
        if (streq (name, "--channel"))
            options->channel = atoll (value);
        else
        if (streq (name, "--model"))
            options->model = value;
        else
        if (streq (name, "--rate"))
            options->rate = atoll (value);
        else
        if (streq (name, "--prefix"))
            snprintf (options->prefix, sizeof options->prefix, "%s", value);
        else {
            s_usage_help ();
            return -1;
        }
    }
    if (!options->endpoint || options->events <= 0 || options->dealers <= 0
    ||  options->window <= 0 || options->tokens <= 0 || options->rate < 0) {
        s_usage_help ();
        return -1;
    }
    return 0;
}

int
main (int argc, char **argv)
{
    s_options_t options;
    if (s_parse (&options, argc, argv))
        return 2;
    zsys_init ();
    zsys_set_logstream (stderr);
    int dealers = options.dealers;
    zsock_t **sockets = (zsock_t **) calloc ((size_t) dealers, sizeof (zsock_t *));
    int *inflight = (int *) calloc ((size_t) dealers, sizeof (int));
    zpoller_t *poller = zpoller_new (NULL);
    for (int index = 0; index < dealers; index++) {
        sockets [index] = zsock_new (ZMQ_DEALER);
        zsock_set_sndhwm (sockets [index], options.window * 2);
        zsock_set_rcvhwm (sockets [index], 0);
        zsock_set_linger (sockets [index], 0);
        if (zsock_connect (sockets [index], "%s", options.endpoint) < 0) {
            fprintf (stderr, "cannot connect to %s\n", options.endpoint);
            return 2;
        }
        zpoller_add (poller, sockets [index]);
    }
    int64_t total = options.events;
    int64_t *sent_us = (int64_t *) calloc ((size_t) total, sizeof (int64_t));
    int64_t *latency = (int64_t *) calloc ((size_t) total, sizeof (int64_t));
    assert (sent_us && latency);
    int64_t sent = 0, acked = 0, stray = 0;
    size_t prefix_len = strlen (options.prefix);
    int64_t start = oa_clock_mono_us ();
    int64_t last_send = start;
    int next = 0;
    while (acked < total) {
        //  Fill every window, round robin.
        bool progress = true;
        int64_t allowed = total;
        if (options.rate) {
            int64_t due = options.rate * (oa_clock_mono_us () - start) / 1000000;
            allowed = due < total? due: total;
        }
        while (sent < allowed && progress) {
            progress = false;
            for (int turn = 0; turn < dealers && sent < allowed; turn++) {
                int index = (next + turn) % dealers;
                if (inflight [index] >= options.window)
                    continue;
                char request_id [64];   //  prefix and 10 digits: at most 22 used
                snprintf (request_id, sizeof request_id, "%s%010" PRId64, options.prefix, sent);
                int64_t token = options.token_base + sent % options.tokens;
                oa_msg_t *usage = oa_msg_new (OA_MSG_USAGE);
                oa_msg_set_corr_id (usage, (uint64_t) sent);
                oa_msg_set_request_id (usage, request_id);
                oa_msg_set_token_id (usage, (uint64_t) token);
                oa_msg_set_user_id (usage, (uint64_t) token);
                oa_msg_set_token_name (usage, "bench");
                oa_msg_set_username (usage, "bench");
                oa_msg_set_channel_id (usage, (uint64_t) options.channel);
                oa_msg_set_group (usage, "default");
                oa_msg_set_model (usage, options.model);
                oa_msg_set_origin_model (usage, options.model);
                oa_msg_set_prompt_tokens (usage, (uint32_t) (100 + sent % 900));
                oa_msg_set_completion_tokens (usage, (uint32_t) (10 + sent % 300));
                oa_msg_set_cached_tokens (usage, (uint32_t) (sent % 3 == 0? 64: 0));
                oa_msg_set_status (usage, 200);
                oa_msg_set_stream (usage, sent % 2 == 0);
                oa_msg_set_elapsed_ms (usage, 800);
                oa_msg_set_client_format (usage, OA_MSG_FORMAT_CHAT);
                oa_msg_set_upstream_format (usage, OA_MSG_FORMAT_CHAT);
                oa_msg_set_created_at_ms (usage, (uint64_t) oa_clock_ms ());
                int rc = oa_msg_send (usage, zsock_resolve (sockets [index]), OA_MSG_DONTWAIT);
                oa_msg_destroy (&usage);
                if (rc != 0)
                    continue;   //  queue full: try later
                sent_us [sent] = oa_clock_mono_us ();
                last_send = sent_us [sent];
                sent++;
                inflight [index]++;
                progress = true;
            }
            next = (next + 1) % dealers;
        }
        //  Collect acks.
        void *which = zpoller_wait (poller, sent < total? 0: 100);
        if (!which) {
            if (zpoller_terminated (poller))
                break;
            if (sent == total && oa_clock_mono_us () - last_send > 60 * 1000000LL)
                break;
            if (sent < total)
                zpoller_wait (poller, 1);
            continue;
        }
        int index = 0;
        while (sockets [index] != which)
            index++;
        for (int batch = 0; batch < 100; batch++) {
            int err = 0;
            oa_msg_t *ack = oa_msg_recv (zsock_resolve (sockets [index]), OA_MSG_DONTWAIT, &err);
            if (!ack)
                break;
            if (oa_msg_id (ack) == OA_MSG_USAGE_ACK) {
                int64_t now = oa_clock_mono_us ();
                zlist_t *ids = oa_msg_request_ids (ack);
                for (const char *id = ids? (const char *) zlist_first (ids): NULL; id;
                     id = (const char *) zlist_next (ids)) {
                    int64_t seq = strlen (id) > prefix_len? atoll (id + prefix_len): -1;
                    if (strncmp (id, options.prefix, prefix_len) || seq < 0 || seq >= sent
                    ||  latency [seq]) {
                        stray++;
                        continue;
                    }
                    latency [seq] = now - sent_us [seq] + 1;
                    acked++;
                    inflight [index]--;
                }
            }
            oa_msg_destroy (&ack);
        }
    }
    int64_t elapsed = oa_clock_mono_us () - start;
    qsort (latency, (size_t) total, sizeof (int64_t), s_compare);
    //  Unacked events sort first as zero: percentiles over the acked ones.
    int64_t *acked_latency = latency + (total - acked);
    double p50 = acked? acked_latency [acked / 2] / 1000.0: 0;
    double p99 = acked? acked_latency [(acked * 99) / 100 - (acked >= 100? 1: 0)] / 1000.0: 0;
    double max = acked? acked_latency [acked - 1] / 1000.0: 0;
    printf ("events=%" PRId64 " seconds=%.3f rate=%.0f/s p50_ms=%.2f p99_ms=%.2f max_ms=%.2f "
            "unacked=%" PRId64 " stray=%" PRId64 "\n", acked, elapsed / 1e6,
            acked / (elapsed / 1e6), p50, p99, max, total - acked, stray);
    for (int index = 0; index < dealers; index++)
        zsock_destroy (&sockets [index]);
    zpoller_destroy (&poller);
    free (sockets);
    free (inflight);
    free (sent_us);
    free (latency);
    return acked == total? 0: 1;
}
