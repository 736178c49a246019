/*  =========================================================================
    oa_stream_enc_claude - converter steps -> Anthropic Messages events

    Grammar (wire-formats.md §3.4, MessageStream §8.2): every event has an
    `event:` line equal to data.type; message_start first; content blocks
    strictly sequential (start N, deltas to N, stop N, then N+1), so a step
    of another kind closes the open block; thinking gets thinking_delta and
    a signature_delta; tool_use starts with input {} and streams
    input_json_delta; message_delta (stop_reason + usage, always with
    output_tokens) then message_stop end the message.
    Limitation: argument fragments for a tool call whose block was already
    closed (interleaved parallel calls) cannot be placed, and are dropped.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_stream_private.h"

static void
s_close (oa_stream_conv_t *self)
{
    if (self->open_kind == OA_ST_NONE)
        return;
    oa_st_write (self, NULL, json_pack ("{s:s,s:i}", "type", "content_block_stop",
                                        "index", self->block_index));
    if (self->open_kind == OA_ST_KIND_TOOL && self->open_tool >= 0)
        self->tools [self->open_tool].open = false;
    self->block_index++;
    self->open_kind = OA_ST_NONE;
    self->open_tool = -1;
}

//  Opens a block of kind with content_block (stolen) unless one is open.
static void
s_open (oa_stream_conv_t *self, int kind, json_t *block)
{
    if (self->open_kind == kind && kind != OA_ST_KIND_TOOL) {
        json_decref (block);
        return;
    }
    s_close (self);
    oa_st_write (self, NULL, json_pack ("{s:s,s:i,s:o}", "type", "content_block_start",
                                        "index", self->block_index, "content_block", block));
    self->open_kind = kind;
}

static void
s_delta (oa_stream_conv_t *self, json_t *delta)
{
    oa_st_write (self, NULL, json_pack ("{s:s,s:i,s:o}", "type", "content_block_delta",
                                        "index", self->block_index, "delta", delta));
}


void
oa_st_encode_claude (oa_stream_conv_t *self, oa_st_op_t op, const oa_st_args_t *args)
{
    switch (op) {
        case OA_ST_START: {
            char *id = oa_cv_make_id (self->conv, "msg_", -1);
            //  Prompt size is known here only from a Claude-like upstream;
            //  message_delta repeats the final numbers
            json_t *usage = oa_conv_usage_json (&self->usage, OA_API_FORMAT_CLAUDE);
            oa_cv_set_int (usage, "output_tokens", 0);
            oa_st_write (self, NULL, json_pack ("{s:s,s:{s:s,s:s,s:s,s:s,s:[],s:n,s:n,s:o}}",
                "type", "message_start", "message", "id", id? id: "msg_0", "type", "message",
                "role", "assistant", "model", self->model? self->model: "", "content",
                "stop_reason", "stop_sequence", "usage", usage));
            free (id);
            break;
        }
        case OA_ST_TEXT:
            s_open (self, OA_ST_KIND_TEXT, json_pack ("{s:s,s:s}", "type", "text", "text", ""));
            s_delta (self, json_pack ("{s:s,s:s%}", "type", "text_delta", "text", args->text, args->size));
            break;
        case OA_ST_REASONING:
            s_open (self, OA_ST_KIND_THINKING, json_pack ("{s:s,s:s,s:s}", "type", "thinking",
                                                          "thinking", "", "signature", ""));
            s_delta (self, json_pack ("{s:s,s:s%}", "type", "thinking_delta",
                                      "thinking", args->text, args->size));
            break;
        case OA_ST_SIGNATURE:
            s_open (self, OA_ST_KIND_THINKING, json_pack ("{s:s,s:s,s:s}", "type", "thinking",
                                                          "thinking", "", "signature", ""));
            s_delta (self, json_pack ("{s:s,s:s}", "type", "signature_delta", "signature", args->text));
            //  The signature comes last in its block: the next thinking
            //  fragment belongs to a new block
            s_close (self);
            break;
        case OA_ST_REDACTED:
            s_close (self);
            s_open (self, OA_ST_KIND_OTHER, json_pack ("{s:s,s:s}", "type", "redacted_thinking",
                                                       "data", args->text));
            s_close (self);
            break;
        case OA_ST_REASONING_ITEM:
            break;              //  OpenAI encrypted reasoning has no Claude form
        case OA_ST_TOOL_START: {
            oa_st_tool_t *tool = &self->tools [args->index];
            free (tool->id);
            tool->id = args->text && *args->text? strdup (args->text)
                                 : oa_cv_make_id (self->conv, "toolu_", (long) args->index);
            s_open (self, OA_ST_KIND_TOOL, json_pack ("{s:s,s:s,s:s,s:{}}", "type", "tool_use",
                "id", tool->id? tool->id: "toolu_0", "name", args->name? args->name: "", "input"));
            self->open_tool = args->index;
            tool->open = true;
            break;
        }
        case OA_ST_TOOL_ARGS:
            if (self->open_kind == OA_ST_KIND_TOOL && self->open_tool == args->index)
                s_delta (self, json_pack ("{s:s,s:s%}", "type", "input_json_delta",
                                          "partial_json", args->text, args->size));
            break;
        case OA_ST_END: {
            s_close (self);
            const char *finish = self->finish;
            if (self->tool_count && (!finish || !strcmp (finish, "stop")))
                finish = "tool_calls";
            oa_st_write (self, NULL, json_pack ("{s:s,s:{s:s,s:n},s:o}", "type", "message_delta",
                "delta", "stop_reason", oa_cv_chat_finish_to_claude (finish), "stop_sequence",
                "usage", oa_conv_usage_json (&self->usage, OA_API_FORMAT_CLAUDE)));
            oa_st_write (self, NULL, json_pack ("{s:s}", "type", "message_stop"));
            break;
        }
        case OA_ST_ERROR:
            oa_st_write (self, "error", json_incref (args->json));
            break;
    }
}
