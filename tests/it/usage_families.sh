#!/usr/bin/env bash
#  Usage reaches the ledger right for every upstream family and client
#  format (issue 6, Done-when): `oneapi serve` in front of oa-mock with an
#  OpenAI, an Azure, an Anthropic and a Gemini channel; a plain one-message
#  request in Chat, Responses and Claude format, stream and not, to each.
#  The mock's usage rule is fixed (mock_route.c): prompt = 3 + the words of
#  the one message = 3 + 5, completion = the content chunks it emits
#  (--chunks 4).  Every request's consume log row must say 8 and 4,
#  whatever format conversions happened on the way.
. "$(dirname "$0")/lib.bash"

it_start_mock --chunks 4
mock="http://127.0.0.1:$IT_MOCK_PORT"
db="$IT_TMP/usage.db"
it_migrate SQLITE_PATH="$db"
key="usagefamilies$(date +%s%N | sha256sum | head -c 32)"
sqlite3 "$db" "
  insert into channels (type, key, status, name, weight, priority, base_url, models, \"group\", created_time, config)
  values (1, 'sk-upstream', 1, 'openai', 1, 0, '$mock', 'gpt-4o-mini', 'default', strftime('%s','now'), ''),
         (3, 'azure-key', 1, 'azure', 1, 0, '$mock', 'gpt-5-nano', 'default', strftime('%s','now'),
          '{\"api_version\":\"2024-10-21\"}'),
         (14, 'sk-ant-upstream', 1, 'anthropic', 1, 0, '$mock', 'claude-haiku-4-5', 'default', strftime('%s','now'), ''),
         (24, 'gemini-key', 1, 'gemini', 1, 0, '$mock', 'gemini-2.5-flash', 'default', strftime('%s','now'), '');
  insert into users (username, password, display_name, role, status, quota, \"group\")
  values ('usage', 'x', 'usage', 1, 1, 1000000000000, 'default');
  insert into tokens (user_id, key, status, name, created_time, accessed_time, expired_time, remain_quota, unlimited_quota)
  values ((select id from users where username = 'usage'), '$key', 1, 'usage', strftime('%s','now'), 0, -1, 0, 1);"
port="$(it_free_port)"
it_start serve SQLITE_PATH="$db" PORT="$port" -- serve
serve_pid=$IT_PID
base="http://127.0.0.1:$port"
it_check "serve ready" it_wait_ready "$base" 30

#  send FORMAT MODEL STREAM: one request; prints "<status> <request id>".
send () {
    local format="$1" model="$2" stream="$3" path body
    case "$format" in
        chat)      path=/v1/chat/completions
                   body="{\"model\":\"$model\",\"stream\":$stream,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in five words\"}]}" ;;
        responses) path=/v1/responses
                   body="{\"model\":\"$model\",\"stream\":$stream,\"input\":[{\"role\":\"user\",\"content\":\"Say hello in five words\"}]}" ;;
        claude)    path=/v1/messages
                   body="{\"model\":\"$model\",\"stream\":$stream,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in five words\"}]}" ;;
    esac
    local head="$IT_TMP/head.txt"
    local status
    status="$(curl -s --max-time 20 -D "$head" -o "$IT_TMP/body.txt" -w '%{http_code}' \
        -H "Authorization: Bearer sk-$key" -H 'anthropic-version: 2023-06-01' \
        -H 'Content-Type: application/json' -d "$body" "$base$path")" || true
    echo "$status $(tr -d '\r' <"$head" | sed -n 's/^[Xx]-[Oo]neapi-[Rr]equest-[Ii]d: //p' | head -1)"
}

sent=()
for model in gpt-4o-mini gpt-5-nano claude-haiku-4-5 gemini-2.5-flash; do
    for format in chat responses claude; do
        for stream in false true; do
            read -r status request_id < <(send "$format" "$model" "$stream")
            it_check "$format -> $model stream=$stream: 200" test "$status" = 200
            [ -n "$request_id" ] && sent+=("$request_id|$format -> $model stream=$stream")
        done
    done
done

#  Billed within a second or two (journal write, 10 ms batches)
logged () { [ "$(sqlite3 "$db" "select count(*) from logs where type = 2")" -ge "${#sent[@]}" ]; }
for _ in $(seq 50); do logged && break; sleep 0.1; done
it_check "every request has its consume log row" logged
for item in "${sent[@]}"; do
    request_id="${item%%|*}"
    row="$(sqlite3 "$db" "select prompt_tokens || '/' || completion_tokens from logs
                          where request_id = '$request_id' and type = 2")"
    it_check "${item#*|}: ledger got 8/4 (got ${row:-nothing})" test "$row" = "8/4"
done

it_stop_check serve "$serve_pid" 10
it_finish
