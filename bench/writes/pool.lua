-- wrk script: walks a pool of pre-signed requests, each sent once, and stops when the pool is
-- used up. Pool file lines: METHOD \t PATH \t name:value\31name:value... \t BODY
-- One thread (-t1) so the pool is walked in order; statuses are counted for the summary.
local reqs, n, i = {}, 0, 0
ok, bad, fillers = 0, 0, 0
local threads = {}

function setup(thread) table.insert(threads, thread) end

function init(args)
  local f = assert(io.open(os.getenv("POOL_FILE"), "r"))
  for line in f:lines() do
    local m, p, h, b = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    for k, v in h:gmatch("([^\31:]+):([^\31]*)") do headers[k] = v end
    n = n + 1
    reqs[n] = wrk.format(m, p, headers, b ~= "" and b or nil)
  end
  f:close()
  filler = wrk.format("GET", "/v5/bench-filler")
end

function request()
  i = i + 1
  -- Once the pool is used up: an unsigned filler (a 404, not counted) until the last answer.
  if i > n then return filler end
  return reqs[i]
end

function response(status, headers, body)
  -- A filler answer: the pool is used up; once every connection has had a few, all creates are in.
  if status == 404 then
    fillers = fillers + 1
    if fillers >= 64 then wrk.thread:stop() end
    return
  end
  if status >= 200 and status < 300 then ok = ok + 1 else
    bad = bad + 1
    if bad <= 3 then io.stderr:write("status " .. status .. ": " .. body:sub(1, 300) .. "\n") end
  end
end

function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); b = b + t:get("bad") end
  io.write(string.format("RESULT ok=%d bad=%d seconds=%.3f p50ms=%.2f p99ms=%.2f\n",
    o, b, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
