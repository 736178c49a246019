/*  =========================================================================
    wk_convert_fetch - image URLs fetched for upstreams that need inline data

    @header
    Gemini takes images only inline (inlineData), and a channel configured
    with {"inline_images": true} wants the same.  When a job has such a
    candidate and its client body points at http(s) images, the job first
    fetches them, in the worker's curl multi (never blocking its zloop), and
    replaces each URL in the client body with the image's data (a data: URL,
    or a base64 source for Claude clients) before the first attempt; every
    attempt then converts from that body.

    Each fetch is bounded: WK_FETCH_MAX_IMAGES per request, WK_FETCH_MAX_BYTES
    per image (Content-Length and the bytes received), WK_FETCH_TIMEOUT_MS,
    three redirects, http and https only, no proxy, no reused connection.
    The SSRF guard checks the address of every connection curl opens (the
    open-socket callback sees the address it is about to connect to, after
    its single resolution): loopback, private, link-local, CGNAT, multicast,
    reserved and unspecified addresses, IPv4 or IPv6, IPv4-mapped,
    -compatible, NAT64 and 6to4 forms included, are refused unless
    ONEAPI_FETCH_ALLOW_PRIVATE is set.  Because the check is on the socket
    address itself, neither DNS rebinding nor a redirect can get around it.
    A refused or failed image ends the request with a 400 in the client's
    format.
    @end
    =========================================================================
*/
#ifndef WK_CONVERT_FETCH_H_INCLUDED
#define WK_CONVERT_FETCH_H_INCLUDED

#include <stdbool.h>
#include <sys/socket.h>
#include <curl/curl.h>

#define WK_FETCH_MAX_IMAGES     8
#define WK_FETCH_MAX_BYTES      (20 * 1024 * 1024)
#define WK_FETCH_TIMEOUT_MS     10000

typedef struct _wk_job_t wk_job_t;
typedef struct _wk_convert_fetch_t wk_convert_fetch_t;

//  True if a fetch may connect to this address: public unicast only,
//  unless allow_private.
bool
    wk_fetch_addr_allowed (const struct sockaddr *addr, socklen_t size, bool allow_private);

//  Before a job's first attempt: starts fetching its image URLs when one of
//  its candidates needs inline images.  Returns true if fetches are under
//  way (the job starts again, through wk_job_start, once they end), false
//  to go on at once.
bool
    wk_convert_prefetch (wk_job_t *job);

//  A fetch transfer of the job ended (called by wk_job_transfer_done for
//  easy handles that are not the attempt's).
void
    wk_convert_fetch_done (wk_job_t *job, CURL *easy, CURLcode result);

//  Stops the job's fetches and frees their state.  Safe when there is none.
void
    wk_convert_fetch_free (wk_job_t *job);

//  Self test of the address guard.
void
    oa_wk_fetch_test (bool verbose);

#endif
