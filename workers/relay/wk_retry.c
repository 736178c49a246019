/*  =========================================================================
    wk_retry - when to try the next candidate channel, and which one
    =========================================================================
*/
#include "wk_retry.h"

#include <assert.h>
#include <stdio.h>


//  --------------------------------------------------------------------------
//  True if a failure with this status is the channel's fault

bool
wk_retry_status_retryable (int status)
{
    return status == 0 || status == 429 || status >= 500
        || status == 401 || status == 403 || status == 413;
}


//  --------------------------------------------------------------------------
//  True if another attempt may be made

bool
wk_retry_allowed (int status, bool bytes_sent, bool pinned, int retry_times, int retries_done,
                  size_t candidates)
{
    if (bytes_sent || pinned || !wk_retry_status_retryable (status))
        return false;
    int budget = retry_times;
    if (status == 429)
        budget = retry_times * 2;
    else
    if (status == 413 && budget < (int) candidates - 1)
        budget = (int) candidates - 1;
    return retries_done < budget;
}


//  --------------------------------------------------------------------------
//  Picks the next candidate

int
wk_retry_next (const int64_t *priorities, const bool *tried, size_t count, size_t failed,
               int status)
{
    assert (priorities);
    assert (tried);
    if (status == 429 && failed < count) {
        //  Rate limited: the whole tier is likely saturated, go down a tier
        for (size_t i = 0; i < count; i++)
            if (!tried [i] && priorities [i] < priorities [failed])
                return (int) i;
    }
    for (size_t i = 0; i < count; i++)
        if (!tried [i])
            return (int) i;
    return -1;
}


//  --------------------------------------------------------------------------
//  Self test

void
oa_wk_retry_test (bool verbose)
{
    if (verbose)
        printf (" * wk_retry: ");
    assert (wk_retry_allowed (429, false, false, 1, 1, 3));     //  doubled budget
    assert (!wk_retry_allowed (429, false, false, 1, 2, 3));
    assert (wk_retry_allowed (500, false, false, 1, 0, 3));
    assert (!wk_retry_allowed (500, false, false, 1, 1, 3));
    assert (wk_retry_allowed (0, false, false, 2, 0, 3));       //  transport
    assert (!wk_retry_allowed (400, false, false, 5, 0, 3));
    assert (!wk_retry_allowed (404, false, false, 5, 0, 3));
    assert (!wk_retry_allowed (500, true, false, 5, 0, 3));     //  bytes sent
    assert (!wk_retry_allowed (500, false, true, 5, 0, 3));     //  pinned
    assert (!wk_retry_allowed (500, false, false, 0, 0, 3));    //  default RetryTimes 0
    assert (wk_retry_allowed (413, false, false, 0, 1, 3));     //  #candidates - 1
    assert (!wk_retry_allowed (413, false, false, 0, 2, 3));
    assert (wk_retry_allowed (401, false, false, 1, 0, 3));

    int64_t priorities [] = { 10, 10, 5, 0 };
    bool tried [] = { true, false, false, false };
    assert (wk_retry_next (priorities, tried, 4, 0, 429) == 2);
    assert (wk_retry_next (priorities, tried, 4, 0, 503) == 1);
    bool all [] = { true, true, true, true };
    assert (wk_retry_next (priorities, all, 4, 3, 429) == -1);
    bool low [] = { true, false, true, true };
    assert (wk_retry_next (priorities, low, 4, 3, 429) == 1);   //  no lower tier left
    if (verbose)
        printf ("OK\n");
}
