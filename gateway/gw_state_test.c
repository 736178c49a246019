/*  =========================================================================
    gw_state_test - decision tables of the replica (no ledger needed):
    relay-key failures with one-api's statuses and messages, pin suffixes,
    subnets, expiry, weighted picks, priority tiers, model mapping, base
    URLs, suspensions, the 503 text, model lists, change sequencing.
    The ledger round trip is oa_gateway_state_ledger (gw_state_ledger.c).
    =========================================================================
*/
#include "gw_state.h"

#include "oa_msg.h"

//  A SNAPSHOT_CHUNK of table with rows (JSON text).
static oa_msg_t *
s_chunk (const char *table, uint64_t seq, bool last, const char *rows)
{
    oa_msg_t *msg = oa_msg_new (OA_MSG_SNAPSHOT_CHUNK);
    oa_msg_set_table (msg, table);
    oa_msg_set_seq (msg, seq);
    oa_msg_set_last (msg, last);
    oa_msg_set_payload_bytes (msg, rows, strlen (rows));
    return msg;
}

static oa_msg_t *
s_change (const char *table, uint64_t seq, int op, const char *row_id, const char *row)
{
    oa_msg_t *msg = oa_msg_new (OA_MSG_CHANGE);
    oa_msg_set_table (msg, table);
    oa_msg_set_seq (msg, seq);
    oa_msg_set_op (msg, (uint8_t) op);
    oa_msg_set_row_id (msg, row_id);
    if (row)
        oa_msg_set_payload_bytes (msg, row, strlen (row));
    return msg;
}

static int
s_apply (gw_state_t *state, oa_msg_t *msg)
{
    int rc = gw_state_apply (state, msg);
    oa_msg_destroy (&msg);
    return rc;
}

#define S_NOW_MS 1700000000000LL

static const char *s_users =
    "[{\"id\":1,\"uuid\":\"u-1\",\"username\":\"alice\",\"role\":1,\"status\":1,\"quota\":1000,"
    "\"group\":\"default\"},"
    "{\"id\":2,\"uuid\":\"u-2\",\"username\":\"root\",\"role\":100,\"status\":1,\"quota\":1000,"
    "\"group\":\"vip\"},"
    "{\"id\":3,\"username\":\"banned\",\"role\":1,\"status\":2,\"quota\":1000,\"group\":\"default\"},"
    "{\"id\":4,\"username\":\"broke\",\"role\":1,\"status\":1,\"quota\":0,\"group\":\"default\"}]";

static const char *s_tokens =
    "[{\"id\":11,\"user_id\":1,\"key\":\"aliceKey000000000000\",\"status\":1,\"name\":\"ok\","
    "\"expired_time\":-1,\"remain_quota\":100,\"unlimited_quota\":false,\"models\":\"\","
    "\"subnet\":\"\"},"
    "{\"id\":12,\"user_id\":1,\"key\":\"disabledKey000000000\",\"status\":2,\"name\":\"off\","
    "\"expired_time\":-1,\"remain_quota\":100},"
    "{\"id\":13,\"user_id\":1,\"key\":\"expiredKey0000000000\",\"status\":3,\"name\":\"old\","
    "\"expired_time\":-1,\"remain_quota\":100},"
    "{\"id\":14,\"user_id\":1,\"key\":\"exhaustedKey00000000\",\"status\":4,\"name\":\"dry\","
    "\"expired_time\":-1,\"remain_quota\":0},"
    "{\"id\":15,\"user_id\":1,\"key\":\"pastKey0000000000000\",\"status\":1,\"name\":\"past\","
    "\"expired_time\":1600000000,\"remain_quota\":100},"
    "{\"id\":16,\"user_id\":1,\"key\":\"usedUpKey00000000000\",\"status\":1,\"name\":\"spent\","
    "\"expired_time\":-1,\"remain_quota\":0,\"unlimited_quota\":0},"
    "{\"id\":17,\"user_id\":1,\"key\":\"unlimitedKey00000000\",\"status\":1,\"name\":\"free\","
    "\"expired_time\":1800000000,\"remain_quota\":0,\"unlimited_quota\":1},"
    "{\"id\":18,\"user_id\":1,\"key\":\"subnetKey00000000000\",\"status\":1,\"name\":\"net\","
    "\"expired_time\":-1,\"remain_quota\":9,\"subnet\":\"10.0.0.0/8, 2001:db8::/32\"},"
    "{\"id\":19,\"user_id\":1,\"key\":\"modelsKey00000000000\",\"status\":1,\"name\":\"few\","
    "\"expired_time\":-1,\"remain_quota\":9,\"models\":\"gpt-4o, claude-3\"},"
    "{\"id\":20,\"user_id\":3,\"key\":\"bannedKey00000000000\",\"status\":1,\"name\":\"b\","
    "\"expired_time\":-1,\"remain_quota\":9},"
    "{\"id\":21,\"user_id\":4,\"key\":\"brokeKey000000000000\",\"status\":1,\"name\":\"c\","
    "\"expired_time\":-1,\"remain_quota\":9},"
    "{\"id\":22,\"user_id\":2,\"key\":\"rootKey0000000000000\",\"status\":1,\"name\":\"r\","
    "\"expired_time\":-1,\"remain_quota\":9,\"unlimited_quota\":true},"
    "{\"id\":23,\"user_id\":99,\"key\":\"orphanKey00000000000\",\"status\":1,\"name\":\"o\","
    "\"expired_time\":-1,\"remain_quota\":9}]";

