/*  =========================================================================
    mock_reply - response heads and each provider's error bodies

    Error bodies are wire-formats.md §6 verbatim where it records them
    (OpenAI 401/429/404, Azure 401/404/429/400, Anthropic's status→type
    table, Gemini 400 API_KEY_INVALID and 429 with details); other
    statuses get the same shape with a canned message.
    =========================================================================
*/
#include "mock.h"

#include <stdio.h>
#include <string.h>

//  --------------------------------------------------------------------------
//  Returns the reason phrase of a status

static const char *
s_reason (int status)
{
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 402: return "Payment Required";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 413: return "Payload Too Large";
        case 422: return "Unprocessable Entity";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        case 529: return "Overloaded";
        default:  return "Error";
    }
}

//  --------------------------------------------------------------------------
//  Appends the response head: content_length < 0 means a chunked stream

void
oa_mock_head (oa_mock_job_t *job, oa_mock_buf_t *out, int status, const char *content_type,
              long long content_length)
{
    oa_mock_buf_printf (out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n", status, s_reason (status),
                        content_type);
    if (content_length >= 0)
        oa_mock_buf_printf (out, "Content-Length: %lld\r\n", content_length);
    else
        OA_MOCK_PUT (out, "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n");
    //  The SDKs read these into requestID; gateways may log or echo them
    if (job->dialect == OA_MOCK_OPENAI)
        oa_mock_buf_printf (out, "x-request-id: %s\r\n", job->request_id);
    else
    if (job->dialect == OA_MOCK_AZURE)
        oa_mock_buf_printf (out, "x-request-id: %s\r\napim-request-id: %s\r\n",
                            job->request_id, job->request_id);
    else
    if (job->dialect == OA_MOCK_ANTHROPIC)
        oa_mock_buf_printf (out, "request-id: %s\r\n", job->request_id);
    if (status == 429 && job->dialect != OA_MOCK_GEMINI)
        OA_MOCK_PUT (out, "retry-after: 1\r\n");     //  Gemini sends RetryInfo instead
    if (status == 429 && job->dialect == OA_MOCK_AZURE)
        OA_MOCK_PUT (out, "retry-after-ms: 1000\r\n");
    if (!job->keep_alive)
        OA_MOCK_PUT (out, "Connection: close\r\n");
    OA_MOCK_PUT (out, "\r\n");
}

//  --------------------------------------------------------------------------
//  OpenAI-shaped error body

void
oa_mock_error_openai (oa_mock_buf_t *body, const char *message, const char *type,
                      const char *param, const char *code)
{
    OA_MOCK_PUT (body, "{\"error\":{\"message\":");
    oa_mock_buf_str (body, message, strlen (message));
    OA_MOCK_PUT (body, ",\"type\":");
    oa_mock_buf_str (body, type, strlen (type));
    OA_MOCK_PUT (body, ",\"param\":");
    if (param)
        oa_mock_buf_str (body, param, strlen (param));
    else
        OA_MOCK_PUT (body, "null");
    OA_MOCK_PUT (body, ",\"code\":");
    if (code)
        oa_mock_buf_str (body, code, strlen (code));
    else
        OA_MOCK_PUT (body, "null");
    OA_MOCK_PUT (body, "}}");
}

//  --------------------------------------------------------------------------
//  Appends the dialect's error body for status.  message NULL picks the
//  canned text of wire-formats.md §6; code "API_KEY_INVALID" (Gemini) and
//  "invalid_api_key" select the bad-key bodies.

