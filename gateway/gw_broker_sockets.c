/*  =========================================================================
    gw_broker_sockets - the broker's sockets: ROUTERs, CURVE and ZAP

    Part of gw_broker.  Builds the two ROUTERs with the options every
    broker socket needs, turns the backend into a CURVE server on tcp, and
    holds the ZAP handler (RFC 27): one REP socket bound on
    inproc://zeromq.zap.01, polled by the broker's own loop, with an
    in-memory allow-list of client public keys (ONEAPI_CURVE_ALLOWED_KEYS).
    We answer ZAP ourselves rather than run CZMQ's zauth actor because
    zauth wants the keys as certificate files in a directory, and one more
    thread; this is a few dozen lines and keeps the allow-list in memory.
    =========================================================================
*/
#include "gw_broker_private.h"

#include "oa_log.h"
#include "oa_msg.h"
#include "oa_wire.h"

#define S_ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define S_KEY_BYTES 32                  //  a CURVE public key, binary
#define S_KEYS_MAX 1024                 //  allow-list entries
#define S_HWM 100000                    //  messages queued per peer, each way

struct _gw_broker_zap_t {
    zsock_t *handler;                   //  REP on the ZAP endpoint
    uint8_t (*keys) [S_KEY_BYTES];      //  allowed client public keys
    size_t nkeys;                       //  entries in keys
    size_t accepted;                    //  handshakes allowed
    size_t denied;                      //  handshakes refused
};

gw_broker_zap_t *
gw_broker_zap_new (const char *allowed_keys, char *err, size_t err_size)
{
    gw_broker_zap_t *self = (gw_broker_zap_t *) zmalloc (sizeof (gw_broker_zap_t));
    self->keys = calloc (S_KEYS_MAX, S_KEY_BYTES);
    assert (self->keys);
    char *list = strdup (allowed_keys? allowed_keys: "");
    assert (list);
    char *saveptr = NULL;
    for (char *key = strtok_r (list, ", \t", &saveptr); key;
         key = strtok_r (NULL, ", \t", &saveptr)) {
        if (strlen (key) != 40 || self->nkeys == S_KEYS_MAX
        ||  !zmq_z85_decode (self->keys [self->nkeys], key)) {
            snprintf (err, err_size, "invalid value for ONEAPI_CURVE_ALLOWED_KEYS: "
                      "expected at most %d comma-separated 40-character Z85 keys",
                      S_KEYS_MAX);
            free (list);
            gw_broker_zap_destroy (&self);
            return NULL;
        }
        self->nkeys++;
    }
    free (list);
    if (self->nkeys == 0) {
        snprintf (err, err_size, "CURVE is on (ONEAPI_CURVE_SECRET_KEY) but "
                  "ONEAPI_CURVE_ALLOWED_KEYS is empty: no worker could connect");
        gw_broker_zap_destroy (&self);
        return NULL;
    }
    self->handler = zsock_new (ZMQ_REP);
    assert (self->handler);
    zsock_set_linger (self->handler, 0);
    if (zsock_bind (self->handler, S_ZAP_ENDPOINT) != 0) {
        snprintf (err, err_size, "cannot bind %s (%s): another ZAP handler runs in "
                  "this process", S_ZAP_ENDPOINT, zmq_strerror (zmq_errno ()));
        gw_broker_zap_destroy (&self);
        return NULL;
    }
    return self;
}

zsock_t *
gw_broker_zap_socket (gw_broker_zap_t *self)
{
    assert (self);
    return self->handler;
}

//  Decides one request: frames are version, request id, domain, address,
//  identity, mechanism, then the mechanism's credentials.
static bool
s_allowed (gw_broker_zap_t *self, zmsg_t *request)
{
    if (zmsg_size (request) < 7)
        return false;
    zframe_t *frame = zmsg_first (request);
    if (!zframe_streq (frame, "1.0"))
        return false;
    zmsg_next (request);                //  request id
    if (!zframe_streq (zmsg_next (request), GW_BROKER_ZAP_DOMAIN))
        return false;
    zmsg_next (request);                //  address
    zmsg_next (request);                //  identity
    if (!zframe_streq (zmsg_next (request), "CURVE"))
        return false;
    zframe_t *key = zmsg_next (request);
    if (zframe_size (key) != S_KEY_BYTES)
        return false;
    for (size_t i = 0; i < self->nkeys; i++)
        if (memcmp (zframe_data (key), self->keys [i], S_KEY_BYTES) == 0)
            return true;
    return false;
}

