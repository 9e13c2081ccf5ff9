"""Checks of deploy/ against the real service, without a cluster (pytest; run by
scripts/check-deploy, which installs the linters and builds the binary).

What matters, each checked against the source or the built binary rather than a copy:
- the Kubernetes Deployment probes /readyz and /healthz, and those routes exist in the
  server's router; it runs non-root with a read-only root filesystem and no privilege
  escalation; the master key and the PostgreSQL URL come from Secrets, never literals;
- every STEWARD_* variable and every flag named in the Containerfile, the systemd units, the
  env file and the manifests exists in the binary (its --help or its configuration code);
- the ConfigMap's steward.toml is accepted by the real `steward serve`, which then answers
  /readyz, and the Containerfile's HEALTHCHECK command passes against it;
- the alert rules and the dashboard only name metrics the server exports;
- the reverse proxy's body limits match the server's defaults and its batch routes.

Environment: STEWARD_BIN, the binary to run (default target/debug/steward).
"""

import json
import os
import re
import shlex
import socket
import subprocess
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "kubernetes"
SERVER_SRC = ROOT / "crates" / "steward-server" / "src"
BIN = Path(os.environ.get("STEWARD_BIN", ROOT / "target" / "debug" / "steward"))

# Metrics named in the alert rules that other exporters provide (kube-state-metrics,
# node_exporter's systemd collector, Prometheus itself); everything else must be Steward's.
EXTERNAL_METRICS = {"up", "kube_job_status_failed", "node_systemd_unit_state"}


# ---------------------------------------------------------------- helpers


def manifests():
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                docs.append((path.name, doc))
    return docs


