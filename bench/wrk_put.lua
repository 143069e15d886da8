-- W2's limit (bench/run.py runs `wrk -t1 -c1 -s bench/wrk_put.lua URL`): the same PutObject-with-callback request
-- libossrs sends, replayed over one keep-alive connection. bench/run.py captures that request once (headers and
-- the 4 KiB body, signature included) and passes it in two files:
--   WRK_PUT_HEADERS  one `Name: value` per line (Host and Content-Length are left to wrk)
--   WRK_PUT_BODY     the body bytes
local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

wrk.method = "PUT"
wrk.body = slurp(assert(os.getenv("WRK_PUT_BODY"), "WRK_PUT_BODY is not set"))
for line in slurp(assert(os.getenv("WRK_PUT_HEADERS"), "WRK_PUT_HEADERS is not set")):gmatch("[^\r\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end
-- No response() hook: it would make wrk parse every answer in Lua. bench/run.py checks one replay of the request
-- for a 200 before running wrk, and wrk's summary reports non-2xx/3xx answers.
