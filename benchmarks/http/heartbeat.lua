-- wrk script: POST /api/v1/nodes/{name}/heartbeat, rotating over NODES node names (bench-0 .. bench-N-1),
-- with a small agent-like JSON body.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../lib/?.lua;" .. package.path

local body = '{"state":"Ready","network":{"ip":"10.0.0.1","agentPort":9090},'
  .. '"capacity":{"cpu":"4","memory":"8Gi"},"allocatable":{"cpu":"3800m","memory":"7Gi"}}'

require("rotate").install(function(i)
  return wrk.format("POST", "/api/v1/nodes/bench-" .. i .. "/heartbeat", { ["Content-Type"] = "application/json" }, body)
end)
