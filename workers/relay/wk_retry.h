/*  =========================================================================
    wk_retry - when to try the next candidate channel, and which one

    @header
    one-api's rules (controller/relay.go): retry on 429, 5xx, 401/403 and
    upstream 413, and on transport failures; never on other 4xx, never once
    a byte reached the gateway, never for a pinned channel.  The budget is
    retry_times, doubled for 429 and at least #candidates-1 for 413.  A 429
    prefers a lower priority tier; other failures take the next candidate
    in the gateway's order.
    @end
    =========================================================================
*/
#ifndef WK_RETRY_H_INCLUDED
#define WK_RETRY_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WK_RETRY_MAX_CANDIDATES 16      //  as proto's candidates max

//  Status that stands for a transport failure (connect, reset) in failures
#define WK_STATUS_TRANSPORT 502
//  Status that stands for an upstream timeout in failures
#define WK_STATUS_TIMEOUT 504

//  True if a failed attempt with this HTTP status (0 = transport failure)
//  is the channel's fault, so it is worth another channel and goes into
//  the failures list.
bool
    wk_retry_status_retryable (int status);

//  True if another attempt may be made: the status is retryable, nothing
//  was sent, the request is not pinned and the budget allows it.
//  retries_done counts attempts beyond the first.
bool
    wk_retry_allowed (int status, bool bytes_sent, bool pinned, int retry_times,
                      int retries_done, size_t candidates);

//  Picks the next candidate after a failure of candidate failed with
//  status: the first untried one, preferring a lower priority tier than the
//  failed one's for 429.  priorities has count entries; tried marks used
//  ones.  Returns its index, or -1 if none is left.
int
    wk_retry_next (const int64_t *priorities, const bool *tried, size_t count, size_t failed,
                   int status);

//  Self test.
void
    oa_wk_retry_test (bool verbose);

#endif
