/*  =========================================================================
    gw_body_scan_test - the body scanner against jansson + gw_admit_scan

    A table of bodies (every client format, repeated keys, escapes, numbers,
    nesting, and the documents left to jansson), each scanned both ways.
    =========================================================================
*/
#include <assert.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "gw_body_scan.h"

//  Scans body both ways; asserts the scanner answers (ok) or not, and that
//  an answer is jansson's.
static void
s_check (const char *body, size_t size, bool ok)
{
    char model [128], want_model [128];
    gw_body_fields_t fields, want;
    memset (model, 'x', sizeof model);
    int rc = gw_body_scan (body, size, model, sizeof model, &fields);
    if ((rc == 0) != ok) {
        fprintf (stderr, "gw_body_scan: %s for %.*s\n", ok? "no answer": "an answer",
                 (int) (size > 200? 200: size), body);
        assert (false);
    }
    if (rc)
        return;
    json_t *json = json_loadb (body, size, JSON_DECODE_ANY, NULL);
    assert (json);
    assert (gw_body_scan_tree (json, want_model, sizeof want_model, &want) == 0);
    json_decref (json);
    if (strcmp (model, want_model) || fields.stream != want.stream
    ||  fields.include_usage != want.include_usage
    ||  fields.prompt_tokens != want.prompt_tokens
    ||  fields.max_tokens != want.max_tokens) {
        fprintf (stderr, "gw_body_scan: got %s/%d/%d/%" PRId64 "/%" PRId64 ", jansson %s/%d/%d/%"
                 PRId64 "/%" PRId64 " for %.*s\n", model, fields.stream, fields.include_usage,
                 fields.prompt_tokens, fields.max_tokens, want_model, want.stream,
                 want.include_usage, want.prompt_tokens, want.max_tokens,
                 (int) (size > 200? 200: size), body);
        assert (false);
    }
}

