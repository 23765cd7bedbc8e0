-- wrk script: GET /api/v1/version, the no-op baseline, through a Lua request() as heartbeat.lua does,
-- so that wrk spends the same on both and their ratio is the server's. It carries no token: with
-- tokens on, run.sh serves the version open, so that the baseline is the same no-op in both servers.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../lib/?.lua;" .. package.path

local req

function init(args)
  req = wrk.format("GET", "/api/v1/version", {})
end

function request()
  return req
end