//  Channels 1 (w1) and 2 (w3) at priority 10, 3 at 5; 4 disabled; 5 and 6
//  at priority 0 and -1 for "p0"; 7 serves a mapped model.
static const char *s_channels =
    "[{\"id\":1,\"uuid\":\"0b7e2f0c-2a1b-4c3d-8e9f-0123456789ab\",\"type\":1,\"key\":\"k1\","
    "\"status\":1,\"weight\":1,\"priority\":10,\"base_url\":\"\",\"models\":\"gpt-4o\","
    "\"group\":\"default,vip\",\"config\":\"{\\\"region\\\":\\\"x\\\"}\",\"other\":\"o1\"},"
    "{\"id\":2,\"type\":14,\"key\":\"k2\",\"status\":1,\"weight\":3,\"priority\":10,"
    "\"base_url\":\"https://proxy.example\",\"models\":\"gpt-4o\",\"group\":\"default\"},"
    "{\"id\":3,\"type\":36,\"key\":\"k3\",\"status\":1,\"weight\":0,\"priority\":5,"
    "\"models\":\"gpt-4o\",\"group\":\"default\"},"
    "{\"id\":4,\"type\":1,\"key\":\"k4\",\"status\":2,\"weight\":100,\"priority\":99,"
    "\"models\":\"gpt-4o\",\"group\":\"default\"},"
    "{\"id\":5,\"type\":24,\"key\":\"k5\",\"status\":1,\"weight\":0,\"priority\":0,"
    "\"models\":\"p0\",\"group\":\"default\"},"
    "{\"id\":6,\"type\":3,\"key\":\"k6\",\"status\":1,\"weight\":0,\"priority\":-1,"
    "\"models\":\"p0\",\"group\":\"default\"},"
    "{\"id\":7,\"type\":50,\"key\":\"k7\",\"status\":1,\"weight\":0,\"priority\":0,"
    "\"models\":\"alias,real\",\"group\":\"vip\","
    "\"model_mapping\":\"{\\\"alias\\\":\\\"real-upstream\\\"}\","
    "\"model_configs\":\"{\\\"alias\\\":{\\\"max_tokens\\\":7}}\"}]";

static const char *s_abilities =
    "[{\"group\":\"default\",\"model\":\"gpt-4o\",\"channel_id\":1,\"enabled\":true,\"priority\":10},"
    "{\"group\":\"vip\",\"model\":\"gpt-4o\",\"channel_id\":1,\"enabled\":true,\"priority\":10},"
    "{\"group\":\"default\",\"model\":\"gpt-4o\",\"channel_id\":2,\"enabled\":1,\"priority\":10},"
    "{\"group\":\"default\",\"model\":\"gpt-4o\",\"channel_id\":3,\"enabled\":true,\"priority\":5},"
    "{\"group\":\"default\",\"model\":\"gpt-4o\",\"channel_id\":4,\"enabled\":false,\"priority\":99},"
    "{\"group\":\"default\",\"model\":\"p0\",\"channel_id\":5,\"enabled\":true,\"priority\":0},"
    "{\"group\":\"default\",\"model\":\"p0\",\"channel_id\":6,\"enabled\":true,\"priority\":-1},"
    "{\"group\":\"vip\",\"model\":\"alias\",\"channel_id\":7,\"enabled\":true,\"priority\":0},"
    "{\"group\":\"default\",\"model\":\"later\",\"channel_id\":5,\"enabled\":true,\"priority\":0,"
    "\"suspend_until\":1700000060000}]";