void
gw_broker_zap_handle (gw_broker_zap_t *self)
{
    assert (self);
    while (zsock_events (self->handler) & ZMQ_POLLIN) {
        zmsg_t *request = zmsg_recv (self->handler);
        if (!request)
            break;
        bool allowed = s_allowed (self, request);
        zmsg_first (request);
        zframe_t *request_id = zmsg_next (request);     //  echoed back; may be NULL
        zmsg_t *reply = zmsg_new ();
        zmsg_addstr (reply, "1.0");
        if (request_id)
            zmsg_addmem (reply, zframe_data (request_id), zframe_size (request_id));
        else
            zmsg_addstr (reply, "");
        zmsg_addstr (reply, allowed? "200": "400");
        zmsg_addstr (reply, allowed? "OK": "key not allowed");
        zmsg_addstr (reply, "");        //  user id
        zmsg_addmem (reply, NULL, 0);   //  metadata
        zmsg_destroy (&request);
        if (allowed)
            self->accepted++;
        else {
            self->denied++;
            oa_log_warn ("broker", "refused a worker connection: CURVE key not allowed");
        }
        if (zmsg_send (&reply, self->handler) != 0)
            zmsg_destroy (&reply);
    }
}

size_t
gw_broker_zap_accepted (gw_broker_zap_t *self)
{
    assert (self);
    return self->accepted;
}

size_t
gw_broker_zap_denied (gw_broker_zap_t *self)
{
    assert (self);
    return self->denied;
}

void
gw_broker_zap_destroy (gw_broker_zap_t **self_p)
{
    assert (self_p);
    gw_broker_zap_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->handler);
    free (self->keys);
    free (self);
    *self_p = NULL;
}


//  --------------------------------------------------------------------------
//  The broker's ROUTERs

zsock_t *
gw_broker_router_new (const char *endpoint, char *err, size_t err_size)
{
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    assert (router);
    zsock_set_router_mandatory (router, 1);     //  unknown peer: EHOSTUNREACH, not a silent drop
    zsock_set_linger (router, 0);
    zsock_set_sndhwm (router, S_HWM);
    zsock_set_rcvhwm (router, S_HWM);
    if (endpoint && zsock_bind (router, "%s", endpoint) == -1) {
        snprintf (err, err_size, "cannot bind %s: %s", endpoint, zmq_strerror (zmq_errno ()));
        zsock_destroy (&router);
    }
    return router;
}

zsock_t *
gw_broker_backend_new (const oa_config_t *config, const char *endpoint,
                       gw_broker_zap_t **zap_p, char *err, size_t err_size)
{
    assert (zap_p);
    zsock_t *backend = gw_broker_router_new (NULL, err, err_size);
    zsock_set_maxmsgsize (backend, OA_MSG_PAYLOAD_MAX);     //  per frame, from any peer
    bool tcp = strncmp (endpoint, "tcp://", 6) == 0;
    if (config && *config->curve_secret_key && tcp) {
        if (!zmq_has ("curve")) {
            snprintf (err, err_size, "ONEAPI_CURVE_SECRET_KEY is set but libzmq has no CURVE");
            zsock_destroy (&backend);
            return NULL;
        }
        //  The handler must be bound before the first peer shakes hands
        *zap_p = gw_broker_zap_new (config->curve_allowed_keys, err, err_size);
        if (!*zap_p) {
            zsock_destroy (&backend);
            return NULL;
        }
        zsock_set_zap_domain (backend, GW_BROKER_ZAP_DOMAIN);
        zsock_set_curve_server (backend, 1);
        zsock_set_curve_secretkey (backend, config->curve_secret_key);
        zsock_set_curve_publickey (backend, config->curve_public_key);
    }
    else
    if (config && *config->curve_secret_key)
        oa_log_info ("broker", "CURVE keys ignored on %s (not tcp)", endpoint);
    else
    if (tcp)
        oa_log_warn ("broker", "workers connect to %s without CURVE: any peer that "
                     "reaches it can act as a worker", endpoint);
    if (zsock_bind (backend, "%s", endpoint) == -1) {
        snprintf (err, err_size, "cannot bind ONEAPI_GATEWAY_BIND %s: %s", endpoint,
                  zmq_strerror (zmq_errno ()));
        zsock_destroy (&backend);
        gw_broker_zap_destroy (zap_p);
    }
    return backend;
}


//  --------------------------------------------------------------------------
//  Raw frames: replies and requests cross the broker without a decode and
//  re-encode; only the envelope is read (oa_wire_peek), and the receiver
//  decodes the body as it would anyway.

