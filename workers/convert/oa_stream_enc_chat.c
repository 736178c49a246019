/*  =========================================================================
    oa_stream_enc_chat - converter steps -> Chat Completions chunks

    Grammar (wire-formats.md §1.3-§1.4, ChatCompletionStream §8.1): every
    chunk carries id/object/created/model and choice 0; the first delta has
    role; a tool call's first delta has index, id, type, name and
    arguments ""; later deltas only index + arguments; one chunk sets
    finish_reason; a usage chunk with choices [] follows only when the
    client asked (stream_options.include_usage); `data: [DONE]` ends.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_stream_private.h"

//  A chunk for choice 0 with delta (stolen) and finish reason.
static void
s_chunk (oa_stream_conv_t *self, json_t *delta, const char *finish)
{
    json_t *chunk = oa_cv_chat_envelope (self->conv, self->model, true);
    json_array_append_new (oa_cv_arr (chunk, "choices"), json_pack ("{s:i,s:o,s:n,s:o}",
        "index", 0, "delta", delta, "logprobs", "finish_reason",
        finish? json_string (finish): json_null ()));
    oa_st_write (self, NULL, chunk);
}


void
oa_st_encode_chat (oa_stream_conv_t *self, oa_st_op_t op, const oa_st_args_t *args)
{
    switch (op) {
        case OA_ST_START:
            s_chunk (self, json_pack ("{s:s,s:s}", "role", "assistant", "content", ""), NULL);
            break;
        case OA_ST_TEXT:
            s_chunk (self, json_pack ("{s:s%}", "content", args->text, args->size), NULL);
            break;
        case OA_ST_REASONING:
            s_chunk (self, json_pack ("{s:s%}", oa_cv_reasoning_field (self->conv),
                                      args->text, args->size), NULL);
            break;
        case OA_ST_SIGNATURE:
            s_chunk (self, json_pack ("{s:[{s:s,s:s,s:s}]}", "thinking_blocks", "type", "thinking",
                                      "thinking", "", "signature", args->text), NULL);
            break;
        case OA_ST_REDACTED:
            s_chunk (self, json_pack ("{s:[{s:s,s:s}]}", "thinking_blocks", "type", "redacted_thinking",
                                      "data", args->text), NULL);
            break;
        case OA_ST_REASONING_ITEM:
            s_chunk (self, json_pack ("{s:[O]}", "thinking_blocks", args->json), NULL);
            break;
        case OA_ST_TOOL_START: {
            char *id = args->text && *args->text? strdup (args->text)
                                 : oa_cv_make_id (self->conv, "call_", (long) args->index);
            json_t *call = json_pack ("{s:i,s:s,s:s,s:{s:s,s:s}}", "index", args->index,
                "id", id? id: "call_0", "type", "function", "function",
                "name", args->name? args->name: "", "arguments", "");
            if (args->json && call)
                json_object_set (call, "extra_content", args->json);
            s_chunk (self, json_pack ("{s:[o]}", "tool_calls", call), NULL);
            free (id);
            break;
        }
        case OA_ST_TOOL_ARGS:
            s_chunk (self, json_pack ("{s:[{s:i,s:{s:s%}}]}", "tool_calls", "index", args->index,
                                      "function", "arguments", args->text, args->size), NULL);
            break;
        case OA_ST_END: {
            const char *finish = self->finish? self->finish: "stop";
            if (self->tool_count && !strcmp (finish, "stop"))
                finish = "tool_calls";
            s_chunk (self, json_object (), finish);
            if (self->conv->include_usage) {
                json_t *chunk = oa_cv_chat_envelope (self->conv, self->model, true);
                json_object_set_new (chunk, "usage", oa_conv_usage_json (&self->usage, OA_API_FORMAT_CHAT));
                oa_st_write (self, NULL, chunk);
            }
            oa_st_done (self);
            break;
        }
        case OA_ST_ERROR:
            oa_st_write (self, NULL, json_incref (args->json));
            oa_st_done (self);
            break;
    }
}