static gw_state_t *
s_loaded (void)
{
    gw_state_t *state = gw_state_new ();
    assert (!gw_state_ready (state));
    assert (s_apply (state, s_chunk ("users", 500, false, s_users)) == 0);
    assert (s_apply (state, s_chunk ("tokens", 500, false, s_tokens)) == 0);
    assert (s_apply (state, s_chunk ("channels", 500, false, s_channels)) == 0);
    assert (s_apply (state, s_chunk ("abilities", 500, false, s_abilities)) == 0);
    assert (!gw_state_ready (state));
    assert (s_apply (state, s_chunk ("options", 500, true,
        "[{\"key\":\"GroupRatio\",\"value\":\"{\\\"default\\\":1,\\\"vip\\\":0.75}\"}]")) == 0);
    assert (gw_state_ready (state));
    assert (gw_state_seq (state) == 500);
    assert (gw_state_count (state, "tokens") == 13);
    return state;
}

typedef struct {
    const char *credential;     //  as the client sent it
    const char *ip;             //  client address
    const char *model;          //  requested model
    int status;                 //  expected status, 0 = accepted
    const char *message;        //  expected message
} s_auth_case_t;

static void
s_test_auth (gw_state_t *state, bool verbose)
{
    const s_auth_case_t cases [] = {
        { "", "1.2.3.4", "gpt-4o", 401, "No token provided" },
        //  one-api trims first, so "Bearer " is the key "Bearer".
        { "Bearer ", "1.2.3.4", "gpt-4o", 401, "token not found for key: ***: record not found" },
        { "Bearer  ", "1.2.3.4", "gpt-4o", 401, "token not found for key: ***: record not found" },
        { "   ", "1.2.3.4", "gpt-4o", 401, "No token provided" },
        { "Bearer sk-nope00000000000000", "1.2.3.4", "gpt-4o", 401,
          "token not found for key: nope00...0000: record not found" },
        { "sk-short", "1.2.3.4", "gpt-4o", 401, "token not found for key: ***: record not found" },
        { "Bearer sk-disabledKey000000000", "1.2.3.4", "gpt-4o", 401,
          "token off (#12) status is not available (status: 2)" },
        { "Bearer sk-expiredKey0000000000", "1.2.3.4", "gpt-4o", 401, "token old (#13) has expired" },
        { "Bearer sk-exhaustedKey00000000", "1.2.3.4", "gpt-4o", 401,
          "API Key dry (#14) quota has been exhausted" },
        { "Bearer sk-pastKey0000000000000", "1.2.3.4", "gpt-4o", 401,
          "token past (#15) has expired at timestamp 1600000000" },
        { "Bearer sk-usedUpKey00000000000", "1.2.3.4", "gpt-4o", 401,
          "token spent (#16) quota has been used up (remaining: 0)" },
        { "Bearer sk-subnetKey00000000000", "192.168.1.1", "gpt-4o", 403,
          "This API key can only be used in the specified subnet: 10.0.0.0/8, 2001:db8::/32, "
          "current IP: 192.168.1.1" },
        { "Bearer sk-orphanKey00000000000", "1.2.3.4", "gpt-4o", 500,
          "failed to get user: record not found" },
        { "Bearer sk-bannedKey00000000000", "1.2.3.4", "gpt-4o", 403, "User has been banned" },
        { "Bearer sk-modelsKey00000000000", "1.2.3.4", "gpt-3.5", 403,
          "This API key does not have permission to use the model: gpt-3.5" },
        { "Bearer sk-aliceKey000000000000-3", "1.2.3.4", "gpt-4o", 403,
          "Ordinary users do not support specifying channels" },
        { "Bearer sk-rootKey0000000000000-0", "1.2.3.4", "gpt-4o", 400, "Invalid Channel Id: 0" },
        { "Bearer sk-rootKey0000000000000-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "1.2.3.4",
          "gpt-4o", 400, "Invalid Channel Id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" },
        { "Bearer sk-brokeKey000000000000", "1.2.3.4", "gpt-4o", 403, "user quota is not enough" },
        //  Accepted ones.
        { "Bearer sk-aliceKey000000000000", "1.2.3.4", "gpt-4o", 0, NULL },
        { "bEaReR   aliceKey000000000000", "1.2.3.4", "gpt-4o", 0, NULL },
        { "laisky-aliceKey000000000000", "1.2.3.4", "gpt-4o", 0, NULL },
        { "Bearer sk-unlimitedKey00000000", "1.2.3.4", "gpt-4o", 0, NULL },
        { "Bearer sk-subnetKey00000000000", "10.9.8.7", "gpt-4o", 0, NULL },
        { "Bearer sk-subnetKey00000000000", "2001:db8::1", "gpt-4o", 0, NULL },
        { "Bearer sk-subnetKey00000000000", "::ffff:10.1.1.1", "gpt-4o", 0, NULL },
        { "Bearer sk-modelsKey00000000000", "1.2.3.4", "claude-3", 0, NULL },
        { "Bearer sk-rootKey0000000000000-3", "1.2.3.4", "gpt-4o", 0, NULL },
        { NULL, NULL, NULL, 0, NULL }
    };
    for (const s_auth_case_t *test = cases; test->credential; test++) {
        gw_caller_t caller;
        gw_failure_t failure;
        memset (&failure, 0, sizeof failure);
        int rc = gw_state_authorize (state, test->credential, test->ip, test->model, S_NOW_MS,
                                     &caller, &failure);
        if (verbose || (test->status? rc == 0 || failure.status != test->status
                                     || strcmp (failure.message, test->message): rc != 0))
            printf ("\n   - '%s' -> %d %d %s", test->credential, rc, failure.status,
                    rc? failure.message: "");
        fflush (stdout);
        if (test->status) {
            assert (rc == -1);
            assert (failure.status == test->status);
            assert (streq (failure.message, test->message));
            assert (streq (failure.type, "one_api_error"));
        }
        else
            assert (rc == 0);
    }
    //  The accepted caller.
    gw_caller_t caller;
    gw_failure_t failure;
    assert (gw_state_authenticate (state, "Bearer sk-rootKey0000000000000-3", "::1", S_NOW_MS,
                                   &caller, &failure) == 0);
    assert (caller.pinned_channel_id == 3 && caller.user_id == 2 && caller.token_id == 22);
    assert (streq (caller.group, "vip") && caller.user_role == 100 && caller.unlimited);
    assert (gw_state_authenticate (state,
        "sk-rootKey0000000000000-0B7E2F0C-2A1B-4C3D-8E9F-0123456789AB", "::1", S_NOW_MS,
        &caller, &failure) == 0);
    assert (caller.pinned_channel_id == 1);
    //  Expiry is by expired_time against now: before it, accepted.
    assert (gw_state_authenticate (state, "sk-unlimitedKey00000000", "1.1.1.1",
                                   1800000000LL * 1000 + 1000, &caller, &failure) == -1);
    assert (streq (failure.message, "token free (#17) has expired at timestamp 1800000000"));
    //  The split check: model allow-list after authenticate.
    assert (gw_state_authenticate (state, "sk-modelsKey00000000000", "1.1.1.1", S_NOW_MS,
                                   &caller, &failure) == 0);
    assert (gw_state_check_model (state, &caller, "gpt-4o", &failure) == 0);
    assert (gw_state_check_model (state, &caller, "gpt-4", &failure) == -1);
    assert (failure.status == 403);
}