void
oa_gw_body_scan_test (bool verbose)
{
    if (verbose)
        printf (" * gw_body_scan: against jansson + gw_admit_scan\n");
    #define S_BODY(text, ok) { text, sizeof text - 1, ok }
    static const struct { const char *body; size_t size; bool ok; } bodies [] = {
        //  Typical bodies of each client format
        S_BODY ("{\"model\":\"gpt-4o-mini\",\"stream\":false,\"messages\":[{\"role\":\"user\","
                "\"content\":\"Say hello in five words\"}]}", true),
        S_BODY ("{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                "\"messages\":[{\"role\":\"system\",\"content\":\"be terse\"},{\"role\":\"user\","
                "\"content\":\"hi\",\"name\":\"bob\"}],\"max_tokens\":100,\"temperature\":0.7,"
                "\"top_p\":1e-3,\"logit_bias\":{\"50256\":-100},\"stop\":null}", true),
        S_BODY ("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":["
                "{\"type\":\"text\",\"text\":\"What is in this image?\"},{\"type\":\"image_url\","
                "\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\",\"detail\":\"low\"}}]}],"
                "\"max_completion_tokens\":300,\"tools\":[{\"type\":\"function\",\"function\":"
                "{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"properties\":{\"x\":"
                "{\"type\":\"string\",\"enum\":[\"a\",\"b\"]}},\"required\":[\"x\"]}}}]}", true),
        S_BODY ("{\"model\":\"o3\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                "\"text\":\"hello\"}]}],\"instructions\":\"be nice\",\"max_output_tokens\":500,"
                "\"reasoning\":{\"effort\":\"low\"},\"stream\":true}", true),
        S_BODY ("{\"model\":\"claude-3-5-sonnet\",\"system\":[{\"type\":\"text\",\"text\":"
                "\"You are a bot.\"}],\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                "\"text\":\"Hi\"},{\"type\":\"tool_result\",\"tool_use_id\":\"x\",\"content\":["
                "{\"type\":\"text\",\"text\":\"42\"}]}]}],\"max_tokens\":1024,\"stream\":true}", true),
        S_BODY ("{\"model\":\"davinci\",\"prompt\":[\"ab\",\"cd\"],\"max_tokens\":-3}", true),
        S_BODY ("{\"model\":\"text-embedding-3-small\",\"input\":\"The food was delicious\"}", true),
        S_BODY ("{\"prompt\":{\"text\":\"abc\",\"content\":\"defg\",\"input\":\"x\",\"parts\":[\"y\"],"
                "\"other\":\"zzzzzzzzzzzz\"},\"contents\":[{\"parts\":[{\"text\":\"gemini\"}]}]}", true),
        //  Repeated keys: the last wins, at every level
        S_BODY ("{\"model\":\"a\",\"model\":\"bb\",\"stream\":true,\"stream\":false,\"messages\":"
                "[{\"content\":\"aaaaaaaa\",\"content\":\"b\",\"name\":\"x\",\"name\":1}],"
                "\"max_tokens\":5,\"max_tokens\":7}", true),
        S_BODY ("{\"model\":\"a\",\"model\":null}", true),
        S_BODY ("{\"model\":5,\"model\":\"a\"}", true),
        S_BODY ("{\"stream_options\":{\"include_usage\":true},\"stream_options\":"
                "{\"include_usage\":false}}", true),
        S_BODY ("{\"stream_options\":{\"include_usage\":true,\"include_usage\":1}}", true),
        S_BODY ("{\"stream_options\":{\"include_usage\":true},\"stream_options\":true}", true),
        S_BODY ("{\"messages\":[{\"content\":\"abcd\"}],\"messages\":[]}", true),
        S_BODY ("{\"messages\":[{\"content\":[{\"text\":\"aaaaaaaaaaaa\",\"text\":\"b\"}]}],"
                "\"system\":\"xxxxxxxx\",\"system\":[\"y\"],\"max_tokens\":9,\"max_tokens\":\"9\"}", true),
        //  Escapes, \u, surrogate pairs, raw UTF-8, DEL
        S_BODY ("{\"model\":\"gpt\\u002d4o\",\"messages\":[{\"content\":\"caf\\u00e9 \\ud83d\\ude00 "
                "\\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u4f60\\u597D\"}]}", true),
        S_BODY ("{\"mod\\u0065l\":\"x\",\"\\u006dessages\":[{\"content\":\"abcd\"}],"
                "\"stre\\u0061m\":true}", true),
        S_BODY ("{\"messages\":[{\"content\":\"\xe4\xbd\xa0\xe5\xa5\xbd, h\xc3\xa9llo "
                "\xf0\x9f\x98\x80\x7f\"}],\"model\":\"\xc3\xa9\"}", true),
        //  Numbers
        S_BODY ("{\"model\":\"m\",\"a\":-0,\"b\":0.5e+10,\"c\":1E-400,\"d\":123456789012345678,"
                "\"e\":-123456789012345678,\"max_completion_tokens\":0,\"max_tokens\":2e3,"
                "\"max_output_tokens\":999999999999}", true),
        S_BODY ("{\"max_tokens\":5000000000,\"f\":1.5e299,\"g\":0e10,\"h\":-0.0}", true),
        S_BODY ("{\"max_completion_tokens\":-1,\"max_tokens\":1.0,\"max_output_tokens\":3}", true),
        //  Depth: counted to level 8 only; the scanner follows 64
        S_BODY ("{\"system\":[[[[[[[[[\"deep-level-nine\"]]]]]]]]],\"prompt\":"
                "[[[[[[[[\"level-eight\"]]]]]]]]}", true),
        S_BODY ("{\"input\":{\"content\":{\"parts\":[{\"text\":\"x\"}]}}}", true),
        S_BODY ("{\"messages\":[{\"content\":[[[[[[[[[\"nine\"]]]]]]]]]}]}", true),
        //  Messages of other shapes
        S_BODY ("{\"messages\":\"hi\"}", true),
        S_BODY ("{\"messages\":[1,\"x\",null,{\"content\":null},[],{}]}", true),
        S_BODY ("{\"messages\":[{\"content\":{\"text\":\"abcd\",\"parts\":[\"ef\"]}}]}", true),
        //  Whitespace, empty
        S_BODY (" \n\t{ \"model\" : \"m\" , \"messages\" : [ { \"content\" : \"x\" } ] ,"
                "\"stream\" : true } \r\n", true),
        S_BODY ("{}", true),
        S_BODY ("{\"model\":null}", true),
        //  Left to jansson: not objects, models that are errors
        S_BODY ("", false), S_BODY ("   ", false), S_BODY ("[]", false), S_BODY ("\"s\"", false),
        S_BODY ("42", false), S_BODY ("null", false), S_BODY ("\xef\xbb\xbf{}", false),
        S_BODY ("{\"model\":5}", false), S_BODY ("{\"model\":[\"x\"]}", false),
        S_BODY ("{\"model\":\"a\",\"model\":5}", false), S_BODY ("{\"model\":true}", false),
        //  Malformed
        S_BODY ("{\"a\":1,}", false), S_BODY ("{\"a\":1}x", false), S_BODY ("{\"a\" 1}", false),
        S_BODY ("{'a':1}", false), S_BODY ("{\"a\":01}", false), S_BODY ("{\"a\":-}", false),
        S_BODY ("{\"a\":1.}", false), S_BODY ("{\"a\":.5}", false), S_BODY ("{\"a\":1e}", false),
        S_BODY ("{\"a\":1e+}", false), S_BODY ("{\"a\":+1}", false), S_BODY ("{\"a\":tru}", false),
        S_BODY ("{\"a\":truee}", false), S_BODY ("{\"a\":True}", false),
        S_BODY ("{\"a\":[1,]}", false), S_BODY ("{\"a\":[1 2]}", false),
        S_BODY ("{\"a\":\"\\x\"}", false), S_BODY ("{\"a\":\"\\u12\"}", false),
        S_BODY ("{\"a\":\"\\u12g4\"}", false), S_BODY ("{\"a\":\"abc", false),
        S_BODY ("{\"a\":\"abc\\", false), S_BODY ("{\"a\":1", false), S_BODY ("{\"a\"", false),
        S_BODY ("{", false), S_BODY ("{}}", false), S_BODY ("{} {}", false),
        S_BODY ("{\"a\":1}\x00", false), S_BODY ("{\"a\":1\x00}", false),
        S_BODY ("{\"a\":[}", false), S_BODY ("{\"a\":{]}", false), S_BODY ("{,}", false),
        S_BODY ("{\"a\":nul}", false), S_BODY ("{\"a\":1}\v", false),
        //  Numbers jansson may refuse (or we do not bother with)
        S_BODY ("{\"a\":12345678901234567890}", false), S_BODY ("{\"a\":1234567890123456789}", false),
        S_BODY ("{\"a\":1e400}", false), S_BODY ("{\"a\":-1e309}", false),
        S_BODY ("{\"a\":1.5e300}", false), S_BODY ("{\"a\":0e99999999999}", false),
        //  \u0000, lone surrogates
        S_BODY ("{\"a\":\"\\u0000\"}", false), S_BODY ("{\"\\u0000\":1}", false),
        S_BODY ("{\"a\":\"\\ud800\"}", false), S_BODY ("{\"a\":\"\\udc00\"}", false),
        S_BODY ("{\"a\":\"\\ud800\\u0041\"}", false), S_BODY ("{\"a\":\"\\ud800\\n\"}", false),
        //  Invalid UTF-8, raw control characters and NULs
        S_BODY ("{\"a\":\"\xc0\x80\"}", false), S_BODY ("{\"a\":\"\xed\xa0\x80\"}", false),
        S_BODY ("{\"a\":\"\xf4\x90\x80\x80\"}", false), S_BODY ("{\"a\":\"\xe4\xbd\"}", false),
        S_BODY ("{\"a\":\"\x80\"}", false), S_BODY ("{\"a\":\"\xfe\"}", false),
        S_BODY ("{\"a\":\"\xe0\x9f\xbf\"}", false), S_BODY ("{\"a\":\"\xf0\x8f\xbf\xbf\"}", false),
        S_BODY ("{\"a\xff\":1}", false), S_BODY ("{\"a\":1,\xc3\xa9:1}", false),
        S_BODY ("{\"a\":\"x\ny\"}", false), S_BODY ("{\"a\":\"x\ty\"}", false),
        S_BODY ("{\"a\":\"x\x00y\"}", false), S_BODY ("{\"a\":\"\x1f\"}", false),
    };
    #undef S_BODY
    for (size_t index = 0; index < sizeof bodies / sizeof bodies [0]; index++)
        s_check (bodies [index].body, bodies [index].size, bodies [index].ok);

    //  Nesting: GW_BODY_SCAN_DEPTH levels, the top object included, not one more
    char body [1024];
    for (int extra = 0; extra < 2; extra++) {
        int arrays = GW_BODY_SCAN_DEPTH - 1 + extra;
        size_t size = (size_t) snprintf (body, sizeof body, "{\"a\":");
        for (int index = 0; index < arrays; index++)
            body [size++] = '[';
        for (int index = 0; index < arrays; index++)
            body [size++] = ']';
        body [size++] = '}';
        s_check (body, size, extra == 0);
    }

    //  Special bytes at every offset of a word (the scanner reads eight at once)
    static const struct { const char *text; bool ok; } specials [] = {
        { "\\n", true }, { "\\u00e9", true }, { "\xc3\xa9", true }, { "\x7f", true },
        { "\x01", false }, { "\x80", false }, { "\x1f", false }, { "\"", false }
    };
    for (size_t special = 0; special < sizeof specials / sizeof specials [0]; special++)
        for (int offset = 0; offset < 17; offset++) {
            snprintf (body, sizeof body, "{\"input\":\"%.*s%s%s\"}", offset,
                      "abcdefghijklmnopqrstuvwxyz", specials [special].text, "0123456789abcdefghij");
            s_check (body, strlen (body), specials [special].ok);
        }

    //  Long names are cut like snprintf cuts them, mid-character too
    char name [400];
    memset (name, 'n', 300);
    name [300] = 0;
    snprintf (body, sizeof body, "{\"model\":\"%s\",\"model\":\"%s\"}", "short", name);
    s_check (body, strlen (body), true);
    for (int index = 0; index < 150; index++)
        memcpy (name + 2 * index, "\xc3\xa9", 2);
    snprintf (body, sizeof body, "{\"model\":\"a%s\"}", name);
    s_check (body, strlen (body), true);
    char model [16];
    gw_body_fields_t fields;
    assert (gw_body_scan (body, strlen (body), model, sizeof model, &fields) == 0);
    assert (strlen (model) == 15 && memcmp (model, "a\xc3\xa9", 3) == 0);

    //  Known numbers, so both sides are not wrong together: (3 + 2) + (3 + 3) + 3
    const char *known = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":["
        "{\"role\":\"system\",\"content\":\"be terse\"},"
        "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello there\"},"
        "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://x/y.png\"}}]}]}";
    assert (gw_body_scan (known, strlen (known), model, sizeof model, &fields) == 0);
    assert (fields.prompt_tokens == 14 && fields.max_tokens == 5);
    assert (strcmp (model, "m") == 0 && !fields.stream && !fields.include_usage);
    //  "caf\u00e9 \ud83d\ude00": 5 ASCII bytes (2 tokens) + 2 characters
    known = "{\"input\":\"caf\\u00e9 \\ud83d\\ude00\",\"stream\":true,"
            "\"stream_options\":{\"include_usage\":true}}";
    assert (gw_body_scan (known, strlen (known), model, sizeof model, &fields) == 0);
    assert (fields.prompt_tokens == 3 && fields.stream && fields.include_usage);
}
