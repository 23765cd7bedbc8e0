-- wrk script: POST /api/v1/nodes/{name}/heartbeat, rotating over NODES node names (bench-0 .. bench-N-1),
-- with a small agent-like JSON body. With TOKENS (a file of node credentials, line i for bench-i) each
-- heartbeat carries its own node's credential, as an agent's does.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../lib/?.lua;" .. package.path

local body = '{"state":"Ready","network":{"ip":"10.0.0.1","agentPort":9090},'
  .. '"capacity":{"cpu":"4","memory":"8Gi"},"allocatable":{"cpu":"3800m","memory":"7Gi"}}'
local tokens = require("tokens").read()

require("rotate").install(function(i)
  local headers = { ["Content-Type"] = "application/json" }
  if tokens[i] then
    headers["Authorization"] = "Bearer " .. tokens[i]
  end
  return wrk.format("POST", "/api/v1/nodes/bench-" .. i .. "/heartbeat", headers, body)
end)
