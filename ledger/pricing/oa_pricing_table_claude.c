/*  =========================================================================
    oa_pricing_table_claude - default Anthropic and Google Gemini prices (data)

    USD per 1M tokens: input, output, cache read, cache write 5m, cache write
    1h (0 = input price, -1 = free).  Tiers: model, prompt-token threshold,
    completion-token threshold, then the same five prices (0 = inherit).
    Source: one-api (Laisky fork, 8f947de, 2026-08-22):
    relay/adaptor/anthropic/constants.go,
    relay/adaptor/geminiOpenaiCompatible/constants.go;
    rows marked "alias" are added here, see the comment next to them.
    To update a price, edit the row; no code change is needed.
    =========================================================================
*/

#include "oa_pricing_tables.h"

//  model, input, output, cached input, cache write 5m, cache write 1h
static const oa_pricing_row_t s_anthropic_rows [] = {
    { "claude-2.0",                 8,        24,       0.8,      10,       16 },
    { "claude-2.1",                 8,        24,       0.8,      10,       16 },
    { "claude-3-5-haiku-20241022",  0.8,      4,        0.08,     1,        1.6 },
    { "claude-3-5-haiku-latest",    0.8,      4,        0.08,     1,        1.6 },
    { "claude-3-5-sonnet-20240620", 3,        15,       0.3,      3.75,     6 },
    { "claude-3-5-sonnet-20241022", 3,        15,       0.3,      3.75,     6 },
    { "claude-3-5-sonnet-latest",   3,        15,       0.3,      3.75,     6 },
    { "claude-3-7-sonnet-20250219", 3,        15,       0.3,      3.75,     6 },
    { "claude-3-7-sonnet-latest",   3,        15,       0.3,      3.75,     6 },
    { "claude-3-haiku-20240307",    0.25,     1.25,     0.03,     0.3,      0.5 },
    { "claude-3-opus-20240229",     15,       75,       1.5,      18.75,    30 },
    { "claude-3-sonnet-20240229",   3,        15,       0.3,      3.75,     6 },
    { "claude-fable-5",             10,       50,       1,        12.5,     20 },
    { "claude-haiku-4-5",           1,        5,        0.1,      1.25,     2 },
    { "claude-haiku-4-5-20251001",  1,        5,        0.1,      1.25,     2 },
    { "claude-instant-1.2",         0.8,      2.4,      0.08,     1,        1.6 },
    { "claude-mythos-5",            10,       50,       1,        12.5,     20 },
    { "claude-opus-4-0",            15,       75,       1.5,      18.75,    30 },
    { "claude-opus-4-1",            15,       75,       1.5,      18.75,    30 },
    { "claude-opus-4-1-20250805",   15,       75,       1.5,      18.75,    30 },
    { "claude-opus-4-20250514",     15,       75,       1.5,      18.75,    30 },
    { "claude-opus-4-5",            5,        25,       0.5,      6.25,     10 },
    { "claude-opus-4-5-20251101",   5,        25,       0.5,      6.25,     10 },
    { "claude-opus-4-6",            5,        25,       0.5,      6.25,     10 },
    { "claude-opus-4-7",            5,        25,       0.5,      6.25,     10 },
    { "claude-opus-4-8",            5,        25,       0.5,      6.25,     10 },
    { "claude-opus-5",              5,        25,       0.5,      6.25,     10 },
    { "claude-sonnet-4-0",          3,        15,       0.3,      3.75,     6 },
    { "claude-sonnet-4-20250514",   3,        15,       0.3,      3.75,     6 },
    { "claude-sonnet-4-5",          3,        15,       0.3,      3.75,     6 },
    { "claude-sonnet-4-5-20250929", 3,        15,       0.3,      3.75,     6 },
    { "claude-sonnet-4-6",          3,        15,       0.3,      3.75,     6 },
    { "claude-sonnet-5",            3,        15,       0.3,      3.75,     6 },
};

const oa_pricing_table_t oa_pricing_table_anthropic = {
    "anthropic",
    s_anthropic_rows, sizeof (s_anthropic_rows) / sizeof (s_anthropic_rows [0]),
    NULL, 0
};

