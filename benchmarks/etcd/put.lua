-- wrk script: etcd v3 puts through its JSON gateway (POST /v3/kv/put, base64 key and value), rotating
-- over NODES keys as node-lease renewals do, with the same bytes as cara's heartbeat body as the value.
-- Requests are formatted once, in init(), as in heartbeat.lua, so that wrk costs the same per request.
local nodes = tonumber(os.getenv("NODES") or "1000")
local counter = 0
local offset = 0
local requests = {}

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = {}
    for j = 3, 0, -1 do
      local k = math.floor(n / 64 ^ j) % 64
      chars[#chars + 1] = alphabet:sub(k + 1, k + 1)
    end
    if not b then chars[3] = "="; chars[4] = "=" elseif not c then chars[4] = "=" end
    out[#out + 1] = table.concat(chars)
  end
  return table.concat(out)
end

local value = '{"state":"Ready","network":{"ip":"10.0.0.1","agentPort":9090},'
  .. '"capacity":{"cpu":"4","memory":"8Gi"},"allocatable":{"cpu":"3800m","memory":"7Gi"}}'

function setup(thread)
  thread:set("offset", math.random(0, nodes - 1))
end

function init(args)
  counter = offset or 0
  local v = base64(value)
  for i = 0, nodes - 1 do
    local body = '{"key":"' .. base64("/registry/leases/bench-" .. i) .. '","value":"' .. v .. '"}'
    requests[i] = wrk.format("POST", "/v3/kv/put", { ["Content-Type"] = "application/json" }, body)
  end
end

function request()
  counter = (counter + 1) % nodes
  return requests[counter]
end
