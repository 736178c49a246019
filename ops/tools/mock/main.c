/*  =========================================================================
    oa-mock - a fake upstream LLM provider for tests and benchmarks

    Usage: oa-mock --port N [--host 127.0.0.1] [--threads N]
                   [--chunks N] [--delay-ms N] [--chunk-delay-ms N]

    Speaks OpenAI, Azure OpenAI, Anthropic and Gemini on one port; each
    request picks its behaviour (chunks, delays, errors, drops) through
    x-mock-* headers, mock_* query parameters or a model suffix
    "model@key=value,...".  See README.md in this folder.

    Prints "listening on <port>" once ready (port 0 picks a free one).
    =========================================================================
*/
#include "mock.h"

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

//  --------------------------------------------------------------------------
//  Opens a listening socket; SO_REUSEPORT lets every thread own one

static int
s_listen (const char *host, int port)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *found = NULL;
    char service [16];
    snprintf (service, sizeof (service), "%d", port);
    int rc = getaddrinfo (host, service, &hints, &found);
    if (rc) {
        fprintf (stderr, "oa-mock: %s: %s\n", host, gai_strerror (rc));
        return -1;
    }
    int fd = socket (found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof (one));
    setsockopt (fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof (one));
    if (fd < 0 || bind (fd, found->ai_addr, found->ai_addrlen) < 0 || listen (fd, 4096) < 0) {
        fprintf (stderr, "oa-mock: listen on %s:%d: %s\n", host, port, strerror (errno));
        freeaddrinfo (found);
        return -1;
    }
    freeaddrinfo (found);
    return fd;
}

//  --------------------------------------------------------------------------
//  Returns the port a socket is bound to

static int
s_port_of (int fd)
{
    struct sockaddr_storage addr;
    socklen_t size = sizeof (addr);
    getsockname (fd, (struct sockaddr *) &addr, &size);
    if (addr.ss_family == AF_INET6)
        return ntohs (((struct sockaddr_in6 *) &addr)->sin6_port);
    return ntohs (((struct sockaddr_in *) &addr)->sin_port);
}

//  --------------------------------------------------------------------------
//  Thread body: one event loop

static void *
s_thread (void *arg)
{
    oa_mock_server_run ((int) (intptr_t) arg);
    return NULL;
}

//  --------------------------------------------------------------------------
//  Reads an integer option, exiting on garbage

static int
s_int (const char *text, const char *what)
{
    char *end;
    long value = strtol (text, &end, 10);
    if (!*text || *end || value < 0 || value > 100000000) {
        fprintf (stderr, "oa-mock: bad %s: %s\n", what, text);
        exit (2);
    }
    return (int) value;
}

static void
s_usage (void)
{
    puts ("usage: oa-mock --port N [--host 127.0.0.1] [--threads N]\n"
          "               [--chunks N] [--delay-ms N] [--chunk-delay-ms N]\n"
          "env defaults: OA_MOCK_CHUNKS, OA_MOCK_DELAY_MS, OA_MOCK_CHUNK_DELAY_MS\n"
          "per request: x-mock-<key> headers, mock_<key> query, or model@key=v,key=v\n"
          "keys: chunks delay chunk_delay status fail_after error_after tools keepalive usage\n"
          "inspection: GET /_mock/stats, POST /_mock/reset");
}

int
main (int argc, char *argv [])
{
    const char *host = "127.0.0.1";
    int port = -1, threads = 1;
    const char *env;
    if ((env = getenv ("OA_MOCK_CHUNKS")))
        oa_mock_defaults.chunks = s_int (env, "OA_MOCK_CHUNKS");
    if ((env = getenv ("OA_MOCK_DELAY_MS")))
        oa_mock_defaults.delay_ms = s_int (env, "OA_MOCK_DELAY_MS");
    if ((env = getenv ("OA_MOCK_CHUNK_DELAY_MS")))
        oa_mock_defaults.chunk_delay_ms = s_int (env, "OA_MOCK_CHUNK_DELAY_MS");

    static const struct option options [] = {
        { "port", required_argument, NULL, 'p' },
        { "host", required_argument, NULL, 'H' },
        { "threads", required_argument, NULL, 't' },
        { "chunks", required_argument, NULL, 'c' },
        { "delay-ms", required_argument, NULL, 'd' },
        { "chunk-delay-ms", required_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "p:H:t:c:d:D:h", options, NULL)) != -1) {
        switch (option) {
            case 'p': port = s_int (optarg, "--port"); break;
            case 'H': host = optarg; break;
            case 't': threads = s_int (optarg, "--threads"); break;
            case 'c': oa_mock_defaults.chunks = s_int (optarg, "--chunks"); break;
            case 'd': oa_mock_defaults.delay_ms = s_int (optarg, "--delay-ms"); break;
            case 'D': oa_mock_defaults.chunk_delay_ms = s_int (optarg, "--chunk-delay-ms"); break;
            case 'h': s_usage (); return 0;
            default: s_usage (); return 2;
        }
    }
    if (port < 0 || port > 65535 || threads < 1 || threads > 256) {
        s_usage ();
        return 2;
    }
    signal (SIGPIPE, SIG_IGN);

    //  Held-stream tests open 10,000+ sockets: take every descriptor allowed
    struct rlimit limit;
    if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit (RLIMIT_NOFILE, &limit);
    }

    int *fds = calloc ((size_t) threads, sizeof (int));
    fds [0] = s_listen (host, port);
    if (fds [0] < 0)
        return 1;
    port = s_port_of (fds [0]);
    for (int i = 1; i < threads; i++)
        if ((fds [i] = s_listen (host, port)) < 0)
            return 1;
    printf ("listening on %d\n", port);
    fflush (stdout);
    for (int i = 1; i < threads; i++) {
        pthread_t thread;
        pthread_create (&thread, NULL, s_thread, (void *) (intptr_t) fds [i]);
        pthread_detach (thread);
    }
    oa_mock_server_run (fds [0]);
    return 0;
}
