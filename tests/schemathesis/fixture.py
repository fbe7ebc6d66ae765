"""Real ids and tokens for schemathesis, so its requests reach the handlers.

Generated path ids and bearer tokens are almost never real, so without this
most operations only ever answer 404 or 401. Against a fresh demo server this
makes, through the public API as a citizen and a coordinator would: a proposal
(its follow link), a published initiative with two families in a handed-over
group (a member's link, a date, an invite, the calendar feed), a meeting with a
phone in it, an extra coordinator. It writes a schemathesis.toml that pins the
path parameters and the bearer token of each operation to those; bodies and
queries are still generated.

    python3 fixture.py BASE_URL ADMIN_EMAIL PASSWORD OUT.toml
"""

import json
import sys
import urllib.error
import urllib.request
import uuid

BASE, ADMIN, PASSWORD, OUT = sys.argv[1:5]
SESSION = {}


def call(method, path, body=None, token=None, admin=False):
    headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if admin:
        headers["Cookie"] = SESSION["cookie"]
        headers["X-CSRF-Token"] = SESSION["csrf"]
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None), response.headers
    except urllib.error.HTTPError as error:
        raise SystemExit(f"fixture: {method} {path} answered {error.code}: {error.read().decode()}")


def sign_in():
    status, body, headers = call("POST", "/api/v1/admin/session", {"email": ADMIN, "password": PASSWORD})
    SESSION["cookie"] = headers["Set-Cookie"].split(";")[0]
    SESSION["csrf"] = body["csrf_token"]


def proposal(title):
    return {
        "title": title,
        "summary": "Vi mødes hjemme hos hinanden hver anden torsdag.",
        "audience": "Familier på Regnbuen",
        "category": "playdate_group",
        "institution": "regnbuen",
        "place": {"name": "Regnbuen", "lat": 55.727, "lon": 9.109},
        "when": "Torsdage kl. 15.30",
        "needs": [{"title": "Værtsfamilier", "people_wanted": 4}],
        "contact": {"name": "Mette Hansen", "email": "mette@example.dk"},
    }


