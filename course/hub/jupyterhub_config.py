"""JupyterHub configuration of the classroom (`course hub setup` copies it
into the classroom's hub/ folder, `course hub start` passes that copy with
-f). Everything classroom-specific comes from classroom.json in the folder
named by $COURSE_CLASSROOM, written by `course hub setup`."""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821

BASE = Path(os.environ["COURSE_CLASSROOM"])
S = json.loads((BASE / "classroom.json").read_text())
HUB = BASE / "hub"
PY = Path(S["python_bin"])
PEOPLE = S["people"]
TRAINEES = sorted(u for u, p in PEOPLE.items() if p["role"] == "trainee")
INSTRUCTORS = sorted(u for u, p in PEOPLE.items() if p["role"] == "instructor")

# -- network: the public proxy on the classroom address, everything else on loopback
c.JupyterHub.ip = S["ip"]
c.JupyterHub.port = S["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S["hub_port"]
c.ConfigurableHTTPProxy.command = [S["proxy"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = str(HUB / "proxy.pid")
if S.get("ssl_cert"):  # HTTPS on the classroom network (hub setup --ssl-cert/--ssl-key)
    c.JupyterHub.ssl_cert = S["ssl_cert"]
    c.JupyterHub.ssl_key = S["ssl_key"]
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# -- state
c.JupyterHub.db_url = f"sqlite:///{HUB / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB / "jupyterhub.pid")

# -- who may log in: the roster's OS accounts, by their OS password
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(TRAINEES + INSTRUCTORS)
c.PAMAuthenticator.open_sessions = False

# -- each person's server runs as their own OS user (nbgrader takes the
#    trainee id from it), with their role's configuration
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(PY / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 90
# Jupyter servers without a terminal ignore the first SIGINT: go on to SIGTERM soon
c.LocalProcessSpawner.interrupt_timeout = 3
c.LocalProcessSpawner.term_timeout = 10


def _role_config(spawner):
    # read again at each start: people added by a later `course hub setup`
    # are admitted without a restart and get their role's configuration
    people = json.loads((BASE / "classroom.json").read_text())["people"]
    role = people.get(spawner.user.name, {}).get("role", "trainee")
    return str(BASE / "config" / role)


c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": _role_config,
    "PATH": f"{PY}:/usr/local/bin:/usr/bin:/bin",
    "COURSE_LANG": S.get("lang", os.environ.get("COURSE_LANG", "en")),
}

# -- the Formgrader: a notebook server of the grader account on the course
#    folder, a hub service that instructors open in its own tab
FORMGRADER = "formgrader"
c.JupyterHub.services = [
    {
        "name": FORMGRADER,
        "url": f"http://127.0.0.1:{S['formgrader_port']}",
        "command": [
            str(PY / "jupyterhub-singleuser"),
            f"--port={S['formgrader_port']}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.root_dir={BASE / 'course'}",
        ],
        "user": S["grader"],
        "cwd": str(BASE / "course"),
        "environment": {
            "JUPYTERHUB_DEFAULT_URL": "/formgrader",
            "JUPYTER_CONFIG_PATH": str(BASE / "config" / "grader"),
            "PATH": f"{PY}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(BASE / "course"),
        },
        "oauth_no_confirm": True,
    },
    # the course's own tools (tests, `course hub` commands) act through this token
    {"name": "course-admin", "api_token": (HUB / "admin-token").read_text().strip()},
]
c.JupyterHub.load_roles = [
    {
        "name": "instructor",
        "users": INSTRUCTORS,
        "scopes": ["self", f"access:services!service={FORMGRADER}", "read:services"],
    },
    {
        "name": "course-admin",
        "services": ["course-admin"],
        "scopes": [
            "admin:users",
            "admin:servers",
            "tokens",
            "access:servers",
            "read:services",
            f"access:services!service={FORMGRADER}",
        ],
    },
]
