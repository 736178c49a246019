/*  =========================================================================
    mock.h - oa-mock: a fake upstream LLM provider for tests and benchmarks

    Internal header shared by the files of the oa-mock tool:
      main.c            CLI, listeners, threads
      mock_http.c       epoll HTTP/1.1 server: connections, parsing, timers
      mock_util.c       growable buffers and JSON string escaping
      mock_stats.c      counters and last request per route (/_mock/stats)
      mock_route.c      routing, auth, behaviour grammar, usage rule, job driver
      mock_reply.c      response heads and each provider's error bodies
      mock_openai.c     OpenAI + Azure chat, completions, embeddings, models...
      mock_responses.c  OpenAI Responses API
      mock_anthropic.c  Anthropic Messages
      mock_gemini.c     Gemini generateContent / streamGenerateContent
    The wire shapes follow /work/shared/reference/wire-formats.md; README.md
    in this folder documents the behaviour grammar and the usage rule.
    =========================================================================
*/
#ifndef OA_MOCK_H_INCLUDED
#define OA_MOCK_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

//  ---------------------------------------------------------------------
//  Growable byte buffer; every response is rendered into one

typedef struct {
    char *data;                 //  bytes, not NUL-terminated
    size_t len;                 //  bytes used
    size_t cap;                 //  bytes allocated
} oa_mock_buf_t;

void oa_mock_buf_reserve (oa_mock_buf_t *self, size_t extra);
void oa_mock_buf_put (oa_mock_buf_t *self, const void *data, size_t size);
void oa_mock_buf_puts (oa_mock_buf_t *self, const char *text);
void oa_mock_buf_printf (oa_mock_buf_t *self, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));
//  Appends a quoted, escaped JSON string (invalid UTF-8 becomes U+FFFD)
void oa_mock_buf_str (oa_mock_buf_t *self, const char *text, size_t size);
void oa_mock_buf_free (oa_mock_buf_t *self);
//  lit must be a string literal ("" lit fails to compile otherwise)
#define OA_MOCK_PUT(buf, lit) oa_mock_buf_put ((buf), "" lit, sizeof ("" lit) - 1)

//  Number of whitespace-separated words in text
int oa_mock_words (const char *text, size_t size);

//  Milliseconds on the monotonic clock
int64_t oa_mock_now_ms (void);

//  ---------------------------------------------------------------------
//  One parsed HTTP/1.1 request; all slices point into the connection's input

typedef struct {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} oa_mock_header_t;

#define OA_MOCK_MAX_HEADERS 64

typedef struct {
    const char *method;         //  "POST"
    size_t method_len;
    const char *path;           //  target without the query
    size_t path_len;
    const char *query;          //  after '?', or NULL
    size_t query_len;
    const char *head;           //  request line and headers, for stats
    size_t head_len;
    const char *body;           //  decoded body (Content-Length or chunked)
    size_t body_len;
    oa_mock_header_t headers [OA_MOCK_MAX_HEADERS];
    int header_count;
    bool keep_alive;            //  connection persists after the response
} oa_mock_req_t;

//  Returns the value of the named header (case-insensitive), or NULL
const char *oa_mock_req_header (const oa_mock_req_t *req, const char *name, size_t *len);

//  ---------------------------------------------------------------------
//  Per-request behaviour (see the grammar in mock_route.c and README.md)

typedef struct {
    int chunks;                 //  content chunks (words) in an answer
    int delay_ms;               //  wait before the response head
    int chunk_delay_ms;         //  wait before each content chunk of a stream
    int status;                 //  answer with this error status (0 = success)
    int fail_after;             //  drop the connection after N chunks (-1 = never)
    int error_after;            //  mid-stream error event after N chunks (-1 = never)
    int tools;                  //  -1 auto (tool call iff request has tools), 0 text, 1 tool
    int keepalive;              //  1: a keep-alive comment/ping before each chunk
    int usage;                  //  OpenAI streams: 1 usage chunk if asked, 0 never, 2 on finish
} oa_mock_behave_t;

//  Defaults from the CLI / environment; written once before threads start
extern oa_mock_behave_t oa_mock_defaults;

//  Dialects of the provider being imitated
typedef enum {
    OA_MOCK_OPENAI,
    OA_MOCK_AZURE,
    OA_MOCK_ANTHROPIC,
    OA_MOCK_GEMINI
} oa_mock_dialect_t;

typedef struct _oa_mock_job_t oa_mock_job_t;

//  Stream renderer: the SSE events of one API, step by step
typedef struct {
    void (*open) (oa_mock_job_t *job, oa_mock_buf_t *out);              //  before chunk 1
    void (*chunk) (oa_mock_job_t *job, int index, oa_mock_buf_t *out);  //  chunk index (1-based)
    void (*close) (oa_mock_job_t *job, oa_mock_buf_t *out);             //  after the last chunk
    void (*fail) (oa_mock_job_t *job, oa_mock_buf_t *out);              //  mid-stream error
    const char *content_type;
} oa_mock_format_t;