static void
s_test_split (void)
{
    const char *cases [][3] = {
        //  credential, key, pin
        { "sk-abc", "abc", "" },
        { "Bearer sk-abc-12", "abc", "12" },
        { "abc-12x", "abc-12x", "" },
        { "abc-", "abc-", "" },
        { "-12", "-12", "" },
        { "a-b-c-7", "a-b-c", "7" },
        { "tok-123e4567-e89b-12d3-a456-426614174000", "tok", "123e4567-e89b-12d3-a456-426614174000" },
        { "tok-123e4567-e89b-12d3-a456-42661417400z", "tok-123e4567-e89b-12d3-a456-42661417400z", "" },
        { "123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456", "426614174000" },
        { "my-sk-abc", "my-sk-abc", "" },
        { "sk-laisky-abc", "abc", "" },
        { NULL, NULL, NULL }
    };
    for (int index = 0; cases [index][0]; index++) {
        char key [128];
        char pin [64];
        gw_state_split_key (cases [index][0], "sk-", key, sizeof key, pin, sizeof pin);
        if (strcmp (key, cases [index][1]) || strcmp (pin, cases [index][2]))
            printf ("\n   - split '%s' -> '%s' '%s'", cases [index][0], key, pin);
        assert (streq (key, cases [index][1]) && streq (pin, cases [index][2]));
    }
    //  A custom TOKEN_KEY_PREFIX goes first, then the legacy ones.
    char key [64];
    char pin [64];
    gw_state_split_key ("Bearer oa-sk-xyz", "oa-", key, sizeof key, pin, sizeof pin);
    assert (streq (key, "xyz") && !*pin);
}

