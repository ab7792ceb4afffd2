-- GET one page as a signed-in user (BENCH_COOKIE), the real one or its bare twin.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local report = require("report")

wrk.method = "GET"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Accept"] = "text/html"

setup = report.setup
done = report.done

function response(status, headers, body)
  report.count(status)
end
