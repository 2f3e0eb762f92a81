"""Load for the benchmark: wrk with a Lua script per endpoint, its figures read back as JSON."""

import json
import os
import secrets
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

# A new idempotency key per request. wrk starts every thread's random numbers from the same
# seed, and every run from the same counter: a key made of those alone would come again in
# the next endpoint's run (a key reused for another action is refused, 422). The run's salt
# (set by wrk() below), the thread and a counter make it unique across runs.
KEY_LUA = """
local n = 0
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("tid", counter) end
local function key()
  n = n + 1
  return string.format("%s-bench-4000-8000-%04x%08x", salt, tid or 0, n)
end
"""

REGISTER_LUA = (
    KEY_LUA
    + """
request = function()
  local body = "room=__ROOM__&room_number=&building=&name=__NAME__&phone_country=%2B86&phone=1390000" ..
               string.format("%04d", n % 10000) .. "&party_size=1&purpose=visit&plate=&privacy=accepted&action_at=" ..
               "&idempotency_key=" .. key()
  return wrk.format("POST", "/kiosk/visits", nil, body)
end
"""
)

# A new patrol per request (its id made like the key), the tablet's action time left blank (the server's).
PATROL_START_LUA = (
    KEY_LUA
    + """
request = function()
  local k = key()
  local patrol = string.format("%s-%04x-4000-8000-%012x", salt, tid or 0, n)
  local body = "patrol=" .. patrol .. "&officer=__OFFICER__&template=__TEMPLATE__&reason=other&note=bench" ..
               "&action_at=&idempotency_key=" .. k
  return wrk.format("POST", "/patrol/start", nil, body)
end
"""
)

PATROL_ANSWER_LUA = (
    KEY_LUA
    + """
request = function()
  local body = "patrol=__PATROL__&checkpoint=__CHECKPOINT__&item=__ITEM__&result=pass&note=" ..
               "&action_at=&idempotency_key=" .. key()
  return wrk.format("POST", "/patrol/answer", nil, body)
end
"""
)

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
        lua.write(f'salt = "{secrets.token_hex(4)}"\n' + script + REPORT_LUA)
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
