#!/usr/bin/env python3
"""Soak test: thousands of real `paperspace` invocations, many at once, against the emulator
with injected faults, then a check that nothing went wrong that should not have.

    python3 bench/soak.py                      # 3000 invocations, 8 at a time, 5% faults
    python3 bench/soak.py --invocations 500    # a quicker pass
    python3 bench/soak.py --bin target/release/paperspace

What it proves (the reliability issue, item 8):
  * zero panics: no stderr ever mentions a panic, and no process dies from a signal;
  * every failure has a documented exit code (1, 2, 3, 4, 5, 124) and one stderr line;
  * zero duplicate machines from create: every create has a unique name, and afterwards
    each name exists at most once (creates are never resent once they may have arrived);
  * nothing lost: every machine whose create exited 0 and that was not destroyed is still
    there, and the emulator's state file, reloaded by a fresh emulator, holds the same
    machines as the live one.

Only loopback is used; the run is bounded by --invocations and a per-command timeout.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

DOCUMENTED_FAILURES = {1, 2, 3, 4, 5, 124}


def start_emulator(binary, state_file, error_rate):
    """Start `paperspace emulator` on a free port; return (process, base URL)."""
    args = [binary, "emulator", "--port", "0", "--transition-ms", "40",
            "--state-file", state_file, "--random-seed", "7"]
    if error_rate:
        args += ["--error-rate", str(error_rate)]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    line = proc.stderr.readline()
    match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
    if not match:
        proc.kill()
        sys.exit(f"the emulator did not start: {line!r}")
    # Keep draining its stderr so it never blocks on a full pipe.
    threading.Thread(target=proc.stderr.read, daemon=True).start()
    return proc, match.group(1)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def control(url, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
        return json.loads(text) if text else None


class Soak:
    def __init__(self, binary, url, home):
        self.binary = binary
        self.env = dict(os.environ, PAPERSPACE_CONFIG_HOST=url, PAPERSPACE_API_KEY="soak-key",
                        HOME=home, PAPERSPACE_RETRIES="3", PAPERSPACE_REQUEST_TIMEOUT="10")
        self.env.pop("CI", None)
        self.lock = threading.Lock()
        self.exit_codes = collections.Counter()
        self.by_command = collections.Counter()
        self.problems = []
        self.created = {}        # name -> id, for creates that exited 0
        self.destroyed = set()   # ids whose destroy exited 0
        self.attempted_names = set()
        self.counter = 0

    def run(self, args):
        started = time.monotonic()
        try:
            done = subprocess.run([self.binary, *args], env=self.env, capture_output=True,
                                  text=True, timeout=60)
        except subprocess.TimeoutExpired:
            with self.lock:
                self.problems.append(f"hung: {args}")
            return None
        code, stderr = done.returncode, done.stderr
        with self.lock:
            self.exit_codes[code] += 1
            self.by_command[args[1] if args[0] == "machines" else args[0]] += 1
            if code < 0:
                self.problems.append(f"killed by signal {-code}: {args}")
            elif "panick" in stderr or "RUST_BACKTRACE" in stderr:
                self.problems.append(f"panic: {args}: {stderr.strip()}")
            elif code != 0 and code not in DOCUMENTED_FAILURES:
                self.problems.append(f"undocumented exit {code}: {args}: {stderr.strip()}")
            elif code != 0 and not all(line.startswith("error: ") for line in stderr.strip().splitlines() or [""]):
                self.problems.append(f"expected 'error: ' lines on stderr: {args}: {stderr!r}")
            elif "soak-key" in done.stdout or "soak-key" in stderr:
                self.problems.append(f"the key leaked: {args}")
        return done, time.monotonic() - started

    def known_ids(self):
        with self.lock:
            return [i for i in self.created.values() if i not in self.destroyed]

    def one(self, rng):
        """One random invocation, weighted like a busy CI system."""
        ids = self.known_ids()
        roll = rng.random()
        if roll < 0.25 or not ids:
            with self.lock:
                self.counter += 1
                name = f"soak-{os.getpid()}-{self.counter}"
                self.attempted_names.add(name)
            result = self.run(["machines", "create", "--region", rng.choice(["ny2", "ca1", "ams1"]),
                               "--machineType", "C5", "--size", "50", "--billingType", "hourly",
                               "--machineName", name, "--templateId", "t0nspur5"])
            if result and result[0].returncode == 0:
                with self.lock:
                    self.created[name] = json.loads(result[0].stdout)["id"]
        elif roll < 0.45:
            self.run(["machines", "list", "--limit", "50"])
        elif roll < 0.60:
            self.run(["machines", "show", "--machineId", rng.choice(ids)])
        elif roll < 0.72:
            picked = rng.sample(ids, min(len(ids), rng.randint(1, 4)))
            self.run(["machines", rng.choice(["stop", "start", "restart"]), "--machineId", ",".join(picked)])
        elif roll < 0.80:
            self.run(["machines", "waitfor", "--machineId", rng.choice(ids), "--state",
                      rng.choice(["ready", "off"]), "--interval", "0.05", "--timeout", "1"])
        elif roll < 0.86:
            victim = rng.choice(ids)
            result = self.run(["machines", "destroy", "--machineId", victim])
            if result and result[0].returncode == 0:
                with self.lock:
                    self.destroyed.add(victim)
        elif roll < 0.92:
            self.run(["machines", "utilization", "--machineId", rng.choice(ids), "--billingMonth", "2026-11"])
        elif roll < 0.96:
            self.run(["machines", "availability", "--region", "ams1", "--machineType", "V100"])
        else:
            # Bad input: must be exit 2 and send nothing, faults or not.
            self.run(["machines", "create", "--size", "50GB"])


def machines_by_name(binary, url, home):
    env = dict(os.environ, PAPERSPACE_CONFIG_HOST=url, PAPERSPACE_API_KEY="soak-key", HOME=home)
    out = subprocess.run([binary, "machines", "list", "--all"], env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    return collections.Counter(m["name"] for m in json.loads(out.stdout)), json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=None, help="the paperspace binary (default: build target/release)")
    parser.add_argument("--invocations", type=int, default=3000)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--error-rate", type=float, default=0.05)
    options = parser.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = options.bin
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=root, check=True)
        binary = os.path.join(root, "target", "release", "paperspace")

    workdir = tempfile.mkdtemp(prefix="paperspace-soak-")
    state_file = os.path.join(workdir, "state.json")
    emulator, url = start_emulator(binary, state_file, options.error_rate)
    soak = Soak(binary, url, workdir)
    started = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(options.parallel) as pool:
            futures = [pool.submit(soak.one, random.Random(i)) for i in range(options.invocations)]
            for future in concurrent.futures.as_completed(futures):
                future.result()
        elapsed = time.monotonic() - started
        control(url, "DELETE", "/__emulator/faults")
        names, live = machines_by_name(binary, url, workdir)
    finally:
        stop(emulator)

    # A fresh emulator on the same state file must see exactly what the live one had.
    emulator, url = start_emulator(binary, state_file, 0)
    try:
        _, reloaded = machines_by_name(binary, url, workdir)
    finally:
        stop(emulator)
    shutil.rmtree(workdir, ignore_errors=True)

    duplicates = {name: n for name, n in names.items() if n > 1}
    live_ids = {m["id"] for m in live}
    lost = [(name, mid) for name, mid in soak.created.items()
            if mid not in soak.destroyed and mid not in live_ids]
    reload_mismatch = sorted(m["id"] for m in live) != sorted(m["id"] for m in reloaded)

    total = sum(soak.exit_codes.values())
    print(f"invocations: {total} in {elapsed:.1f} s ({options.parallel} at a time, "
          f"{options.error_rate:.0%} of API requests failed by the emulator)")
    print("by command:  " + ", ".join(f"{k} {v}" for k, v in sorted(soak.by_command.items())))
    print("exit codes:  " + ", ".join(f"{k}: {v}" for k, v in sorted(soak.exit_codes.items())))
    print(f"creates:     {len(soak.attempted_names)} attempted, {len(soak.created)} succeeded, "
          f"{len(names)} distinct names in the emulator")
    print(f"panics/undocumented exits/other problems: {len(soak.problems)}")
    print(f"duplicate machines from create: {len(duplicates)}")
    print(f"acknowledged machines lost: {len(lost)}")
    print(f"state file reload matches the live state: {not reload_mismatch}")
    for problem in soak.problems[:20]:
        print("  problem:", problem)
    failed = soak.problems or duplicates or lost or reload_mismatch
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
