-- POSTs a JSON body read from a file; each "{{EMAIL}}" in it becomes an
-- address no request has used before: <run>-<thread>-<n>@bench.example.cymru.
-- Arguments after "--": the body file, then a word naming the run.

local report = dofile("bench/lua/report.lua")
local head, tail, run, sent

setup = report.setup
response = report.response
done = report.done

function init(args)
   report.init()
   local file = assert(io.open(args[1], "r"))
   local template = file:read("*a")
   file:close()
   local first, last = template:find("{{EMAIL}}", 1, true)
   if first then
      head, tail = template:sub(1, first - 1), template:sub(last + 1)
   else
      head, tail = template, nil
   end
   run = args[2] or "run"
   sent = 0
end

function request()
   sent = sent + 1
   local body = head
   if tail then
      body = head .. string.format("%s-%d-%d@bench.example.cymru", run, number, sent) .. tail
   end
   return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
