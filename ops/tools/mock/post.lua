-- wrk script: POST a small chat completion to oa-mock (or to the gateway).
--   wrk -t2 -c64 -d10s -s ops/tools/mock/post.lua http://127.0.0.1:PORT/v1/chat/completions
-- Env: MOCK_STREAM=1 asks for a stream; MOCK_MODEL overrides the model
-- (e.g. "gpt-4o-mini@chunks=20"); MOCK_KEY sets the bearer key.
local stream = os.getenv("MOCK_STREAM") == "1"
local model = os.getenv("MOCK_MODEL") or "gpt-4o-mini"
local key = os.getenv("MOCK_KEY") or "sk-bench"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.body = string.format(
  '{"model":"%s","stream":%s,"messages":[{"role":"user","content":"Say hello in five words"}]}',
  model, stream and "true" or "false")

local errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx responses (all threads): %d\n", summary.errors.status))
end
