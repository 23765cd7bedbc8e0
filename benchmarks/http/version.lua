-- wrk script: GET /api/v1/version, the no-op baseline, through a Lua request() as heartbeat.lua does,
-- so that wrk spends the same on both and their ratio is the server's.
local req

function init(args)
  req = wrk.format("GET", "/api/v1/version")
end

function request()
  return req
end
