#!/usr/bin/env python3
"""Differential test: the legacy CLI (paperspace-node@0.2.4) and ours, side by side.

    python3 scripts/differential/run.py                    # every case, a summary table
    python3 scripts/differential/run.py --case NAME        # one case (globs work), in full
    python3 scripts/differential/run.py --verbose          # every case in full
    python3 scripts/differential/run.py --help

Each case of cases.json runs twice, live: once with the legacy CLI and once with ours, each
against its own recorder (recorder.py) on 127.0.0.1 that gives the case's canned answer.
The requests, stdout and exit codes are compared (compare.py) and every difference is either
declared in expected.json (with the docs/compatibility.md section that declares it) or
UNEXPECTED. Exit 0: no UNEXPECTED difference; 1: some; 2: the harness could not run.
See README.md beside this file.
"""

import argparse
import concurrent.futures
import fnmatch
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ left in the work tree

import compare  # noqa: E402
from recorder import LOOPBACK, Recorder, RefusedPort  # noqa: E402

REPO = HERE.parent.parent
LEGACY_DEFAULT = REPO / "target/legacy-cli/node_modules/.bin/paperspace"
OURS_DEFAULT = REPO / "target/debug/paperspace"
INSTALL_HINT = """\
The legacy CLI is not installed: {path} is missing.
Install it as .ci/run does (needs node and npm), from the repository's root:

    mkdir -p target/legacy-cli && (cd target/legacy-cli && npm install --no-audit --no-fund paperspace-node@0.2.4)

or pass --legacy PATH to an installed paperspace-node 0.2.4 `paperspace` executable."""
# Variables the harness sets itself; a case may not override them.
RESERVED_ENV = {"HOME", "PATH", "PAPERSPACE_CONFIG_HOST", "PAPERSPACE_CONFIG_LOG_HOST",
                "PAPERSPACE_API_URL"}
# Legacy commands that may fetch URLs taken from an answer (S3 uploads, artifact downloads):
# refused by the harness so that nothing can leave this machine.
LEGACY_READ_ONLY_JOBS = {"list", "show", "machineTypes"}


class CaseError(Exception):
    pass


# --- loading and checking the data files ------------------------------------------------

def load_json(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as e:
        raise CaseError("%s: %s" % (path, e))


def doc_sections(path):
    text = path.read_text(encoding="utf-8")
    return {m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M)}


def check_fixture(rel, spec, what):
    p = Path(rel)
    if p.is_absolute() or ".." in p.parts:
        raise CaseError("%s: fixture path %r must be relative, without '..'" % (what, rel))
    if not isinstance(spec, dict) or not ({"text", "repeat", "dir"} & spec.keys()):
        raise CaseError("%s: fixture %r needs \"text\", \"repeat\"+\"times\" or \"dir\"" % (what, rel))


def load_cases(path):
    data = load_json(path)
    responses, keys, fixtures = data.get("responses", {}), data.get("keys", {}), data.get("fixtures", {})
    for rel, spec in fixtures.items():
        check_fixture(rel, spec, "fixtures")
    cases, seen = [], set()
    for raw in data["cases"]:
        name = raw.get("name")
        if not name or name in seen:
            raise CaseError("cases.json: missing or repeated case name %r" % name)
        seen.add(name)
        case = dict(raw)
        case.setdefault("key", data.get("default_key", "env"))
        case.setdefault("server", "recorder")
        case.setdefault("before", [])
        case.setdefault("env", {})
        case.setdefault("files", {})
        resp = case.get("response", data.get("default_response"))
        if isinstance(resp, str):
            if resp not in responses:
                raise CaseError("case %s: unknown response %r" % (name, resp))
            case["response_name"], resp = resp, responses[resp]
        if not isinstance(resp, dict) or "status" not in resp:
            raise CaseError("case %s: a response needs a status" % name)
        case["response"] = resp
        if 300 <= int(resp["status"]) < 400:
            raise CaseError("case %s: redirects are not served (a client could follow one away "
                            "from this machine)" % name)
        if case["key"] not in keys:
            raise CaseError("case %s: unknown key setup %r" % (name, case["key"]))
        case["key_setup"] = keys[case["key"]]
        if case["server"] not in ("recorder", "refused"):
            raise CaseError("case %s: server must be \"recorder\" or \"refused\"" % name)
        for argv in [case["argv"]] + case["before"]:
            if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
                raise CaseError("case %s: argv must be a list of strings" % name)
            if argv[:1] == ["jobs"] and len(argv) > 1 and argv[1] not in LEGACY_READ_ONLY_JOBS:
                raise CaseError("case %s: `jobs %s` is refused by the harness" % (name, argv[1]))
        env = dict(case["key_setup"].get("env", {}), **case["env"])
        for k, v in env.items():
            if k in RESERVED_ENV or k.lower().endswith("_proxy"):
                raise CaseError("case %s: %s is set by the harness" % (name, k))
            if "://" in v and not v.startswith("http://%s:" % LOOPBACK):
                raise CaseError("case %s: %s must not name a host other than %s" % (name, k, LOOPBACK))
        case["full_env"] = env
        for rel, spec in list(case["files"].items()) + list(case["key_setup"].get("home_files", {}).items()):
            check_fixture(rel, spec, "case " + name)
        cases.append(case)
    return cases, fixtures