def one(kind, name=None):
    found = [d for _, d in manifests() if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def pod_specs():
    """(what, pod spec) of every workload."""
    out = []
    for _, d in manifests():
        if d["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            out.append((f"{d['kind']}/{d['metadata']['name']}", d["spec"]["template"]["spec"]))
        elif d["kind"] == "CronJob":
            out.append((f"CronJob/{d['metadata']['name']}", d["spec"]["jobTemplate"]["spec"]["template"]["spec"]))
    assert out, "no workloads found"
    return out


def containers(spec):
    return list(spec.get("initContainers", [])) + list(spec["containers"])


def run(*args, env=None, check=True):
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, check=check, timeout=60)


def help_text(*sub):
    return run(*sub, "--help").stdout


def server_routes():
    lib = (SERVER_SRC / "lib.rs").read_text()
    return set(re.findall(r'\.route\(\s*"([^"]+)"', lib))


def exported_metrics():
    src = (SERVER_SRC / "metrics.rs").read_text()
    # Names as written in the exposition (`# HELP name` lines and the name tables).
    names = set(re.findall(r'"(steward_[a-z0-9_]+|process_[a-z0-9_]+)', src))
    hist = {n for n in names if "duration" in n or n.endswith("_seconds")}
    for h in hist:
        names |= {f"{h}_bucket", f"{h}_sum", f"{h}_count"}
    return names


def known_env_vars():
    """STEWARD_* variables the binary reads: its --help ([env: …]) and its configuration code."""
    names = set()
    for sub in (["serve"], ["audit", "verify"], ["keys", "status"]):
        names |= set(re.findall(r"\[env: (STEWARD_[A-Z0-9_]+)=", help_text(*sub)))
    sources = list((ROOT / "crates" / "steward" / "src").glob("*.rs"))
    sources += [SERVER_SRC / "config.rs", SERVER_SRC / "logging.rs"]
    for path in sources:
        names |= set(re.findall(r'"(STEWARD_[A-Z0-9_]+)"', path.read_text()))
    return names


def password_env_vars():
    """Variables the configuration itself names (`requests.smtp.password_env`)."""
    cfg = tomllib.loads(one("ConfigMap", "steward-config")["data"]["steward.toml"])
    smtp = cfg.get("requests", {}).get("smtp", {})
    return {smtp["password_env"]} if "password_env" in smtp else set()


def check_cli(argv, where):
    """`argv` (without the binary) names a real subcommand and only its real flags."""
    assert argv, f"{where}: no command"
    sub = [argv[0]]
    text = help_text(*sub)
    # A command with subcommands (keys, dsr, policy, incidents, …): check the subcommand's flags.
    if "\nCommands:" in text and len(argv) > 1 and not argv[1].startswith("-"):
        sub.append(argv[1])
        text = help_text(*sub)
    assert text.startswith(("Run", "Verify", "Show", "Make", "Check")) or "Usage:" in text, text
    for a in argv[len(sub):]:
        if a.startswith("--"):
            flag = a.split("=", 1)[0]
            assert re.search(rf"\s{re.escape(flag)}\b", text), f"{where}: `{flag}` is not a flag of `steward {' '.join(sub)}`"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the binary


def test_the_binary_is_built():
    assert BIN.is_file(), f"{BIN}: build it first (cargo build -p steward), or set STEWARD_BIN"
    assert "serve" in help_text()


# ---------------------------------------------------------------- Kubernetes


def test_probes_use_routes_the_server_has():
    routes = server_routes()
    assert {"/readyz", "/healthz"} <= routes, routes
    dep = one("Deployment", "steward")
    c = next(c for c in dep["spec"]["template"]["spec"]["containers"] if c["name"] == "steward")
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        port = c[probe]["httpGet"]["port"]
        assert port in ports or port in ports.values(), f"{probe} port {port}"
    # The container listens where the probes look.
    listen = c["args"][c["args"].index("--listen") + 1]
    assert listen.endswith(f":{ports['http']}") and listen.startswith("0.0.0.0:"), listen


def test_workloads_run_non_root_with_a_read_only_root_filesystem():
    for what, spec in pod_specs():
        pod = spec.get("securityContext", {})
        assert pod.get("runAsNonRoot") is True, what
        assert pod.get("runAsUser", 0) != 0, what
        assert spec.get("automountServiceAccountToken") is False, what
        for c in containers(spec):
            sc = c.get("securityContext", {})
            assert sc.get("readOnlyRootFilesystem") is True, f"{what}/{c['name']}"
            assert sc.get("allowPrivilegeEscalation") is False, f"{what}/{c['name']}"
            assert "ALL" in sc.get("capabilities", {}).get("drop", []), f"{what}/{c['name']}"
            assert sc.get("privileged") is not True, f"{what}/{c['name']}"


def test_secrets_come_from_secrets():
    for what, spec in pod_specs():
        for c in containers(spec):
            env = {e["name"]: e for e in c.get("env", [])}
            for e in env.values():
                if "value" in e:
                    v = str(e["value"])
                    assert "postgres://" not in v and "postgresql://" not in v, f"{what}: {e['name']} literal URL"
                    assert not re.search(r"KEY|PASSWORD|SECRET", e["name"]) or e["name"] == "STEWARD_KEYRING", (
                        f"{what}: {e['name']} must come from a Secret"
                    )
            if c["name"] in ("steward", "verify"):
                for name in ("STEWARD_MASTER_KEY", "STEWARD_STORE"):
                    ref = env[name]["valueFrom"]["secretKeyRef"]
                    assert ref["name"] and ref["key"], f"{what}: {name}"
                    assert ref["name"] in {d["metadata"]["name"] for _, d in manifests() if d["kind"] == "Secret"}
        # The key ring file comes from a Secret volume, copied 0600 by the init container.
        secret_vols = {v["name"] for v in spec["volumes"] if "secret" in v}
        assert secret_vols, what
        init = spec["initContainers"][0]
        assert init["command"][:3] == ["install", "-m", "0600"], what
        assert any(m["name"] in secret_vols for m in init["volumeMounts"]), what
        keyring_env = next(e["value"] for c in spec["containers"] for e in c["env"] if e["name"] == "STEWARD_KEYRING")
        assert init["command"][-1] == keyring_env, what


def test_mounts_match_the_paths_the_service_reads():
    for what, spec in pod_specs():
        main = spec["containers"][0]
        env = {e["name"]: e.get("value") for e in main["env"]}
        mounts = {m["mountPath"]: m for m in main["volumeMounts"]}
        assert env["STEWARD_CONFIG"] in mounts, what
        vol = {v["name"]: v for v in spec["volumes"]}[mounts[env["STEWARD_CONFIG"]]["name"]]
        assert vol["configMap"]["name"] == "steward-config", what
        cfg = tomllib.loads(one("ConfigMap", "steward-config")["data"]["steward.toml"])
        policy_dir = str(Path(cfg["policy"]).parent)
        assert policy_dir in mounts, f"{what}: the policy {cfg['policy']} is not under a mount"
        assert {v["name"]: v for v in spec["volumes"]}[mounts[policy_dir]["name"]]["configMap"]["name"] == "steward-policy"
        # Writable places exist as volumes (the root filesystem is read-only).
        for path in (env["STEWARD_DATA_DIR"], str(Path(env["STEWARD_KEYRING"]).parent), "/tmp"):
            assert path in mounts and not mounts[path].get("readOnly"), f"{what}: {path}"


def test_service_and_disruption_budget_select_the_pods():
    dep = one("Deployment", "steward")
    labels = dep["spec"]["template"]["metadata"]["labels"]
    svc = one("Service", "steward")
    assert svc["spec"]["selector"].items() <= labels.items()
    pdb = one("PodDisruptionBudget", "steward")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert 0 < pdb["spec"]["minAvailable"] < dep["spec"]["replicas"], "a drain must be possible"
    port_names = {p["name"] for p in dep["spec"]["template"]["spec"]["containers"][0]["ports"]}
    assert all(p["targetPort"] in port_names for p in svc["spec"]["ports"])
    assert dep["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_manifest_commands_and_variables_exist_in_the_binary():
    known = known_env_vars() | password_env_vars()
    for what, spec in pod_specs():
        for c in spec["containers"]:
            check_cli(c["args"], f"{what}/{c['name']}")
            for e in c.get("env", []):
                assert e["name"] in known, f"{what}: {e['name']} is not read by steward"


# ---------------------------------------------------------------- Containerfile, systemd


def test_containerfile_matches_the_binary():
    text = (DEPLOY / "Containerfile").read_text()
    known = known_env_vars()
    env_block = re.search(r"^ENV (.*?)(?=^\S)", text, re.S | re.M).group(1)
    for name in re.findall(r"(STEWARD_[A-Z0-9_]+)=", env_block):
        assert name in known, f"Containerfile: {name}"
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    check_cli(cmd, "Containerfile CMD")
    assert json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", text, re.M).group(1)) == ["/usr/local/bin/steward"]
    assert re.search(r"^USER 10001:10001$", text, re.M), "non-root"
    volumes = json.loads(re.search(r"^VOLUME (\[.*\])$", text, re.M).group(1))
    assert "/var/lib/steward" in volumes and "/var/lib/steward-keys" in volumes
    assert "STEWARD_KEYRING=/var/lib/steward-keys/keyring.json" in text
    assert re.search(r"^HEALTHCHECK .*/healthz", text, re.M | re.S)


def test_the_image_build_context_holds_what_the_build_needs():
    text = (DEPLOY / "Containerfile").read_text()
    ignore = (ROOT / ".containerignore").read_text()
    assert ignore == (ROOT / ".dockerignore").read_text(), "one ignore list for podman and docker"
    patterns = [l.strip().rstrip("/") for l in ignore.splitlines() if l.strip() and not l.startswith("#")]
    # The build stage copies the workspace and builds the binary crate with the lock file.
    assert re.search(r"^COPY \. \.$", text, re.M)
    assert "cargo build --release --locked -p steward" in text
    assert (ROOT / "crates" / "steward" / "Cargo.toml").is_file() and (ROOT / "Cargo.lock").is_file()
    needed = ["Cargo.toml", "Cargo.lock", "crates", "policies"]
    for n in needed:
        assert not any(p == n or n.startswith(p + "/") for p in patterns), f"{n} is excluded from the build context"
    for src in re.findall(r"^COPY (?!--from)(\S+) ", text, re.M):
        assert (ROOT / src).exists(), f"COPY {src}"
    # The target directory (gigabytes) is not sent.
    assert "target" in patterns


def test_systemd_units_and_env_file_match_the_binary():
    known = known_env_vars()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text()
        for name in re.findall(r"^Environment=(STEWARD_[A-Z0-9_]+)=", text, re.M):
            assert name in known, f"{unit.name}: {name}"
        exec_start = re.search(r"^ExecStart=(.*)$", text, re.M).group(1)
        argv = shlex.split(exec_start)
        assert argv[0] == "/usr/local/bin/steward"
        check_cli(argv[1:], unit.name)
        assert re.search(r"^NoNewPrivileges=yes$", text, re.M)
        assert re.search(r"^ProtectSystem=strict$", text, re.M)
        assert re.search(r"^DynamicUser=yes$", text, re.M)
    env_file = (DEPLOY / "systemd" / "steward.env.example").read_text()
    names = re.findall(r"^#?\s*(STEWARD_[A-Z0-9_]+)=", env_file, re.M)
    assert names
    for name in names:
        assert name in known, f"steward.env.example: {name}"


# ---------------------------------------------------------------- the real service


@pytest.fixture(scope="module")
def served():
    """`steward serve` with the ConfigMap's steward.toml (SQLite and a local policy instead of
    PostgreSQL and the policy ConfigMap; everything else as deployed)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cfg = one("ConfigMap", "steward-config")["data"]["steward.toml"]
        (tmp / "steward.toml").write_text(cfg)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
        env.update(
            STEWARD_CONFIG=str(tmp / "steward.toml"),
            STEWARD_DATA_DIR=str(tmp / "data"),
            STEWARD_STORE=f"sqlite://{tmp / 'data' / 'steward.db'}",
            STEWARD_POLICY=str(ROOT / "policies" / "stamps-2020-01-17.toml"),
            STEWARD_LISTEN=f"127.0.0.1:{port}",
            STEWARD_LOG="warn",
        )
        for name in password_env_vars():
            env[name] = "not-a-real-password"
        proc = subprocess.Popen([str(BIN), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"steward serve exited {proc.returncode}: {proc.stderr.read()}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                        assert r.status == 200
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail("steward serve did not become ready")
                    time.sleep(0.3)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_the_configmap_is_accepted_and_the_service_becomes_ready(served):
    with urllib.request.urlopen(f"http://127.0.0.1:{served}/readyz", timeout=5) as r:
        assert json.load(r)["status"] == "ready"
    with urllib.request.urlopen(f"http://127.0.0.1:{served}/healthz", timeout=5) as r:
        assert json.load(r)["status"] == "ok"


def test_the_containerfile_healthcheck_passes_against_the_service(served):
    text = (DEPLOY / "Containerfile").read_text()
    cmd = json.loads(re.search(r"^HEALTHCHECK .*?CMD (\[[^\n]*\])$", text, re.M | re.S).group(1))
    cmd = [a.replace("127.0.0.1/8080", f"127.0.0.1/{served}") for a in cmd]
    assert subprocess.run(cmd, timeout=10).returncode == 0
    # And fails when nothing answers there.
    dead = [a.replace(f"127.0.0.1/{served}", f"127.0.0.1/{free_port()}") for a in cmd]
    assert subprocess.run(dead, timeout=10, stderr=subprocess.DEVNULL).returncode != 0


def test_a_bad_trusted_proxy_is_refused_naming_the_key():
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "steward.toml"
        cfg.write_text('[server]\ntrusted_proxies = ["10.0.0.0/33"]\n')
        env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
        env.update(STEWARD_CONFIG=str(cfg), STEWARD_DATA_DIR=str(Path(tmp) / "d"), STEWARD_LISTEN="127.0.0.1:0")
        r = run("serve", env=env, check=False)
        assert r.returncode == 2, r  # configuration is input: exit 2, like a usage error
        assert "trusted_proxies" in r.stderr and "10.0.0.0/33" in r.stderr, r.stderr
        env.update(STEWARD_TRUSTED_PROXIES="10.0.0.0/8,nonsense")
        cfg.write_text("")
        r = run("serve", env=env, check=False)
        assert r.returncode == 2 and "STEWARD_TRUSTED_PROXIES" in r.stderr, r.stderr


# ---------------------------------------------------------------- monitoring


PROMQL_WORDS = {
    # keywords and aggregations (the latter may be followed by `by (…)` before their "(")
    "by", "without", "and", "or", "unless", "on", "ignoring", "group_left", "group_right", "bool", "offset",
    "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
}


def promql_metric_names(expr):
    # Identifiers followed by a selector, a range or an operator; minus functions, keywords
    # and label names.
    expr = re.sub(r'"[^"]*"', '""', expr)
    expr = re.sub(r"\{[^}]*\}", "{}", expr)
    expr = re.sub(r"\[[^\]]*\]", "[]", expr)
    words = set(re.findall(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()", expr))
    words -= PROMQL_WORDS
    grouping = set()
    for g in re.findall(r"\b(?:by|without|on|ignoring)\s*\(([^)]*)\)", expr):
        grouping |= {w.strip() for w in g.split(",")}
    words -= grouping
    return {w for w in words if not re.fullmatch(r"[0-9.e]+", w) and w not in ("le", "Inf")}


def test_alert_rules_name_exported_metrics():
    exported = exported_metrics()
    rules = yaml.safe_load((DEPLOY / "monitoring" / "steward-alerts.yml").read_text())
    seen = set()
    for group in rules["groups"]:
        for rule in group["rules"]:
            names = promql_metric_names(rule["expr"])
            assert names, rule["alert"]
            for n in names:
                assert n in exported or n in EXTERNAL_METRICS, f"{rule['alert']}: `{n}` is not exported by the server"
            seen |= names
            # Route label values are real routes.
            for route in re.findall(r'route="([^"]+)"', rule["expr"]):
                assert route in server_routes(), f"{rule['alert']}: route {route}"
    # The alerts the deployment promises.
    for must in (
        "steward_requests_overdue",
        "steward_requests_at_risk",
        "steward_webhook_dead_letters",
        "steward_partner_notifications_overdue",
        "steward_audit_checkpoints_total",
        "steward_incident_notices_near_due",
        "steward_incident_notices_overdue",
        "steward_policy_stale",
        "steward_policy_expired",
        "steward_policy_expiring",
    ):
        assert must in seen, must


def test_the_dashboard_names_exported_metrics():
    exported = exported_metrics()
    dash = json.loads((DEPLOY / "monitoring" / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
    assert len(exprs) >= 10
    used = set()
    for e in exprs:
        e = e.replace("$__rate_interval", "5m").replace('"$job"', '"x"')
        for n in promql_metric_names(e):
            assert n in exported, f"dashboard: `{n}` is not exported by the server"
            used.add(n)
    # Every gauge family of the request workflow is on the dashboard.
    for n in exported:
        if n.startswith(("steward_requests_", "steward_partner_", "steward_webhook_", "steward_outbox_")):
            assert n in used, f"dashboard lacks {n}"


# ---------------------------------------------------------------- reverse proxy


def size(text):
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", text)
    return int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]


def test_the_proxy_passes_what_the_service_expects_and_limits_like_it():
    conf = (DEPLOY / "nginx" / "steward.conf").read_text()
    config_rs = (SERVER_SRC / "config.rs").read_text()
    body = int(eval(re.search(r"body_limit: (1 << \d+),", config_rs).group(1)))  # noqa: S307 (literal shift)
    batch = int(eval(re.search(r"batch_body_limit: (\d+ << \d+),", config_rs).group(1)))  # noqa: S307
    limits = re.findall(r"client_max_body_size (\w+);", conf)
    assert size(limits[0]) == body, "server-wide limit = [server] body_limit default"
    assert size(limits[1]) == batch, "batch routes = [server] batch_body_limit default"
    cfg = tomllib.loads(one("ConfigMap", "steward-config")["data"]["steward.toml"])["server"]
    assert cfg["body_limit"] == body and cfg["batch_body_limit"] == batch
    # The batch location covers exactly the routes of the server's batch router.
    lib = (SERVER_SRC / "lib.rs").read_text()
    batch_block = lib[lib.index("let batch = Router::new()") : lib.index("let api = Router::new()")]
    batch_routes = set(re.findall(r'\.route\("([^"]+)"', batch_block))
    loc = re.search(r"location ~ (\S+) \{", conf).group(1)
    for r in server_routes():
        assert bool(re.match(loc, r)) == (r in batch_routes), r
    for header in ("X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme", "Sec-GPC $http_sec_gpc"):
        assert conf.count(f"proxy_set_header {header}") >= 2, header
    assert re.search(r'add_header Strict-Transport-Security "max-age=\d+.*" always;', conf)
    upstream = re.search(r"upstream steward \{\s*server (\S+);", conf).group(1)
    env_file = (DEPLOY / "systemd" / "steward.env.example").read_text()
    assert f"STEWARD_LISTEN={upstream}" in env_file
    trusted = re.search(r"^STEWARD_TRUSTED_PROXIES=(.*)$", env_file, re.M).group(1)
    assert "127.0.0.1" in trusted, "the proxy on loopback must be trusted"


# ---------------------------------------------------------------- docs/operations.md


def test_the_commands_in_operations_md_exist():
    doc = (ROOT / "docs" / "operations.md").read_text()
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", doc, re.S):
        # A command continued over several lines (`\` at the end) is one command.
        block = re.sub(r"\\\n\s*", " ", block)
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if re.match(r"^([A-Z_]+=\S+\s+)*steward\s", line):
                commands.append(line)
    # …and inline `steward …` commands in the text.
    commands += re.findall(r"`((?:[A-Z_]+=\S+ )*steward [a-z][^`]*)`", doc)
    assert len(commands) >= 10, commands
    for line in commands:
        argv = shlex.split(line.replace("<", "").replace(">", "").replace("…", ""))
        while argv and re.match(r"^[A-Z_]+=", argv[0]):
            assert argv[0].split("=", 1)[0] in known_env_vars(), line
            argv.pop(0)
        assert argv[0] == "steward", line
        check_cli(argv[1:], f"docs/operations.md: {line}")
    for name in set(re.findall(r"\b(STEWARD_[A-Z0-9_]+)\b", doc)):
        assert name in known_env_vars(), f"docs/operations.md names {name}"


# ---------------------------------------------------------------- nginx in front of the service


@pytest.fixture(scope="module")
def proxied():
    """deploy/nginx/steward.conf (ports and certificate paths rewritten) in front of a real
    `steward serve` that trusts the proxy on 127.0.0.1 only; yields the HTTPS port."""
    nginx = next((p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if os.path.exists(p)), None)
    assert nginx, "nginx is not installed (scripts/check-deploy installs it)"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "logs").mkdir()
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=privacy.example.com",
             "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
            check=True, capture_output=True,
        )
        upstream, https, http = free_port(), free_port(), free_port()
        conf = (DEPLOY / "nginx" / "steward.conf").read_text()
        for old, new in (
            ("server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream};"),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
            ("listen [::]:443 ssl http2;", ""),
            ("listen 80;", f"listen 127.0.0.1:{http};"),
            ("listen [::]:80;", ""),
            ("/etc/ssl/steward/fullchain.pem", str(tmp / "cert.pem")),
            ("/etc/ssl/steward/privkey.pem", str(tmp / "key.pem")),
            ("/var/log/nginx/steward.access.log", str(tmp / "logs" / "access.log")),
        ):
            assert old in conf, old
            conf = conf.replace(old, new)
        (tmp / "steward.conf").write_text(conf)
        (tmp / "nginx.conf").write_text(
            f"error_log {tmp}/logs/error.log;\npid {tmp}/nginx.pid;\nevents {{}}\n"
            f"http {{\n  include {tmp}/steward.conf;\n}}\n"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
        env.update(
            STEWARD_DATA_DIR=str(tmp / "data"),
            STEWARD_LISTEN=f"127.0.0.1:{upstream}",
            STEWARD_TRUSTED_PROXIES="127.0.0.1/32",
            STEWARD_LOG="warn",
        )
        proc = subprocess.Popen([str(BIN), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        subprocess.run([nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{upstream}/readyz", timeout=2):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"steward serve did not start: {proc.stderr.read() if proc.poll() is not None else ''}")
                    time.sleep(0.3)
            yield https
        finally:
            subprocess.run(
                [nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-s", "stop"], check=False, stderr=subprocess.DEVNULL
            )
            proc.terminate()
            proc.wait(timeout=30)


def https_call(port, method, path, source, body=None, headers=None):
    import http.client
    import ssl

    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, source_address=(source, 0), timeout=10)
    try:
        conn.request(method, path, body=body, headers={"Host": "privacy.example.com", **(headers or {})})
        r = conn.getresponse()
        body = r.read().decode("utf-8", "replace")
        return r.status, body, r.msg.get_all("Strict-Transport-Security") or []
    finally:
        conn.close()


def test_behind_the_proxy_each_client_is_limited_on_its_own_and_cannot_forge_its_address(proxied):
    def submit(source, i, forged):
        body = json.dumps({"kind": "opt_out_sale_share", "email": f"p{i}@example.com"})
        h = {"Content-Type": "application/json", "X-Forwarded-For": forged}
        return https_call(proxied, "POST", "/v1/requests", source, body, h)[0]

    # 127.0.0.2 claims a new address each time: nginx appends the real one, Steward takes it.
    statuses = [submit("127.0.0.2", i, f"198.51.100.{i}") for i in range(11)]
    assert statuses == [201] * 10 + [429], statuses
    # Another client through the same proxy has its own bucket.
    assert submit("127.0.0.3", 99, "127.0.0.2") == 201


def test_the_proxy_passes_sec_gpc_sends_hsts_once_and_refuses_bodies_the_service_would(proxied):
    # Sec-GPC reaches the privacy center, which shows that it saw the signal (GPC-07).
    status, page, hsts = https_call(proxied, "GET", "/privacy", "127.0.0.4", headers={"Sec-GPC": "1"})
    assert status == 200 and 'id="gpc-status"' in page, page[:500]
    assert len(hsts) == 1 and hsts[0].startswith("max-age="), hsts
    status, page, _ = https_call(proxied, "GET", "/privacy", "127.0.0.4")
    assert status == 200 and 'id="gpc-status"' not in page
    status, _, hsts = https_call(proxied, "GET", "/healthz", "127.0.0.4")
    assert status == 200 and len(hsts) == 1
    big = b"{" + b" " * (1 << 20) + b"}"
    status, _, _ = https_call(proxied, "POST", "/v1/subjects", "127.0.0.4", big, {"Content-Type": "application/json"})
    assert status == 413