//  A response being produced: all a renderer needs, copied out of the request
struct _oa_mock_job_t {
    const oa_mock_format_t *format;     //  stream renderer, NULL for one-shot answers
    oa_mock_behave_t behave;            //  merged behaviour
    oa_mock_dialect_t dialect;          //  decides error bodies and id headers
    bool stream;                        //  answer is a stream
    bool keep_alive;                    //  connection persists
    bool include_usage;                 //  OpenAI stream_options.include_usage
    bool obfuscation;                   //  OpenAI "obfuscation" padding on chunks
    bool tool_call;                     //  answer with a tool call instead of text
    bool truncated;                     //  pieces were cut by max tokens
    bool gemini_array;                  //  streamGenerateContent without alt=sse
    int step;                           //  driver state
    int next;                           //  next chunk to emit (1-based)
    int pieces;                         //  content chunks in the stream
    int prompt_tokens;                  //  per the usage rule
    int completion_tokens;              //  per the usage rule
    int seq;                            //  Responses sequence_number
    int max_output_tokens;              //  Responses echo, -1 = null
    long long created;                  //  unix seconds
    char id [48];                       //  response id with its prefix
    char request_id [40];               //  request-id / x-request-id header
    char model [192];                   //  model name without the behaviour suffix
    char tool_name [96];                //  first tool's name
    char tool_args [192];               //  tool call arguments (JSON text)
    char *instructions;                 //  Responses: instructions (raw), or NULL
    char *ready;                        //  one-shot: complete HTTP response bytes
    size_t ready_len;
    bool stream_active;                 //  counted in streams_active
};

//  Driver results
enum { OA_MOCK_MORE = 0, OA_MOCK_DONE = 1, OA_MOCK_DROP = 2 };

//  Handles one request.  Either appends a complete response to out and
//  returns NULL, or returns a job to be driven with oa_mock_job_next.
oa_mock_job_t *oa_mock_handle (const oa_mock_req_t *req, oa_mock_buf_t *out);

//  Appends the next step of the job's response to out.  Returns MORE (call
//  again after *wait_ms), DONE (response complete) or DROP (close now).
int oa_mock_job_next (oa_mock_job_t *self, oa_mock_buf_t *out, uint32_t *wait_ms);

//  Destroys a job; cancelled means the client left before the end
void oa_mock_job_destroy (oa_mock_job_t **self_p, bool cancelled);

//  Response heads and error bodies (mock_reply.c)
void oa_mock_head (oa_mock_job_t *job, oa_mock_buf_t *out, int status,
                   const char *content_type, long long content_length);
void oa_mock_error (oa_mock_job_t *job, oa_mock_buf_t *body, int status,
                    const char *message, const char *param, const char *code);
void oa_mock_error_openai (oa_mock_buf_t *body, const char *message, const char *type,
                           const char *param, const char *code);
//  Helpers shared by the API renderers (mock_route.c)
//  Returns the text of chunk index (1-based): a word, or a slice of tool_args
const char *oa_mock_piece (oa_mock_job_t *job, int index, size_t *len);
//  Appends the whole answer text (all pieces)
void oa_mock_full_text (oa_mock_job_t *job, oa_mock_buf_t *out);
//  Counts prompt tokens of one message-like JSON value (3 + words)
int oa_mock_message_tokens (json_t *message);
//  Counts words of a bare prompt/input value (string, strings, token ids)
int oa_mock_input_tokens (json_t *input);
//  Sets tool_name and tool_args from a JSON schema object (properties)
void oa_mock_set_tool (oa_mock_job_t *job, const char *name, json_t *schema);
//  Fixes pieces and completion_tokens once text/tool mode and limits are known
void oa_mock_plan (oa_mock_job_t *job, int max_tokens);
//  Writes a fresh unique id "<prefix>mock<counter>" into dest
void oa_mock_next_id (char *dest, size_t size, const char *prefix);

//  API handlers: render a one-shot body into body (setting *status), or
//  return true when the job is a stream ready to be driven.
typedef bool (oa_mock_api_fn) (oa_mock_job_t *job, json_t *root, const oa_mock_req_t *req,
                               oa_mock_buf_t *body, int *status);
oa_mock_api_fn oa_mock_openai_chat;
oa_mock_api_fn oa_mock_openai_completions;
oa_mock_api_fn oa_mock_openai_embeddings;
oa_mock_api_fn oa_mock_openai_moderations;
oa_mock_api_fn oa_mock_openai_responses;
oa_mock_api_fn oa_mock_anthropic_messages;
oa_mock_api_fn oa_mock_gemini_generate;
void oa_mock_openai_models (oa_mock_buf_t *body);

//  ---------------------------------------------------------------------
//  Stats (mock_stats.c)

typedef enum {
    OA_MOCK_EV_CONN_OPEN,
    OA_MOCK_EV_CONN_CLOSE,
    OA_MOCK_EV_STREAM_START,
    OA_MOCK_EV_STREAM_DONE,
    OA_MOCK_EV_CANCELLED,       //  client left before a (stream or delayed) response ended
    OA_MOCK_EV_STREAM_CANCELLED,
    OA_MOCK_EV_DROPPED,         //  the mock dropped a connection on purpose
    OA_MOCK_EV_STREAM_DROPPED,  //  ... in the middle of a stream
    OA_MOCK_EV_BAD_REQUEST      //  unparseable HTTP
} oa_mock_event_t;

void oa_mock_stats_event (oa_mock_event_t event);
void oa_mock_stats_request (const char *route, const oa_mock_req_t *req);
void oa_mock_stats_render (oa_mock_buf_t *out);
void oa_mock_stats_reset (void);

//  ---------------------------------------------------------------------
//  Server (mock_http.c): runs one event loop on a listening socket, forever

void oa_mock_server_run (int listen_fd);

#endif
