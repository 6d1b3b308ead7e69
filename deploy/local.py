"""A whole deployment on one machine: PostgreSQL, a Chroma server, N app processes, nginx, a health check.

Everything lives under one folder (default ``.deploy/``): the PostgreSQL cluster, the Chroma
store, the shared data directory, nginx's files, logs, the server secret and ``state.json``
(ports and process ids), so ``down`` can stop what ``up`` started from another shell, and a
later ``up`` reuses the database and the index.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deploy import services
from deploy.balancer import Nginx, Node, Pool
from deploy.rolling import restart_one, rolling_restart

log = logging.getLogger("deploy")
HOST = services.HOST


@dataclass(frozen=True)
class Options:
    processes: int = 2
    port: int = 8080  # the one public port; 0 picks a free one
    database_url: str | None = None  # an existing PostgreSQL instead of starting one
    watch: bool = True  # run the health check (and restart processes that exit)
    warm: bool = True  # load the models in each process before nginx sends it residents


class LocalDeployment:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.state_path = self.root / "state.json"
        self.logs = self.root / "logs"

    # --- state -------------------------------------------------------------------------------

    def state(self) -> dict:
        try:
            return json.loads(self.state_path.read_text("utf-8"))
        except FileNotFoundError:
            return {}

    def _save(self, state: dict) -> None:
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1), "utf-8")
        os.replace(tmp, self.state_path)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict]:
        """state.json, locked against the health check's restarts and other commands."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "state.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            state = self.state()
            yield state
            self._save(state)

    @property
    def nginx(self) -> Nginx:
        return Nginx(self.root / "nginx", self.state()["listen"])

    @property
    def url(self) -> str:
        return "http://" + self.state()["listen"]

    def nodes(self) -> list[Node]:
        return [Node(a["name"], HOST, a["port"]) for a in self.state().get("apps", [])]

    def pids(self) -> dict[str, int]:
        return {a["name"]: a["pid"] for a in self.state().get("apps", [])}

    def app_env(self, state: dict | None = None) -> dict[str, str]:
        """The environment every app process (and admin commands) run with."""
        state = state or self.state()
        env = dict(os.environ)
        for name in ("DATABASE_URL", "CHROMA_URL", "CIVIC_DATABASE_URL", "CIVIC_CHROMA_URL"):
            env.pop(name, None)
        env.update(CIVIC_DATA_DIR=str(self.root / "data"), DATABASE_URL=state["database_url"],
                   CHROMA_URL=f"http://{HOST}:{state['chroma']['port']}", CIVIC_SECRET_KEY=self._secret(),
                   FORWARDED_ALLOW_IPS="127.0.0.1", ANONYMIZED_TELEMETRY="False")
        return env

    def _secret(self) -> str:
        """One secret for every process (the dedup HMAC, tokens and logins must agree), kept here."""
        path = self.root / "secret.key"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        return path.read_text().strip()

    def running(self) -> bool:
        state = self.state()
        pids = [state.get("watch_pid"), state.get("chroma", {}).get("pid"), *self.pids().values()]
        return any(services.alive(p) for p in pids) or (
            state.get("listen") is not None and services.alive(self.nginx.pid()))

    # --- up / down ---------------------------------------------------------------------------

    def up(self, options: Options = Options()) -> None:
        if not 1 <= options.processes <= 8:
            raise ValueError("processes must be 1..8")
        if self.running():
            raise RuntimeError(f"a deployment is already running from {self.root}: `python -m deploy down` first")
        self.root.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        state = {"listen": f"{HOST}:{options.port or services.free_port()}", "apps": [],
                 "started": time.strftime("%Y-%m-%d %H:%M:%S")}
        self._save(state)
        try:
            self._up(state, options)
        except BaseException:
            log.error("start-up failed; stopping what was started")
            self.down()
            raise
        log.info("up in %.1f s: %s (%d app processes)", time.monotonic() - began, self.url, options.processes)

    def _up(self, state: dict, options: Options) -> None:
        if options.database_url:
            state["database_url"] = options.database_url
        else:
            pg = services.Postgres(self.root / "postgres", services.free_port())
            state["postgres"] = {"port": pg.port}
            self._save(state)
            pg.start()
            state["database_url"] = pg.url
            log.info("PostgreSQL on %s:%d", HOST, pg.port)
        chroma_port = services.free_port()
        state["chroma"] = {"port": chroma_port, "pid": None}
        state["chroma"]["pid"] = services.start_chroma(self.root / "chroma", chroma_port, self.logs / "chroma.log")
        self._save(state)
        log.info("Chroma server on %s:%d", HOST, chroma_port)
        services.migrate(self.app_env(state), self.logs / "migrate.log")
        services.ingest(self.app_env(state), self.logs / "ingest.log")
        for k in range(options.processes):
            port = services.free_port()
            pid = services.start_app(port, self.app_env(state), self.logs / f"app-n{k + 1}.log")
            state["apps"].append({"name": f"n{k + 1}", "port": port, "pid": pid})
            self._save(state)
        for app in state["apps"]:
            services.wait_healthy(app["port"], app["pid"], self.logs / f"app-{app['name']}.log")
            if options.warm:
                services.warm(f"{HOST}:{app['port']}")
            log.info("app %s on %s:%d (pid %d)", app["name"], HOST, app["port"], app["pid"])
        self.nginx.start(Pool(self.nodes()))
        log.info("nginx on %s", state["listen"])
        if options.watch:
            state["watch_pid"] = services.spawn([sys.executable, "-m", "deploy", "--dir", str(self.root), "watch"],
                                                self.logs / "watch.log")
            self._save(state)

    def down(self, *, purge: bool = False) -> None:
        """Stop everything (health check, nginx, apps, Chroma, PostgreSQL); keep the data unless ``purge``."""
        state = self.state()
        services.stop(state.get("watch_pid"))
        if state.get("listen"):
            self.nginx.stop()
        for app in state.get("apps", []):  # SIGTERM to all first: they shut down together
            if services.alive(app["pid"]):
                os.kill(app["pid"], 15)
        for app in state.get("apps", []):
            services.stop(app["pid"], timeout=services.APP_STOP_S)
        services.stop(state.get("chroma", {}).get("pid"))
        if "postgres" in state:
            services.Postgres(self.root / "postgres", state["postgres"]["port"]).stop()
        with contextlib.suppress(FileNotFoundError):
            self.state_path.unlink()
        if purge:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- processes ---------------------------------------------------------------------------

    def _restart_app(self, node: Node, *, only_if_dead: bool = False) -> None:
        """Stop the process (if it runs) and start a new one on the same port, warmed up."""
        with self._locked() as state:
            app = next(a for a in state["apps"] if a["name"] == node.name)
            if only_if_dead and (services.alive(app["pid"]) or node.name in self.nginx.pool().drained):
                return  # it runs, or an operator is restarting it
            services.stop(app["pid"], timeout=services.APP_STOP_S)
            logfile = self.logs / f"app-{node.name}.log"
            app["pid"] = services.start_app(node.port, self.app_env(state), logfile)
            services.wait_healthy(node.port, app["pid"], logfile)
            services.warm(node.address)

    def restart(self, names: list[str] | None = None, *, drain_s: float = 2.0) -> None:
        """A rolling restart through nginx, one process at a time."""
        nodes = [n for n in self.nodes() if not names or n.name in names]
        rolling_restart(self.nginx, nodes, self._restart_app, drain_s=drain_s)

    def restart_node(self, name: str, *, drain_s: float = 2.0) -> None:
        node = next(n for n in self.nodes() if n.name == name)
        restart_one(self.nginx, node, self._restart_app, drain_s=drain_s)

    def revive(self, node: Node) -> None:
        """The health check's supervisor: start an exited process again unless an operator drained it."""
        self._restart_app(node, only_if_dead=True)

    def is_dead(self, node: Node) -> bool:
        return not services.alive(self.pids().get(node.name))

    def status(self) -> list[str]:
        state = self.state()
        if not state:
            return [f"no deployment running from {self.root}"]
        pool = self.nginx.pool() if (self.root / "nginx" / "pool.json").exists() else None
        lines = [f"public: {self.url} (nginx pid {self.nginx.pid()}, "
                 f"{'running' if services.alive(self.nginx.pid()) else 'stopped'})",
                 f"database: {state.get('database_url')}",
                 f"chroma: {HOST}:{state['chroma']['port']} pid {state['chroma']['pid']} "
                 f"{'running' if services.alive(state['chroma']['pid']) else 'stopped'}"]
        for node in self.nodes():
            pid = self.pids()[node.name]
            healthy = services.http_ok(f"http://{node.address}/_stcore/health")
            flags = ([] if pool is None else
                     [f for f, on in (("drained", node.name in pool.drained),
                                      ("failing", node.name in pool.failing)) if on])
            lines.append(f"app {node.name}: {node.address} pid {pid} "
                         f"{'healthy' if healthy else 'NOT answering'} {' '.join(flags)}".rstrip())
        lines.append(f"health check: pid {state.get('watch_pid')} "
                     f"{'running' if services.alive(state.get('watch_pid')) else 'not running'}")
        return lines
