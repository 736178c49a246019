/*  =========================================================================
    gw_router - the gateway's route table

    A sorted array scanned linearly: with a few hundred routes a scan is a
    few microseconds, and it keeps the rules (gw_router.h) obvious.  A radix
    tree can replace it behind the same functions if profiles ask for it.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gw_router.h"

struct _gw_router_t {
    gw_route_t *routes;             //  array of count routes
    size_t count;                   //  routes in use
    size_t capacity;                //  routes allocated
    bool frozen;                    //  sorted, read-only
};

gw_router_t *
gw_router_new (void)
{
    gw_router_t *self = calloc (1, sizeof (gw_router_t));
    assert (self);
    return self;
}

void
gw_router_destroy (gw_router_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        gw_router_t *self = *self_p;
        free (self->routes);
        free (self);
        *self_p = NULL;
    }
}

//  Splits off the next segment of a path at *pos (which points at a '/').
//  Returns false at the end of the path.
static bool
s_next_segment (const char *path, size_t len, size_t *pos, const char **seg, size_t *seg_len)
{
    if (*pos >= len || path [*pos] != '/')
        return false;
    size_t start = *pos + 1;
    size_t end = start;
    while (end < len && path [end] != '/')
        end++;
    *seg = path + start;
    *seg_len = end - start;
    *pos = end;
    return true;
}

int
gw_router_add (gw_router_t *self, const char *method, const char *pattern,
               gw_handler_fn *handler, void *arg)
{
    assert (self);
    assert (!self->frozen);
    assert (handler);
    if (!pattern || pattern [0] != '/')
        return -1;
    gw_route_t route = { method, pattern, handler, arg, 0, 0, false };
    size_t len = strlen (pattern), pos = 0, seg_len;
    const char *seg;
    while (s_next_segment (pattern, len, &pos, &seg, &seg_len)) {
        if (route.wildcard)
            return -1;              //  "*name" must be last
        route.nsegments++;
        if (seg_len > 0 && seg [0] == ':') {
            if (seg_len == 1)
                return -1;
            route.nparams++;
        }
        else
        if (seg_len > 0 && seg [0] == '*') {
            if (seg_len == 1)
                return -1;
            route.wildcard = true;
            route.nparams++;
        }
    }
    if (route.nparams > GW_MAX_PARAMS)
        return -1;
    if (self->count == self->capacity) {
        self->capacity = self->capacity? self->capacity * 2: 32;
        self->routes = realloc (self->routes, self->capacity * sizeof (gw_route_t));
        assert (self->routes);
    }
    self->routes [self->count++] = route;
    return 0;
}

//  Specificity order: routes without a wildcard first, fewer parameters
//  first; wildcards last, the longest prefix (most segments) first.  Ties
//  keep registration order (the sort below is stable).
static int
s_route_rank_cmp (const gw_route_t *a, const gw_route_t *b)
{
    if (a->wildcard != b->wildcard)
        return a->wildcard? 1: -1;
    if (a->wildcard && a->nsegments != b->nsegments)
        return b->nsegments - a->nsegments;
    return a->nparams - b->nparams;
}

void
gw_router_freeze (gw_router_t *self)
{
    assert (self);
    //  Insertion sort: stable, and the table is small and sorted once.
    for (size_t i = 1; i < self->count; i++) {
        gw_route_t key = self->routes [i];
        size_t j = i;
        while (j > 0 && s_route_rank_cmp (&self->routes [j - 1], &key) > 0) {
            self->routes [j] = self->routes [j - 1];
            j--;
        }
        self->routes [j] = key;
    }
    self->frozen = true;
}

static bool
s_route_matches (const gw_route_t *route, const char *path, size_t path_len, gw_params_t *params)
{
    size_t ppos = 0, rpos = 0, rlen = strlen (route->pattern);
    const char *rseg, *pseg;
    size_t rseg_len, pseg_len;
    params->count = 0;
    while (s_next_segment (route->pattern, rlen, &rpos, &rseg, &rseg_len)) {
        if (rseg_len > 0 && rseg [0] == '*') {
            //  The rest of the path, from the '/' that starts this segment.
            if (ppos >= path_len || path [ppos] != '/')
                return false;
            params->items [params->count].name = rseg + 1;
            params->items [params->count].name_len = rseg_len - 1;
            params->items [params->count].value = path + ppos;
            params->items [params->count].value_len = path_len - ppos;
            params->count++;
            return true;
        }
        if (!s_next_segment (path, path_len, &ppos, &pseg, &pseg_len))
            return false;
        if (rseg_len > 0 && rseg [0] == ':') {
            if (pseg_len == 0)
                return false;
            params->items [params->count].name = rseg + 1;
            params->items [params->count].name_len = rseg_len - 1;
            params->items [params->count].value = pseg;
            params->items [params->count].value_len = pseg_len;
            params->count++;
        }
        else
        if (rseg_len != pseg_len || memcmp (rseg, pseg, rseg_len) != 0)
            return false;
    }
    return ppos == path_len;
}

const gw_route_t *
gw_router_match (gw_router_t *self, const char *method, size_t method_len,
                 const char *path, size_t path_len, gw_params_t *params)
{
    assert (self);
    assert (self->frozen);
    gw_params_t scratch;
    if (!params)
        params = &scratch;
    for (size_t i = 0; i < self->count; i++) {
        const gw_route_t *route = &self->routes [i];
        if (route->method
        && (strlen (route->method) != method_len
        ||  memcmp (route->method, method, method_len) != 0))
            continue;
        if (s_route_matches (route, path, path_len, params))
            return route;
    }
    params->count = 0;
    return NULL;
}

const char *
gw_params_get (const gw_params_t *params, const char *name, size_t *len_p)
{
    assert (params);
    size_t name_len = strlen (name);
    for (int i = 0; i < params->count; i++)
        if (params->items [i].name_len == name_len
        &&  memcmp (params->items [i].name, name, name_len) == 0) {
            if (len_p)
                *len_p = params->items [i].value_len;
            return params->items [i].value;
        }
    return NULL;
}

//  --------------------------------------------------------------------------
//  Self test

static void
s_dummy (gw_request_t *request, void *arg)
{
    (void) request;
    (void) arg;
}

#define streq(a,b) (strcmp ((a), (b)) == 0)

static const char *
s_match (gw_router_t *router, const char *method, const char *path, gw_params_t *params)
{
    const gw_route_t *route = gw_router_match (router, method, strlen (method),
                                               path, strlen (path), params);
    return route? route->pattern: NULL;
}

void
oa_gw_router_test (bool verbose)
{
    (void) verbose;
    gw_router_t *router = gw_router_new ();
    assert (gw_router_add (router, NULL, "/v1/*path", s_dummy, NULL) == 0);
    assert (gw_router_add (router, NULL, "/api/*path", s_dummy, NULL) == 0);
    assert (gw_router_add (router, "GET", "/api/user/:id", s_dummy, NULL) == 0);
    assert (gw_router_add (router, "GET", "/api/user/self", s_dummy, NULL) == 0);
    assert (gw_router_add (router, "GET", "/api/status", s_dummy, NULL) == 0);
    assert (gw_router_add (router, NULL, "/v1/oneapi/proxy/:channel/*target", s_dummy, NULL) == 0);
    assert (gw_router_add (router, "POST", "/v1/chat/completions", s_dummy, NULL) == 0);
    assert (gw_router_add (router, "GET", "no-slash", s_dummy, NULL) == -1);
    assert (gw_router_add (router, "GET", "/a/*rest/b", s_dummy, NULL) == -1);
    assert (gw_router_add (router, "GET", "/a/:", s_dummy, NULL) == -1);
    gw_router_freeze (router);

    gw_params_t params;
    assert (streq (s_match (router, "GET", "/api/status", &params), "/api/status"));
    assert (params.count == 0);
    //  Static beats parameter, whatever the order of registration
    assert (streq (s_match (router, "GET", "/api/user/self", &params), "/api/user/self"));
    assert (streq (s_match (router, "GET", "/api/user/42", &params), "/api/user/:id"));
    size_t len;
    const char *value = gw_params_get (&params, "id", &len);
    assert (value && len == 2 && memcmp (value, "42", 2) == 0);
    assert (gw_params_get (&params, "nope", NULL) == NULL);
    //  Method mismatch falls through to the catch-all
    assert (streq (s_match (router, "DELETE", "/api/status", &params), "/api/*path"));
    assert (streq (s_match (router, "GET", "/v1/chat/completions", &params), "/v1/*path"));
    assert (streq (s_match (router, "POST", "/v1/chat/completions", &params), "/v1/chat/completions"));
    //  Wildcards: longest first, value keeps its leading slash
    assert (streq (s_match (router, "GET", "/v1/oneapi/proxy/7/x/y", &params),
                   "/v1/oneapi/proxy/:channel/*target"));
    value = gw_params_get (&params, "target", &len);
    assert (value && len == 4 && memcmp (value, "/x/y", 4) == 0);
    value = gw_params_get (&params, "channel", &len);
    assert (value && len == 1 && *value == '7');
    assert (streq (s_match (router, "GET", "/v1/", &params), "/v1/*path"));
    assert (s_match (router, "GET", "/v1", &params) == NULL);
    assert (streq (s_match (router, "GET", "/api/user/", &params), "/api/*path"));
    assert (s_match (router, "GET", "/healthz", &params) == NULL);
    assert (s_match (router, "GET", "/api/status/", &params) != NULL);     //  -> /api/*path
    assert (s_match (router, "GET", "", &params) == NULL);
    gw_router_destroy (&router);
    assert (router == NULL);
}