static void
s_test_subnets (void)
{
    assert (gw_state_ip_in_subnets ("10.1.2.3", "10.0.0.0/8"));
    assert (gw_state_ip_in_subnets ("192.168.1.200", "10.0.0.0/8 , 192.168.1.128/25"));
    assert (!gw_state_ip_in_subnets ("192.168.1.100", "192.168.1.128/25"));
    assert (gw_state_ip_in_subnets ("1.2.3.4", "0.0.0.0/0"));
    assert (!gw_state_ip_in_subnets ("1.2.3.4", "1.2.3.4"));        //  not a CIDR
    assert (gw_state_ip_in_subnets ("1.2.3.4", "1.2.3.4/32"));
    assert (gw_state_ip_in_subnets ("2001:db8:1::5", "2001:db8::/32"));
    assert (!gw_state_ip_in_subnets ("2001:db9::5", "2001:db8::/32"));
    assert (!gw_state_ip_in_subnets ("10.0.0.1", "2001:db8::/32"));
    assert (!gw_state_ip_in_subnets ("2001:db8::1", "10.0.0.0/8"));
    assert (gw_state_ip_in_subnets ("::ffff:10.0.0.1", "10.0.0.0/8"));
    assert (gw_state_ip_in_subnets ("fe80::1", "fe80::/10"));
    assert (!gw_state_ip_in_subnets ("garbage", "0.0.0.0/0"));
    assert (!gw_state_ip_in_subnets ("1.2.3.4", "1.2.3.0/33"));
}

static gw_caller_t
s_caller (const char *group)
{
    gw_caller_t caller;
    memset (&caller, 0, sizeof caller);
    snprintf (caller.group, sizeof caller.group, "%s", group);
    return caller;
}

