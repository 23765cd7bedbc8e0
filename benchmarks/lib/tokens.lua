-- For wrk scripts: the node credentials in the file $TOKENS, one a line (line i+1 for bench-i), as a
-- table indexed from 0; empty when TOKENS is not set (the open mode).
local tokens = {}

function tokens.read()
  local found = {}
  local path = os.getenv("TOKENS")
  if path == nil or path == "" then
    return found
  end
  local i = 0
  for line in io.lines(path) do
    found[i] = line
    i = i + 1
  end
  return found
end

return tokens
