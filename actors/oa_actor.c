/*  =========================================================================
    oa_actor - the pipe contract every actor of this project keeps

    Small helpers so that every actor answers DRAIN, STATUS and $TERM the
    same way; the contract itself is described in oa_actor.h.
    =========================================================================
*/
#include "oa_actor.h"

#include <pthread.h>

#include "oa_log.h"

char *
oa_actor_pipe_command (zsock_t *pipe, zmsg_t **args_p)
{
    assert (pipe);
    if (args_p)
        *args_p = NULL;
    zmsg_t *msg = zmsg_recv (pipe);
    if (!msg)
        return NULL;
    char *command = zmsg_signal (msg) >= 0? NULL: zmsg_popstr (msg);
    if (command && args_p)
        *args_p = msg;
    else
        zmsg_destroy (&msg);
    return command;
}

int
oa_actor_handle_default (zsock_t *pipe, const char *command)
{
    assert (pipe);
    assert (command);
    if (streq (command, OA_ACTOR_TERM))
        return 1;
    if (streq (command, OA_ACTOR_DRAIN)) {
        oa_actor_drained (pipe);
        return 0;
    }
    if (streq (command, OA_ACTOR_STATUS)) {
        zstr_send (pipe, "READY");
        return 0;
    }
    return -1;
}

void
oa_actor_set_name (const char *name)
{
    assert (name);
    char shown [16];
    snprintf (shown, sizeof shown, "%s", name);
    pthread_setname_np (pthread_self (), shown);
}

int
oa_actor_drained (zsock_t *pipe)
{
    assert (pipe);
    return zstr_send (pipe, OA_ACTOR_DRAINED);
}


//  --------------------------------------------------------------------------
//  Self test: an actor built only from the helpers.

static void
s_plain_actor (zsock_t *pipe, void *args)
{
    (void) args;
    zsock_signal (pipe, 0);
    bool terminated = false;
    while (!terminated) {
        zmsg_t *arguments = NULL;
        char *command = oa_actor_pipe_command (pipe, &arguments);
        if (!command)
            break;              //  interrupted
        int rc = oa_actor_handle_default (pipe, command);
        if (rc == 1)
            terminated = true;
        else
        if (rc == -1 && streq (command, "ECHO"))
            zmsg_send (&arguments, pipe);
        else
        if (rc == -1)
            oa_log_warn ("actor", "unknown pipe command '%s'", command);
        zmsg_destroy (&arguments);
        zstr_free (&command);
    }
}

void
oa_actor_test (bool verbose)
{
    (void) verbose;
    zactor_t *actor = zactor_new (s_plain_actor, NULL);
    assert (actor);
    zstr_send (actor, OA_ACTOR_STATUS);
    char *reply = zstr_recv (actor);
    assert (reply && streq (reply, "READY"));
    zstr_free (&reply);
    zstr_sendx (actor, "ECHO", "one", "two", NULL);
    char *one = NULL, *two = NULL;
    assert (zstr_recvx (actor, &one, &two, NULL) == 2);
    assert (streq (one, "one") && streq (two, "two"));
    zstr_free (&one);
    zstr_free (&two);
    zstr_send (actor, "NO-SUCH-COMMAND");    //  logged and ignored
    zstr_send (actor, OA_ACTOR_DRAIN);
    reply = zstr_recv (actor);
    assert (reply && streq (reply, OA_ACTOR_DRAINED));
    zstr_free (&reply);
    zactor_destroy (&actor);
    assert (actor == NULL);
}