static void
s_test_choose (gw_state_t *state, bool verbose)
{
    gw_state_set_seed (state, 42);
    gw_caller_t caller = s_caller ("default");
    gw_failure_t failure;
    //  Weights 1:3 inside the top tier.  With a fixed seed the run is
    //  deterministic; the bound (±4 points, about 6 standard deviations
    //  for n = 4000) would also hold for any other seed.
    int firsts [8] = { 0 };
    int third_is_tier2 = 0;
    const int draws = 4000;
    for (int index = 0; index < draws; index++) {
        oa_msg_t *request = oa_msg_new (OA_MSG_RELAY_REQUEST);
        int count = gw_state_choose (state, &caller, "gpt-4o", 5, S_NOW_MS, request, &failure);
        assert (count == 3);        //  channel 4 is disabled
        uint64_t first = oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 0));
        uint64_t second = oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 1));
        uint64_t third = oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 2));
        assert (first == 1 || first == 2);
        assert ((second == 1 || second == 2) && second != first);
        third_is_tier2 += third == 3;
        firsts [first]++;
        oa_msg_destroy (&request);
    }
    double share = (double) firsts [2] / draws;
    if (verbose)
        printf ("\n   - weight 3 of 4 chosen first %.3f", share);
    assert (share > 0.71 && share < 0.79);
    assert (third_is_tier2 == draws);
    //  All weights 0: s_test_weight_zero.
    oa_msg_t *request;

    //  Priority 0 above -1: tiers split at zero and below too (documented).
    for (int index = 0; index < 50; index++) {
        request = oa_msg_new (OA_MSG_RELAY_REQUEST);
        assert (gw_state_choose (state, &caller, "p0", 5, S_NOW_MS, request, &failure) == 2);
        assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 0)) == 5);
        assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 1)) == 6);
        oa_msg_destroy (&request);
    }
    //  Candidate fields: base URL default or override, config, other, key.
    request = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (gw_state_choose (state, &caller, "p0", 5, S_NOW_MS, request, &failure) == 2);
    oa_msg_candidate_t *candidate = oa_msg_candidates_at (request, 0);
    assert (streq (oa_msg_candidate_base_url (candidate),
                   "https://generativelanguage.googleapis.com"));
    assert (oa_msg_candidate_channel_type (candidate) == 24);
    assert (streq (oa_msg_candidate_upstream_model (candidate), "p0"));
    assert (streq (oa_msg_candidate_group_ratio (candidate), "1"));
    candidate = oa_msg_candidates_at (request, 1);
    assert (streq (oa_msg_candidate_base_url (candidate), ""));        //  Azure: no default
    assert (oa_msg_candidate_priority (candidate) == -1);
    oa_msg_destroy (&request);

    //  Suspensions: the ability's suspend_until, then a local one.
    request = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (gw_state_choose (state, &caller, "later", 5, S_NOW_MS, request, &failure) == -1);
    assert (failure.status == 503);
    assert (streq (failure.message, "No available channels for Model later under Group default"));
    assert (gw_state_choose (state, &caller, "later", 5, 1700000060001LL, request, &failure) == 1);
    oa_msg_destroy (&request);
    gw_state_suspend (state, 5, "p0", S_NOW_MS + 30000);
    for (int index = 0; index < 20; index++) {
        request = oa_msg_new (OA_MSG_RELAY_REQUEST);
        assert (gw_state_choose (state, &caller, "p0", 5, S_NOW_MS, request, &failure) == 1);
        assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 0)) == 6);
        oa_msg_destroy (&request);
    }
    request = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (gw_state_choose (state, &caller, "p0", 5, S_NOW_MS + 30001, request, &failure) == 2);
    oa_msg_destroy (&request);

    //  Model mapping, model_configs entry, group ratio (min over groups).
    caller = s_caller ("vip");
    request = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (gw_state_choose (state, &caller, "alias", 5, S_NOW_MS, request, &failure) == 1);
    candidate = oa_msg_candidates_at (request, 0);
    assert (streq (oa_msg_candidate_upstream_model (candidate), "real-upstream"));
    assert (streq (oa_msg_candidate_model_configs_json (candidate), "{\"max_tokens\":7}"));
    assert (streq (oa_msg_candidate_group_ratio (candidate), "0.75"));
    oa_msg_destroy (&request);
    request = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (gw_state_choose (state, &caller, "gpt-4o", 5, S_NOW_MS, request, &failure) == 1);
    candidate = oa_msg_candidates_at (request, 0);
    assert (streq (oa_msg_candidate_base_url (candidate), "https://api.openai.com"));
    assert (streq (oa_msg_candidate_group_ratio (candidate), "0.75"));     //  default,vip
    assert (streq (oa_msg_candidate_config_json (candidate), "{\"region\":\"x\"}"));
    assert (streq (oa_msg_candidate_other (candidate), "o1"));
    assert (streq (oa_msg_candidate_api_key (candidate), "k1"));
    oa_msg_destroy (&request);
    //  No ability for the pair: 503 with one-api's text.
    request = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (gw_state_choose (state, &caller, "gpt-5", 5, S_NOW_MS, request, &failure) == -1);
    assert (failure.status == 503);
    assert (streq (failure.message, "No available channels for Model gpt-5 under Group vip"));

    //  Pinned: that channel only; disabled or wrong model refused.
    caller.pinned_channel_id = 3;
    assert (gw_state_choose (state, &caller, "gpt-4o", 5, S_NOW_MS, request, &failure) == 1);
    assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 0)) == 3);
    assert (streq (oa_msg_candidate_base_url (oa_msg_candidates_at (request, 0)),
                   "https://api.deepseek.com"));
    caller.pinned_channel_id = 4;
    assert (gw_state_choose (state, &caller, "gpt-4o", 5, S_NOW_MS, request, &failure) == -1);
    assert (failure.status == 403 && streq (failure.message, "The channel has been disabled"));
    caller.pinned_channel_id = 3;
    assert (gw_state_choose (state, &caller, "p0", 5, S_NOW_MS, request, &failure) == -1);
    assert (failure.status == 400);
    assert (streq (failure.message, "Channel #3 does not support the requested model: p0"));
    caller.pinned_channel_id = 77;
    assert (gw_state_choose (state, &caller, "p0", 5, S_NOW_MS, request, &failure) == -1);
    assert (failure.status == 400 && streq (failure.message, "Invalid Channel Id"));
    oa_msg_destroy (&request);
}

