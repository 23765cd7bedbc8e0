-- wrk script: etcd v3 puts through its JSON gateway (POST /v3/kv/put, base64 key and value), rotating
-- over NODES keys as node-lease renewals do, with the same bytes as cara's heartbeat body as the value.
-- The rotation is heartbeat.lua's (lib/rotate.lua), so that wrk costs the same per request on both.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../lib/?.lua;" .. package.path

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

require("rotate").install(function(i)
  local body = '{"key":"' .. base64("/registry/leases/bench-" .. i) .. '","value":"' .. base64(value) .. '"}'
  return wrk.format("POST", "/v3/kv/put", { ["Content-Type"] = "application/json" }, body)
end)
