#!/usr/bin/env python3
"""End-to-end data subject requests through the HTTP API, the workload Fides is measured on.

A company database in PostgreSQL (customers, addresses reached two ways, orders, logins),
registered as a dataset connector; customers known to Steward by e-mail; then, one request at
a time, access requests and erasure requests submitted by the privacy team (verified on a
support call) to a `steward serve` whose `[requests] require_approval = false`: the answer to
the one POST is the completed request (the access report read from the vault and from every
table of the database; the erasure done in the database and verified by re-query, the vault
erased, the receipt issued). Timed from the submission to its answer, which is `completed`
(checked on every request). Afterwards, outside the timing: one access report holds the
database's rows, and the erased customers' rows are gone from the database.

    python3 bench/dsr-http/run.py [--binary target/release/steward] [--customers 1000] [--requests 200]

Needs PostgreSQL 15 (`pg_config --bindir`); starts and stops its own cluster and server.
"""
import argparse
import http.client
import json
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ANNOTATION = """
description = "the web shop"

[[tables]]
name = "customers"
identity = { column = "email", kind = "email" }
action = "mask"
columns = { email = "email", full_name = "name", phone = "phone" }

[[tables]]
name = "orders"
via = { column = "customer_id", table = "customers", references = "id" }
action = "nullify"
columns = { ship_to_name = "name" }

[[tables]]
name = "addresses"
via = [
  { column = "customer_id", table = "customers", references = "id" },
  { column = "id", table = "orders", references = "shipping_address_id" },
]
action = "delete"
columns = { street = "postal_address", city = "postal_address", zip = "postal_address" }

[[tables]]
name = "logins"
via = { column = "customer_id", table = "customers", references = "id" }
action = "delete"
columns = { ip = "ip_login" }
"""