//  Weight 0, as Laisky/one-api's pickWeightedChannel (model/cache.go)
//  and weightedIndex (model/weighted_routing.go): a tier whose weights are
//  all 0 is drawn uniformly (rand.Intn), and inside a tier with some
//  positive weight a weight-0 channel is never drawn first (it can only
//  come as a retry, once the weighted ones are used up).  Channels 31-33:
//  "zero", weight 0 at priority 3; 34 (weight 0) and 35 (weight 5) share
//  "mixed" at priority 3.
static void
s_test_weight_zero (bool verbose)
{
    gw_state_t *state = gw_state_new ();
    assert (s_apply (state, s_chunk ("channels", 10, false,
        "[{\"id\":31,\"type\":1,\"key\":\"a\",\"status\":1,\"weight\":0,\"priority\":3,"
        "\"models\":\"zero\",\"group\":\"default\"},"
        "{\"id\":32,\"type\":1,\"key\":\"b\",\"status\":1,\"weight\":0,\"priority\":3,"
        "\"models\":\"zero\",\"group\":\"default\"},"
        "{\"id\":33,\"type\":1,\"key\":\"c\",\"status\":1,\"priority\":3,"
        "\"models\":\"zero\",\"group\":\"default\"},"
        "{\"id\":34,\"type\":1,\"key\":\"d\",\"status\":1,\"weight\":0,\"priority\":3,"
        "\"models\":\"mixed\",\"group\":\"default\"},"
        "{\"id\":35,\"type\":1,\"key\":\"e\",\"status\":1,\"weight\":5,\"priority\":3,"
        "\"models\":\"mixed\",\"group\":\"default\"}]")) == 0);
    assert (s_apply (state, s_chunk ("abilities", 10, true,
        "[{\"group\":\"default\",\"model\":\"zero\",\"channel_id\":31,\"enabled\":true},"
        "{\"group\":\"default\",\"model\":\"zero\",\"channel_id\":32,\"enabled\":true},"
        "{\"group\":\"default\",\"model\":\"zero\",\"channel_id\":33,\"enabled\":true},"
        "{\"group\":\"default\",\"model\":\"mixed\",\"channel_id\":34,\"enabled\":true},"
        "{\"group\":\"default\",\"model\":\"mixed\",\"channel_id\":35,\"enabled\":true}]"))
        == 0);
    assert (gw_state_ready (state));
    gw_state_set_seed (state, 20240611);
    gw_caller_t caller = s_caller ("default");
    gw_failure_t failure;

    //  Uniform over the three (33 has no weight at all: 0 as well).  Each
    //  share is 1/3 with a standard deviation of 0.0086 at n = 3000: the
    //  bound (±0.05, ~6 sd) holds for any seed, the fixed one makes the run
    //  repeatable.  The second candidate is uniform over the other two.
    const int draws = 3000;
    int firsts [3] = { 0 };
    int seconds [3][3] = { { 0 } };
    for (int index = 0; index < draws; index++) {
        oa_msg_t *request = oa_msg_new (OA_MSG_RELAY_REQUEST);
        assert (gw_state_choose (state, &caller, "zero", 3, S_NOW_MS, request, &failure) == 3);
        int first = (int) oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 0)) - 31;
        int second = (int) oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 1)) - 31;
        int third = (int) oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 2)) - 31;
        assert (first >= 0 && first < 3 && second >= 0 && second < 3 && third >= 0 && third < 3);
        assert (first != second && second != third && first != third);
        firsts [first]++;
        seconds [first][second]++;
        oa_msg_destroy (&request);
    }
    for (int channel = 0; channel < 3; channel++) {
        double share = (double) firsts [channel] / draws;
        if (verbose)
            printf ("\n   - all weights 0: channel %d first %.3f", 31 + channel, share);
        assert (share > 1.0 / 3 - 0.05 && share < 1.0 / 3 + 0.05);
        //  Given the first, each of the other two comes second about half the
        //  time (n ~ 1000, sd 0.016; bound ±0.08)
        for (int other = 0; other < 3; other++)
            if (other != channel) {
                double half = (double) seconds [channel][other] / firsts [channel];
                assert (half > 0.42 && half < 0.58);
            }
    }
    //  Weights 0 and 5: the weighted one always first, the 0 one second.
    for (int index = 0; index < 1000; index++) {
        oa_msg_t *request = oa_msg_new (OA_MSG_RELAY_REQUEST);
        assert (gw_state_choose (state, &caller, "mixed", 2, S_NOW_MS, request, &failure) == 2);
        assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 0)) == 35);
        assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 1)) == 34);
        oa_msg_destroy (&request);
    }
    gw_state_destroy (&state);
}

static void
s_test_defaults_and_models (gw_state_t *state)
{
    const struct { int type; const char *url; } urls [] = {
        { 1, "https://api.openai.com" }, { 3, "" }, { 14, "https://api.anthropic.com" },
        { 24, "https://generativelanguage.googleapis.com" }, { 25, "https://api.moonshot.cn" },
        { 28, "https://api.mistral.ai" }, { 29, "https://api.groq.com/openai" },
        { 36, "https://api.deepseek.com" }, { 39, "https://api.together.xyz" },
        { 20, "https://openrouter.ai/api" }, { 44, "https://api.siliconflow.cn" },
        { 45, "https://api.x.ai" }, { 30, "http://localhost:11434" }, { 50, "" }, { 52, "" },
        { 57, "https://api.deepinfra.com" }, { 58, "" }, { -1, "" }, { 0, NULL }
    };
    for (int index = 0; urls [index].url; index++)
        assert (streq (gw_state_default_base_url (urls [index].type), urls [index].url));

    json_t *list = gw_state_models (state, "default");
    char *text = json_dumps (list, JSON_COMPACT);
    assert (streq (text, "{\"object\":\"list\",\"data\":["
        "{\"id\":\"gpt-4o\",\"object\":\"model\",\"created\":1626777600,\"owned_by\":\"openai\"},"
        "{\"id\":\"later\",\"object\":\"model\",\"created\":1626777600,\"owned_by\":\"google\"},"
        "{\"id\":\"p0\",\"object\":\"model\",\"created\":1626777600,\"owned_by\":\"google\"}]}"));
    free (text);
    json_decref (list);
    list = gw_state_models (state, "nobody");
    assert (json_array_size (json_object_get (list, "data")) == 0);
    json_decref (list);
}

