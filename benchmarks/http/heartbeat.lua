-- wrk script: POST /api/v1/nodes/{name}/heartbeat, rotating over NODES node names (bench-0 .. bench-N-1),
-- each thread starting at a different offset, with a small agent-like JSON body.
local nodes = tonumber(os.getenv("NODES") or "1000")
local counter = 0
local offset = 0

function setup(thread)
  thread:set("offset", math.random(0, nodes - 1))
end

function init(args)
  counter = offset or 0
end

local body = '{"state":"Ready","network":{"ip":"10.0.0.1","agentPort":9090},'
  .. '"capacity":{"cpu":"4","memory":"8Gi"},"allocatable":{"cpu":"3800m","memory":"7Gi"}}'

-- AUTH_HEADER ("Authorization: Bearer cara_...") when run.sh runs with AUTH=token.
local headers = { ["Content-Type"] = "application/json" }
local auth = os.getenv("AUTH_HEADER")
if auth and auth:find(": ") then
  local name, value = auth:match("^([^:]+): (.*)$")
  headers[name] = value
end

function request()
  counter = counter + 1
  local path = "/api/v1/nodes/bench-" .. (counter % nodes) .. "/heartbeat"
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status ~= 204 then
    io.stderr:write("unexpected status " .. status .. ": " .. (body or "") .. "\n")
  end
end
