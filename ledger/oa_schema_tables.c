/*  =========================================================================
    oa_schema_tables - one-api's tables as GORM creates them

    Source of truth: the GORM models of Laisky/one-api (model/ directory).  GORM's
    type mapping: Go int/int64/uint -> "integer" (SQLite) / "bigint"
    (PostgreSQL); the auto-increment id -> "integer PRIMARY KEY AUTOINCREMENT"
    / "bigserial"; string -> "text" (a size becomes varchar(n) on PostgreSQL
    only); bool -> "numeric" / "boolean"; float64 -> "real" / "decimal";
    time.Time -> "datetime" / "timestamptz"; an explicit type: tag is used
    verbatim on both.  Index names follow GORM: idx_<table>_<column>, or the
    name given in the tag.  Columns are in struct order, as GORM emits them.

    created_at/updated_at are milliseconds (autoCreateTime:milli), except
    logs.created_at, which one-api writes itself in seconds.
    =========================================================================
*/
#include "oa_schema.h"

#define S_ID { "id", "integer PRIMARY KEY AUTOINCREMENT", "bigserial", true }
#define S_UUID(name) { name, "char(36)", "char(36)", false }
#define S_INT(name) { name, "integer", "bigint", false }
#define S_TEXT(name) { name, "text", "text", false }
#define S_STAMPS { "created_at", "integer", "bigint", false }, \
                 { "updated_at", "integer", "bigint", false }
#define S_END { NULL, NULL, NULL, false }