def main():
    sign_in()
    initiatives = "/api/v1/municipalities/billund/initiatives"
    # One proposal per follow link that an operation ends or replaces, so
    # one operation does not leave the others a dead link.
    follow = {}
    for use in ["main", "erase", "close", "replace"]:
        _, made, _ = call("POST", initiatives, proposal(f"Legegrupper til schemathesis ({use})"))
        follow[use] = made["follow_token"]
    _, created, _ = call("POST", initiatives, proposal("Legegrupper, offentliggjort"))
    initiative = created["id"]
    _, view, _ = call("GET", f"/api/v1/admin/initiatives/{initiative}", admin=True)
    call("POST", f"/api/v1/admin/initiatives/{initiative}/decisions",
         {"action": "publish", "version": view["proposal"]["version"]}, admin=True)
    for i, name in enumerate(["Anna Aabo", "Bo Berg", "Cai Cortzen"]):
        call("POST", f"{initiatives}/{initiative}/signups", {
            "contact": {"name": name, "phone": f"+45 20 00 00 0{i}"},
            "family": {"child_age_band": "3-5", "area": "Billund", "lat": 55.73, "lon": 9.11,
                       "free_afternoons": ["thu"], "languages": ["da"]},
        })
    _, view, _ = call("GET", f"/api/v1/admin/initiatives/{initiative}", admin=True)
    signups = [s["id"] for s in view["signups"]]
    need = view["proposal"]["needs"][0]["id"]
    groups = f"/api/v1/admin/initiatives/{initiative}/groups"
    call("PUT", groups, {"groups": [signups]}, admin=True)
    _, handed, _ = call("POST", f"{groups}/hand-over", {}, admin=True)
    links = {l["name"]: l["link"].split("sammen-group=")[1] for l in handed["links_to_pass_on"]}
    # Anna does everything but leave; Cai leaves; Bo gets the messages.
    member, leaver = links["Anna Aabo"], links["Cai Cortzen"]
    # A family outside the group, for the admin's erase of one record.
    family = {"child_age_band": "3-5", "area": "Billund", "lat": 55.73, "lon": 9.11,
              "free_afternoons": ["thu"], "languages": ["da"]}
    call("POST", f"{initiatives}/{initiative}/signups",
         {"contact": {"name": "Dorte Dahl", "phone": "+45 20 00 00 09"}, "family": family})
    _, view, _ = call("GET", f"/api/v1/admin/initiatives/{initiative}", admin=True)
    outsider = next(s["id"] for s in view["signups"] if s["contact"]["name"] == "Dorte Dahl")
    _, space, _ = call("GET", "/api/v1/group", token=links["Bo Berg"])
    other = next(m["member_id"] for m in space["members"] if m["is_me"])
    _, space, _ = call("POST", "/api/v1/group/dates",
                       {"starts_at": "2027-01-07T15:30:00+01:00"}, token=member)
    date = space["dates"][0]["id"]
    _, invite, _ = call("POST", "/api/v1/group/invites", {}, token=member)
    calendar_file = space["calendar_path"].rsplit("/", 1)[1]
    _, meeting, _ = call("POST", "/api/v1/admin/meetings",
                         {"title": "Forældremøde", "institution": "regnbuen"}, admin=True)
    _, phone, _ = call("POST", f"/api/v1/meetings/{meeting['code']}/participants")
    _, board, _ = call("POST", f"/api/v1/meetings/{meeting['code']}/proposals",
                      {"title": "Fælles madpakkedag"}, token=phone["participant_token"])
    _, colleague, _ = call("POST", "/api/v1/admin/coordinators", {
        "email": f"schemathesis-{uuid.uuid4().hex[:8]}@billund.demo", "name": "Til schemathesis", "role": "coordinator",
        "institutions": ["regnbuen"], "password": "Schemathesis-kan-slettes-42",
    }, admin=True)

    bearer = lambda token: {"Authorization": f"Bearer {token}"}
    operations = [
        ("/api/v1/municipalities/{municipality}", {"municipality": "billund"}, None),
        ("/api/v1/municipalities/{municipality}/consent", {"municipality": "billund"}, None),
        ("/api/v1/municipalities/{municipality}/initiatives", {"municipality": "billund"}, None),
        ("/api/v1/municipalities/{municipality}/offers", {"municipality": "billund"}, None),
        ("/api/v1/municipalities/{municipality}/initiatives/{id}",
         {"municipality": "billund", "id": initiative}, None),
        ("/api/v1/municipalities/{municipality}/initiatives/{id}/signups",
         {"municipality": "billund", "id": initiative}, None),
        ("/api/v1/follow", {}, bearer(follow["main"])),
        ("/api/v1/follow/messages", {}, bearer(follow["main"])),
        ("/api/v1/follow/resubmit", {}, bearer(follow["main"])),
        ("/api/v1/privacy/export", {}, bearer(follow["main"])),
        ("/api/v1/privacy/data", {}, bearer(follow["erase"])),
        ("/api/v1/privacy/link", {}, bearer(follow["replace"]), "POST"),
        ("/api/v1/privacy/link", {}, bearer(follow["close"]), "DELETE"),
        ("/api/v1/group", {}, bearer(member)),
        ("/api/v1/group/me", {}, bearer(member), "PUT"),
        ("/api/v1/group/me", {}, bearer(leaver), "DELETE"),
        ("/api/v1/group/dates", {}, bearer(member)),
        ("/api/v1/group/invites", {}, bearer(member)),
        ("/api/v1/group/dates/{id}/changes", {"id": date}, bearer(member)),
        ("/api/v1/group/dates/{id}/check-in", {"id": date}, bearer(member)),
        ("/api/v1/group/invites/{id}", {"id": invite["id"]}, bearer(member)),
        ("/api/v1/group/members/{id}/messages", {"id": other}, bearer(member)),
        ("/api/v1/group-calendar/{file}", {"file": calendar_file}, None),
        ("/api/v1/meetings/{code}", {"code": meeting["code"]}, None),
        ("/api/v1/meetings/{code}/live", {"code": meeting["code"]}, None),
        ("/api/v1/meetings/{code}/qr.svg", {"code": meeting["code"]}, None),
        ("/api/v1/meetings/{code}/participants", {"code": meeting["code"]}, None),
        ("/api/v1/meetings/{code}/proposals", {"code": meeting["code"]},
         bearer(phone["participant_token"])),
        ("/api/v1/meetings/{code}/votes", {"code": meeting["code"], "body.proposal_id": board["proposals"][0]["id"]},
         bearer(phone["participant_token"])),
        ("/api/v1/admin/meetings/{id}", {"id": meeting["id"]}, None),
        ("/api/v1/admin/meetings/{id}/close", {"id": meeting["id"]}, None),
        ("/api/v1/admin/meetings/{id}/lock", {"id": meeting["id"]}, None),
        ("/api/v1/admin/coordinators/{id}", {"id": colleague["id"]}, None),
        ("/api/v1/admin/coordinators/{id}/sessions", {"id": colleague["id"]}, None),
        ("/api/v1/admin/privacy/{kind}/{id}", {"kind": "signup", "id": outsider}, None),
    ]
    for suffix in ["", "/check-ins", "/compose", "/compose/describe", "/decisions", "/groups",
                   "/groups/hand-over", "/messages"]:
        operations.append((f"/api/v1/admin/initiatives/{{id}}{suffix}", {"id": initiative}, None))
    for suffix in ["invitations", "matches", "slots"]:
        operations.append((f"/api/v1/admin/initiatives/{{id}}/needs/{{need_id}}/{suffix}",
                           {"id": initiative, "need_id": need}, None))

    def toml(value):
        return json.dumps(value, ensure_ascii=False)

    lines = ["# Written by tests/schemathesis/fixture.py for one run; not kept.", ""]
    for path, parameters, headers, *method in operations:
        lines.append("[[operations]]")
        lines.append(f"include-path = {toml(path)}")
        if method:
            lines.append(f"include-method = {toml(method[0])}")
        if parameters:
            qualified = {(k if "." in k else "path." + k): v for k, v in parameters.items()}
            pairs = ", ".join(f"{toml(k)} = {toml(v)}" for k, v in qualified.items())
            lines.append(f"parameters = {{ {pairs} }}")
        if headers:
            pairs = ", ".join(f"{toml(k)} = {toml(v)}" for k, v in headers.items())
            lines.append(f"headers = {{ {pairs} }}")
        lines.append("")
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("\n".join(lines))
    print(f"fixture: {len(operations)} operations pinned to real ids and tokens")


main()
