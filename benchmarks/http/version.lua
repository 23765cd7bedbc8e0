-- wrk script: GET /api/v1/version, the no-op baseline, through a Lua request() as heartbeat.lua does,
-- so that wrk spends the same on both and their ratio is the server's. With TOKENS it carries the
-- first node credential, so that the baseline pays the same token check as a heartbeat.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../lib/?.lua;" .. package.path

local tokens = require("tokens").read()
local req

function init(args)
  local headers = {}
  if tokens[0] then
    headers["Authorization"] = "Bearer " .. tokens[0]
  end
  req = wrk.format("GET", "/api/v1/version", headers)
end

function request()
  return req
end