void
oa_mock_error (oa_mock_job_t *job, oa_mock_buf_t *body, int status, const char *message,
               const char *param, const char *code)
{
    char text [512];
    if (job->dialect == OA_MOCK_OPENAI || (job->dialect == OA_MOCK_AZURE && message)) {
        const char *type = status >= 500? "server_error": "invalid_request_error";
        if (!message) {
            switch (status) {
                case 400:
                    message = "This model's maximum context length is 128000 tokens. However, "
                              "your messages resulted in 130000 tokens. Please reduce the length "
                              "of the messages.";
                    param = "messages";
                    code = "context_length_exceeded";
                    break;
                case 401:
                    message = "Incorrect API key provided: bad-key. You can find your API key "
                              "at https://platform.openai.com/account/api-keys.";
                    code = "invalid_api_key";
                    break;
                case 403:
                    message = "Country, region, or territory not supported";
                    type = "request_forbidden";
                    code = "unsupported_country_region_territory";
                    break;
                case 404:
                    snprintf (text, sizeof (text), "The model `%s` does not exist or you do not "
                              "have access to it.", job->model);
                    message = text;
                    code = "model_not_found";
                    break;
                case 429:
                    snprintf (text, sizeof (text), "Rate limit reached for %s in organization "
                              "org-mock on tokens per min (TPM): Limit 30000, Used 29000, "
                              "Requested 2000. Please try again in 2s. Visit "
                              "https://platform.openai.com/account/rate-limits to learn more.",
                              job->model);
                    message = text;
                    type = "tokens";
                    code = "rate_limit_exceeded";
                    break;
                case 500:
                    message = "The server had an error while processing your request. Sorry "
                              "about that!";
                    break;
                case 503:
                    message = "The engine is currently overloaded, please try again later";
                    break;
                default:
                    snprintf (text, sizeof (text), "Mock error %d", status);
                    message = text;
            }
        }
        oa_mock_error_openai (body, message, type, param, code);
    }
    else
    if (job->dialect == OA_MOCK_AZURE) {
        const char *azure_code = NULL;
        switch (status) {
            case 400:
                OA_MOCK_PUT (body, "{\"error\":{\"message\":\"The response was filtered due to "
                    "the prompt triggering Azure OpenAI's content management policy. Please "
                    "modify your prompt and retry. To learn more about our content filtering "
                    "policies please read our documentation: "
                    "https://go.microsoft.com/fwlink/?linkid=2198766\",\"type\":null,\"param\":"
                    "\"prompt\",\"code\":\"content_filter\",\"status\":400,\"innererror\":{"
                    "\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":{"
                    "\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{"
                    "\"filtered\":true,\"severity\":\"medium\"}}}}}");
                return;
            case 401:
                azure_code = "401";
                message = code? "Access denied due to invalid subscription key or wrong API "
                    "endpoint. Make sure to provide a valid key for an active subscription and "
                    "use a correct regional API endpoint for your resource.":
                    "Access denied due to missing subscription key. Make sure to include "
                    "subscription key when making requests to an API.";
                break;
            case 404:
                azure_code = "DeploymentNotFound";
                message = "The API deployment for this resource does not exist. If you created "
                    "the deployment within the last 5 minutes, please wait a moment and try "
                    "again.";
                break;
            case 429:
                azure_code = "429";
                message = "Requests to the ChatCompletions_Create Operation under Azure OpenAI "
                    "API version 2024-10-21 have exceeded token rate limit of your current "
                    "OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: "
                    "https://aka.ms/oai/quotaincrease if you would like to further increase "
                    "the default rate limit.";
                break;
            default:
                snprintf (text, sizeof (text), "%d", status);
                azure_code = text;
                message = status >= 500? "The server had an error while processing your "
                    "request. Sorry about that!": "Mock error";
        }
        OA_MOCK_PUT (body, "{\"error\":{\"code\":");
        oa_mock_buf_str (body, azure_code, strlen (azure_code));
        OA_MOCK_PUT (body, ",\"message\":");
        oa_mock_buf_str (body, message, strlen (message));
        OA_MOCK_PUT (body, "}}");
    }
    else
    if (job->dialect == OA_MOCK_ANTHROPIC) {
        const char *type;
        const char *canned;
        switch (status) {
            case 400: type = "invalid_request_error";
                canned = "prompt is too long: 210000 tokens > 200000 maximum"; break;
            case 401: type = "authentication_error"; canned = "invalid x-api-key"; break;
            case 402: type = "billing_error"; canned = "Your credit balance is too low to "
                "access the Anthropic API. Please go to Plans & Billing to upgrade or purchase "
                "credits."; break;
            case 403: type = "permission_error"; canned = "Your API key does not have "
                "permission to use the specified resource."; break;
            case 404: type = "not_found_error"; canned = "model: "; break;
            case 413: type = "request_too_large"; canned = "Request exceeds the maximum allowed "
                "number of bytes."; break;
            case 429: type = "rate_limit_error"; canned = "Number of request tokens has exceeded "
                "your per-minute rate limit (https://docs.claude.com/en/api/rate-limits); see "
                "the response headers for current usage. Please reduce the prompt length or the "
                "maximum tokens requested, or try again later. You may also contact sales at "
                "https://www.anthropic.com/contact-sales to discuss your options for a rate "
                "limit increase."; break;
            case 500: type = "api_error"; canned = "Internal server error"; break;
            case 529: type = "overloaded_error"; canned = "Overloaded"; break;
            default:
                type = status >= 500? "api_error": "invalid_request_error";
                canned = "Mock error";
        }
        if (!message && status == 404) {
            snprintf (text, sizeof (text), "model: %s", job->model);
            message = text;
        }
        if (!message)
            message = canned;
        OA_MOCK_PUT (body, "{\"type\":\"error\",\"error\":{\"type\":");
        oa_mock_buf_str (body, type, strlen (type));
        OA_MOCK_PUT (body, ",\"message\":");
        oa_mock_buf_str (body, message, strlen (message));
        oa_mock_buf_printf (body, "},\"request_id\":\"%s\"}", job->request_id);
    }
    else {
        const char *state;
        const char *canned;
        switch (status) {
            case 400: state = "INVALID_ARGUMENT";
                canned = "Request contains an invalid argument."; break;
            case 401: state = "UNAUTHENTICATED"; canned = "Request had invalid authentication "
                "credentials. Expected OAuth 2 access token, login cookie or other valid "
                "authentication credential. See "
                "https://developers.google.com/identity/sign-in/web/devconsole-project."; break;
            case 403: state = "PERMISSION_DENIED"; canned = "Method doesn't allow unregistered "
                "callers (callers without established identity). Please use API Key or other "
                "form of API consumer identity to call this API."; break;
            case 404: state = "NOT_FOUND"; canned = NULL; break;
            case 429: state = "RESOURCE_EXHAUSTED"; canned = "You exceeded your current quota, "
                "please check your plan and billing details. For more information on this "
                "error, head to: https://ai.google.dev/gemini-api/docs/rate-limits."; break;
            case 500: state = "INTERNAL"; canned = "An internal error has occurred. Please "
                "retry or report in https://developers.generativeai.google/guide/"
                "troubleshooting"; break;
            case 503: state = "UNAVAILABLE";
                canned = "The model is overloaded. Please try again later."; break;
            case 504: state = "DEADLINE_EXCEEDED";
                canned = "Deadline expired before operation could complete."; break;
            default: state = status >= 500? "INTERNAL": "FAILED_PRECONDITION";
                canned = "Mock error";
        }
        if (!message && status == 404) {
            snprintf (text, sizeof (text), "models/%s is not found for API version v1beta, or "
                      "is not supported for generateContent. Call ListModels to see the list "
                      "of available models and their supported methods.", job->model);
            message = text;
        }
        if (code && strcmp (code, "API_KEY_INVALID") == 0)
            message = "API key not valid. Please pass a valid API key.";
        if (!message)
            message = canned;
        oa_mock_buf_printf (body, "{\"error\":{\"code\":%d,\"message\":", status);
        oa_mock_buf_str (body, message, strlen (message));
        oa_mock_buf_printf (body, ",\"status\":\"%s\"", state);
        if (code && strcmp (code, "API_KEY_INVALID") == 0)
            OA_MOCK_PUT (body, ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc."
                "ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\","
                "\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}},{\"@type\":"
                "\"type.googleapis.com/google.rpc.LocalizedMessage\",\"locale\":\"en-US\","
                "\"message\":\"API key not valid. Please pass a valid API key.\"}]");
        else
        if (status == 429 && !strcmp (message, canned))
            oa_mock_buf_printf (body, ",\"details\":[{\"@type\":\"type.googleapis.com/google."
                "rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":\"generativelanguage."
                "googleapis.com/generate_content_free_tier_input_token_count\",\"quotaId\":"
                "\"GenerateContentInputTokensPerModelPerMinute-FreeTier\",\"quotaDimensions\":{"
                "\"location\":\"global\",\"model\":\"%s\"},\"quotaValue\":\"250000\"}]},{"
                "\"@type\":\"type.googleapis.com/google.rpc.Help\",\"links\":[{\"description\":"
                "\"Learn more about Gemini API quotas\",\"url\":\"https://ai.google.dev/gemini-"
                "api/docs/rate-limits\"}]},{\"@type\":\"type.googleapis.com/google.rpc."
                "RetryInfo\",\"retryDelay\":\"26s\"}]", job->model);
        OA_MOCK_PUT (body, "}}");
    }
}