//  model, input, output, cached input, cache write 5m, cache write 1h
static const oa_pricing_row_t s_gemini_rows [] = {
    { "aqa",                                           2,        2,        0,        0,        0 },
    { "gemini-2.0-flash",                              0.15,     0.6,      0.0375,   0,        0 },
    { "gemini-2.0-flash-image",                        0.15,     0.6,      0.0375,   0,        0 },
    { "gemini-2.0-flash-lite",                         0.075,    0.3,      0,        0,        0 },
    { "gemini-2.5-computer-use-preview",               1.25,     10,       0.125,    0,        0 },
    { "gemini-2.5-computer-use-preview-10-2025",       1.25,     10,       0.125,    0,        0 },
    { "gemini-2.5-flash",                              0.3,      2.5,      0.03,     0,        0 },
    { "gemini-2.5-flash-image",                        0.3,      2.5,      0,        0,        0 },
    { "gemini-2.5-flash-image-preview",                0.3,      2.5,      0,        0,        0 },
    { "gemini-2.5-flash-lite",                         0.1,      0.4,      0.01,     0,        0 },
    { "gemini-2.5-flash-lite-preview",                 0.1,      0.4,      0.01,     0,        0 },
    { "gemini-2.5-flash-lite-preview-09-2025",         0.1,      0.4,      0.01,     0,        0 },
    { "gemini-2.5-flash-native-audio",                 0.5,      2,        0,        0,        0 },
    { "gemini-2.5-flash-native-audio-preview-09-2025", 0.5,      2,        0,        0,        0 },
    { "gemini-2.5-flash-native-audio-preview-12-2025", 0.5,      2,        0,        0,        0 },
    { "gemini-2.5-flash-preview",                      0.3,      2.5,      0.03,     0,        0 },
    { "gemini-2.5-flash-preview-09-2025",              0.3,      2.5,      0.03,     0,        0 },
    { "gemini-2.5-flash-preview-tts",                  0.5,      10,       0,        0,        0 },
    { "gemini-2.5-pro",                                1.25,     10,       0.125,    0,        0 },
    { "gemini-2.5-pro-preview",                        1.25,     10,       0.125,    0,        0 },
    { "gemini-2.5-pro-preview-tts",                    1,        20,       0,        0,        0 },
    { "gemini-3-flash-preview",                        0.5,      3,        0.05,     0,        0 },
    { "gemini-3-pro-image",                            2,        12,       0.2,      0,        0 },
    { "gemini-3-pro-image-preview",                    2,        12,       0.2,      0,        0 },
    { "gemini-3-pro-preview",                          2,        12,       0.2,      0,        0 },
    { "gemini-3.1-flash-image",                        0.5,      3,        0,        0,        0 },
    { "gemini-3.1-flash-image-preview",                0.5,      3,        0,        0,        0 },
    { "gemini-3.1-flash-lite",                         0.25,     1.5,      0.025,    0,        0 },
    { "gemini-3.1-flash-lite-image",                   0.25,     1.5,      0,        0,        0 },
    { "gemini-3.1-flash-lite-preview",                 0.25,     1.5,      0.025,    0,        0 },
    { "gemini-3.1-flash-live-preview",                 0.75,     4.5,      0,        0,        0 },
    { "gemini-3.1-flash-tts-preview",                  1,        20,       0,        0,        0 },
    { "gemini-3.1-pro-preview",                        2,        12,       0.2,      0,        0 },
    { "gemini-3.1-pro-preview-customtools",            2,        12,       0.2,      0,        0 },
    { "gemini-3.5-flash",                              1.5,      9,        0.15,     0,        0 },
    { "gemini-3.5-flash-lite",                         0.3,      2.5,      0.03,     0,        0 },
    { "gemini-3.5-live-translate-preview",             3.5,      21,       0,        0,        0 },
    { "gemini-3.6-flash",                              1.5,      7.5,      0.15,     0,        0 },
    { "gemini-embedding-001",                          0.15,     0.15,     0,        0,        0 },
    { "gemini-embedding-2",                            0.2,      0.2,      0,        0,        0 },
    { "gemini-embedding-2-preview",                    0.2,      0.2,      0,        0,        0 },
    { "gemini-omni-flash-preview",                     1.5,      9,        0,        0,        0 },
    { "gemini-robotics-er-1.5-preview",                0.3,      2.5,      0,        0,        0 },
    { "gemini-robotics-er-1.6-preview",                1,        5,        0,        0,        0 },
    { "gemma-2-27b-it",                                0.35,     0.49,     0,        0,        0 },
    { "gemma-2-2b-it",                                 0.35,     0.49,     0,        0,        0 },
    { "gemma-2-9b-it",                                 0.35,     0.49,     0,        0,        0 },
    { "gemma-3-27b-it",                                0.35,     0.49,     0,        0,        0 },
};

//  model, input threshold, output threshold, input, output, cached, 5m, 1h
static const oa_pricing_tier_row_t s_gemini_tiers [] = {
    { "gemini-2.5-computer-use-preview",               200001, 0, 2.5, 15, 0.25, 0, 0 },
    { "gemini-2.5-computer-use-preview-10-2025",       200001, 0, 2.5, 15, 0.25, 0, 0 },
    { "gemini-2.5-pro",                                200001, 0, 2.5, 15, 0.25, 0, 0 },
    { "gemini-2.5-pro-preview",                        200001, 0, 2.5, 15, 0.25, 0, 0 },
    { "gemini-3-pro-image",                            200001, 0, 4, 18, 0.4, 0, 0 },
    { "gemini-3-pro-image-preview",                    200001, 0, 4, 18, 0.4, 0, 0 },
    { "gemini-3-pro-preview",                          200001, 0, 4, 18, 0.4, 0, 0 },
    { "gemini-3.1-pro-preview",                        200001, 0, 4, 18, 0.4, 0, 0 },
    { "gemini-3.1-pro-preview-customtools",            200001, 0, 4, 18, 0.4, 0, 0 },
};

const oa_pricing_table_t oa_pricing_table_gemini = {
    "gemini",
    s_gemini_rows, sizeof (s_gemini_rows) / sizeof (s_gemini_rows [0]),
    s_gemini_tiers, sizeof (s_gemini_tiers) / sizeof (s_gemini_tiers [0])
};