static const oa_schema_column_t s_users [] = {
    S_ID,
    S_UUID ("uuid"),
    S_TEXT ("username"),
    { "password", "text NOT NULL", "text NOT NULL", false },
    S_TEXT ("display_name"),
    { "role", "int DEFAULT 1", "int DEFAULT 1", false },
    { "status", "int DEFAULT 1", "int DEFAULT 1", false },
    S_TEXT ("email"),
    S_TEXT ("github_id"),
    S_TEXT ("wechat_id"),
    S_TEXT ("lark_id"),
    S_TEXT ("oidc_id"),
    { "access_token", "char(32)", "char(32)", false },
    { "totp_secret", "varchar(64)", "varchar(64)", false },
    { "quota", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    { "used_quota", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    { "request_count", "int DEFAULT 0", "int DEFAULT 0", false },
    { "group", "varchar(32) DEFAULT 'default'", "varchar(32) DEFAULT 'default'", false },
    { "aff_code", "varchar(32)", "varchar(32)", false },
    { "inviter_id", "int", "int", false },
    S_UUID ("inviter_uuid"),
    S_TEXT ("mcp_tool_blacklist"),
    S_TEXT ("metadata"),
    S_STAMPS,
    S_END
};
static const char *const s_users_indexes [] = {
    "CREATE INDEX IF NOT EXISTS \"idx_users_username\" ON \"users\" (\"username\")",
    "CREATE INDEX IF NOT EXISTS \"idx_users_display_name\" ON \"users\" (\"display_name\")",
    "CREATE INDEX IF NOT EXISTS \"idx_users_email\" ON \"users\" (\"email\")",
    "CREATE INDEX IF NOT EXISTS \"idx_users_github_id\" ON \"users\" (\"github_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_users_wechat_id\" ON \"users\" (\"wechat_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_users_lark_id\" ON \"users\" (\"lark_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_users_oidc_id\" ON \"users\" (\"oidc_id\")",
    "CREATE UNIQUE INDEX IF NOT EXISTS \"idx_users_access_token\" ON \"users\" (\"access_token\")",
    "CREATE UNIQUE INDEX IF NOT EXISTS \"idx_users_aff_code\" ON \"users\" (\"aff_code\")",
    "CREATE INDEX IF NOT EXISTS \"idx_users_inviter_id\" ON \"users\" (\"inviter_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_users_inviter_uuid\" ON \"users\" (\"inviter_uuid\")",
    NULL
};

static const oa_schema_column_t s_tokens [] = {
    S_ID,
    S_UUID ("uuid"),
    S_INT ("user_id"),
    S_UUID ("user_uuid"),
    { "key", "char(48)", "char(48)", false },
    { "status", "integer DEFAULT 1", "bigint DEFAULT 1", false },
    S_TEXT ("name"),
    S_INT ("created_time"),
    S_INT ("accessed_time"),
    { "expired_time", "integer DEFAULT -1", "bigint DEFAULT -1", false },
    { "remain_quota", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    { "unlimited_quota", "numeric DEFAULT false", "boolean DEFAULT false", false },
    { "used_quota", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    S_STAMPS,
    S_TEXT ("models"),
    { "subnet", "text DEFAULT ''", "text DEFAULT ''", false },
    S_END
};
static const char *const s_tokens_indexes [] = {
    "CREATE INDEX IF NOT EXISTS \"idx_tokens_user_uuid\" ON \"tokens\" (\"user_uuid\")",
    "CREATE UNIQUE INDEX IF NOT EXISTS \"idx_tokens_key\" ON \"tokens\" (\"key\")",
    "CREATE INDEX IF NOT EXISTS \"idx_tokens_name\" ON \"tokens\" (\"name\")",
    NULL
};

static const oa_schema_column_t s_channels [] = {
    S_ID,
    S_UUID ("uuid"),
    { "type", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    S_TEXT ("key"),
    { "status", "integer DEFAULT 1", "bigint DEFAULT 1", false },
    S_TEXT ("name"),
    { "weight", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    S_INT ("created_time"),
    S_INT ("test_time"),
    S_INT ("response_time"),
    { "base_url", "text DEFAULT ''", "text DEFAULT ''", false },
    S_TEXT ("other"),
    { "balance", "real", "decimal", false },
    S_INT ("balance_updated_time"),
    S_TEXT ("models"),
    S_TEXT ("hidden_models"),
    S_TEXT ("model_configs"),
    { "group", "varchar(32) DEFAULT 'default'", "varchar(32) DEFAULT 'default'", false },
    { "used_quota", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    S_TEXT ("model_mapping"),
    { "priority", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    S_TEXT ("config"),
    S_TEXT ("system_prompt"),
    { "ratelimit", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    { "testing_model", "varchar(255)", "varchar(255)", false },
    S_TEXT ("model_ratio"),
    S_TEXT ("completion_ratio"),
    S_STAMPS,
    S_TEXT ("inference_profile_arn_map"),
    S_END
};
static const char *const s_channels_indexes [] = {
    "CREATE INDEX IF NOT EXISTS \"idx_channels_name\" ON \"channels\" (\"name\")",
    NULL
};

static const oa_schema_column_t s_abilities [] = {
    { "group", "varchar(32)", "varchar(32)", true },
    { "model", "text", "text", true },
    { "channel_id", "integer", "bigint", true },
    { "enabled", "numeric", "boolean", false },
    { "priority", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    { "suspend_until", "datetime", "timestamptz", false },
    S_STAMPS,
    S_END
};
static const char *const s_abilities_indexes [] = {
    "CREATE INDEX IF NOT EXISTS \"idx_abilities_channel_id\" ON \"abilities\" (\"channel_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_abilities_priority\" ON \"abilities\" (\"priority\")",
    "CREATE INDEX IF NOT EXISTS \"idx_abilities_suspend_until\" ON \"abilities\" "
        "(\"suspend_until\")",
    NULL
};

static const oa_schema_column_t s_logs [] = {
    S_ID,
    S_INT ("user_id"),
    S_UUID ("uuid"),
    S_UUID ("user_uuid"),
    S_INT ("created_at"),
    S_INT ("type"),
    S_TEXT ("content"),
    { "username", "text DEFAULT ''", "text DEFAULT ''", false },
    { "token_name", "text DEFAULT ''", "text DEFAULT ''", false },
    S_UUID ("token_uuid"),
    { "model_name", "text DEFAULT ''", "text DEFAULT ''", false },
    { "origin_model_name", "text DEFAULT ''", "text DEFAULT ''", false },
    { "quota", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    { "prompt_tokens", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    { "completion_tokens", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    S_INT ("channel_id"),
    S_UUID ("channel_uuid"),
    { "request_id", "text DEFAULT ''", "text DEFAULT ''", false },
    { "trace_id", "varchar(64) DEFAULT ''", "varchar(64) DEFAULT ''", false },
    S_INT ("updated_at"),
    { "elapsed_time", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    { "is_stream", "numeric DEFAULT false", "boolean DEFAULT false", false },
    { "system_prompt_reset", "numeric DEFAULT false", "boolean DEFAULT false", false },
    { "cached_prompt_tokens", "integer DEFAULT 0", "bigint DEFAULT 0", false },
    S_TEXT ("metadata"),
    S_END
};
static const char *const s_logs_indexes [] = {
    "CREATE INDEX IF NOT EXISTS \"idx_logs_user_id\" ON \"logs\" (\"user_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_user_token\" ON \"logs\" (\"user_id\", \"token_name\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_user_uuid\" ON \"logs\" (\"user_uuid\")",
    "CREATE INDEX IF NOT EXISTS \"idx_created_at_type\" ON \"logs\" (\"created_at\", \"type\")",
    "CREATE INDEX IF NOT EXISTS \"index_username_model_name\" ON \"logs\" "
        "(\"model_name\", \"username\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_token_name\" ON \"logs\" (\"token_name\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_token_uuid\" ON \"logs\" (\"token_uuid\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_model_name\" ON \"logs\" (\"model_name\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_origin_model_name\" ON \"logs\" "
        "(\"origin_model_name\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_quota\" ON \"logs\" (\"quota\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_prompt_tokens\" ON \"logs\" (\"prompt_tokens\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_completion_tokens\" ON \"logs\" "
        "(\"completion_tokens\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_channel_id\" ON \"logs\" (\"channel_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_channel_uuid\" ON \"logs\" (\"channel_uuid\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_trace_id\" ON \"logs\" (\"trace_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_elapsed_time\" ON \"logs\" (\"elapsed_time\")",
    "CREATE INDEX IF NOT EXISTS \"idx_logs_cached_prompt_tokens\" ON \"logs\" "
        "(\"cached_prompt_tokens\")",
    NULL
};

static const oa_schema_column_t s_options [] = {
    { "key", "text", "text", true },
    S_TEXT ("value"),
    S_STAMPS,
    S_END
};
static const char *const s_no_indexes [] = { NULL };

static const oa_schema_column_t s_redemptions [] = {
    S_ID,
    S_UUID ("uuid"),
    S_INT ("user_id"),
    S_UUID ("user_uuid"),
    { "key", "char(32)", "char(32)", false },
    { "status", "integer DEFAULT 1", "bigint DEFAULT 1", false },
    S_TEXT ("name"),
    { "quota", "integer DEFAULT 100", "bigint DEFAULT 100", false },
    S_INT ("created_time"),
    S_INT ("redeemed_time"),
    S_STAMPS,
    S_END
};
static const char *const s_redemptions_indexes [] = {
    "CREATE INDEX IF NOT EXISTS \"idx_redemptions_user_uuid\" ON \"redemptions\" (\"user_uuid\")",
    "CREATE UNIQUE INDEX IF NOT EXISTS \"idx_redemptions_key\" ON \"redemptions\" (\"key\")",
    "CREATE INDEX IF NOT EXISTS \"idx_redemptions_name\" ON \"redemptions\" (\"name\")",
    NULL
};

static const oa_schema_column_t s_user_request_costs [] = {
    S_ID,
    S_UUID ("uuid"),
    S_INT ("created_time"),
    S_INT ("user_id"),
    S_UUID ("user_uuid"),
    { "request_id", "text", "varchar(32)", false },
    S_INT ("quota"),
    S_STAMPS,
    S_END
};
static const char *const s_user_request_costs_indexes [] = {
    "CREATE INDEX IF NOT EXISTS \"idx_user_request_costs_user_uuid\" ON \"user_request_costs\" "
        "(\"user_uuid\")",
    "CREATE UNIQUE INDEX IF NOT EXISTS \"idx_user_request_costs_request_id\" ON "
        "\"user_request_costs\" (\"request_id\")",
    NULL
};

static const oa_schema_column_t s_token_transactions [] = {
    S_ID,
    S_UUID ("uuid"),
    { "transaction_id", "text", "varchar(128)", false },
    S_INT ("token_id"),
    S_UUID ("token_uuid"),
    S_INT ("user_id"),
    S_UUID ("user_uuid"),
    S_INT ("status"),
    S_INT ("pre_quota"),
    S_INT ("final_quota"),
    S_TEXT ("reason"),
    { "request_id", "text", "varchar(64)", false },
    { "trace_id", "text", "varchar(64)", false },
    S_INT ("expires_at"),
    S_INT ("confirmed_at"),
    S_INT ("canceled_at"),
    { "auto_confirmed", "numeric DEFAULT false", "boolean DEFAULT false", false },
    S_INT ("log_id"),
    S_UUID ("log_uuid"),
    S_INT ("elapsed_time_ms"),
    S_STAMPS,
    S_END
};
static const char *const s_token_transactions_indexes [] = {
    "CREATE UNIQUE INDEX IF NOT EXISTS \"uidx_token_txn\" ON \"token_transactions\" "
        "(\"transaction_id\", \"token_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_token_transactions_token_id\" ON \"token_transactions\" "
        "(\"token_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_token_transactions_token_uuid\" ON "
        "\"token_transactions\" (\"token_uuid\")",
    "CREATE INDEX IF NOT EXISTS \"idx_token_transactions_user_id\" ON \"token_transactions\" "
        "(\"user_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_token_transactions_user_uuid\" ON "
        "\"token_transactions\" (\"user_uuid\")",
    "CREATE INDEX IF NOT EXISTS \"idx_token_transactions_status\" ON \"token_transactions\" "
        "(\"status\")",
    "CREATE INDEX IF NOT EXISTS \"idx_token_transactions_expires_at\" ON "
        "\"token_transactions\" (\"expires_at\")",
    "CREATE INDEX IF NOT EXISTS \"idx_token_transactions_log_id\" ON \"token_transactions\" "
        "(\"log_id\")",
    "CREATE INDEX IF NOT EXISTS \"idx_token_transactions_log_uuid\" ON "
        "\"token_transactions\" (\"log_uuid\")",
    NULL
};

//  In one-api's AutoMigrate order.
const oa_schema_table_t oa_schema_tables [] = {
    { "channels", s_channels, NULL, "PRIMARY KEY (\"id\")", s_channels_indexes },
    { "tokens", s_tokens, NULL, "PRIMARY KEY (\"id\")", s_tokens_indexes },
    { "users", s_users,
      "CONSTRAINT \"uni_users_username\" UNIQUE (\"username\")",
      "PRIMARY KEY (\"id\"), CONSTRAINT \"uni_users_username\" UNIQUE (\"username\")",
      s_users_indexes },
    { "options", s_options, "PRIMARY KEY (\"key\")", "PRIMARY KEY (\"key\")", s_no_indexes },
    { "redemptions", s_redemptions, NULL, "PRIMARY KEY (\"id\")", s_redemptions_indexes },
    { "abilities", s_abilities, "PRIMARY KEY (\"group\", \"model\", \"channel_id\")",
      "PRIMARY KEY (\"group\", \"model\", \"channel_id\")", s_abilities_indexes },
    { "logs", s_logs, NULL, "PRIMARY KEY (\"id\")", s_logs_indexes },
    { "token_transactions", s_token_transactions, NULL, "PRIMARY KEY (\"id\")",
      s_token_transactions_indexes },
    { "user_request_costs", s_user_request_costs, NULL, "PRIMARY KEY (\"id\")",
      s_user_request_costs_indexes },
    { NULL, NULL, NULL, NULL, NULL }
};