SCHEMA = """
CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL, full_name text, phone text);
CREATE INDEX ON customers (lower(email));
CREATE INDEX ON customers (email);
CREATE TABLE addresses (id serial PRIMARY KEY, customer_id int REFERENCES customers(id),
  street text, city text, zip text);
CREATE INDEX ON addresses (customer_id);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers(id),
  shipping_address_id int, ship_to_name text, total_cents int);
CREATE INDEX ON orders (customer_id);
CREATE TABLE logins (id serial PRIMARY KEY, customer_id int REFERENCES customers(id),
  ip text, at timestamptz DEFAULT now());
CREATE INDEX ON logins (customer_id);
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def as_pg(cmd):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


def email(i):
    return f"customer{i:05d}@shop.example"


def seed_sql(n):
    rows = []
    for i in range(1, n + 1):
        rows.append(
            f"INSERT INTO customers (id, email, full_name, phone) VALUES "
            f"({i}, '{email(i)}', 'Customer {i}', '+1555{i:07d}');"
        )
        rows.append(
            f"INSERT INTO addresses (customer_id, street, city, zip) VALUES "
            f"({i}, '{i} Main St', 'Springfield', '9{i % 10000:04d}'), "
            f"({i}, '{i} Oak Ave', 'Shelbyville', '8{i % 10000:04d}');"
        )
        for k in range(5):
            rows.append(
                f"INSERT INTO orders (customer_id, shipping_address_id, ship_to_name, total_cents) "
                f"VALUES ({i}, (SELECT max(id) FROM addresses WHERE customer_id = {i}), "
                f"'Customer {i}', {100 * (k + 1)});"
            )
        rows.append(
            f"INSERT INTO logins (customer_id, ip) SELECT {i}, '203.0.113.' || g "
            f"FROM generate_series(1, 10) g;"
        )
    rows.append("SELECT setval('customers_id_seq', (SELECT max(id) FROM customers));")
    return "\n".join(rows)


class Api:
    def __init__(self, addr, key):
        host, port = addr.split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.key = key

    def call(self, method, path, body=None):
        headers = {"Authorization": f"Bearer {self.key}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        raw = r.read()
        try:
            doc = json.loads(raw) if raw else None
        except ValueError:
            doc = raw.decode(errors="replace")
        return r.status, doc


def children(pid):
    """The child processes of `pid` (the server under a profiler)."""
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/release/steward")
    ap.add_argument("--customers", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("--no-loopback-setting", action="store_true",
                    help="for a binary older than `allow_insecure_loopback` (to compare with)")
    ap.add_argument("--wrap", default="",
                    help="a profiler command put before the server's, e.g. "
                    "'strace -c -f -o /tmp/strace.txt' or 'perf record -g -o /tmp/perf.data'")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    if not os.path.exists(binary):
        sys.exit(f"error: {binary} not found (cargo build --release -p steward)")
    if a.requests * 2 > a.customers:
        sys.exit("error: --customers must be at least twice --requests")

    work = tempfile.mkdtemp(prefix="steward-dsr-bench.")
    os.chmod(work, 0o755)
    pg_bin = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                            check=True).stdout.strip()
    pg_data = os.path.join(work, "pg")
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    pg_port = free_port()
    server = None
    try:
        subprocess.run(as_pg([f"{pg_bin}/initdb", "-D", pg_data, "-U", "steward",
                              "--auth=trust", "-E", "UTF8"]), check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(as_pg([f"{pg_bin}/pg_ctl", "-D", pg_data, "-l", f"{work}/pg.log", "-w",
                              "-o", f"-c listen_addresses=127.0.0.1 -p {pg_port} -k {work}",
                              "start"]), check=True, stdout=subprocess.DEVNULL)
        url = f"postgres://steward@127.0.0.1:{pg_port}/postgres"
        psql = [f"{pg_bin}/psql", "-q", "-v", "ON_ERROR_STOP=1", url]
        subprocess.run(psql, input=SCHEMA + seed_sql(a.customers), text=True, check=True,
                       stdout=subprocess.DEVNULL)

        data = os.path.join(work, "steward")
        os.makedirs(data)
        cfg = os.path.join(work, "steward.toml")
        with open(cfg, "w") as f:
            # The benchmark's PostgreSQL is a throwaway cluster on loopback, without TLS
            # (SEC-02 refuses that unless allowed).
            f.write("[requests]\nrequire_approval = false\n")
            if not a.no_loopback_setting:
                f.write("allow_insecure_loopback = true\n")
        env = dict(os.environ, STEWARD_LOG="warn")
        env.pop("STEWARD_POLICY", None)
        server = subprocess.Popen(
            shlex.split(a.wrap) + [binary, "serve", "--listen", "127.0.0.1:0", "--config", cfg, "--data-dir", data],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=work)
        key = addr = None
        for line in server.stdout:
            if "store it now): " in line:
                key = line.split("store it now): ")[1].strip()
            elif line.startswith("steward serving on http://"):
                addr = line.split("http://")[1].split()[0]
                break
        if not key or not addr:
            sys.exit("error: steward serve did not start")
        api = Api(addr, key)
        st, doc = api.call("PUT", "/v1/connectors/datasets/shop",
                           {"kind": "postgres", "annotation": ANNOTATION, "connection": url})
        if st >= 300:
            sys.exit(f"error: dataset registration: {st} {doc}")
        subjects = {}
        for i in range(1, 2 * a.requests + 1):
            st, doc = api.call("POST", "/v1/subjects", {
                "jurisdiction": "US-CA",
                "identities": [{"kind": "email", "value": email(i)}]})
            if st >= 300:
                sys.exit(f"error: subject {i}: {st} {doc}")
            subjects[i] = doc["id"] if "id" in doc else doc["subject_id"]

        def submit(kind, i):
            t0 = time.perf_counter()
            st, doc = api.call("POST", "/v1/requests", {
                "kind": kind, "requester": "admin", "subject_id": subjects[i],
                "preverified": "support_call_kba", "channel": "support", "email": email(i),
                "jurisdiction": "US-CA"})
            dt = (time.perf_counter() - t0) * 1000
            if st >= 300 or doc.get("state") != "completed":
                sys.exit(f"error: {kind} request for customer {i}: {st} {doc}")
            return dt, doc["request_id"]

        # Warm-up (connections, caches), not counted.
        submit("access", a.requests + 1)
        access = []
        first = None
        for i in range(1, a.requests + 1):
            dt, rid = submit("access", i)
            access.append(dt)
            first = first or rid
        erasure = []
        for i in range(a.requests + 2, 2 * a.requests + 1):
            dt, _ = submit("deletion", i)
            erasure.append(dt)

        # Outside the timing: the report carries the database's rows; erased rows are gone.
        st, report = api.call("GET", f"/v1/requests/{first}/report")
        text = json.dumps(report)
        assert st == 200, (st, report)
        if not ("Main St" in text and "203.0.113." in text):
            sys.exit(f"error: the report lacks the dataset's rows: {text[:3000]}")
        left = subprocess.run(psql[:-1] + ["-At", url, "-c",
                              f"SELECT count(*) FROM logins WHERE customer_id > {a.requests + 1}"
                              f" AND customer_id <= {2 * a.requests}"],
                              capture_output=True, text=True, check=True).stdout.strip()
        assert left == "0", f"{left} login rows of erased customers remain"

        out = {
            "customers_in_database": a.customers,
            "requests_each": a.requests,
            "access_ms": {"p50": statistics.median(access), "p95": pct(access, 95),
                          "mean": statistics.mean(access)},
            "erasure_ms": {"p50": statistics.median(erasure), "p95": pct(erasure, 95),
                           "mean": statistics.mean(erasure)},
        }
        print(json.dumps(out, indent=2))
        if a.json:
            with open(a.json, "w") as f:
                json.dump(out, f, indent=2)
    finally:
        if server:
            # The server itself is stopped (a profiler in front, `--wrap`, then writes its
            # report and exits with it).
            for pid in children(server.pid) if a.wrap else [server.pid]:
                try:
                    os.kill(pid, 15)
                except ProcessLookupError:
                    pass
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
        subprocess.run(as_pg([f"{pg_bin}/pg_ctl", "-D", pg_data, "-m", "immediate", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
