/*  =========================================================================
    oa_health - process readiness, as /healthz and /readyz report it
    =========================================================================
*/
#include "oa_health.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define S_MAX_COMPONENTS 32

typedef struct {
    char name [48];             //  component name; empty = free slot
    oa_health_state_t state;    //  last reported state
    char reason [160];          //  why, for operators
} s_component_t;

static pthread_mutex_t s_mutex = PTHREAD_MUTEX_INITIALIZER;
static s_component_t s_components [S_MAX_COMPONENTS];

static const char *s_state_names [] = { "ready", "degraded", "not_ready" };

void
oa_health_set (const char *component, oa_health_state_t state, const char *reason)
{
    assert (component);
    pthread_mutex_lock (&s_mutex);
    s_component_t *slot = NULL;
    for (int i = 0; i < S_MAX_COMPONENTS && !slot; i++)
        if (strcmp (s_components [i].name, component) == 0)
            slot = &s_components [i];
    for (int i = 0; i < S_MAX_COMPONENTS && !slot; i++)
        if (s_components [i].name [0] == 0)
            slot = &s_components [i];
    assert (slot);              //  components are a fixed, small set
    snprintf (slot->name, sizeof slot->name, "%s", component);
    slot->state = state;
    snprintf (slot->reason, sizeof slot->reason, "%s", reason? reason: "");
    pthread_mutex_unlock (&s_mutex);
}

void
oa_health_clear (const char *component)
{
    pthread_mutex_lock (&s_mutex);
    for (int i = 0; i < S_MAX_COMPONENTS; i++)
        if (strcmp (s_components [i].name, component) == 0)
            memset (&s_components [i], 0, sizeof s_components [i]);
    pthread_mutex_unlock (&s_mutex);
}

void
oa_health_reset (void)
{
    pthread_mutex_lock (&s_mutex);
    memset (s_components, 0, sizeof s_components);
    pthread_mutex_unlock (&s_mutex);
}

oa_health_state_t
oa_health_overall (void)
{
    oa_health_state_t worst = OA_HEALTH_READY;
    pthread_mutex_lock (&s_mutex);
    for (int i = 0; i < S_MAX_COMPONENTS; i++)
        if (s_components [i].name [0] && s_components [i].state > worst)
            worst = s_components [i].state;
    pthread_mutex_unlock (&s_mutex);
    return worst;
}

//  Appends a JSON string literal; names and reasons are ours, but escape anyway.
static void
s_put_string (char *buf, size_t size, size_t *used, const char *text)
{
    char quoted [400];
    size_t q = 0;
    quoted [q++] = '"';
    for (const char *c = text; *c && q < sizeof quoted - 8; c++) {
        if (*c == '"' || *c == '\\')
            quoted [q++] = '\\';
        quoted [q++] = (unsigned char) *c < 0x20? ' ': *c;
    }
    quoted [q++] = '"';
    quoted [q] = 0;
    int n = snprintf (buf + *used, size - *used, "%s", quoted);
    *used += (n > 0 && (size_t) n < size - *used)? (size_t) n: 0;
}

size_t
oa_health_json (char *buf, size_t size)
{
    assert (size > 64);
    oa_health_state_t overall = oa_health_overall ();
    size_t used = (size_t) snprintf (buf, size, "{\"status\":\"%s\",\"components\":{",
                                     s_state_names [overall]);
    pthread_mutex_lock (&s_mutex);
    bool first = true;
    for (int i = 0; i < S_MAX_COMPONENTS; i++) {
        s_component_t *c = &s_components [i];
        if (!c->name [0] || used + 600 > size)
            continue;
        if (!first)
            buf [used++] = ',';
        first = false;
        s_put_string (buf, size, &used, c->name);
        used += (size_t) snprintf (buf + used, size - used, ":{\"status\":\"%s\",\"reason\":",
                                   s_state_names [c->state]);
        s_put_string (buf, size, &used, c->reason);
        buf [used++] = '}';
    }
    pthread_mutex_unlock (&s_mutex);
    used += (size_t) snprintf (buf + used, size - used, "}}");
    return used < size? used: size - 1;
}

void
oa_health_test (bool verbose)
{
    (void) verbose;
    char json [4096];
    oa_health_reset ();
    assert (oa_health_overall () == OA_HEALTH_READY);
    oa_health_json (json, sizeof json);
    assert (strcmp (json, "{\"status\":\"ready\",\"components\":{}}") == 0);

    oa_health_set ("store", OA_HEALTH_DOWN, "connect: \"refused\"");
    oa_health_set ("workers", OA_HEALTH_READY, NULL);
    assert (oa_health_overall () == OA_HEALTH_DOWN);
    oa_health_json (json, sizeof json);
    assert (strstr (json, "\"status\":\"not_ready\""));
    assert (strstr (json, "\"store\":{\"status\":\"not_ready\",\"reason\":\"connect: \\\"refused\\\"\"}"));
    oa_health_set ("store", OA_HEALTH_DEGRADED, "ledger away");
    assert (oa_health_overall () == OA_HEALTH_DEGRADED);
    oa_health_clear ("store");
    assert (oa_health_overall () == OA_HEALTH_READY);
    oa_health_reset ();
}
