/*  =========================================================================
    oa_pricing_table_more - default DeepSeek, Groq, Mistral and xAI prices (data)

    USD per 1M tokens: input, output, cache read, cache write 5m, cache write
    1h (0 = input price, -1 = free).  Tiers: model, prompt-token threshold,
    completion-token threshold, then the same five prices (0 = inherit).
    Source: one-api (Laisky fork, 8f947de, 2026-08-22):
    relay/adaptor/deepseek/constants.go, relay/adaptor/groq/constants.go,
    relay/adaptor/mistral/constants.go, relay/adaptor/xai/constants.go;
    rows marked "alias" are added here, see the comment next to them.
    To update a price, edit the row; no code change is needed.
    =========================================================================
*/

#include "oa_pricing_tables.h"

//  model, input, output, cached input, cache write 5m, cache write 1h
static const oa_pricing_row_t s_deepseek_rows [] = {
    { "deepseek-v4-flash",            0.14,     0.28,     0.0028,   0,        0 },
    { "deepseek-v4-flash-vision-exp", 0.14,     0.28,     0.0028,   0,        0 },
    { "deepseek-v4-pro",              0.435,    0.87,     0.003625, 0,        0 },
    { "deepseek-chat",                0.14,     0.28,     0.0028,   0,        0 },   //  alias: retired, one-api bc5c6c8f
    { "deepseek-reasoner",            0.14,     0.28,     0.0028,   0,        0 },   //  alias: retired, one-api bc5c6c8f
};

const oa_pricing_table_t oa_pricing_table_deepseek = {
    "deepseek",
    s_deepseek_rows, sizeof (s_deepseek_rows) / sizeof (s_deepseek_rows [0]),
    NULL, 0
};

//  model, input, output, cached input, cache write 5m, cache write 1h
static const oa_pricing_row_t s_groq_rows [] = {
    { "canopylabs/orpheus-arabic-saudi",           40,       40,       0,        0,        0 },
    { "canopylabs/orpheus-v1-english",             22,       22,       0,        0,        0 },
    { "groq/compound",                             0,        0,        0,        0,        0 },
    { "groq/compound-mini",                        0,        0,        0,        0,        0 },
    { "llama-3.1-8b-instant",                      0.05,     0.08,     0,        0,        0 },
    { "llama-3.3-70b-versatile",                   0.59,     0.79,     0,        0,        0 },
    { "meta-llama/llama-4-scout-17b-16e-instruct", 0.11,     0.34,     0,        0,        0 },
    { "meta-llama/llama-prompt-guard-2-22m",       0.03,     0.03,     0,        0,        0 },
    { "meta-llama/llama-prompt-guard-2-86m",       0.04,     0.04,     0,        0,        0 },
    { "minimaxai/minimax-m2.7",                    0,        0,        0,        0,        0 },
    { "openai/gpt-oss-120b",                       0.15,     0.6,      0.075,    0,        0 },
    { "openai/gpt-oss-20b",                        0.075,    0.3,      0.0375,   0,        0 },
    { "openai/gpt-oss-safeguard-20b",              0.075,    0.3,      0.0375,   0,        0 },
    { "qwen/qwen3-32b",                            0.29,     0.59,     0,        0,        0 },
    { "qwen/qwen3.6-27b",                          0.6,      3,        0,        0,        0 },
    { "whisper-large-v3",                          0,        0,        0,        0,        0 },
    { "whisper-large-v3-turbo",                    0,        0,        0,        0,        0 },
};

const oa_pricing_table_t oa_pricing_table_groq = {
    "groq",
    s_groq_rows, sizeof (s_groq_rows) / sizeof (s_groq_rows [0]),
    NULL, 0
};

