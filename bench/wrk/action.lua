-- Post case actions as htmx does, each one accepted: this thread (one connection) walks the
-- attempts the plan gives it (BENCH_PLAN lines: "connection attempt seq session"), posting the
-- path's event for the attempt's current seq (BENCH_STEPS: one form field a line, seq 0 first).
-- seq moves on only when an answer is 2xx, so a retried request posts the same seq again.
-- With BENCH_BARE_PATH the same requests go to the bare view instead (nothing is recorded).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local report = require("report")

local csrf = os.getenv("BENCH_CSRF")
local origin = os.getenv("BENCH_ORIGIN")
local bare_path = os.getenv("BENCH_BARE_PATH")
if bare_path == "" then bare_path = nil end
local steps, entries, current = {}, {}, 1
-- Read back by done() through thread:get: the seq this thread believes each attempt it walked
-- is at, and the attempt of a request still unanswered when wrk stopped.
bench_walk, bench_inflight = {}, nil

setup = report.setup
done = report.done

function init(args)
  for line in io.lines(os.getenv("BENCH_STEPS")) do
    if line ~= "" then table.insert(steps, line) end
  end
  for line in io.lines(os.getenv("BENCH_PLAN")) do
    local conn, attempt, seq, session = line:match("^(%d+) (%d+) (%d+) (%S+)$")
    if conn and tonumber(conn) == thread_index then
      table.insert(entries, { attempt = attempt, seq = tonumber(seq), session = session })
    end
  end
  if #entries == 0 then error("the plan gives connection " .. thread_index .. " no attempts") end
end

local function entry()
  local e = entries[current]
  while e and e.seq >= #steps do
    if bare_path then
      e.seq = 0 -- the bare view records nothing: walk the same path again
    else
      current = current + 1
      e = entries[current]
    end
  end
  return e
end

function request()
  local e = entry()
  local seq
  if e == nil then
    -- Every planned action is used up: post a stale one, which the site refuses (and the
    -- harness reports as a planning error, never as a result).
    bench_exhausted = bench_exhausted + 1
    e = entries[#entries]
    seq = #steps - 1
  else
    seq = e.seq
  end
  bench_inflight = e.attempt
  local play = "/cases/attempts/" .. e.attempt .. "/"
  local headers = {
    ["Cookie"] = "sessionid=" .. e.session .. "; csrftoken=" .. csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-CSRFToken"] = csrf,
    ["HX-Request"] = "true",
    ["HX-Current-URL"] = origin .. play,
    ["HX-Target"] = "play-area",
    ["Origin"] = origin,
    ["Referer"] = origin .. play,
  }
  local body = "csrfmiddlewaretoken=" .. csrf .. "&seq=" .. seq .. "&" .. steps[seq + 1]
  return wrk.format("POST", bare_path or (play .. "act/"), headers, body)
end

function response(status, headers, body)
  bench_inflight = nil
  if report.count(status) then
    local e = entries[current]
    if e then
      e.seq = e.seq + 1
      if not bare_path then bench_walk[e.attempt] = e.seq end
    end
  end
end
