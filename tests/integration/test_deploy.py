"""The production path in deploy/ stays true to the code: every massline command the units, the compose file,
the Dockerfile and docs/deploy.md run exists and accepts the arguments given; the paths they name exist; the
environment sample lists every variable the settings read and passes ``check --deploy``; nginx forwards what
the production settings expect and lets the largest upload through; gunicorn started with deploy/'s
configuration serves the production settings behind that contract."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands, load_command_class

from massline.appeals.attachments import max_bytes, max_files
from massline.org.admin import MAX_CSV_BYTES

from .test_serve import free_port
from .test_worker import database_url

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALL_PREFIX = "/opt/massline/"  # where the units and the image keep the checkout
UNITS = sorted((DEPLOY / "systemd").glob("massline-*"))


def env_sample() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "massline.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value  # as systemd
    return values


def env_sample_names() -> set[str]:
    """Every variable in the sample, set or commented out with its default."""
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (DEPLOY / "massline.env.example").read_text(), re.MULTILINE))


def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def command_lines() -> list[tuple[str, list[str]]]:
    """(where, argv) of every command the deployment files run, with the program's path reduced to its name."""
    found: list[tuple[str, list[str]]] = []
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            if re.match(r"^Exec(Start|StartPre|Reload)=", line):
                found.append((unit.name, shlex.split(line.partition("=")[2])))
    for name, service in compose()["services"].items():
        command = service.get("command")
        if command and command[:2] == ["sh", "-c"]:
            for part in re.split(r";|&&|\bdo\b|\bdone\b", command[2]):
                if part.strip():
                    found.append((f"compose {name}", shlex.split(part)))
        elif command:
            found.append((f"compose {name}", list(command)))
    dockerfile = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    for line in dockerfile.splitlines():
        if line.startswith(("RUN", "CMD")):
            for part in re.split(r"&&", line.removeprefix("RUN").removeprefix("CMD")):
                part = part.strip()
                if part.startswith("["):
                    found.append(("Dockerfile CMD", yaml.safe_load(part)))
                elif part:
                    words = [w for w in shlex.split(part) if "=" not in w or w.startswith("-")]
                    found.append(("Dockerfile RUN", words))
    in_code = False
    for line in (ROOT / "docs" / "deploy.md").read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif in_code and re.match(r"^\s*(sudo -u massline )?\S*massline ", line):
            found.append(("docs/deploy.md", shlex.split(line.split("  #")[0].removeprefix("sudo -u massline "))))
    return [(where, [Path(argv[0]).name, *argv[1:]]) for where, argv in found if argv]


def massline_commands() -> list[tuple[str, list[str]]]:
    return [(where, argv) for where, argv in command_lines() if argv[0] == "massline"]


def test_the_deployment_runs_web_worker_periodic_jobs_and_backups() -> None:
    programs = {(where.split()[0], argv[0], argv[1] if len(argv) > 1 else "") for where, argv in command_lines()}
    for where in ("compose", "massline-worker@.service", "massline-tick.service", "massline-backup.service"):
        assert any(w == where.split()[0] and p == "massline" for w, p, _ in programs), where
    subcommands = {argv[1] for _, argv in massline_commands()}
    assert {"worker", "tick", "backup", "migrate", "collectstatic"} <= subcommands
    assert set(compose()["services"]) >= {"web", "worker", "periodic", "postgres", "redis"}
    # Units and compose alike serve every queue, and the periodic jobs in a worker of their own.
    for place in ("compose", "massline-worker"):
        lanes = [
            argv[argv.index("--queues") + 1].split(",")
            for where, argv in massline_commands()
            if where.startswith(place) and argv[1] == "worker"
        ]
        assert sorted(name for lane in lanes for name in lane) == sorted(settings.TASK_QUEUES), place
        assert ["periodic"] in lanes, place
    # compose's environment wins over the env file, whose HOST (loopback) suits a host install only
    web = compose()["services"]["web"]
    assert web["environment"]["HOST"] == "0.0.0.0"  # noqa: S104
    assert web["ports"] == [f"127.0.0.1:8000:{web['environment']['PORT']}"]


@pytest.mark.parametrize(
    ("where", "argv"), massline_commands(), ids=lambda value: " ".join(value) if isinstance(value, list) else value
)
def test_every_massline_command_exists_and_accepts_its_arguments(where: str, argv: list[str]) -> None:
    commands = get_commands()
    assert argv[1] in commands, f"{where}: massline {argv[1]} is not a command"
    command = load_command_class(commands[argv[1]], argv[1])
    command.create_parser("massline", argv[1]).parse_args(argv[2:])  # CommandError on an unknown option


def test_gunicorn_is_started_with_files_that_exist() -> None:
    started = [(where, argv) for where, argv in command_lines() if argv[0] == "gunicorn"]
    assert {where.split()[0] for where, _ in started} == {"massline-web.service", "compose", "Dockerfile"}
    for where, argv in started:
        config = argv[argv.index("--config") + 1]
        assert config.startswith(INSTALL_PREFIX), where
        assert (ROOT / config.removeprefix(INSTALL_PREFIX)).is_file(), f"{where}: {config}"
        module, _, attribute = argv[-1].partition(":")
        assert (ROOT / "src" / (module.replace(".", "/") + ".py")).is_file(), f"{where}: {argv[-1]}"
        assert attribute == "application"
    for source in re.findall(r"^COPY (\S+)", (DEPLOY / "Dockerfile").read_text(), re.MULTILINE):
        assert (ROOT / source).exists(), f"Dockerfile copies {source}, which is not in the repository"


