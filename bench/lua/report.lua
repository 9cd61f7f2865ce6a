-- Shared by every bench script: counts answers per thread and, when wrk is
-- done, prints one line the harness parses:
--   BENCH-RESULT {"requests": ..., "p50_ms": ..., ...}
-- Latencies are wrk's own (microseconds), turned into milliseconds here.

local report = {}
local threads = {}

function report.setup(thread)
   table.insert(threads, thread)
   thread:set("number", #threads)
end

function report.init()
   answered_ok = 0
   answered_badly = 0
   last_bad_status = 0
end

function report.response(status)
   if status >= 200 and status < 400 then
      answered_ok = answered_ok + 1
   else
      answered_badly = answered_badly + 1
      last_bad_status = status
   end
end

local function ms(microseconds)
   return string.format("%.3f", microseconds / 1000)
end

function report.done(summary, latency)
   local ok, bad, status = 0, 0, 0
   for _, thread in ipairs(threads) do
      ok = ok + thread:get("answered_ok")
      bad = bad + thread:get("answered_badly")
      local last = thread:get("last_bad_status")
      if last ~= 0 then status = last end
   end
   local errors = summary.errors
   local fields = {
      string.format('"requests": %d', summary.requests),
      string.format('"seconds": %.3f', summary.duration / 1e6),
      string.format('"ok": %d', ok),
      string.format('"bad": %d', bad),
      string.format('"last_bad_status": %d', status),
      string.format('"socket_errors": %d',
         errors.connect + errors.read + errors.write + errors.timeout),
      string.format('"timeouts": %d', errors.timeout),
      '"p50_ms": ' .. ms(latency:percentile(50)),
      '"p95_ms": ' .. ms(latency:percentile(95)),
      '"p99_ms": ' .. ms(latency:percentile(99)),
      '"max_ms": ' .. ms(latency.max),
      '"mean_ms": ' .. ms(latency.mean),
   }
   io.write("BENCH-RESULT {" .. table.concat(fields, ", ") .. "}\n")
end

return report
