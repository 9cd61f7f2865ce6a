-- GETs the paths in a file (one a line) in turn, each thread starting at its
-- own place in the list. Argument after "--": the file of paths.

local report = dofile("bench/lua/report.lua")
local paths, at

setup = report.setup
response = report.response
done = report.done

function init(args)
   report.init()
   paths = {}
   for line in io.lines(args[1]) do
      if line ~= "" then table.insert(paths, line) end
   end
   at = (number * 7) % #paths
end

function request()
   at = at % #paths + 1
   return wrk.format("GET", paths[at])
end
