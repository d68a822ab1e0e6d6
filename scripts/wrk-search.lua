-- wrk script: requests /search with a rotating two-character word and prints p50, p95 and p99
-- latency, which wrk's own --latency table lacks (it has no 95th percentile).
local words = {"禁毒", "纠纷", "消防", "调解", "安全", "诈骗", "巡防", "网格"}
local n = 0

local function escape(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  n = n + 1
  return wrk.format("GET", "/search?q=" .. escape(words[(n % #words) + 1]))
end

done = function(summary, latency, requests)
  io.write(string.format("search: %.0f req/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, errors %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
