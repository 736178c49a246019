/*  =========================================================================
    oa_stream_check - does a byte stream obey a client format's grammar?

    Encodes what the official SDK stream helpers enforce (wire-formats.md
    §8) plus the byte-level rules they skip (§9): `\n\n` after every event,
    no `event:` lines for Chat and Gemini, `event:` = data.type for Claude
    and Responses, [DONE] last for Chat only, Responses sequence numbers
    0,1,2..., Claude blocks sequential, tool-call identity on first delta.
    Tests and fuzz targets run every converter output through it.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_stream_private.h"

#define S_MAX_EVENTS    100000

typedef struct {
    json_t *events;             //  [[event-or-null, data], ...]
} s_collect_t;

static int
s_collect (const char *event, const char *data, size_t size, const char *id, void *arg)
{
    (void) id;
    s_collect_t *collect = (s_collect_t *) arg;
    if (json_array_size (collect->events) >= S_MAX_EVENTS)
        return -1;
    json_t *name = event? json_string (event): json_null ();
    json_t *text = json_stringn (data, size);
    if (!name || !text) {
        json_decref (name);
        json_decref (text);
        return -1;
    }
    json_array_append_new (collect->events, json_pack ("[o,o]", name, text));
    return 0;
}

#define FAIL(...) do { oa_cv_err (err, __VA_ARGS__); goto failed; } while (0)

//  Tool arguments reassembled; strict mode insists they parse.
static bool
s_args_ok (const char *args, bool strict_json)
{
    if (!strict_json || !args || !*args)
        return true;
    json_t *value = json_loads (args, JSON_DECODE_ANY, NULL);
    bool ok = json_is_object (value);
    json_decref (value);
    return ok;
}


static int
s_check_chat (json_t *events, bool strict_json, char *err)
{
    bool done = false, role = false, finish = false, error = false;
    json_t *tools = json_object ();     //  index -> {id, args}
    size_t index;
    json_t *pair;
    json_array_foreach (events, index, pair) {
        const char *data = json_string_value (json_array_get (pair, 1));
        if (done)
            FAIL ("event %zu after [DONE]", index);
        if (!json_is_null (json_array_get (pair, 0)))
            FAIL ("event %zu: Chat streams carry no event: line", index);
        if (!strcmp (data, "[DONE]")) {
            done = true;
            continue;
        }
        json_t *chunk = json_loads (data, 0, NULL);
        if (!json_is_object (chunk)) {
            json_decref (chunk);
            FAIL ("event %zu: data is not a JSON object", index);
        }
        if (json_object_get (chunk, "error")) {
            error = true;
            json_decref (chunk);
            continue;
        }
        bool bad = false;
        const char *why = "";
        if (!oa_cv_is (chunk, "object", "chat.completion.chunk") || !oa_cv_str (chunk, "id"))
            bad = true, why = "object/id";
        size_t choice_index;
        json_t *choice;
        json_array_foreach (oa_cv_arr (chunk, "choices"), choice_index, choice) {
            json_t *delta = oa_cv_obj (choice, "delta");
            if (!delta) {
                bad = true, why = "choice without delta";
                break;
            }
            if (oa_cv_str (delta, "role"))
                role = true;
            if (!role && (json_object_get (delta, "content") || json_object_get (delta, "tool_calls")))
                bad = true, why = "content before role";
            if (finish && json_object_size (delta))
                bad = true, why = "delta after finish_reason";
            size_t call_index;
            json_t *call;
            json_array_foreach (oa_cv_arr (delta, "tool_calls"), call_index, call) {
                int64_t tool = -1;
                if (!oa_cv_int (call, "index", &tool) || tool < 0 || tool > 1000) {
                    bad = true, why = "tool call index";
                    break;
                }
                char key [32];
                snprintf (key, sizeof (key), "%lld", (long long) tool);
                json_t *state = json_object_get (tools, key);
                json_t *function = oa_cv_obj (call, "function");
                if (!state) {
                    if (!oa_cv_str (call, "id") || !oa_cv_is (call, "type", "function")
                    ||  !oa_cv_str (function, "name") || !oa_cv_str (function, "arguments")) {
                        bad = true, why = "first tool delta lacks id/type/name/arguments";
                        break;
                    }
                    state = json_pack ("{s:s,s:s}", "id", oa_cv_str (call, "id"), "args", "");
                    json_object_set_new (tools, key, state);
                }
                else
                if (oa_cv_str (call, "id") && !oa_cv_is (state, "id", oa_cv_str (call, "id"))) {
                    bad = true, why = "tool call id changed";
                    break;
                }
                const char *fragment = oa_cv_str (function, "arguments");
                if (fragment) {
                    char *joined = NULL;
                    if (asprintf (&joined, "%s%s", oa_cv_str (state, "args"), fragment) >= 0)
                        oa_cv_set_str (state, "args", joined);
                    free (joined);
                }
            }
            if (json_is_string (json_object_get (choice, "finish_reason")))
                finish = true;
        }
        json_decref (chunk);
        if (bad)
            FAIL ("event %zu: %s", index, why);
    }
    if (!done)
        FAIL ("missing data: [DONE]");
    if (!error && !role)
        FAIL ("no delta carried role");
    if (!error && !finish)
        FAIL ("no chunk set finish_reason");
    const char *key;
    json_t *state;
    json_object_foreach (tools, key, state)
        if (!s_args_ok (oa_cv_str (state, "args"), strict_json))
            FAIL ("tool call %s arguments are not a JSON object", key);
    json_decref (tools);
    return 0;
failed:
    json_decref (tools);
    return -1;
}


static int
s_check_claude (json_t *events, bool strict_json, char *err)
{
    bool started = false, stopped = false, delta_seen = false, error = false;
    int open = -1, next = 0;
    char open_type [32] = "";   //  copied: the event's JSON is freed
    oa_cv_buf_t input = { NULL, 0, 0 };
    size_t index;
    json_t *pair;
    json_array_foreach (events, index, pair) {
        const char *name = json_string_value (json_array_get (pair, 0));
        json_t *data = json_loads (json_string_value (json_array_get (pair, 1)), 0, NULL);
        const char *type = oa_cv_str (data, "type");
        bool bad = false;
        const char *why = "";
        if (!name || !type || strcmp (name, type))
            bad = true, why = "event: line missing or differs from data.type";
        else
        if (stopped || error)
            bad = true, why = "event after the end";
        else
        if (!strcmp (type, "ping"))
            ;
        else
        if (!strcmp (type, "error")) {
            if (!oa_cv_str (oa_cv_obj (data, "error"), "type") || !oa_cv_str (oa_cv_obj (data, "error"), "message"))
                bad = true, why = "error without error.type/message";
            error = true;
        }
        else
        if (!strcmp (type, "message_start")) {
            json_t *message = oa_cv_obj (data, "message");
            if (started || !oa_cv_str (message, "id") || !oa_cv_is (message, "role", "assistant")
            ||  json_array_size (oa_cv_arr (message, "content")) || !oa_cv_obj (message, "usage"))
                bad = true, why = "bad or repeated message_start";
            started = true;
        }
        else
        if (!started)
            bad = true, why = "event before message_start";
        else
        if (!strcmp (type, "content_block_start")) {
            json_t *block = oa_cv_obj (data, "content_block");
            int64_t at = -1;
            oa_cv_int (data, "index", &at);
            snprintf (open_type, sizeof (open_type), "%s",
                      oa_cv_str (block, "type")? oa_cv_str (block, "type"): "");
            if (open != -1 || at != next || delta_seen)
                bad = true, why = "block start out of order";
            else
            if (!strcmp (open_type, "tool_use")
            &&  (!oa_cv_str (block, "id") || !oa_cv_str (block, "name") || !oa_cv_obj (block, "input")))
                bad = true, why = "tool_use start lacks id/name/input";
            open = (int) at;
            input.size = 0;
        }
        else
        if (!strcmp (type, "content_block_delta")) {
            json_t *delta = oa_cv_obj (data, "delta");
            const char *kind = oa_cv_str (delta, "type")? oa_cv_str (delta, "type"): "";
            int64_t at = -2;
            oa_cv_int (data, "index", &at);
            if (at != open)
                bad = true, why = "delta to a block that is not open";
            else
            if (!((!strcmp (open_type, "text") && !strcmp (kind, "text_delta"))
               || (!strcmp (open_type, "thinking") && (!strcmp (kind, "thinking_delta")
                                                   ||  !strcmp (kind, "signature_delta")))
               || (!strcmp (open_type, "tool_use") && !strcmp (kind, "input_json_delta"))))
                bad = true, why = "delta type does not match block type";
            else
            if (!strcmp (kind, "input_json_delta"))
                oa_cv_buf_puts (&input, oa_cv_str (delta, "partial_json"));
        }
        else
        if (!strcmp (type, "content_block_stop")) {
            int64_t at = -2;
            oa_cv_int (data, "index", &at);
            if (at != open)
                bad = true, why = "stop of a block that is not open";
            else
            if (!strcmp (open_type, "tool_use") && !s_args_ok (input.data, strict_json))
                bad = true, why = "tool input is not a JSON object";
            open = -1;
            next++;
        }
        else
        if (!strcmp (type, "message_delta")) {
            int64_t output = 0;
            if (open != -1 || delta_seen || !oa_cv_int (oa_cv_obj (data, "usage"), "output_tokens", &output)
            ||  !oa_cv_str (oa_cv_obj (data, "delta"), "stop_reason"))
                bad = true, why = "bad message_delta (open block, repeat, no usage or stop_reason)";
            delta_seen = true;
        }
        else
        if (!strcmp (type, "message_stop")) {
            if (!delta_seen)
                bad = true, why = "message_stop without message_delta";
            stopped = true;
        }
        else
            bad = true, why = "unknown event type";
        json_decref (data);
        if (bad)
            FAIL ("event %zu (%s): %s", index, name? name: "-", why);
    }
    if (!stopped && !error)
        FAIL ("stream ends without message_stop or error");
    oa_cv_buf_free (&input);
    return 0;
failed:
    oa_cv_buf_free (&input);
    return -1;
}


static int
s_check_responses (json_t *events, bool strict_json, char *err)
{
    json_t *items = json_array ();      //  per output index: {id, type, call_id, args, part}
    const char *response_id = NULL;
    char *response_id_copy = NULL;
    bool terminal = false, error = false;
    size_t index;
    json_t *pair;
    json_array_foreach (events, index, pair) {
        const char *name = json_string_value (json_array_get (pair, 0));
        json_t *data = json_loads (json_string_value (json_array_get (pair, 1)), 0, NULL);
        const char *type = oa_cv_str (data, "type");
        int64_t sequence = -1, output_index = -1;
        oa_cv_int (data, "sequence_number", &sequence);
        oa_cv_int (data, "output_index", &output_index);
        json_t *item = output_index >= 0? json_array_get (items, (size_t) output_index): NULL;
        const char *item_id = oa_cv_str (data, "item_id");
        json_t *response = oa_cv_obj (data, "response");
        bool bad = false;
        const char *why = "";
        if (!name || !type || strcmp (name, type))
            bad = true, why = "event: line missing or differs from data.type";
        else
        if (sequence != (int64_t) index)
            bad = true, why = "sequence_number is not the event's position";
        else
        if (terminal)
            bad = true, why = "event after the terminal event";
        else
        if (index == 0 && strcmp (type, "response.created"))
            bad = true, why = "first event is not response.created";
        else
        if (!strcmp (type, "response.created") || !strcmp (type, "response.in_progress")
        ||  !strcmp (type, "response.completed") || !strcmp (type, "response.incomplete")
        ||  !strcmp (type, "response.failed")) {
            const char *id = oa_cv_str (response, "id");
            if (!id)
                bad = true, why = "lifecycle event without response.id";
            else
            if (response_id && strcmp (id, response_id))
                bad = true, why = "response id changed";
            else
            if (!response_id) {
                response_id_copy = strdup (id);
                response_id = response_id_copy;
            }
            if (error && strcmp (type, "response.failed"))
                bad = true, why = "error not followed by response.failed";
            if (!strcmp (type, "response.completed") || !strcmp (type, "response.incomplete")
            ||  !strcmp (type, "response.failed")) {
                terminal = true;
                if (!strcmp (type, "response.completed")
                &&  json_array_size (oa_cv_arr (response, "output")) != json_array_size (items))
                    bad = true, why = "completed output differs from the items streamed";
            }
        }
        else
        if (error)
            bad = true, why = "error not followed by response.failed";
        else
        if (!strcmp (type, "error")) {
            error = true;
            if (!oa_cv_str (data, "message"))
                bad = true, why = "error without message";
        }
        else
        if (!strcmp (type, "response.output_item.added")) {
            json_t *added = oa_cv_obj (data, "item");
            const char *kind = oa_cv_str (added, "type");
            if (output_index != (int64_t) json_array_size (items))
                bad = true, why = "output_index is not an append";
            else
            if (!kind || !oa_cv_str (added, "id") || !*oa_cv_str (added, "id"))
                bad = true, why = "item without type or id";
            else
            if (!strcmp (kind, "function_call")
            &&  (!oa_cv_str (added, "call_id") || !*oa_cv_str (added, "call_id")))
                bad = true, why = "function_call item without call_id";
            else
                json_array_append_new (items, json_pack ("{s:s,s:s,s:s,s:b,s:b}", "id", oa_cv_str (added, "id"),
                                       "type", kind, "args", "", "part", 0, "done", 0));
        }
        else
        if (!item || !item_id || !oa_cv_is (item, "id", item_id)) {
            if (strcmp (type, "response.output_item.done"))
                bad = true, why = "item_id does not match the item at output_index";
            else
            if (!item || !oa_cv_is (oa_cv_obj (data, "item"), "id", oa_cv_str (item, "id")))
                bad = true, why = "output_item.done for an unknown item";
            else
                json_object_set_new (item, "done", json_true ());
        }
        else
        if (!strcmp (type, "response.content_part.added"))
            json_object_set_new (item, "part", json_true ());
        else
        if (!strcmp (type, "response.output_text.delta") || !strcmp (type, "response.output_text.done")
        ||  !strcmp (type, "response.content_part.done")) {
            if (!json_is_true (json_object_get (item, "part")))
                bad = true, why = "text event before content_part.added";
        }
        else
        if (!strncmp (type, "response.reasoning_summary_", 27)) {
            if (!oa_cv_is (item, "type", "reasoning"))
                bad = true, why = "reasoning event on a non-reasoning item";
        }
        else
        if (!strcmp (type, "response.function_call_arguments.delta")) {
            char *joined = NULL;
            if (asprintf (&joined, "%s%s", oa_cv_str (item, "args"),
                          oa_cv_str (data, "delta")? oa_cv_str (data, "delta"): "") >= 0)
                oa_cv_set_str (item, "args", joined);
            free (joined);
        }
        else
        if (!strcmp (type, "response.function_call_arguments.done")) {
            if (!oa_cv_is (data, "arguments", oa_cv_str (item, "args")))
                bad = true, why = "arguments.done differs from the deltas";
            else
            if (!s_args_ok (oa_cv_str (item, "args"), strict_json))
                bad = true, why = "function call arguments are not a JSON object";
        }
        else
            bad = true, why = "unknown event type";
        json_decref (data);
        if (bad)
            FAIL ("event %zu (%s): %s", index, name? name: "-", why);
    }
    if (!terminal)
        FAIL ("stream ends without response.completed, response.incomplete or response.failed");
    free (response_id_copy);
    json_decref (items);
    return 0;
failed:
    free (response_id_copy);
    json_decref (items);
    return -1;
}


static int
s_check_gemini (json_t *events, char *err)
{
    size_t index;
    json_t *pair;
    json_array_foreach (events, index, pair) {
        if (!json_is_null (json_array_get (pair, 0)))
            FAIL ("event %zu: Gemini streams carry no event: line", index);
        json_t *chunk = json_loads (json_string_value (json_array_get (pair, 1)), 0, NULL);
        bool ok = json_is_object (chunk);
        json_decref (chunk);
        if (!ok)
            FAIL ("event %zu: data is not one JSON object", index);
    }
    return 0;
failed:
    return -1;
}


//  --------------------------------------------------------------------------
//  Check bytes against a client format's stream grammar

int
oa_stream_check (oa_api_format_t format, const char *bytes, size_t size,
                 bool strict_json, char *err)
{
    if (size == 0 || !bytes) {
        oa_cv_err (err, "empty stream");
        return -1;
    }
    if (size < 2 || bytes [size - 1] != '\n' || bytes [size - 2] != '\n') {
        oa_cv_err (err, "stream does not end with a blank line");
        return -1;
    }
    if (memchr (bytes, '\r', size)) {
        oa_cv_err (err, "stream contains CR");
        return -1;
    }
    s_collect_t collect = { json_array () };
    oa_sse_parser_t *parser = oa_sse_parser_new (s_collect, &collect, 0, 0);
    int rc = parser && oa_sse_parser_feed (parser, bytes, size) == 0? 0: -1;
    oa_sse_parser_destroy (&parser);
    if (rc)
        oa_cv_err (err, "stream does not parse as SSE");
    else
    if (json_array_size (collect.events) == 0) {
        oa_cv_err (err, "stream has no events");
        rc = -1;
    }
    else
    if (format == OA_API_FORMAT_CHAT)
        rc = s_check_chat (collect.events, strict_json, err);
    else
    if (format == OA_API_FORMAT_CLAUDE)
        rc = s_check_claude (collect.events, strict_json, err);
    else
    if (format == OA_API_FORMAT_RESPONSES)
        rc = s_check_responses (collect.events, strict_json, err);
    else
        rc = s_check_gemini (collect.events, err);
    json_decref (collect.events);
    return rc;
}
