/*  =========================================================================
    oa_conv_resp_gemini - non-stream Gemini reply -> Chat reply

    Each candidate becomes a choice.  thought:true parts are reasoning;
    functionCall parts become tool calls (Gemini may give no id: we make
    call_<request id>_<n>) and keep their thoughtSignature in
    extra_content.google.thought_signature, Google's own OpenAI-compatible
    spelling, so the signature can be replayed.  Usage: thoughts are not in
    candidatesTokenCount, so completion = candidates + thoughts.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

json_t *
oa_cv_gemini_tool_call (oa_conv_t *conv, json_t *part, long index)
{
    json_t *call = oa_cv_obj (part, "functionCall");
    char *arguments = oa_cv_dump (oa_cv_obj (call, "args"));
    char *id = oa_cv_str (call, "id")? strdup (oa_cv_str (call, "id"))
                                     : oa_cv_make_id (conv, "call_", (long) conv->id_seq++);
    json_t *out = json_pack ("{s:I,s:s,s:s,s:{s:s,s:s}}", "index", (json_int_t) index,
        "id", id? id: "call_0", "type", "function", "function",
        "name", oa_cv_str (call, "name")? oa_cv_str (call, "name"): "",
        "arguments", arguments? arguments: "{}");
    const char *signature = oa_cv_str (part, "thoughtSignature");
    if (signature && out)
        json_object_set_new (out, "extra_content", json_pack ("{s:{s:s}}", "google",
                                                              "thought_signature", signature));
    free (arguments);
    free (id);
    return out;
}


//  --------------------------------------------------------------------------
//  Gemini generateContent response -> Chat response

json_t *
oa_cv_gemini_to_chat_response (oa_conv_t *conv, json_t *body, char *err)
{
    json_t *candidates = oa_cv_arr (body, "candidates");
    if (!candidates && !oa_cv_obj (body, "promptFeedback")) {
        oa_cv_err (err, "upstream response has no candidates");
        return NULL;
    }
    json_t *chat = oa_cv_chat_envelope (conv, oa_cv_str (body, "modelVersion"), false);
    json_t *choices = oa_cv_arr (chat, "choices");
    size_t index;
    json_t *candidate;
    json_array_foreach (candidates, index, candidate) {
        oa_cv_buf_t text = { NULL, 0, 0 };
        oa_cv_buf_t reasoning = { NULL, 0, 0 };
        json_t *calls = json_array ();
        size_t part_index;
        json_t *part;
        json_array_foreach (oa_cv_arr (oa_cv_obj (candidate, "content"), "parts"), part_index, part) {
            if (oa_cv_obj (part, "functionCall")) {
                json_t *call = oa_cv_gemini_tool_call (conv, part, (long) json_array_size (calls));
                json_object_del (call, "index");
                json_array_append_new (calls, call);
            }
            else
            if (oa_cv_str (part, "text"))
                oa_cv_buf_puts (json_is_true (json_object_get (part, "thought"))? &reasoning: &text,
                                oa_cv_str (part, "text"));
        }
        json_t *message = json_pack ("{s:s}", "role", "assistant");
        if (text.size || !json_array_size (calls))
            oa_cv_set_str (message, "content", text.data? text.data: "");
        else
            json_object_set_new (message, "content", json_null ());
        if (reasoning.size)
            oa_cv_set_str (message, "reasoning_content", reasoning.data);
        if (json_array_size (calls))
            json_object_set (message, "tool_calls", calls);
        const char *finish = oa_cv_gemini_finish_to_chat (oa_cv_str (candidate, "finishReason"),
                                                          json_array_size (calls) > 0);
        int64_t choice_index = (int64_t) index;
        oa_cv_int (candidate, "index", &choice_index);
        json_array_append_new (choices, json_pack ("{s:I,s:o,s:n,s:s}", "index", (json_int_t) choice_index,
            "message", message, "logprobs", "finish_reason", finish? finish: "stop"));
        oa_cv_buf_free (&text);
        oa_cv_buf_free (&reasoning);
        json_decref (calls);
    }
    if (!json_array_size (choices))
        //  Prompt blocked: no candidates, only promptFeedback.blockReason
        json_array_append_new (choices, json_pack ("{s:i,s:{s:s,s:s},s:n,s:s}", "index", 0,
            "message", "role", "assistant", "content", "", "logprobs", "finish_reason", "content_filter"));
    oa_conv_usage_t usage = { 0, 0, 0, 0, 0, 0 };
    oa_conv_usage_parse (&usage, OA_API_FORMAT_GEMINI, body);
    json_object_set_new (chat, "usage", oa_conv_usage_json (&usage, OA_API_FORMAT_CHAT));
    return chat;
}
