-- wrk script used once before a run: registers bench-0 .. bench-(NODES-1), one POST each, then stops.
local nodes = tonumber(os.getenv("NODES") or "1000")
local i = -1

function request()
  i = i + 1
  if i >= nodes then
    wrk.thread:stop()
    i = nodes - 1
  end
  local body = '{"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"bench-' .. i
    .. '","labels":{"bench":"yes"}},"spec":{"hostname":"bench-' .. i .. '.lan"}}'
  return wrk.format("POST", "/api/v1/nodes", { ["Content-Type"] = "application/json" }, body)
end
