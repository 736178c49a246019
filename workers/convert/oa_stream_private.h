/*  =========================================================================
    oa_stream_private - internals of the stream converter

    Upstream decoders turn events into steps (oa_st_op_t); oa_st_emit()
    routes each step to the encoder for the client format.  Only files of
    workers/convert/ include this.
    =========================================================================
*/
#ifndef OA_STREAM_PRIVATE_H_INCLUDED
#define OA_STREAM_PRIVATE_H_INCLUDED

#include "oa_conv_private.h"
#include "oa_stream_conv.h"

//  Bound on tool calls in one reply, so hostile indexes cannot grow state
#define OA_ST_MAX_TOOLS     128
//  Bound on one tool call's arguments kept for the closing events
#define OA_ST_MAX_ARGS      (16 * 1024 * 1024)
//  Bound on a non-SSE body collected for error reporting
#define OA_ST_MAX_RAW       (1024 * 1024)

typedef enum {
    OA_ST_START,                //  open the client stream (idempotent)
    OA_ST_TEXT,                 //  answer text fragment
    OA_ST_REASONING,            //  reasoning text fragment
    OA_ST_SIGNATURE,            //  signature of the current thinking block
    OA_ST_REDACTED,             //  a redacted thinking block (data)
    OA_ST_REASONING_ITEM,       //  an OpenAI reasoning item (json)
    OA_ST_TOOL_START,           //  tool call index: id, name, json extra
    OA_ST_TOOL_ARGS,            //  tool call index: arguments fragment
    OA_ST_END,                  //  close the stream normally
    OA_ST_ERROR                 //  close the stream with an error (json)
} oa_st_op_t;

typedef struct {
    const char *text;           //  fragment, id for tools, data, signature
    size_t size;                //  bytes of text
    int index;                  //  tool call index
    const char *name;           //  tool name
    json_t *json;               //  extra (tool), item, or error body
    int status;                 //  HTTP status for errors
} oa_st_args_t;

//  Per tool call state, indexed by the Chat tool index
typedef struct {
    bool started;               //  TOOL_START seen
    bool open;                  //  encoder still accepts arguments
    bool streamed;              //  arguments arrived as deltas
    int output_index;           //  Responses: output item index
    char *id;                   //  call id sent to the client
    char *name;                 //  name sent to the client
    oa_cv_buf_t args;           //  arguments so far
} oa_st_tool_t;

struct _oa_stream_conv_t {
    oa_conv_t *conv;            //  borrowed session
    oa_api_format_t upstream;   //  what we are fed
    oa_api_format_t client;     //  what we write
    bool passthrough;           //  same format: forward events as they are
    oa_sse_parser_t *parser;    //  for raw byte feeding
    oa_sse_writer_t *writer;    //  client bytes
    size_t produced;            //  bytes ever written
    //  Raw body detection: a JSON body instead of SSE
    bool sniffed;               //  first significant byte examined
    bool raw;                   //  body is plain JSON, collected in raw_body
    oa_cv_buf_t raw_body;       //  that body
    //  Lifecycle
    bool started;               //  client stream opened
    bool ended;                 //  terminal events written
    bool failed;                //  ended by an error
    char *finish;               //  finish reason, Chat vocabulary
    char *model;                //  model reported upstream
    oa_conv_usage_t usage;      //  usage so far
    bool have_usage;            //  upstream reported usage
    //  Decoder state
    int tool_count;             //  tool calls started
    json_t *item_tools;         //  Responses upstream: item id -> tool index
    int block_kind;             //  Claude upstream: kind of the open block
    int block_tool;             //  Claude upstream: its tool index
    bool emulated;              //  the structured-output tool answered
    int emulated_index;         //  Chat upstream: its tool index, -1 none
    json_t *sig_blocks;         //  Claude upstream with a signature cache:
                                //  this answer's thinking blocks so far
    oa_cv_buf_t sig_text;       //  the open thinking block's text
    char *sig_signature;        //  the open thinking block's signature
    bool in_think;              //  Chat upstream: inside <think> (think_tags)
    bool think_trim;            //  drop line breaks that follow </think>
    char think_hold [16];       //  a tag split across chunks, held back
    size_t think_hold_size;     //  bytes in think_hold
    //  Encoder state
    oa_st_tool_t tools [OA_ST_MAX_TOOLS];   //  by Chat tool index
    int open_kind;              //  kind of the open block or item
    int open_tool;              //  tool index of the open block or item
    int block_index;            //  Claude: next content block index
    long sequence;              //  Responses: next sequence_number
    json_t *items;              //  Responses: output items so far
    int open_item;              //  Responses: output index of open item
    oa_cv_buf_t item_text;      //  Responses: open item's text
    json_t *item_extra;         //  Responses: encrypted reasoning to attach
};

//  Kinds of open blocks / items
enum { OA_ST_NONE, OA_ST_KIND_TEXT, OA_ST_KIND_THINKING, OA_ST_KIND_TOOL, OA_ST_KIND_OTHER };

//  Route a step to the client's encoder; START is implied before content.
void oa_st_emit (oa_stream_conv_t *self, oa_st_op_t op, const oa_st_args_t *args);
//  Shorthands used by the decoders
void oa_st_text (oa_stream_conv_t *self, oa_st_op_t op, const char *text, size_t size);
void oa_st_finish_reason (oa_stream_conv_t *self, const char *reason);
void oa_st_error_json (oa_stream_conv_t *self, int status, const char *body, size_t size);
//  Write one client event; takes data_p
void oa_st_write (oa_stream_conv_t *self, const char *type, json_t *data_p);
//  Write the format's terminator (Chat: [DONE])
void oa_st_done (oa_stream_conv_t *self);

//  Chat upstream with think tags: text held back as a possible partial
//  tag goes out (end of stream).
void oa_st_think_flush (oa_stream_conv_t *self);

//  Upstream decoders: one event each
void oa_st_decode_chat (oa_stream_conv_t *self, const char *data, size_t size);
void oa_st_decode_claude (oa_stream_conv_t *self, const char *event, const char *data, size_t size);
void oa_st_decode_gemini (oa_stream_conv_t *self, const char *data, size_t size);
void oa_st_decode_responses (oa_stream_conv_t *self, const char *event, const char *data, size_t size);

//  Client encoders
void oa_st_encode_chat (oa_stream_conv_t *self, oa_st_op_t op, const oa_st_args_t *args);
void oa_st_encode_claude (oa_stream_conv_t *self, oa_st_op_t op, const oa_st_args_t *args);
void oa_st_encode_responses (oa_stream_conv_t *self, oa_st_op_t op, const oa_st_args_t *args);

#endif
