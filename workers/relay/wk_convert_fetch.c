/*  =========================================================================
    wk_convert_fetch - image URLs fetched for upstreams that need inline data

    The fetches are extra easy handles of the job in the worker's curl
    multi, their CURLOPT_PRIVATE the job, so the multi's done callback
    (wk_job_transfer_done) hands them here.  The guard is the open-socket
    callback: curl calls it with the resolved address of every connection
    it opens, and a refused address never gets a socket.
    =========================================================================
*/
#include "wk_job_private.h"
#include "wk_convert_fetch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include "oa_log.h"
#include "../adaptor/wk_route.h"

typedef struct {
    CURL *easy;                 //  the transfer, NULL once ended
    char *url;                  //  as the client wrote it
    char *data;                 //  bytes received
    size_t size;
    bool refused;               //  the guard refused an address
    bool too_big;               //  over WK_FETCH_MAX_BYTES
    bool ok;                    //  a 2xx image arrived whole
    bool allow_private;         //  ONEAPI_FETCH_ALLOW_PRIVATE
    char *mime;                 //  its media type
} s_item_t;

struct _wk_convert_fetch_t {
    s_item_t items [WK_FETCH_MAX_IMAGES];
    int count;                  //  items in use
    int pending;                //  transfers not ended
    bool done;                  //  all ended and the body rewritten
};


//  --------------------------------------------------------------------------
//  The address guard

static bool
s_v4_allowed (const uint8_t *a)
{
    if (a [0] == 0 || a [0] == 10 || a [0] == 127)              //  this, private, loopback
        return false;
    if (a [0] == 169 && a [1] == 254)                           //  link-local (cloud metadata)
        return false;
    if (a [0] == 172 && (a [1] & 0xF0) == 16)                   //  172.16/12
        return false;
    if (a [0] == 192 && a [1] == 168)                           //  192.168/16
        return false;
    if (a [0] == 100 && (a [1] & 0xC0) == 64)                   //  CGNAT 100.64/10
        return false;
    if (a [0] == 192 && a [1] == 0 && (a [2] == 0 || a [2] == 2))   //  IETF, TEST-NET-1
        return false;
    if (a [0] == 198 && (a [1] & 0xFE) == 18)                   //  benchmarking 198.18/15
        return false;
    if (a [0] >= 224)                                           //  multicast, reserved, broadcast
        return false;
    return true;
}

