-- wrk script: sends a pool of pre-built (pre-signed) raw HTTP requests in turn, and prints the
-- figures the bench needs as one JSON line. The pool file (first script argument) holds each
-- request as "<byte length>\n<bytes>"; the bench writes it right before each run.
local pool, n, i = {}, 0, 0

function init(args)
  local f = assert(io.open(args[1], "rb"))
  local data = f:read("*a")
  f:close()
  local pos = 1
  while pos <= #data do
    local nl = data:find("\n", pos, true)
    local len = tonumber(data:sub(pos, nl - 1))
    n = n + 1
    pool[n] = data:sub(nl + 1, nl + len)
    pos = nl + 1 + len
  end
end

function request()
  i = i % n + 1
  return pool[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
