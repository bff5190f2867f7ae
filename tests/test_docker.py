"""The container setup, checked without Docker (no engine runs on these machines).

Reads Dockerfile, docker-compose.yml, deploy/nginx.conf, .env.example and .dockerignore
and checks what can be checked statically: services, ports, volumes, health checks on
/readyz, that every ``reportqa`` command they run exists in the CLI with those options,
that every environment variable they set is a real setting and every setting is
documented, a non-root user, and the CPU PyTorch pin.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from service.cli import app as cli_app
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "docker-compose.yml"
NGINX = ROOT / "deploy" / "nginx.conf"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERIGNORE = ROOT / ".dockerignore"
INDEX_PATH = "/app/var/index"
TORCH = "torch==2.13.0"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# Environment variables the containers may set that are not reportqa settings.
OTHER_ENV = {
    "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR",
    "PIP_DISABLE_PIP_VERSION_CHECK", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE",
    "TOKENIZERS_PARALLELISM", "MPLCONFIGDIR",
    "FORWARDED_ALLOW_IPS",  # uvicorn: whose X-Forwarded-For to trust
}
SETTING_VARS = {f"REPORTQA_{name.upper()}" for name in Settings.model_fields}


# --------------------------------------------------------------------------- parsing


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text("utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    assert not pending, "Dockerfile ends inside a continued line"
    return instructions


def instruction_args(rest: str) -> list[str]:
    """Arguments of RUN/CMD/HEALTHCHECK CMD in exec (JSON) or shell form."""
    rest = rest.strip()
    if rest.startswith("["):
        return list(yaml.safe_load(rest))
    return shlex.split(rest)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return dict(compose["services"])


def cli_commands() -> dict[str, Any]:
    """The registered commands of the typer app (its click group's), by name."""
    group = typer.main.get_command(cli_app)
    commands = getattr(group, "commands", None)
    assert isinstance(commands, dict) and commands, "the CLI registers no commands"
    return dict(commands)


def reportqa_invocations(args: list[str]) -> list[list[str]]:
    """Each ``reportqa …`` command inside an argument list (also inside ``sh -c``).

    Only a word that starts a command counts (``pip uninstall reportqa`` does not).
    """
    separators = ("&&", "||", ";", "|")
    found = []
    starts_command = True
    for position, arg in enumerate(args):
        if starts_command and (arg == "reportqa" or arg.endswith("/reportqa")):
            rest = []
            for item in args[position + 1:]:
                if item in separators:
                    break
                rest.append(item)
            found.append(rest)
        elif " " in arg and "reportqa " in arg:
            found.extend(reportqa_invocations(shlex.split(arg)))
        starts_command = arg in separators
    return found


def check_invocation(args: list[str]) -> None:
    """The command exists in the typer app and accepts every option given."""
    commands = cli_commands()
    assert args, "reportqa without a command"
    name, *rest = args
    assert name in commands, f"`reportqa {name}` is not a CLI command ({sorted(commands)})"
    command = commands[name]
    options: dict[str, Any] = {}
    for param in command.params:
        for opt in [*param.opts, *getattr(param, "secondary_opts", [])]:
            if opt.startswith("-"):
                options[opt] = param
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    positional = 0
    skip = False
    for item in rest:
        if skip:
            skip = False
            continue
        if item.startswith("-"):
            opt = item.split("=", 1)[0]
            assert opt in options, f"`reportqa {name}` has no option {opt}"
            param = options[opt]
            takes_value = param.param_type_name == "option" and not param.is_flag
            skip = takes_value and "=" not in item
        else:
            positional += 1
    assert not skip, f"`reportqa {name}`: option without its value in {args}"
    if positional:
        assert arguments, f"`reportqa {name}` takes no positional arguments"
    required = [a for a in arguments if a.required]
    assert positional >= len(required), f"`reportqa {name}` is missing {required}"


# --------------------------------------------------------------------------- compose


def test_compose_services(services: dict[str, dict[str, Any]],
                          compose: dict[str, Any]) -> None:
    assert {"api", "ingest", "api-replica", "gateway"} <= set(services)
    api = services["api"]
    assert "profiles" not in api  # `docker compose up` starts it
    assert "8000:8000" in [str(port) for port in api["ports"]]
    assert api["build"]["context"] == "."
    assert api.get("restart") == "unless-stopped"
    assert "index" in compose["volumes"]


def volume_targets(service: dict[str, Any]) -> dict[str, str]:
    targets = {}
    for volume in service.get("volumes", []):
        match = re.fullmatch(r"(?P<source>.+?):(?P<target>/[^:]*)(?::(?:ro|rw))?", volume)
        assert match, f"unexpected volume syntax {volume!r}"
        targets[match["target"]] = match["source"]
    return targets


def test_index_lives_on_a_named_volume(services: dict[str, dict[str, Any]],
                                       compose: dict[str, Any]) -> None:
    for name in ("api", "ingest", "api-replica"):
        assert volume_targets(services[name]).get(INDEX_PATH) == "index", name
        assert services[name]["environment"]["REPORTQA_INDEX_DIR"] == INDEX_PATH
    # The Dockerfile's index is where the volume is mounted, so the volume starts with it.
    env = " ".join(rest for keyword, rest in dockerfile_instructions() if keyword == "ENV")
    assert f"REPORTQA_INDEX_DIR={INDEX_PATH}" in env


def test_ingest_is_a_one_shot_profile(services: dict[str, dict[str, Any]]) -> None:
    ingest = services["ingest"]
    assert ingest["profiles"] == ["ingest"]
    assert ingest.get("restart") == "no"
    targets = volume_targets(ingest)
    assert "/reports" in targets and targets["/reports"]
    assert any(v.endswith(":/reports:ro") for v in ingest["volumes"])
    args = ingest["command"]
    assert args[:3] == ["reportqa", "ingest", "/reports"]
    assert args[args.index("--index") + 1] == INDEX_PATH


def test_replicas_behind_one_gateway(services: dict[str, dict[str, Any]]) -> None:
    replica, gateway = services["api-replica"], services["gateway"]
    assert replica["profiles"] == ["replicas"] and gateway["profiles"] == ["replicas"]
    assert replica["deploy"]["replicas"] == 2
    assert "ports" not in replica  # two replicas cannot publish one host port
    assert "8000" in [str(port) for port in replica["expose"]]
    assert gateway["depends_on"]["api-replica"]["condition"] == "service_healthy"
    assert "8080:8080" in [str(port) for port in gateway["ports"]]
    assert volume_targets(gateway)["/etc/nginx/nginx.conf"] == "./deploy/nginx.conf"
    assert str(gateway["image"]).startswith("nginx:")

    conf = NGINX.read_text("utf-8")
    assert conf.count("{") == conf.count("}")
    assert re.search(r"upstream\s+reportqa\s*\{[^}]*server\s+api-replica:8000\b", conf)
    assert re.search(r"proxy_pass\s+http://reportqa;", conf)
    assert re.search(r"listen\s+8080;", conf)
    assert "resolver 127.0.0.11" in conf  # Docker's DNS, to follow the replicas


def healthcheck_url(args: list[str]) -> str:
    text = " ".join(args)
    match = re.search(r"http://(?:127\.0\.0\.1|localhost):(?:8000|8080|%s)/readyz", text)
    assert match, f"health check does not call /readyz: {args}"
    return match.group(0)


def test_healthchecks_call_readyz(services: dict[str, dict[str, Any]]) -> None:
    for name in ("api", "api-replica"):
        test = services[name]["healthcheck"]["test"]
        assert test[0] == "CMD"
        assert test[1] == "python"  # in the image; no curl needed
        assert ":8000/readyz" in healthcheck_url(test)
        assert "urllib.request.urlopen" in test[-1]
        compile(test[-1], "healthcheck", "exec")
    gateway = services["gateway"]["healthcheck"]["test"]
    assert ":8080/readyz" in healthcheck_url(gateway)  # through the gateway to a replica
    assert gateway[1] == "wget"  # busybox, in the nginx alpine image

    healthchecks = [rest for keyword, rest in dockerfile_instructions()
                    if keyword == "HEALTHCHECK"]
    assert len(healthchecks) == 1
    args = instruction_args(healthchecks[0].split(" CMD ", 1)[1])
    assert args[0] == "python"
    healthcheck_url(args)
    compile(args[-1], "healthcheck", "exec")


def test_compose_commands_exist_in_the_cli(services: dict[str, dict[str, Any]]) -> None:
    checked = 0
    for service in services.values():
        command = service.get("command")
        if command is None:
            continue
        args = command if isinstance(command, list) else shlex.split(command)
        for invocation in reportqa_invocations(args):
            check_invocation(invocation)
            checked += 1
    assert checked >= 3


def test_check_invocation_catches_mistakes() -> None:
    check_invocation(["serve", "--host", "0.0.0.0", "--port", "8000"])
    check_invocation(["ingest", "corpus", "--index", "x", "--no-progress"])
    with pytest.raises(AssertionError, match="not a CLI command"):
        check_invocation(["servee"])
    with pytest.raises(AssertionError, match="no option --hots"):
        check_invocation(["serve", "--hots", "0.0.0.0"])
    with pytest.raises(AssertionError, match="missing"):
        check_invocation(["ingest", "--index", "x"])


def test_compose_environment_is_real_settings(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        if name == "gateway":
            continue
        environment = service.get("environment", {})
        assert isinstance(environment, dict), f"{name}: use the mapping form"
        for key, value in environment.items():
            assert key in SETTING_VARS or key in OTHER_ENV, f"{name}: {key} is no setting"
            if key in SETTING_VARS:  # the value parses as that setting
                Settings.model_validate(
                    {key.removeprefix("REPORTQA_").lower(): value})
        env_files = service.get("env_file")
        assert env_files, f"{name} takes no settings from .env"
        paths = [entry["path"] if isinstance(entry, dict) else entry
                 for entry in (env_files if isinstance(env_files, list) else [env_files])]
        assert paths == [".env"], name


# --------------------------------------------------------------------------- Dockerfile


def test_dockerfile_base_user_and_torch() -> None:
    instructions = dockerfile_instructions()
    keywords = [keyword for keyword, _ in instructions]
    froms = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert len(froms) == 1 and re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", froms[0])

    users = [(position, rest) for position, (keyword, rest) in enumerate(instructions)
             if keyword == "USER"]
    assert users, "the image must not run as root"
    position, user = users[-1]
    assert user.split(":")[0] not in ("root", "0")
    assert position < keywords.index("CMD")

    runs = [rest for keyword, rest in instructions if keyword == "RUN"]
    torch_runs = [i for i, run in enumerate(runs) if "torch" in run and "pip install" in run]
    assert len(torch_runs) == 1
    torch_run = runs[torch_runs[0]]
    assert TORCH in shlex.split(torch_run)
    assert f"--index-url {TORCH_CPU_INDEX}" in torch_run
    project_runs = [i for i, run in enumerate(runs)
                    if re.search(r"pip install (--no-deps )?\.(\s|$)", run)]
    assert project_runs and min(project_runs) > torch_runs[0], \
        "torch must be installed from the CPU index before the project"
    # The same pin as the project's, or pip would replace the CPU build.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert TORCH in pyproject["project"]["dependencies"]


def test_dockerfile_indexes_the_corpus_and_serves() -> None:
    instructions = dockerfile_instructions()
    cmd = [rest for keyword, rest in instructions if keyword == "CMD"]
    assert len(cmd) == 1
    assert instruction_args(cmd[0]) == ["reportqa", "serve", "--host", "0.0.0.0"]
    check_invocation(instruction_args(cmd[0])[1:])

    invocations = [invocation for keyword, rest in instructions if keyword == "RUN"
                   for invocation in reportqa_invocations(instruction_args(rest))]
    ingests = [i for i in invocations if i[0] == "ingest"]
    assert len(ingests) == 1
    assert ingests[0][1] == "corpus"
    assert ingests[0][ingests[0].index("--index") + 1] == INDEX_PATH
    for invocation in invocations:
        check_invocation(invocation)
    keywords = [keyword for keyword, _ in instructions]
    user_at = max(i for i, k in enumerate(keywords) if k == "USER")
    ingest_at = next(i for i, (k, rest) in enumerate(instructions)
                     if k == "RUN" and "reportqa ingest" in rest)
    assert ingest_at > user_at, "index as the service user, so it can write the volume"
    assert "8000" in [rest for keyword, rest in instructions if keyword == "EXPOSE"]


def test_dockerfile_env_and_copies() -> None:
    instructions = dockerfile_instructions()
    for keyword, rest in instructions:
        if keyword == "ENV":
            for name, _ in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)", rest):
                assert name in SETTING_VARS or name in OTHER_ENV, f"ENV {name}"
    ignored = [line.strip() for line in DOCKERIGNORE.read_text("utf-8").splitlines()
               if line.strip() and not line.startswith("#")]

    def is_ignored(path: str) -> bool:
        verdict = False
        for pattern in ignored:
            negate = pattern.startswith("!")
            pattern = pattern.lstrip("!").rstrip("/")
            if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path.split("/")[0],
                                                                 pattern):
                verdict = not negate
        return verdict

    copies = 0
    for keyword, rest in instructions:
        if keyword != "COPY":
            continue
        parts = [p for p in shlex.split(rest) if not p.startswith("--")]
        for source in parts[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: no such file"
            assert not is_ignored(source), f"COPY {source} is excluded by .dockerignore"
            copies += 1
    assert copies >= 5
    for secret in (".env", ".venv", "var", ".git"):
        assert is_ignored(secret), f".dockerignore must exclude {secret}"
    assert not is_ignored(".env.example")


# --------------------------------------------------------------------------- .env.example


def env_example() -> dict[str, str]:
    """Documented variable -> documented default (commented-out assignments count)."""
    documented: dict[str, str] = {}
    lines = ENV_EXAMPLE.read_text("utf-8").splitlines()
    for number, line in enumerate(lines):
        match = re.fullmatch(r"#?\s*([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if not match:
            continue
        name, value = match.groups()
        assert name not in documented, f"{name} is listed twice"
        # A comment right above says what it means.
        assert number > 0 and re.match(r"# \w", lines[number - 1]), \
            f"{name} has no explanation above it"
        documented[name] = value.strip()
    return documented


def test_env_example_lists_exactly_the_settings() -> None:
    documented = env_example()
    unknown = set(documented) - SETTING_VARS
    missing = SETTING_VARS - set(documented)
    assert not unknown, f".env.example lists variables that are no setting: {unknown}"
    assert not missing, f"settings missing from .env.example: {missing}"


def test_env_example_defaults_are_the_real_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("REPORTQA_"):
            monkeypatch.delenv(key)
    defaults = Settings()
    for name, value in env_example().items():
        field = name.removeprefix("REPORTQA_").lower()
        if value == "":
            default = getattr(defaults, field)
            assert default in (None, []), f"{name}: documented unset, default is {default!r}"
            continue
        monkeypatch.setenv(name, value)
        assert getattr(Settings(), field) == getattr(defaults, field), name
        monkeypatch.delenv(name)


def test_env_example_sets_nothing_by_default() -> None:
    # Copied as is, .env changes no setting: every assignment is commented out.
    for line in ENV_EXAMPLE.read_text("utf-8").splitlines():
        assert not re.match(r"\s*[A-Z][A-Z0-9_]*=", line), line