bool
wk_fetch_addr_allowed (const struct sockaddr *addr, socklen_t size, bool allow_private)
{
    if (!addr)
        return false;
    if (addr->sa_family == AF_INET && size >= (socklen_t) sizeof (struct sockaddr_in)) {
        const uint8_t *a = (const uint8_t *) &((const struct sockaddr_in *) addr)->sin_addr;
        return allow_private || s_v4_allowed (a);
    }
    if (addr->sa_family != AF_INET6 || size < (socklen_t) sizeof (struct sockaddr_in6))
        return false;                   //  unix sockets and the rest: never
    if (allow_private)
        return true;
    const uint8_t *a = ((const struct sockaddr_in6 *) addr)->sin6_addr.s6_addr;
    static const uint8_t zero [12] = { 0 };
    static const uint8_t mapped [12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
    static const uint8_t nat64 [12] = { 0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0 };
    //  IPv4 inside IPv6: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d (:: and
    //  ::1 land here too), NAT64 64:ff9b::a.b.c.d, 6to4 2002:a.b.c.d::
    if (!memcmp (a, mapped, 12) || !memcmp (a, zero, 12) || !memcmp (a, nat64, 12))
        return s_v4_allowed (a + 12);
    if (a [0] == 0x20 && a [1] == 0x02)
        return s_v4_allowed (a + 2);
    if ((a [0] & 0xFE) == 0xFC)                                 //  unique local fc00::/7
        return false;
    if (a [0] == 0xFE && (a [1] & 0xC0) == 0x80)                //  link-local fe80::/10
        return false;
    if (a [0] == 0xFE && (a [1] & 0xC0) == 0xC0)                //  site-local fec0::/10
        return false;
    if (a [0] == 0xFF)                                          //  multicast
        return false;
    if (a [0] == 0x20 && a [1] == 0x01 && a [2] == 0x0D && a [3] == 0xB8)  //  documentation
        return false;
    return true;
}


//  --------------------------------------------------------------------------
//  Curl callbacks

static curl_socket_t
s_open_socket (void *arg, curlsocktype purpose, struct curl_sockaddr *address)
{
    s_item_t *item = (s_item_t *) arg;
    if (purpose != CURLSOCKTYPE_IPCXN
    ||  !wk_fetch_addr_allowed (&address->addr, address->addrlen, item->allow_private)) {
        item->refused = true;
        return CURL_SOCKET_BAD;
    }
    return socket (address->family, address->socktype, address->protocol);
}

static size_t
s_write (char *data, size_t size, size_t nmemb, void *arg)
{
    s_item_t *item = (s_item_t *) arg;
    size_t bytes = size * nmemb;
    if (item->size + bytes > WK_FETCH_MAX_BYTES) {
        item->too_big = true;
        return 0;                       //  aborts the transfer
    }
    char *grown = (char *) realloc (item->data, item->size + bytes + 1);
    if (!grown)
        return 0;
    memcpy (grown + item->size, data, bytes);
    item->data = grown;
    item->size += bytes;
    return bytes;
}


//  --------------------------------------------------------------------------
//  Image URLs in a client body: the string holders to rewrite

typedef struct {
    json_t *holder;             //  object holding the URL
    const char *key;            //  its key ("url" or "image_url")
    bool claude;                //  a Claude url source, becomes base64
} s_ref_t;

#define S_MAX_REFS 64

static bool
s_http (const char *url)
{
    return url && (!strncasecmp (url, "http://", 7) || !strncasecmp (url, "https://", 8));
}

static void
s_ref (s_ref_t *refs, int *count, json_t *holder, const char *key, bool claude)
{
    if (*count < S_MAX_REFS && s_http (json_string_value (json_object_get (holder, key)))) {
        refs [*count] = (s_ref_t) { holder, key, claude };
        (*count)++;
    }
}

//  Collects the image URL holders of a Chat, Responses or Claude body.
static int
s_refs (json_t *body, oa_api_format_t format, s_ref_t *refs)
{
    int count = 0;
    json_t *list = format == OA_API_FORMAT_RESPONSES? json_object_get (body, "input")
                                                    : json_object_get (body, "messages");
    size_t index;
    json_t *message;
    json_array_foreach (json_is_array (list)? list: NULL, index, message) {
        size_t part_index;
        json_t *part;
        json_t *content = json_object_get (message, "content");
        json_array_foreach (json_is_array (content)? content: NULL, part_index, part) {
            const char *type = json_string_value (json_object_get (part, "type"));
            if (!type)
                continue;
            if (format == OA_API_FORMAT_CHAT && streq (type, "image_url")) {
                json_t *image = json_object_get (part, "image_url");
                if (json_is_object (image))
                    s_ref (refs, &count, image, "url", false);
                else
                    s_ref (refs, &count, part, "image_url", false);
            }
            else
            if (format == OA_API_FORMAT_RESPONSES && streq (type, "input_image"))
                s_ref (refs, &count, part, "image_url", false);
            else
            if (format == OA_API_FORMAT_CLAUDE && streq (type, "image")) {
                json_t *source = json_object_get (part, "source");
                const char *kind = json_string_value (json_object_get (source, "type"));
                if (kind && streq (kind, "url"))
                    s_ref (refs, &count, source, "url", true);
            }
        }
    }
    return count;
}


//  True if an attempt on this candidate needs images inline.
static bool
s_needs_inline (wk_job_t *job, oa_msg_candidate_t *cand)
{
    const char *config_text = oa_msg_candidate_config_json (cand);
    if (config_text && strstr (config_text, "inline_images")) {
        json_t *config = json_loads (config_text, 0, NULL);
        bool inline_images = json_is_true (json_object_get (config, "inline_images"));
        json_decref (config);
        if (inline_images)
            return true;
    }
    const char *model = oa_msg_candidate_upstream_model (cand);
    if (!model || !*model)
        model = json_string_value (json_object_get (job->client_json, "model"));
    return wk_route_family (oa_msg_candidate_channel_type (cand), oa_msg_candidate_base_url (cand),
                            config_text, model, job->client_format) == OA_API_FORMAT_GEMINI;
}


//  Starts one fetch; returns 0 or -1.
static int
s_start (wk_job_t *job, s_item_t *item)
{
    item->easy = curl_easy_init ();
    if (!item->easy)
        return -1;
    CURL *easy = item->easy;
    curl_easy_setopt (easy, CURLOPT_URL, item->url);
    curl_easy_setopt (easy, CURLOPT_PRIVATE, job);
    curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt (easy, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) WK_FETCH_TIMEOUT_MS);
    curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) WK_FETCH_TIMEOUT_MS / 2);
    curl_easy_setopt (easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) WK_FETCH_MAX_BYTES);
    curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, s_write);
    curl_easy_setopt (easy, CURLOPT_WRITEDATA, item);
    curl_easy_setopt (easy, CURLOPT_OPENSOCKETFUNCTION, s_open_socket);
    curl_easy_setopt (easy, CURLOPT_OPENSOCKETDATA, item);
    //  A pooled connection (to an upstream, say) was never checked for
    //  this host; a proxy would hide the address: neither
    curl_easy_setopt (easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt (easy, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt (easy, CURLOPT_PROXY, "");
    curl_easy_setopt (easy, CURLOPT_USERAGENT, "oneapi-image-fetch");
    curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");
    if (wk_loop_add (job->ctx->curl, easy)) {
        curl_easy_cleanup (easy);
        item->easy = NULL;
        return -1;
    }
    return 0;
}


//  --------------------------------------------------------------------------
//  Starts fetching a job's image URLs when a candidate needs them inline

bool
wk_convert_prefetch (wk_job_t *job)
{
    if (job->fetch || !job->conversational || job->client_format == OA_API_FORMAT_GEMINI)
        return false;
    if (!job->client_json && job->body)
        job->client_json = json_loadb (job->body, job->body_size, 0, NULL);
    if (!json_is_object (job->client_json))
        return false;                   //  the attempt reports the bad body
    s_ref_t refs [S_MAX_REFS];
    int count = s_refs (job->client_json, job->client_format, refs);
    if (count == 0)
        return false;
    bool needed = false;
    for (size_t i = 0; i < job->candidates && !needed; i++)
        needed = s_needs_inline (job, oa_msg_candidates_at (job->request, i));
    if (!needed)
        return false;
    job->fetch = (wk_convert_fetch_t *) zmalloc (sizeof (wk_convert_fetch_t));
    wk_convert_fetch_t *fetch = job->fetch;
    for (int i = 0; i < count; i++) {
        const char *url = json_string_value (json_object_get (refs [i].holder, refs [i].key));
        bool seen = false;
        for (int j = 0; j < fetch->count && !seen; j++)
            seen = streq (fetch->items [j].url, url);
        if (seen)
            continue;
        if (fetch->count == WK_FETCH_MAX_IMAGES) {
            fetch->done = true;
            wk_job_refuse (job, 400, "too many image URLs to fetch (at most 8 per request)", false);
            return true;
        }
        s_item_t *item = &fetch->items [fetch->count++];
        item->url = strdup (url);
        item->allow_private = job->ctx->config->fetch_allow_private;
    }
    for (int i = 0; i < fetch->count; i++) {
        if (s_start (job, &fetch->items [i])) {
            wk_convert_fetch_free (job);
            job->fetch = (wk_convert_fetch_t *) zmalloc (sizeof (wk_convert_fetch_t));
            job->fetch->done = true;
            wk_job_refuse (job, 500, "cannot start an image fetch", false);
            return true;
        }
        fetch->pending++;
    }
    oa_log (OA_LOG_DEBUG, "worker", oa_msg_request_id (job->request),
            "fetching %d image URL(s) for an inline-data upstream", fetch->count);
    return true;
}


//  The media type of a fetched image: its Content-Type if image/*, else
//  the magic bytes; NULL if it is no image.
static char *
s_mime (s_item_t *item, const char *content_type)
{
    if (content_type && !strncasecmp (content_type, "image/", 6)) {
        size_t size = strcspn (content_type, "; \t");
        return strndup (content_type, size);
    }
    const unsigned char *p = (const unsigned char *) item->data;
    size_t n = item->size;
    if (n >= 8 && !memcmp (p, "\x89PNG\r\n\x1a\n", 8))
        return strdup ("image/png");
    if (n >= 3 && p [0] == 0xFF && p [1] == 0xD8 && p [2] == 0xFF)
        return strdup ("image/jpeg");
    if (n >= 6 && (!memcmp (p, "GIF87a", 6) || !memcmp (p, "GIF89a", 6)))
        return strdup ("image/gif");
    if (n >= 12 && !memcmp (p, "RIFF", 4) && !memcmp (p + 8, "WEBP", 4))
        return strdup ("image/webp");
    return NULL;
}

//  Base64 of bytes (fresh).
static char *
s_base64 (const char *data, size_t size)
{
    static const char table [] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = (char *) malloc ((size + 2) / 3 * 4 + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *) data;
    size_t at = 0;
    for (size_t i = 0; i < size; i += 3) {
        uint32_t v = (uint32_t) p [i] << 16;
        if (i + 1 < size)
            v |= (uint32_t) p [i + 1] << 8;
        if (i + 2 < size)
            v |= p [i + 2];
        out [at++] = table [(v >> 18) & 63];
        out [at++] = table [(v >> 12) & 63];
        out [at++] = i + 1 < size? table [(v >> 6) & 63]: '=';
        out [at++] = i + 2 < size? table [v & 63]: '=';
    }
    out [at] = 0;
    return out;
}

//  Puts each fetched image in place of its URL in the client body.
static void
s_rewrite (wk_job_t *job)
{
    wk_convert_fetch_t *fetch = job->fetch;
    s_ref_t refs [S_MAX_REFS];
    int count = s_refs (job->client_json, job->client_format, refs);
    for (int i = 0; i < count; i++) {
        const char *url = json_string_value (json_object_get (refs [i].holder, refs [i].key));
        s_item_t *item = NULL;
        for (int j = 0; j < fetch->count && !item; j++)
            if (fetch->items [j].ok && streq (fetch->items [j].url, url))
                item = &fetch->items [j];
        if (!item)
            continue;
        char *encoded = s_base64 (item->data, item->size);
        if (!encoded)
            continue;
        if (refs [i].claude) {
            json_object_set_new (refs [i].holder, "type", json_string ("base64"));
            json_object_set_new (refs [i].holder, "media_type", json_string (item->mime));
            json_object_set_new (refs [i].holder, "data", json_string (encoded));
            json_object_del (refs [i].holder, "url");
        }
        else {
            char *data_url = zsys_sprintf ("data:%s;base64,%s", item->mime, encoded);
            json_object_set_new (refs [i].holder, refs [i].key, json_string (data_url));
            zstr_free (&data_url);
        }
        free (encoded);
    }
}


//  --------------------------------------------------------------------------
//  A fetch transfer of the job ended

void
wk_convert_fetch_done (wk_job_t *job, CURL *easy, CURLcode result)
{
    wk_convert_fetch_t *fetch = job->fetch;
    s_item_t *item = NULL;
    for (int i = 0; fetch && i < fetch->count && !item; i++)
        if (fetch->items [i].easy == easy)
            item = &fetch->items [i];
    if (!item || wk_job_finished (job)) {
        //  Not ours any more, or the job ended meanwhile (cancelled)
        if (item)
            item->easy = NULL;
        curl_easy_cleanup (easy);
        return;
    }
    long status = 0;
    char *content_type = NULL;
    curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo (easy, CURLINFO_CONTENT_TYPE, &content_type);
    if (result == CURLE_FILESIZE_EXCEEDED)
        item->too_big = true;
    if (result == CURLE_OK && status >= 200 && status < 300 && item->size) {
        item->mime = s_mime (item, content_type);
        item->ok = item->mime != NULL;
    }
    char reason [160] = "";
    if (!item->ok)
        snprintf (reason, sizeof reason, "%s",
                  item->refused? "its address is loopback, private or link-local"
                : item->too_big? "the image is larger than 20 MB"
                : result == CURLE_OPERATION_TIMEDOUT? "the fetch timed out"
                : result != CURLE_OK? curl_easy_strerror (result)
                : status < 200 || status >= 300? "the server did not answer 2xx"
                : "the URL did not return an image");
    curl_easy_cleanup (easy);
    item->easy = NULL;
    fetch->pending--;
    if (!item->ok) {
        //  The first failure ends the request; the other fetches stop
        char *message = zsys_sprintf ("image URL cannot be used: %s (%.200s)", reason, item->url);
        oa_log (OA_LOG_INFO, "worker", oa_msg_request_id (job->request), "%s", message);
        wk_convert_fetch_free (job);
        job->fetch = (wk_convert_fetch_t *) zmalloc (sizeof (wk_convert_fetch_t));
        job->fetch->done = true;
        wk_job_refuse (job, 400, message, false);
        zstr_free (&message);
        return;
    }
    if (fetch->pending > 0)
        return;
    s_rewrite (job);
    //  The bytes now live in the body: keep only the "done" mark
    for (int i = 0; i < fetch->count; i++) {
        free (fetch->items [i].data);
        fetch->items [i].data = NULL;
    }
    fetch->done = true;
    wk_job_start (job);
}


//  --------------------------------------------------------------------------
//  Stops the job's fetches and frees their state

void
wk_convert_fetch_free (wk_job_t *job)
{
    wk_convert_fetch_t *fetch = job->fetch;
    if (!fetch)
        return;
    for (int i = 0; i < fetch->count; i++) {
        s_item_t *item = &fetch->items [i];
        if (item->easy) {
            wk_loop_remove (job->ctx->curl, item->easy);
            curl_easy_cleanup (item->easy);
        }
        free (item->url);
        free (item->data);
        free (item->mime);
    }
    free (fetch);
    job->fetch = NULL;
}


//  --------------------------------------------------------------------------
//  Self test of the address guard

static bool
s_allowed (const char *text, bool allow_private)
{
    struct sockaddr_storage storage;
    memset (&storage, 0, sizeof storage);
    if (strchr (text, ':')) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *) &storage;
        v6->sin6_family = AF_INET6;
        assert (inet_pton (AF_INET6, text, &v6->sin6_addr) == 1);
        return wk_fetch_addr_allowed ((struct sockaddr *) v6, sizeof *v6, allow_private);
    }
    struct sockaddr_in *v4 = (struct sockaddr_in *) &storage;
    v4->sin_family = AF_INET;
    assert (inet_pton (AF_INET, text, &v4->sin_addr) == 1);
    return wk_fetch_addr_allowed ((struct sockaddr *) v4, sizeof *v4, allow_private);
}