def load_expected(path, case_names):
    data = load_json(path)
    sections = {}
    entries, ids = [], set()
    for e in data["differences"]:
        what = "expected.json entry %r" % e.get("id")
        if not e.get("id") or e["id"] in ids:
            raise CaseError("%s: missing or repeated id" % what)
        ids.add(e["id"])
        for k in ("cases", "fields", "section", "why"):
            if not e.get(k):
                raise CaseError("%s: needs %r" % (what, k))
        bad = [f for f in e["fields"] if f not in compare.FIELDS]
        if bad:
            raise CaseError("%s: unknown field(s) %s; fields are %s" % (what, bad, compare.FIELDS))
        for pat in e["cases"]:
            if not any(fnmatch.fnmatchcase(n, pat) for n in case_names):
                raise CaseError("%s: %r matches no case of cases.json" % (what, pat))
        doc = e.get("doc", "docs/compatibility.md")
        if doc not in sections:
            sections[doc] = doc_sections(REPO / doc)
        if e["section"] not in sections[doc]:
            raise CaseError("%s: %s has no section titled %r" % (what, doc, e["section"]))
        for ref in e.get("see_also", []):
            rdoc, _, title = ref.partition("#")
            if rdoc not in sections:
                sections[rdoc] = doc_sections(REPO / rdoc)
            if title not in sections[rdoc]:
                raise CaseError("%s: %s has no section titled %r" % (what, rdoc, title))
        entries.append(e)
    return entries


# --- running one side -------------------------------------------------------------------

def write_fixture(base, rel, spec):
    target = base / rel
    if spec.get("dir"):
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if "repeat" in spec:
        data = spec["repeat"].encode() * int(spec["times"])
    else:
        data = spec["text"].encode("utf-8")
    target.write_bytes(data)


def substitute(argv, root):
    return [a.replace("{cwd}", str(root / "cwd")).replace("{home}", str(root / "home")) for a in argv]


def run_process(exe, argv, cwd, env, timeout):
    p = subprocess.Popen([str(exe)] + argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return out, err, p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return out, err, "timeout"


def run_side(exe, case, fixtures, recorder, refused, root, timeout):
    root.mkdir(parents=True)
    home, cwd = root / "home", root / "cwd"
    home.mkdir()
    cwd.mkdir()
    for rel, spec in list(fixtures.items()) + list(case["files"].items()):
        write_fixture(cwd, rel, spec)
    for rel, spec in case["key_setup"].get("home_files", {}).items():
        write_fixture(home, rel, spec)
    host = refused.url if case["server"] == "refused" else recorder.url
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PAPERSPACE_CONFIG_HOST": host,
        # Safety belts: the legacy CLI's log host and our v1 URL point here too, so that no
        # case can reach another machine whatever its flags.
        "PAPERSPACE_CONFIG_LOG_HOST": host,
        "PAPERSPACE_API_URL": host + "/v1",
        # The legacy CLI's aws-sdk otherwise warns on stderr at every start.
        "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1",
    }
    env.update(case["full_env"])
    resp = case["response"]
    recorder.set_response(resp["status"], resp.get("content_type"), resp.get("body", "").encode("utf-8"))
    for before in case["before"]:
        run_process(exe, substitute(before, root), cwd, env, timeout)
    recorder.take()
    argv = substitute(case["argv"], root)
    out, err, code = run_process(exe, argv, cwd, env, timeout)

    def normalize(b):
        b = b.replace(str(root).encode(), b"<TMP>")
        for port in (recorder.port, refused.port):
            b = b.replace(("%s:%d" % (LOOPBACK, port)).encode(), ("%s:<PORT>" % LOOPBACK).encode())
        return b

    return {"requests": recorder.take(), "stdout": normalize(out), "stderr": normalize(err),
            "exit_code": code, "argv": argv, "env": env, "cwd": str(cwd), "exe": str(exe)}


