-- wrk script: POST /api/v1/nodes/{name}/heartbeat, rotating over NODES node names (bench-0 .. bench-N-1),
-- each thread starting at a different offset, with a small agent-like JSON body. The requests are
-- formatted once, in init(): formatting in request() cost wrk more CPU per request than the server's
-- own work on a heartbeat, and wrk shares the machine's cores with the server.
local nodes = tonumber(os.getenv("NODES") or "1000")
local counter = 0
local offset = 0
local requests = {}

function setup(thread)
  thread:set("offset", math.random(0, nodes - 1))
end

local body = '{"state":"Ready","network":{"ip":"10.0.0.1","agentPort":9090},'
  .. '"capacity":{"cpu":"4","memory":"8Gi"},"allocatable":{"cpu":"3800m","memory":"7Gi"}}'

function init(args)
  counter = offset or 0
  for i = 0, nodes - 1 do
    requests[i] = wrk.format("POST", "/api/v1/nodes/bench-" .. i .. "/heartbeat",
      { ["Content-Type"] = "application/json" }, body)
  end
end

function request()
  counter = (counter + 1) % nodes
  return requests[counter]
end

function response(status, headers, body)
  if status ~= 204 then
    io.stderr:write("unexpected status " .. status .. ": " .. (body or "") .. "\n")
  end
end
