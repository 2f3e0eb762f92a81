"""What the benchmark drives: each endpoint with its path, headers, wrk script and the
baseline it is compared with (the bare select for reads, the bare insert for writes)."""

import urllib.parse

from bench.load import ORDER_LUA, PATROL_ANSWER_LUA, PATROL_START_LUA, REGISTER_LUA
from bench.serving import UA


def endpoints(facts: dict, console_cookie: str, kiosk_base: str, token: str) -> list[dict]:
    console = {"Cookie": console_cookie, "User-Agent": UA}
    fragment = {**console, "HX-Request": "true"}
    kiosk = {
        "Cookie": f"kiosk_device={facts['credential']}",
        "User-Agent": UA,
        "X-Device-Request": "1",
        "Origin": kiosk_base,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    tablet = {**kiosk, "Cookie": f"kiosk_device={facts['tablet_credential']}"}
    officer = urllib.parse.quote(facts["officer_token"])
    name = urllib.parse.quote("张伟")
    register = REGISTER_LUA.replace("__ROOM__", str(facts["room"])).replace("__NAME__", urllib.parse.quote("访客甲"))
    return [
        {
            "name": "kiosk registration POST",
            "path": "/kiosk/visits",
            "headers": kiosk,
            "script": register,
            "baseline": "insert",
        },
        {
            "name": "patrol start (tablet)",
            "path": "/patrol/start",
            "headers": tablet,
            "script": PATROL_START_LUA.replace("__OFFICER__", officer).replace("__TEMPLATE__", str(facts["template"])),
            "baseline": "insert",
        },
        {
            "name": "patrol answer (tablet)",
            "path": "/patrol/answer",
            "headers": tablet,
            "script": PATROL_ANSWER_LUA.replace("__PATROL__", facts["patrol_uuid"])
            .replace("__CHECKPOINT__", str(facts["checkpoint"]))
            .replace("__ITEM__", str(facts["item"])),
            "baseline": "insert",
        },
        {"name": "lobby board fragment", "path": "/console/lobby/board", "headers": fragment, "baseline": "select"},
        {"name": "visit log, first page", "path": "/console/visits/", "headers": console, "baseline": "select"},
        {
            "name": "visit log, deep page (keyset)",
            "path": f"/console/visits/?cursor={facts['deep_cursor']}",
            "headers": console,
            "baseline": "select",
        },
        {
            "name": "search: phone last 4",
            "path": "/console/visits/?phone=1234",
            "headers": console,
            "baseline": "select",
        },
        {"name": "search: name", "path": f"/console/visits/?name={name}", "headers": console, "baseline": "select"},
        {
            "name": "search: pinyin initials",
            "path": "/console/visits/?name=zw",
            "headers": console,
            "baseline": "select",
        },
        {
            "name": "search: plate",
            "path": f"/console/visits/?plate={urllib.parse.quote('京A1')}",
            "headers": console,
            "baseline": "select",
        },
        {
            "name": "patrol review (records)",
            "path": "/console/patrols/records",
            "headers": console,
            "baseline": "select",
        },
        {"name": "intake list", "path": "/console/cases/", "headers": console, "baseline": "select"},
        {"name": "callbacks due", "path": "/console/cases/callbacks", "headers": console, "baseline": "select"},
        {"name": "survey opinions", "path": "/console/cases/surveys", "headers": console, "baseline": "select"},
        {
            "name": "quarterly complaint analysis",
            "path": "/console/cases/reports/quarterly",
            "headers": console,
            "baseline": "select",
        },
        {"name": "supervisor dashboard", "path": "/console/cases/board", "headers": console, "baseline": "select"},
        {
            "name": "household-file access log",
            "path": "/console/households/access-log",
            "headers": console,
            "baseline": "select",
        },
        {
            "name": "work-order creation, 8 clients",
            "path": "/console/cases/new",
            "headers": {
                **console,
                "Origin": kiosk_base,
                "Referer": kiosk_base + "/console/cases/new",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            "script": ORDER_LUA.replace("__TOKEN__", token).replace("__ROOM__", str(facts["household"])),
            "baseline": "insert",
            "connections": 8,
        },
    ]