class Worker:
    """A pair of recorders (one per CLI) and a refused port, reused for the worker's cases."""

    def __init__(self):
        self.legacy, self.ours, self.refused = Recorder(), Recorder(), RefusedPort()

    def close(self):
        self.legacy.close()
        self.ours.close()
        self.refused.close()


def run_case(case, fixtures, exes, worker, tmp, timeout):
    results = {}

    def side(which):
        recorder = worker.legacy if which == "legacy" else worker.ours
        results[which] = run_side(exes[which], case, fixtures, recorder, worker.refused,
                                  tmp / case["name"] / which, timeout)

    threads = [threading.Thread(target=side, args=(w,)) for w in ("legacy", "ours")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results["legacy"], results["ours"]


# --- printing ---------------------------------------------------------------------------

def group_of(name):
    parts = name.split("_")
    return parts[0] if parts[0] in ("meta", "auth", "conn") else "_".join(parts[:2])


def short(s, n=70):
    s = s.replace("\n", "\\n")
    return s if len(s) <= n else s[: n - 1] + "…"


def print_summary(results, expected, out):
    groups = {}
    for r in results:
        g = groups.setdefault(group_of(r["name"]), {"same": 0, "deliberate": 0, "UNEXPECTED": 0})
        g[r["class"]] += 1
    rows = [(g, sum(c.values()), c["same"], c["deliberate"], c["UNEXPECTED"]) for g, c in groups.items()]
    total = ("total", len(results), *(sum(r[i] for r in rows) for i in (2, 3, 4)))
    w = max(len(r[0]) for r in rows + [total])
    head = "%-*s %6s %6s %11s %11s" % (w, "group", "cases", "same", "deliberate", "UNEXPECTED")
    print(head, file=out)
    print("-" * len(head), file=out)
    for r in rows + [None, total]:
        if r is None:
            print("-" * len(head), file=out)
            continue
        print("%-*s %6d %6d %11d %11d" % (w, *r), file=out)
    unexpected = [r for r in results if r["class"] == "UNEXPECTED"]
    if unexpected:
        print("\nUNEXPECTED differences (python3 scripts/differential/run.py --case NAME for the full picture):",
              file=out)
        for r in unexpected:
            print("  %s: paperspace %s" % (r["name"], shlex.join(r["case"]["argv"])), file=out)
            for d in r["diffs"]:
                if d["field"] not in r["covered"]:
                    at = "" if d["index"] is None else "[%d]" % d["index"]
                    if d.get("detail"):
                        print("      %s%s (legacy | ours): %s" % (d["field"], at, short(d["detail"], 140)), file=out)
                    else:
                        print("      %s%s: legacy %s | ours %s" % (
                            d["field"], at, short(d["legacy"]), short(d["ours"])), file=out)
            for n in r["notes"]:
                if not n.startswith("not declared"):
                    print("      (%s)" % n, file=out)
    used = {eid for r in results for eid in r["covered"].values()}
    unused = [e["id"] for e in expected
              if e["id"] not in used and any(compare.entry_matches(e, r["name"]) for r in results)]
    if unused:
        print("\nnote: expected.json entries that covered no difference in this run (stale?): "
              + ", ".join(unused), file=out)


def columns(left, right, width, out, marker=" "):
    half = (width - 5) // 2

    def wrap(s):
        lines = []
        for line in s.split("\n"):
            lines.extend(textwrap.wrap(line, half, replace_whitespace=False, drop_whitespace=False) or [""])
        return lines

    a, b = wrap(left), wrap(right)
    for i in range(max(len(a), len(b))):
        la = a[i] if i < len(a) else ""
        lb = b[i] if i < len(b) else ""
        print("%s %-*s | %s" % (marker, half, la, lb), file=out)


def print_details(r, expected_by_id, width, out):
    case, L, O = r["case"], r["legacy"], r["ours"]
    bar = "=" * width
    print(bar, file=out)
    print("case %s: %s" % (case["name"], r["class"]), file=out)
    print("  argv:   paperspace %s" % shlex.join(case["argv"]), file=out)
    if case["before"]:
        print("  before: " + "; ".join("paperspace " + shlex.join(b) for b in case["before"]), file=out)
    resp = case["response"]
    print("  answer: %s %s %s%s" % (resp["status"], resp.get("content_type") or "(no Content-Type)",
                                   short(resp.get("body", "") or "(empty)", 120),
                                   "  [%s]" % case["response_name"] if "response_name" in case else ""), file=out)
    print("  key:    %s   server: %s%s" % (case["key"], case["server"],
                                           "   note: " + case["note"] if case.get("note") else ""), file=out)
    print("  ours ran as (the directory is gone unless --keep):\n    cd %s && env -i PATH=\"$PATH\" %s %s" % (
        shlex.quote(O["cwd"]),
        " ".join("%s=%s" % (k, shlex.quote(v)) for k, v in O["env"].items() if k != "PATH"),
        shlex.join([O["exe"]] + O["argv"])), file=out)
    print("-" * width, file=out)
    diff_fields = {(d["field"], d["index"]) for d in r["diffs"]}
    columns("LEGACY", "OURS", width, out)
    n = max(len(L["requests"]), len(O["requests"]))
    columns("%d request(s)" % len(L["requests"]), "%d request(s)" % len(O["requests"]), width, out,
            "≠" if ("requests", None) in diff_fields else " ")
    for i in range(n):
        va = compare.request_view(L["requests"][i]) if i < len(L["requests"]) else None
        vb = compare.request_view(O["requests"][i]) if i < len(O["requests"]) else None
        for f in compare.REQUEST_FIELDS:
            mark = "≠" if (f, i) in diff_fields else " "
            columns("#%d %s: %s" % (i, f, va[f][1]) if va else "", "#%d %s: %s" % (i, f, vb[f][1]) if vb else "",
                    width, out, mark)
    print("-" * width, file=out)
    mark = "≠" if ("stdout", None) in diff_fields else " "
    columns("stdout:\n" + compare._text(L["stdout"]), "stdout:\n" + compare._text(O["stdout"]), width, out, mark)
    mark = "≠" if ("exit_code", None) in diff_fields else " "
    columns("exit code %s" % L["exit_code"], "exit code %s" % O["exit_code"], width, out, mark)
    print("-" * width, file=out)
    columns("stderr (not compared):\n" + compare._text(L["stderr"]),
            "stderr (not compared):\n" + compare._text(O["stderr"]), width, out)
    print("-" * width, file=out)
    if not r["diffs"]:
        print("no difference", file=out)
    for d in r["diffs"]:
        at = "" if d["index"] is None else "[%d]" % d["index"]
        eid = r["covered"].get(d["field"])
        if eid:
            e = expected_by_id[eid]
            verdict = "deliberate: %s (%s, \"%s\")" % (eid, e.get("doc", "docs/compatibility.md"), e["section"])
        else:
            verdict = "UNEXPECTED"
        print("%s%s differs -> %s" % (d["field"], at, verdict), file=out)
        if d.get("detail"):
            print("    (legacy | ours) " + d["detail"], file=out)
    for note in r["notes"]:
        print("note: " + note, file=out)
    print(file=out)


# --- main -------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See scripts/differential/README.md.")
    ap.add_argument("--bin", type=Path, default=OURS_DEFAULT,
                    help="our binary (default: target/debug/paperspace; build it with cargo build --locked)")
    ap.add_argument("--legacy", type=Path, default=LEGACY_DEFAULT,
                    help="the legacy CLI's executable (default: target/legacy-cli/node_modules/.bin/paperspace)")
    ap.add_argument("--case", action="append", default=[], metavar="NAME",
                    help="run only this case (repeatable; shell globs such as 'machines_start_*' work); "
                         "a single case is shown in full")
    ap.add_argument("--verbose", "-v", action="store_true", help="show every case run in full, side by side")
    ap.add_argument("--list", action="store_true", help="one line per case: class and differing fields")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="cases run at once (default 2)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds one CLI run may take (default 30)")
    ap.add_argument("--json-out", type=Path, metavar="FILE", help="also write every result as JSON to FILE")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directories (their path is printed)")
    ap.add_argument("--cases-file", type=Path, default=HERE / "cases.json", help=argparse.SUPPRESS)
    ap.add_argument("--expected-file", type=Path, default=HERE / "expected.json", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    try:
        cases, fixtures = load_cases(args.cases_file)
        expected = load_expected(args.expected_file, [c["name"] for c in cases])
    except CaseError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    if args.case:
        chosen = [c for c in cases if any(fnmatch.fnmatchcase(c["name"], p) for p in args.case)]
        missing = [p for p in args.case if not any(fnmatch.fnmatchcase(c["name"], p) for c in cases)]
        if missing:
            print("error: no case named %s (see cases.json)" % ", ".join(missing), file=sys.stderr)
            return 2
        cases = chosen
    legacy = args.legacy if args.legacy.is_absolute() else Path.cwd() / args.legacy
    ours = args.bin if args.bin.is_absolute() else Path.cwd() / args.bin
    if not os.access(legacy, os.X_OK):
        print(INSTALL_HINT.format(path=legacy), file=sys.stderr)
        return 2
    if shutil.which("node", path=os.environ.get("PATH")) is None:
        print("error: node is not on PATH; the legacy CLI needs it", file=sys.stderr)
        return 2
    if not os.access(ours, os.X_OK):
        print("error: %s is missing; build it with `cargo build --locked` (or pass --bin PATH)" % ours,
              file=sys.stderr)
        return 2
    exes = {"legacy": legacy, "ours": ours}

    tmp = Path(tempfile.mkdtemp(prefix="ps-differential-"))
    workers = [Worker() for _ in range(max(1, args.jobs))]
    free = list(workers)
    lock = threading.Lock()
    progress = sys.stderr.isatty()

    def job(case):
        with lock:
            w = free.pop()
        try:
            L, O = run_case(case, fixtures, exes, w, tmp, args.timeout)
        finally:
            with lock:
                free.append(w)
        diffs = compare.compare(L, O)
        cls, covered, notes = compare.classify(case["name"], diffs, L, O, expected)
        return {"name": case["name"], "case": case, "legacy": L, "ours": O, "diffs": diffs,
                "class": cls, "covered": covered, "notes": notes}

    results = []
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(workers)) as pool:
            for i, r in enumerate(pool.map(job, cases), 1):
                results.append(r)
                if progress:
                    print("\r%d/%d %s\033[K" % (i, len(cases), r["name"]), end="", file=sys.stderr, flush=True)
        if progress:
            print("\r\033[K", end="", file=sys.stderr)
    finally:
        for w in workers:
            w.close()
        if args.keep:
            print("temporary directories kept in %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    out = sys.stdout
    width = max(100, shutil.get_terminal_size((160, 24)).columns)
    by_id = {e["id"]: e for e in expected}
    if args.verbose or len(args.case) == 1 and len(results) == 1:
        for r in results:
            print_details(r, by_id, width, out)
    if args.list:
        for r in results:
            fields = ",".join(dict.fromkeys(d["field"] for d in r["diffs"])) or "-"
            ids = ",".join(dict.fromkeys(r["covered"].values()))
            print("%-11s %-45s %-40s %s" % (r["class"], r["name"], fields, ids), file=out)
        print(file=out)
    print("legacy: %s\nours:   %s\n" % (legacy, ours), file=out)
    print_summary(results, expected, out)
    if args.json_out:
        def plain(run):
            return {"argv": run["argv"], "exit_code": run["exit_code"],
                    "stdout": compare._text(run["stdout"]), "stderr": compare._text(run["stderr"]),
                    "requests": [dict(q, body=compare._text(q["body"])) for q in run["requests"]]}
        args.json_out.write_text(json.dumps([
            {"name": r["name"], "class": r["class"], "diffs": r["diffs"], "covered": r["covered"],
             "notes": r["notes"], "legacy": plain(r["legacy"]), "ours": plain(r["ours"])}
            for r in results], indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if any(r["class"] == "UNEXPECTED" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