def test_the_environment_sample_lists_every_variable_the_settings_read() -> None:
    read = set()
    sources = [ROOT / "src/massline/settings" / name for name in ("base.py", "production.py")]
    sources += [ROOT / "src/massline/core/management/commands" / name for name in ("serve.py", "backup.py")]
    sources += [DEPLOY / "gunicorn.conf.py"]
    for source in sources:
        text = source.read_text()
        read |= set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', text))
        read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z0-9_]+)"', text))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TASK_REDIS_URL", "PROXY_COUNT", "WEB_CONCURRENCY"} <= read
    assert read - env_sample_names() == set()


def test_nginx_forwards_what_production_expects_and_lets_the_largest_upload_through() -> None:
    from django.conf import settings

    nginx = (DEPLOY / "nginx" / "massline.conf").read_text()
    body = re.search(r"client_max_body_size (\d+)m;", nginx)
    assert body and int(body.group(1)) * 1024 * 1024 > max(max_files() * max_bytes(), MAX_CSV_BYTES)
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx  # SECURE_PROXY_SSL_HEADER
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx  # PROXY_COUNT=1
    assert env_sample()["PROXY_COUNT"] == "1"
    upstream = re.search(r"server 127\.0\.0\.1:(\d+)", nginx)
    assert upstream and upstream.group(1) == env_sample()["PORT"] == "8000"
    media = nginx[nginx.index("location /media/") :]
    assert "return 404;" in media.split("}")[0]  # attachments only through the permission checks
    assert not re.search(r"(alias|root)\s+\S*(media|" + re.escape(str(settings.MEDIA_ROOT)) + ")", nginx)


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    sample = env_sample()
    sample.pop("MASSLINE_VAR_DIR")  # this test run's own
    for name in ("MEDIA_ROOT", "MASSLINE_MODEL_DIR", "MASSLINE_OPEN_DATA_DIR", "MASSLINE_BACKUP_DIR"):
        sample.pop(name)
    return {**env, **sample, **extra}


def test_the_environment_sample_passes_the_deployment_checks() -> None:
    env = production_env(DATABASE_URL="sqlite:///:memory:", REDIS_URL="redis://127.0.0.1:6379/11")
    result = subprocess.run(
        [sys.executable, "-m", "massline.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_shell_reads_the_environment_sample_as_systemd_does() -> None:
    """Operators source the file to run commands by hand (docs/deploy.md): every value must survive a shell."""
    script = f"set -a; . {DEPLOY / 'massline.env.example'}; set +a; env -0"
    result = subprocess.run(["sh", "-c", script], env={}, capture_output=True, text=True, timeout=30, check=True)
    assert result.stderr == ""
    from_shell = dict(item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    assert {name: from_shell.get(name) for name in env_sample()} == env_sample()


def test_a_separate_task_redis_carries_the_queues() -> None:
    env = production_env(
        DATABASE_URL="sqlite:///:memory:",
        REDIS_URL="redis://127.0.0.1:6379/11",
        TASK_REDIS_URL="redis://127.0.0.1:6379/12",
        TASK_BACKEND="rq",
    )
    script = (
        "import django_rq; from django.core.cache import caches;"
        "print(django_rq.get_queue('intake').connection.connection_pool.connection_kwargs['db'],"
        " caches['default'].client.get_client().connection_pool.connection_kwargs['db'])"
    )
    result = subprocess.run(
        [sys.executable, "-m", "massline.cli", "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "12 11"  # queues on TASK_REDIS_URL, the cache on REDIS_URL


def get(url: str, headers: dict[str, str]) -> tuple[int, str, dict[str, str]]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_gunicorn_with_the_deploy_configuration_serves_production_behind_the_proxy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    env = production_env(
        DATABASE_URL=database_url(), PORT=str(port), WEB_CONCURRENCY="1", MASSLINE_VAR_DIR=str(tmp_path)
    )
    subprocess.run(
        [sys.executable, "-m", "massline.cli", "collectstatic", "--noinput", "-v0"], env=env, check=True, timeout=120
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py"), "massline.wsgi:application"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    proxied = {"Host": "hotline.example.org", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body, _ = get(f"{base}/readyz", proxied)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"gunicorn did not start: {server.stderr.read() if server.stderr else ''}"
                    ) from None
                time.sleep(0.3)
        assert status == 200 and '"database": "up"' in body
        status, _, headers = get(f"{base}/", proxied)
        assert status == 200
        assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")
        # Without the proxy's X-Forwarded-Proto the request is plain HTTP: sent to https.
        status, _, headers = get(f"{base}/", {"Host": "hotline.example.org"})
        assert status == 301 and headers["Location"] == "https://hotline.example.org/"
        # A host nginx would not pass is refused.
        status, _, _ = get(f"{base}/readyz", {**proxied, "Host": "attacker.example"})
        assert status == 400
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