void
oa_wk_fetch_test (bool verbose)
{
    if (verbose)
        printf (" * wk_fetch: ");
    const char *refused [] = {
        "127.0.0.1", "127.255.0.9", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
        "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.254", "192.0.0.8",
        "192.0.2.1", "198.18.0.1", "224.0.0.1", "239.1.1.1", "240.0.0.1", "255.255.255.255",
        "::", "::1", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:c0a8:101::1",
        "2001:db8::1"
    };
    const char *allowed [] = {
        "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "192.169.0.1", "100.63.255.255",
        "100.128.0.1", "169.253.0.1", "223.255.255.254", "2606:4700:4700::1111",
        "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused [0]; i++) {
        if (s_allowed (refused [i], false))
            fprintf (stderr, "guard let %s through\n", refused [i]);
        assert (!s_allowed (refused [i], false));
        assert (s_allowed (refused [i], true));      //  the operator allows it
    }
    for (size_t i = 0; i < sizeof allowed / sizeof allowed [0]; i++) {
        if (!s_allowed (allowed [i], false))
            fprintf (stderr, "guard refused %s\n", allowed [i]);
        assert (s_allowed (allowed [i], false));
    }
    //  Other families, short lengths and NULL: refused, whatever the setting
    struct sockaddr unix_addr = { .sa_family = AF_UNIX };
    assert (!wk_fetch_addr_allowed (&unix_addr, sizeof unix_addr, true));
    struct sockaddr_in v4 = { .sin_family = AF_INET };
    assert (!wk_fetch_addr_allowed ((struct sockaddr *) &v4, 4, true));
    assert (!wk_fetch_addr_allowed (NULL, 0, true));
    //  Base64 and magic bytes of the image check
    char *encoded = s_base64 ("Man", 3);
    assert (streq (encoded, "TWFu"));
    free (encoded);
    encoded = s_base64 ("Ma", 2);
    assert (streq (encoded, "TWE="));
    free (encoded);
    encoded = s_base64 ("M", 1);
    assert (streq (encoded, "TQ=="));
    free (encoded);
    s_item_t item = { .data = (char *) "\x89PNG\r\n\x1a\nrest", .size = 12 };
    char *mime = s_mime (&item, "application/octet-stream");
    assert (mime && streq (mime, "image/png"));
    free (mime);
    mime = s_mime (&item, "image/jpeg; charset=binary");
    assert (mime && streq (mime, "image/jpeg"));
    free (mime);
    item.data = (char *) "<html>";
    item.size = 6;
    assert (!s_mime (&item, "text/html"));
    if (verbose)
        printf ("OK\n");
}
