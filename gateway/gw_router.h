/*  =========================================================================
    gw_router - the gateway's route table: method + path pattern -> handler

    Patterns are paths whose segments are literals, ":name" (one non-empty
    segment) or, last, "*name" (the rest of the path, with its leading '/',
    as gin does).  The most specific route wins, whatever the order of
    registration: routes without parameters first, then routes with fewer
    parameters, wildcards last and, among those, the longest first.  A path
    that matches but with another method is not found (gin's default).

    The table is filled before the gateway starts (by gw_routes_core_add and,
    later, the relay and management modules) and is read-only afterwards,
    so loop threads read it without locks.
    =========================================================================
*/
#ifndef GW_ROUTER_H_INCLUDED
#define GW_ROUTER_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#define GW_MAX_PARAMS 8             //  parameters captured per route

typedef struct _gw_request_t gw_request_t;

//  A route handler: it must answer the request, now or later (from the
//  same loop thread), exactly once.  arg is the route's argument.
typedef void (gw_handler_fn) (gw_request_t *request, void *arg);

typedef struct {
    const char *method;             //  "GET", "POST", ... or NULL for any
    const char *pattern;            //  "/api/user/:id", "/v1/*path"; also the metrics label
    gw_handler_fn *handler;         //  called on the loop thread
    void *arg;                      //  borrowed; passed to handler
    int nsegments;                  //  segments in pattern
    int nparams;                    //  ":name" segments
    bool wildcard;                  //  ends with "*name"
} gw_route_t;

typedef struct {
    int count;                      //  captured parameters
    struct {
        const char *name;           //  points into the route's pattern
        size_t name_len;
        const char *value;          //  points into the request path
        size_t value_len;
    } items [GW_MAX_PARAMS];
} gw_params_t;

typedef struct _gw_router_t gw_router_t;

//  Creates an empty table.  Caller owns the return value.
gw_router_t *
    gw_router_new (void);

//  Destroys the table and nulls the pointer.
void
    gw_router_destroy (gw_router_t **self_p);

//  Adds a route.  pattern and method must be static strings (or outlive
//  the table).  Returns -1 for a malformed pattern.  Not after freeze.
int
    gw_router_add (gw_router_t *self, const char *method, const char *pattern,
                   gw_handler_fn *handler, void *arg);

//  Orders the table by specificity and makes it read-only.
void
    gw_router_freeze (gw_router_t *self);

//  Finds the route for a request; fills params (may be NULL).  Returns NULL
//  when nothing matches.  path excludes the query string.
const gw_route_t *
    gw_router_match (gw_router_t *self, const char *method, size_t method_len,
                     const char *path, size_t path_len, gw_params_t *params);

//  Looks a captured parameter up by name; returns NULL if absent.
const char *
    gw_params_get (const gw_params_t *params, const char *name, size_t *len_p);

//  Self test.
void
    oa_gw_router_test (bool verbose);

#endif