//  model, input, output, cached input, cache write 5m, cache write 1h
static const oa_pricing_row_t s_mistral_rows [] = {
    { "codestral-2508",               0.3,      0.9,      0,        0,        0 },
    { "codestral-embed-2505",         0.15,     0.15,     0,        0,        0 },
    { "codestral-latest",             0.3,      0.9,      0,        0,        0 },
    { "devstral-2512",                0.4,      2,        0,        0,        0 },
    { "devstral-medium-2507",         0.4,      2,        0,        0,        0 },
    { "devstral-medium-latest",       0.4,      2,        0,        0,        0 },
    { "devstral-small-2507",          0.1,      0.3,      0,        0,        0 },
    { "devstral-small-latest",        0.1,      0.3,      0,        0,        0 },
    { "magistral-medium-2509",        2,        5,        0,        0,        0 },
    { "magistral-medium-latest",      2,        5,        0,        0,        0 },
    { "magistral-small-2509",         0.5,      1.5,      0,        0,        0 },
    { "magistral-small-latest",       0.5,      1.5,      0,        0,        0 },
    { "ministral-14b-2512",           0.2,      0.2,      0,        0,        0 },
    { "ministral-3b-2512",            0.1,      0.1,      0,        0,        0 },
    { "ministral-3b-latest",          0.1,      0.1,      0,        0,        0 },
    { "ministral-8b-2512",            0.15,     0.15,     0,        0,        0 },
    { "ministral-8b-latest",          0.15,     0.15,     0,        0,        0 },
    { "mistral-embed",                0.1,      0.1,      0,        0,        0 },
    { "mistral-large-2512",           0.5,      1.5,      0,        0,        0 },
    { "mistral-large-latest",         0.5,      1.5,      0,        0,        0 },
    { "mistral-medium-2508",          0.4,      2,        0,        0,        0 },
    { "mistral-medium-2604",          1.5,      7.5,      0,        0,        0 },
    { "mistral-medium-3-5",           1.5,      7.5,      0,        0,        0 },
    { "mistral-medium-latest",        1.5,      7.5,      0,        0,        0 },
    { "mistral-small-2506",           0.1,      0.3,      0,        0,        0 },
    { "mistral-small-2603",           0.15,     0.6,      0,        0,        0 },
    { "mistral-small-latest",         0.15,     0.6,      0,        0,        0 },
    { "open-mistral-nemo",            0.15,     0.15,     0,        0,        0 },
    { "pixtral-large-2411",           2,        6,        0,        0,        0 },
    { "pixtral-large-latest",         2,        6,        0,        0,        0 },
    { "voxtral-mini-transcribe-2602", 0.1,      0.1,      0,        0,        0 },
    { "voxtral-small-2507",           0.1,      0.4,      0,        0,        0 },
    { "voxtral-tts-2603",             16,       16,       0,        0,        0 },
};

const oa_pricing_table_t oa_pricing_table_mistral = {
    "mistral",
    s_mistral_rows, sizeof (s_mistral_rows) / sizeof (s_mistral_rows [0]),
    NULL, 0
};

