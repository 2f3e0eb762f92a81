"""Load for the benchmark: wrk with a Lua script per endpoint, its figures read back as JSON."""

import json
import os
import subprocess
import tempfile

REPORT_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format('BENCH {"requests": %d, "seconds": %.3f, "errors": %d, "p50": %.3f, "p95": %.3f, "p99": %.3f}\\n',
    summary.requests, summary.duration / 1e6, errors, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""

REGISTER_LUA = """
local n = 0
local thread_id = 0
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("tid", counter) end
request = function()
  n = n + 1
  local key = string.format("%08x-bench-4000-8000-%04x%08x", math.random(0, 0x7fffffff), tid or 0, n)
  local body = "room=__ROOM__&room_number=&building=&name=__NAME__&phone_country=%2B86&phone=1390000" ..
               string.format("%04d", n % 10000) .. "&party_size=1&purpose=visit&plate=&privacy=accepted&action_at=&idempotency_key=" .. key
  return wrk.format("POST", "/kiosk/visits", nil, body)
end
"""


BASELINE_INSERT_LUA = 'wrk.method = "POST"\n'

ORDER_LUA = """
request = function()
  local body = "csrf_token=__TOKEN__&channel=phone&household=__ROOM__&caller_name=&caller_phone=" ..
               "&content=%E5%8E%A8%E6%88%BF%E6%BC%8F%E6%B0%B4&kind=repair&category=plumbing&department=" ..
               "&answer=&reply_due_at=&importance=normal&read_back=y"
  return wrk.format("POST", nil, nil, body)
end
"""


def wrk(url: str, *, duration: float, connections: int, headers: dict, script: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + REPORT_LUA)
    command = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{max(int(duration), 1)}s",
        "-s",
        lua.name,
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    os.unlink(lua.name)
    figures = json.loads(output.split("BENCH ", 1)[1].splitlines()[0])
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1) if figures["seconds"] else 0.0
    return figures
