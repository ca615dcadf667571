"""Comparing one case's two runs, and classifying the differences (standard library only).

A run is a dict: {"requests": [recorder entries], "stdout": bytes, "stderr": bytes,
"exit_code": int or "timeout"}. `compare(legacy, ours)` returns the differences, each
{"field", "index" (request number or None), "legacy", "ours"} with printable values.

Fields (the names expected.json uses):
  requests      how many requests the server received
  method        per request
  path          per request, as received (percent-encoding kept)
  query         per request: the parsed pairs, in order, blanks kept
  content_type  per request: the family (type/subtype, lower case, no parameters)
  body          per request: parsed JSON (types strict: 1, 1.0, "1" and true all differ; key
                order ignored), or the multipart parts (name, filename, content type, bytes),
                or else the raw bytes
  api_key       per request: the X-Api-Key header values
  stdout        bytes, after the run's port and temp dir are replaced by <PORT> and <TMP>
  exit_code     the process's exit code
stderr is kept for display but never compared.
"""

import fnmatch
import json
import re
from urllib.parse import parse_qsl

REQUEST_FIELDS = ["method", "path", "query", "content_type", "body", "api_key"]
FIELDS = ["requests"] + REQUEST_FIELDS + ["stdout", "exit_code"]


def header_values(entry, name):
    return [v for k, v in entry["headers"] if k.lower() == name.lower()]


def _typed(v):
    """A JSON value as a comparable structure: types kept, object key order ignored."""
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, float):
        return ("float", repr(v))
    if isinstance(v, str):
        return ("str", v)
    if v is None:
        return ("null",)
    if isinstance(v, list):
        return ("list", tuple(_typed(x) for x in v))
    return ("object", tuple(sorted((k, _typed(x)) for k, x in v.items())))


def _text(b):
    return b.decode("utf-8", errors="replace")


def multipart_parts(content_type, raw):
    m = re.search(r'boundary="?([^";]+)"?', content_type or "")
    if not m:
        return None
    delimiter = b"--" + m.group(1).encode()
    parts = []
    for chunk in raw.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers = {}
        for line in _text(head).split("\r\n"):
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        disposition = headers.get("content-disposition", "")
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        parts.append({
            "name": name and name.group(1),
            "filename": filename and filename.group(1),
            "content_type": headers.get("content-type"),
            "bytes": data if sep else head,
        })
    return parts


def content_family(entry):
    values = header_values(entry, "content-type")
    return values[0].split(";")[0].strip().lower() if values else None


def body_of(entry):
    """(comparable, printable) for a request's body."""
    raw = entry["body"]
    family = content_family(entry)
    if family == "application/json" and raw:
        try:
            value = json.loads(raw)
            return ("json", _typed(value)), json.dumps(value, ensure_ascii=False)
        except ValueError:
            pass
    if family == "multipart/form-data":
        parts = multipart_parts(header_values(entry, "content-type")[0], raw)
        if parts is not None:
            comparable = ("multipart", tuple(
                (p["name"], p["filename"], p["content_type"], p["bytes"]) for p in parts))
            printable = "; ".join(
                "part name=%r filename=%r type=%r %d bytes %r" % (
                    p["name"], p["filename"], p["content_type"], len(p["bytes"]),
                    _text(p["bytes"][:60])) for p in parts)
            return comparable, "multipart: " + (printable or "(no parts)")
    if not raw:
        return ("empty",), "(no body)"
    return ("raw", raw), "raw %d bytes: %s" % (len(raw), _text(raw[:300]))


def request_view(entry):
    """Each compared field of one request: {field: (comparable, printable)}."""
    pairs = parse_qsl(entry["raw_query"], keep_blank_values=True)
    family = content_family(entry)
    keys = header_values(entry, "x-api-key")
    return {
        "method": (entry["method"], entry["method"]),
        "path": (entry["path"], entry["path"]),
        "query": (pairs, "%s   (raw: %s)" % (pairs, entry["raw_query"] or "-") if pairs else "(none)"),
        "content_type": (family, family or "(none)"),
        "body": body_of(entry),
        "api_key": (keys, ", ".join(keys) if keys else "(none)"),
    }


def json_object_delta(a, b):
    """For two JSON object bodies, the keys whose values differ ("key: legacy | ours"), else None."""
    try:
        ja, jb = json.loads(a["body"]), json.loads(b["body"])
    except ValueError:
        return None
    if not (isinstance(ja, dict) and isinstance(jb, dict)):
        return None
    missing = object()
    out = []
    for k in list(ja) + [k for k in jb if k not in ja]:
        va, vb = ja.get(k, missing), jb.get(k, missing)
        if va is missing or vb is missing or _typed(va) != _typed(vb):
            show = lambda v: "(absent)" if v is missing else json.dumps(v, ensure_ascii=False)
            out.append("%s: %s | %s" % (k, show(va), show(vb)))
    return "; ".join(out) or None


def compare(legacy, ours):
    diffs = []
    nl, no = len(legacy["requests"]), len(ours["requests"])
    if nl != no:
        diffs.append({"field": "requests", "index": None, "legacy": str(nl), "ours": str(no)})
    for i, (a, b) in enumerate(zip(legacy["requests"], ours["requests"])):
        va, vb = request_view(a), request_view(b)
        for f in REQUEST_FIELDS:
            if va[f][0] != vb[f][0]:
                d = {"field": f, "index": i, "legacy": va[f][1], "ours": vb[f][1]}
                if f == "body":
                    d["detail"] = json_object_delta(a, b)
                diffs.append(d)
    if legacy["stdout"] != ours["stdout"]:
        diffs.append({"field": "stdout", "index": None,
                      "legacy": _text(legacy["stdout"]), "ours": _text(ours["stdout"])})
    if legacy["exit_code"] != ours["exit_code"]:
        diffs.append({"field": "exit_code", "index": None,
                      "legacy": str(legacy["exit_code"]), "ours": str(ours["exit_code"])})
    return diffs


# --- classification -----------------------------------------------------------------------

def entry_matches(entry, case_name):
    return any(fnmatch.fnmatchcase(case_name, pat) for pat in entry["cases"])


def _check_side(constraints, run):
    """Why `run` breaks `constraints` (an expected.json "ours"/"legacy" object), or None."""
    for key, want in constraints.items():
        if key == "exit_code" and run["exit_code"] != want:
            return "exit code %s, the entry says %s" % (run["exit_code"], want)
        if key == "requests" and len(run["requests"]) != want:
            return "%d requests, the entry says %d" % (len(run["requests"]), want)
        if key == "stdout_contains" and want not in _text(run["stdout"]):
            return "stdout lacks %r" % want
    return None


def classify(case_name, diffs, legacy, ours, expected):
    """("same" | "deliberate" | "UNEXPECTED", {field: entry id}, [notes])."""
    if not diffs:
        return "same", {}, []
    covered, notes = {}, []
    for entry in expected:
        if not entry_matches(entry, case_name):
            continue
        broken = [(side, why) for side, why in (
            ("legacy", _check_side(entry.get("legacy", {}), legacy)),
            ("ours", _check_side(entry.get("ours", {}), ours))) if why]
        if broken:
            notes.append("expected.json %r does not apply: %s" % (
                entry["id"], "; ".join("%s: %s" % b for b in broken)))
            continue
        for f in entry["fields"]:
            covered.setdefault(f, entry["id"])
    uncovered = [d["field"] for d in diffs if d["field"] not in covered]
    if uncovered:
        notes.append("not declared: " + ", ".join(dict.fromkeys(uncovered)))
        return "UNEXPECTED", covered, notes
    return "deliberate", covered, notes