//  model, input, output, cached input, cache write 5m, cache write 1h
static const oa_pricing_row_t s_xai_rows [] = {
    { "grok-2-image",                        0,        0,        0,        0,        0 },
    { "grok-2-image-1212",                   0,        0,        0,        0,        0 },
    { "grok-2-vision-1212",                  2,        10,       0,        0,        0 },
    { "grok-3",                              1.25,     2.5,      0.2,      0,        0 },
    { "grok-3-mini",                         1.25,     2.5,      0.2,      0,        0 },
    { "grok-4-0709",                         1.25,     2.5,      0.2,      0,        0 },
    { "grok-4-1-fast-non-reasoning",         1.25,     2.5,      0.2,      0,        0 },
    { "grok-4-1-fast-reasoning",             1.25,     2.5,      0.2,      0,        0 },
    { "grok-4-fast-non-reasoning",           1.25,     2.5,      0.2,      0,        0 },
    { "grok-4-fast-reasoning",               1.25,     2.5,      0.2,      0,        0 },
    { "grok-4.20",                           1.25,     2.5,      0.2,      0,        0 },
    { "grok-4.20-0309-non-reasoning",        1.25,     2.5,      0.2,      0,        0 },
    { "grok-4.20-0309-reasoning",            1.25,     2.5,      0.2,      0,        0 },
    { "grok-4.20-multi-agent",               1.25,     2.5,      0.2,      0,        0 },
    { "grok-4.20-multi-agent-0309",          1.25,     2.5,      0.2,      0,        0 },
    { "grok-4.20-non-reasoning",             1.25,     2.5,      0.2,      0,        0 },
    { "grok-4.20-reasoning",                 1.25,     2.5,      0.2,      0,        0 },
    { "grok-4.3",                            1.25,     2.5,      0.2,      0,        0 },
    { "grok-4.5",                            2,        6,        0.3,      0,        0 },
    { "grok-4.5-latest",                     2,        6,        0.3,      0,        0 },
    { "grok-4.6",                            2,        6,        0.5,      0,        0 },
    { "grok-4.6-latest",                     2,        6,        0.5,      0,        0 },
    { "grok-build-0.1",                      1,        2,        0.2,      0,        0 },
    { "grok-code-fast-1",                    1,        2,        0.2,      0,        0 },
    { "grok-imagine-image",                  0,        0,        0,        0,        0 },
    { "grok-imagine-image-2.0",              0,        0,        0,        0,        0 },
    { "grok-imagine-image-2026-03-02",       0,        0,        0,        0,        0 },
    { "grok-imagine-image-pro",              0,        0,        0,        0,        0 },
    { "grok-imagine-image-quality",          0,        0,        0,        0,        0 },
    { "grok-imagine-image-quality-20260403", 0,        0,        0,        0,        0 },
    { "grok-imagine-image-quality-latest",   0,        0,        0,        0,        0 },
    { "grok-imagine-video",                  0,        0,        0,        0,        0 },
    { "grok-imagine-video-1.5",              0,        0,        0,        0,        0 },
    { "grok-imagine-video-1.5-2026-05-30",   0,        0,        0,        0,        0 },
    { "grok-imagine-video-1.5-preview",      0,        0,        0,        0,        0 },
    { "grok-4",                              1.25,     2.5,      0.2,      0,        0 },   //  alias: xAI alias of grok-4-0709
};

//  model, input threshold, output threshold, input, output, cached, 5m, 1h
static const oa_pricing_tier_row_t s_xai_tiers [] = {
    { "grok-3",                              200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-3-mini",                         200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4-0709",                         200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4-1-fast-non-reasoning",         200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4-1-fast-reasoning",             200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4-fast-non-reasoning",           200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4-fast-reasoning",               200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4.20",                           200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4.20-0309-non-reasoning",        200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4.20-0309-reasoning",            200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4.20-multi-agent",               200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4.20-multi-agent-0309",          200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4.20-non-reasoning",             200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4.20-reasoning",                 200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4.3",                            200000, 0, 2.5, 5, 0.4, 0, 0 },
    { "grok-4.5",                            200000, 0, 4, 12, 0.6, 0, 0 },
    { "grok-4.5-latest",                     200000, 0, 4, 12, 0.6, 0, 0 },
    { "grok-4.6",                            200000, 0, 4, 12, 1, 0, 0 },
    { "grok-4.6-latest",                     200000, 0, 4, 12, 1, 0, 0 },
    { "grok-build-0.1",                      200000, 0, 2, 4, 0.4, 0, 0 },
    { "grok-code-fast-1",                    200000, 0, 2, 4, 0.4, 0, 0 },
    { "grok-4",                              200000, 0, 2.5, 5, 0.4, 0, 0 },   //  alias: xAI alias of grok-4-0709
};

const oa_pricing_table_t oa_pricing_table_xai = {
    "xai",
    s_xai_rows, sizeof (s_xai_rows) / sizeof (s_xai_rows [0]),
    s_xai_tiers, sizeof (s_xai_tiers) / sizeof (s_xai_tiers [0])
};
