"""The production definitions, checked offline: Kubernetes manifests against the Kubernetes
schemas shipped in the kubernetes-validate wheel (no network: sockets are refused while it
runs), the Dockerfile's essentials, and the HAProxy configuration (``haproxy -c``).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO

K8S = REPO / "deploy" / "k8s"
KUBERNETES_VERSION = "1.33.0"  # a version the platform runs; the schemas ship with the wheel


def manifests() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                out.append((f"{path.name}:{doc['kind']}/{doc['metadata']['name']}", doc))
    return out


def by_kind(kind: str, name: str | None = None) -> dict[str, Any]:
    found = [d for _, d in manifests() if d["kind"] == kind]
    if name:
        found = [d for d in found if d["metadata"]["name"] == name]
    assert found, f"no {kind} {name or ''}"
    return found[0]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize("name,doc", manifests(), ids=[n for n, _ in manifests()])
def test_manifest_validates_against_the_kubernetes_schema(
    name: str, doc: dict[str, Any], no_network: None
) -> None:
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_an_invalid_manifest_is_caught(no_network: None) -> None:
    """The check above can fail: a misspelt field is refused in strict mode."""
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    doc = by_kind("Deployment", "dashlib")
    broken = yaml.safe_load(yaml.safe_dump(doc))
    broken["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_deployment_probes_resources_and_read_only_data() -> None:
    deployment = by_kind("Deployment", "dashlib")
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert deployment["spec"]["replicas"] >= 2
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    assert (
        container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"]
    )
    data = next(m for m in container["volumeMounts"] if m["name"] == "data")
    assert data["readOnly"] is True
    volume = next(v for v in pod["volumes"] if v["name"] == "data")
    assert volume["persistentVolumeClaim"]["readOnly"] is True
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["DASHLIB_EDITOR"] == "off" and env["DASHLIB_DATA_DIR"] == "/data"
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_ingress_has_cookie_affinity_and_long_websocket_timeouts() -> None:
    ingress = by_kind("Ingress")
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == "DASHLIB_REPLICA"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == by_kind("Service", "dashlib")["metadata"]["name"]


def test_hpa_scales_the_readers_on_cpu() -> None:
    hpa = by_kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "dashlib"
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    assert hpa["spec"]["minReplicas"] >= 2


def test_editor_is_its_own_deployment_with_a_hashed_password() -> None:
    editor = by_kind("Deployment", "dashlib-editor")
    container = editor["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert env["DASHLIB_EDITOR"]["value"] == "on"
    assert "secretKeyRef" in env["DASHLIB_EDITOR_PASSWORD_HASH"]["valueFrom"]
    assert "DASHLIB_EDITOR_PASSWORD" not in env  # never the plain password
    assert editor["spec"]["replicas"] == 1
    # No Ingress points at the editor.
    ingress = by_kind("Ingress")
    targets = [
        p["backend"]["service"]["name"] for p in ingress["spec"]["rules"][0]["http"]["paths"]
    ]
    assert "dashlib-editor" not in targets


# --- Dockerfile ------------------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments), continuation lines joined, comments dropped."""
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_installs_from_the_lock_file_with_a_pinned_uv() -> None:
    steps = dockerfile()
    runs = [args for word, args in steps if word == "RUN"]
    assert any(re.search(r"pip install [^&]*\buv==\d+\.\d+\.\d+", r) for r in runs)
    syncs = [r for r in runs if "uv sync" in r]
    assert syncs and all("--locked" in r for r in syncs)
    assert not any(re.search(r"pip install (?!--no-cache-dir uv==)", r) for r in runs)
    copies = " ".join(args for word, args in steps if word == "COPY")
    assert "uv.lock" in copies


def test_dockerfile_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    steps = dockerfile()
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    last_user = max(i for i, (word, _) in enumerate(steps) if word == "USER")
    assert not any(word == "RUN" for word, _ in steps[last_user:])  # nothing after runs as root
    health = [args for word, args in steps if word == "HEALTHCHECK"]
    assert health and "/_stcore/health" in health[0]
    cmd = next(args for word, args in steps if word == "CMD")
    assert "streamlit" in cmd and "--server.address=0.0.0.0" in cmd
    assert '"serve_app.py"' in cmd  # the app with its link previews, as `make run` serves it


def test_dockerignore_keeps_secrets_and_the_venv_out() -> None:
    ignored = (REPO / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".streamlit/secrets.toml", "run"):
        assert entry in ignored


def test_dockerfile_copies_what_the_app_needs() -> None:
    copies = " ".join(args for word, args in dockerfile() if word == "COPY")
    needed_files = ("src", "app.py", "serve_app.py", "pages", "static", "data")
    for needed in (*needed_files, ".streamlit/config.toml"):
        assert needed in copies


# --- HAProxy ---------------------------------------------------------------------------------


def test_haproxy_configuration_is_valid(tmp_path: Path) -> None:
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        pytest.skip("haproxy is not installed")
    sys.path.insert(0, str(REPO / "deploy"))
    try:
        import serve
    finally:
        sys.path.pop(0)
    text = serve.render_config(
        port=8080,
        replicas=[("r1", 18501), ("r2", 18502)],
        editor=(8081, 18503),
        stats_socket=str(tmp_path / "s.sock"),
    )
    assert "cookie DASHLIB_REPLICA insert indirect nocache" in text
    assert "option httpchk GET /_stcore/health" in text
    assert "timeout tunnel 1h" in text
    config = tmp_path / "haproxy.cfg"
    config.write_text(text)
    check = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
