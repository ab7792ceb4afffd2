-- Shared by the bench scripts: count each thread's answers by status, and at the end print one
-- line of JSON (BENCH_RESULT {...}) that bench/results.py reads.
local M = {}
local threads = {}

bench_ok, bench_non2xx, bench_exhausted = 0, 0, 0

function M.setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function M.count(status)
  if status >= 200 and status < 300 then
    bench_ok = bench_ok + 1
    return true
  end
  bench_non2xx = bench_non2xx + 1
  return false
end

function M.done(summary, latency, requests)
  local ok, non2xx, exhausted = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("bench_ok") or 0)
    non2xx = non2xx + (thread:get("bench_non2xx") or 0)
    exhausted = exhausted + (thread:get("bench_exhausted") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, ' ..
    '"p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "errors_connect": %d, ' ..
    '"errors_read": %d, "errors_write": %d, "errors_status": %d, "errors_timeout": %d, ' ..
    '"ok_2xx": %d, "non_2xx": %d, "exhausted": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean, e.connect,
    e.read, e.write, e.status, e.timeout, ok, non2xx, exhausted))
  -- Case actions: where each walked attempt should now stand (BENCH_WALK attempt seq inflight)
  for _, thread in ipairs(threads) do
    local walk, inflight = thread:get("bench_walk"), thread:get("bench_inflight")
    for attempt, seq in pairs(walk or {}) do
      io.write(string.format("BENCH_WALK %s %d %d\n", attempt, seq, attempt == inflight and 1 or 0))
    end
    if inflight and not (walk or {})[inflight] then
      io.write(string.format("BENCH_WALK %s -1 1\n", inflight))
    end
  end
end

return M