static void
s_test_changes (gw_state_t *state)
{
    gw_caller_t caller;
    gw_failure_t failure;
    //  Old or duplicate seq: ignored.
    assert (s_apply (state, s_change ("tokens", 499, OA_MSG_OP_DELETE, "11", NULL)) == 0);
    assert (gw_state_authenticate (state, "sk-aliceKey000000000000", "", S_NOW_MS,
                                   &caller, &failure) == 0);
    //  Disable a token; rename the key of another; delete a user.
    assert (s_apply (state, s_change ("tokens", 501, OA_MSG_OP_UPSERT, "11",
        "{\"id\":11,\"user_id\":1,\"key\":\"aliceKey000000000000\",\"status\":2,\"name\":\"ok\","
        "\"expired_time\":-1,\"remain_quota\":100}")) == 0);
    assert (gw_state_authenticate (state, "sk-aliceKey000000000000", "", S_NOW_MS,
                                   &caller, &failure) == -1);
    assert (failure.status == 401);
    assert (s_apply (state, s_change ("tokens", 502, OA_MSG_OP_UPSERT, "17",
        "{\"id\":17,\"user_id\":1,\"key\":\"renamedKey0000000000\",\"status\":1,\"name\":\"free\","
        "\"expired_time\":-1,\"remain_quota\":0,\"unlimited_quota\":true}")) == 0);
    assert (gw_state_authenticate (state, "sk-unlimitedKey00000000", "", S_NOW_MS,
                                   &caller, &failure) == -1);
    assert (gw_state_authenticate (state, "sk-renamedKey0000000000", "", S_NOW_MS,
                                   &caller, &failure) == 0);
    assert (s_apply (state, s_change ("abilities", 503, OA_MSG_OP_DELETE,
                                      "default/gpt-4o/3", NULL)) == 0);
    assert (s_apply (state, s_change ("options", 504, OA_MSG_OP_UPSERT, "RetryTimes",
                                      "{\"key\":\"RetryTimes\",\"value\":\"3\"}")) == 0);
    assert (streq (gw_state_option (state, "RetryTimes", "0"), "3"));
    assert (gw_state_seq (state) == 504);
    caller = s_caller ("default");
    oa_msg_t *request = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (gw_state_choose (state, &caller, "gpt-4o", 5, S_NOW_MS, request, &failure) == 2);
    oa_msg_destroy (&request);
    //  A malformed change is refused like a gap.
    //  A gap: -1 once, later changes wait for the next snapshot.
    assert (s_apply (state, s_change ("tokens", 506, OA_MSG_OP_DELETE, "12", NULL)) == -1);
    assert (s_apply (state, s_change ("tokens", 507, OA_MSG_OP_DELETE, "18", NULL)) == 0);
    assert (gw_state_seq (state) == 504);
    assert (gw_state_ready (state));        //  still answers, from stale tables
    //  The new snapshot is at 506: 507 replays on top of it.
    assert (s_apply (state, s_chunk ("tokens", 506, false, s_tokens)) == 0);
    assert (s_apply (state, s_chunk ("users", 506, true, s_users)) == 0);
    assert (gw_state_seq (state) == 507);
    assert (gw_state_count (state, "tokens") == 12);
    assert (gw_state_count (state, "channels") == 0);      //  this snapshot had none
    //  Bad JSON in a chunk drops the staged snapshot.
    assert (s_apply (state, s_chunk ("tokens", 600, false, "[{\"id\":\"x\"}]")) == -1);
    assert (s_apply (state, s_chunk ("tokens", 600, false, "not json")) == -1);
    assert (gw_state_seq (state) == 507);
}

void
oa_gateway_state_test (bool verbose)
{
    gw_state_t *state = s_loaded ();
    s_test_auth (state, verbose);
    s_test_split ();
    s_test_subnets ();
    s_test_choose (state, verbose);
    s_test_weight_zero (verbose);
    s_test_defaults_and_models (state);
    s_test_changes (state);
    gw_state_destroy (&state);
    gw_state_destroy (&state);
}
