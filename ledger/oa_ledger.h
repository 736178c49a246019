/*  =========================================================================
    oa_ledger - the ledger actor: the single database writer

    At start the actor signals its pipe at once, then opens the store in
    the background: SQLite (SQLITE_PATH) or PostgreSQL (SQL_DSN), retrying
    with exponential backoff (100 ms doubling to 5 s) while the database is
    unreachable, then migrates the schema and creates root on first start.
    Health component "store" is DOWN (with the reason) until then, READY
    after.  A failure that retrying cannot cure (schema newer than this
    binary, unwritable SQLITE_PATH, invalid SQL_DSN) is fatal: logged,
    health DOWN, and STATUS answers "FATAL <message>" so the supervisor can
    exit with status 1.

    Pipe commands:
      STATUS  -> "READY" | "CONNECTING" | "FATAL <message>"
      DRAIN   -> "DRAINED" (nothing is buffered yet)
      $TERM   -> stops; answered within ~100 ms even while connecting
    =========================================================================
*/
#ifndef OA_LEDGER_H_INCLUDED
#define OA_LEDGER_H_INCLUDED

#include <czmq.h>
#include "oa_config.h"
#include "oa_store.h"

//  The ledger actor (zactor_fn); args is a const oa_config_t *, borrowed
//  for the actor's lifetime.
void
    oa_ledger_actor (zsock_t *pipe, void *args);

//  How the ledger's actors open their store connections: the configured
//  database, and interrupted (may be NULL) polled while connecting.
oa_store_options_t
    oa_ledger_store_options (const oa_config_t *config, bool (*interrupted) (void *), void *arg);

//  Writes the inproc endpoint where the ledger actor PULLs "PUBLISH <table>
//  <op> <row json>" from sibling actors of the same process (the
//  management API); derived from config->ledger_bind.
void
    oa_ledger_publish_endpoint (const oa_config_t *config, char *out, size_t out_size);

//  `oneapi migrate`: opens the store once (no retry), creates or upgrades
//  the schema, closes.  Returns 0, or -1 with a message in err.
int
    oa_store_migrate_only (const oa_config_t *config, char *err, size_t err_size);

//  Self test.
void
    oa_ledger_test (bool verbose);

#endif
