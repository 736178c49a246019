/*  =========================================================================
    gw_tls - the TLS server context of the HTTP edge

    One SSL_CTX serves every loop thread (OpenSSL 1.1+ contexts are safe to
    share once configured).  ALPN offers h2 first, then http/1.1, which is
    how clients get HTTP/2 over TLS.
    =========================================================================
*/
#include <stdio.h>
#include <openssl/err.h>
#include "gw_server.h"

static void
s_ssl_error (char *err, size_t err_size, const char *what, const char *file)
{
    unsigned long code = ERR_get_error ();
    char reason [256] = "unknown error";
    if (code)
        ERR_error_string_n (code, reason, sizeof reason);
    ERR_clear_error ();
    snprintf (err, err_size, "%s %s: %s", what, file, reason);
}

SSL_CTX *
gw_tls_context_new (const char *cert_file, const char *key_file, char *err, size_t err_size)
{
    SSL_CTX *ctx = SSL_CTX_new (TLS_server_method ());
    if (!ctx) {
        s_ssl_error (err, err_size, "SSL_CTX_new", "");
        return NULL;
    }
    SSL_CTX_set_min_proto_version (ctx, TLS1_2_VERSION);
    SSL_CTX_set_options (ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION
                            | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_use_certificate_chain_file (ctx, cert_file) != 1) {
        s_ssl_error (err, err_size, "ONEAPI_TLS_CERT", cert_file);
        SSL_CTX_free (ctx);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file (ctx, key_file, SSL_FILETYPE_PEM) != 1
    ||  SSL_CTX_check_private_key (ctx) != 1) {
        s_ssl_error (err, err_size, "ONEAPI_TLS_KEY", key_file);
        SSL_CTX_free (ctx);
        return NULL;
    }
    h2o_ssl_register_alpn_protocols (ctx, h2o_http2_alpn_protocols);
    return ctx;
}
