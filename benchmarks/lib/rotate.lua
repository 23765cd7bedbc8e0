-- For wrk scripts: requests rotating over NODES nodes (0 .. NODES-1), each wrk thread starting at a
-- random offset. The requests are formatted once, in init(): formatting in request() cost wrk more
-- CPU per request than the server's own work on a heartbeat, and wrk shares the cores with the server.
-- No response() callback either: it makes wrk parse every answer for Lua (wrk counts non-2xx itself).
--
--   require("rotate").install(function(i) return wrk.format(...) end)
local rotate = {}

function rotate.install(make_request)
  local nodes = tonumber(os.getenv("NODES") or "1000")
  local counter = 0
  local requests = {}

  function setup(thread)
    thread:set("offset", math.random(0, nodes - 1))
  end

  function init(args)
    counter = offset or 0
    for i = 0, nodes - 1 do
      requests[i] = make_request(i)
    end
  end

  function request()
    counter = (counter + 1) % nodes
    return requests[counter]
  end
end

return rotate