int
gw_broker_frames_recv (void *handle, gw_broker_frames_t *frames)
{
    assert (handle);
    assert (frames);
    zmq_msg_init (&frames->routing);
    if (zmq_msg_recv (&frames->routing, handle, ZMQ_DONTWAIT) == -1) {
        zmq_msg_close (&frames->routing);
        return -1;                      //  EAGAIN, or the socket is closing
    }
    //  The rest of a multipart message is here once its first frame is
    zmq_msg_init (&frames->body);
    zmq_msg_init (&frames->payload);
    frames->has_payload = false;
    zmq_msg_t *slots [] = { &frames->body, &frames->payload };
    size_t count = 0;
    bool more = zmq_msg_more (&frames->routing);
    while (more) {
        zmq_msg_t extra;
        zmq_msg_t *target = count < 2? slots [count]: &extra;
        if (target == &extra)
            zmq_msg_init (&extra);
        if (zmq_msg_recv (target, handle, 0) == -1) {
            if (errno == EINTR)
                continue;
            break;
        }
        more = zmq_msg_more (target);
        if (target == &extra)
            zmq_msg_close (&extra);
        count++;
    }
    frames->has_payload = count == 2;
    if (count == 1 || count == 2)
        return 0;
    gw_broker_frames_close (frames);
    return 1;                           //  routing id alone, or too many frames
}

int
gw_broker_frames_recv_header (void *handle, gw_broker_frames_t *frames,
                              oa_wire_header_t *header)
{
    //  The envelope checks of oa_msg's decoder, for the frames we only peek at
    static const oa_wire_limits_t limits = {
        OA_MSG_FRAME_MAX, OA_MSG_OBJECTS_MAX, OA_MSG_DEPTH_MAX, OA_MSG_VERSION_MIN, OA_MSG_VERSION
    };
    int rc = gw_broker_frames_recv (handle, frames);
    if (rc != 0)
        return rc;
    if (oa_wire_peek (&limits, zmq_msg_data (&frames->body), zmq_msg_size (&frames->body),
                      header) == 0)
        return 0;
    gw_broker_frames_close (frames);
    return 1;
}

oa_msg_t *
gw_broker_error_new (uint64_t corr_id, int status, const char *type, const char *code,
                     const char *message, bool bytes_sent)
{
    oa_msg_t *error = oa_msg_new (OA_MSG_RELAY_ERROR);
    assert (error);
    oa_msg_set_corr_id (error, corr_id);
    oa_msg_set_status (error, (uint16_t) status);
    oa_msg_set_error_type (error, type);
    oa_msg_set_code (error, code);
    oa_msg_set_message (error, message);
    oa_msg_set_bytes_sent (error, bytes_sent);
    oa_msg_set_retryable (error, status == 503);
    return error;
}

int
gw_broker_frames_send (void *handle, zframe_t *routing_id, zmq_msg_t *body,
                       zmq_msg_t *payload, bool copy)
{
    assert (handle);
    assert (routing_id);
    assert (body);
    //  Only the routing frame may fail (EHOSTUNREACH with ROUTER_MANDATORY,
    //  EAGAIN at the HWM); once it is queued the rest is accepted, so no
    //  half message is ever left on the socket.
    if (zmq_send (handle, zframe_data (routing_id), zframe_size (routing_id),
                  ZMQ_SNDMORE | ZMQ_DONTWAIT) == -1)
        return -1;
    zmq_msg_t copies [2];
    if (copy) {
        zmq_msg_init (&copies [0]);
        zmq_msg_copy (&copies [0], body);       //  shares the bytes, counted
        body = &copies [0];
        if (payload) {
            zmq_msg_init (&copies [1]);
            zmq_msg_copy (&copies [1], payload);
            payload = &copies [1];
        }
    }
    int rc = zmq_msg_send (body, handle, payload? ZMQ_SNDMORE: 0);
    if (rc != -1 && payload)
        rc = zmq_msg_send (payload, handle, 0);
    if (copy) {
        zmq_msg_close (body);           //  no-ops once sent
        if (payload)
            zmq_msg_close (payload);
    }
    return rc == -1? -1: 0;
}

oa_msg_t *
gw_broker_frames_decode (gw_broker_frames_t *frames, int *err)
{
    assert (frames);
    zmsg_t *msg = zmsg_new ();
    zmsg_addmem (msg, zmq_msg_data (&frames->body), zmq_msg_size (&frames->body));
    if (frames->has_payload)
        zmsg_addmem (msg, zmq_msg_data (&frames->payload), zmq_msg_size (&frames->payload));
    oa_msg_t *decoded = oa_msg_decode (&msg, err);
    if (decoded) {
        zframe_t *routing_id = zframe_new (zmq_msg_data (&frames->routing),
                                           zmq_msg_size (&frames->routing));
        oa_msg_set_routing_id (decoded, routing_id);
        zframe_destroy (&routing_id);
    }
    return decoded;
}

bool
gw_broker_frames_from (gw_broker_frames_t *frames, zframe_t *routing_id)
{
    assert (frames);
    return routing_id
        && zframe_size (routing_id) == zmq_msg_size (&frames->routing)
        && memcmp (zframe_data (routing_id), zmq_msg_data (&frames->routing),
                   zframe_size (routing_id)) == 0;
}

void
gw_broker_frames_close (gw_broker_frames_t *frames)
{
    assert (frames);
    zmq_msg_close (&frames->routing);
    zmq_msg_close (&frames->body);
    zmq_msg_close (&frames->payload);
}
