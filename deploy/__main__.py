"""python -m deploy: a local deployment behind nginx, and the same health check and restarts on servers.

    python -m deploy up [--processes 2] [--port 8080]    # PostgreSQL, Chroma server, apps, nginx, health check
    python -m deploy status
    python -m deploy restart [--node n1]                  # rolling: drain through nginx, restart, put back
    python -m deploy down [--purge]

On servers (deploy/README.md, systemd units in deploy/systemd/):

    python -m deploy --system init --node n1=127.0.0.1:8501 --node n2=127.0.0.1:8502
    python -m deploy --system watch                       # run by civic-health.service
    python -m deploy --system restart                     # systemctl restart civic-app@PORT, one at a time
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

from civic.settings import REPO_ROOT
from deploy import services
from deploy.balancer import Node, Pool, SystemNginx
from deploy.local import LocalDeployment, Options
from deploy.rolling import rolling_restart, watch


def _node(text: str) -> Node:
    name, _, address = text.partition("=")
    host, _, port = address.rpartition(":")
    if not (name and host and port.isdigit()):
        raise argparse.ArgumentTypeError(f"expected NAME=HOST:PORT, got {text!r}")
    return Node(name, host, int(port))


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("CIVIC_DEPLOY_DIR", REPO_ROOT / ".deploy")),
                        help="the local deployment's folder (default .deploy/ or $CIVIC_DEPLOY_DIR)")
    parser.add_argument("--system", action="store_true", help="servers: the system nginx and systemd units")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start a local deployment on 127.0.0.1")
    up.add_argument("--processes", type=int, default=2, help="app processes (1-8)")
    up.add_argument("--port", type=int, default=8080, help="the public port (0: any free port)")
    up.add_argument("--database-url", help="use this PostgreSQL instead of starting one")
    up.add_argument("--no-watch", action="store_true", help="no health check / supervisor process")
    down = sub.add_parser("down", help="stop the local deployment")
    down.add_argument("--purge", action="store_true", help="also delete its folder (database, index, logs)")
    sub.add_parser("status", help="what runs, where, and whether it answers")
    restart = sub.add_parser("restart", help="rolling restart through nginx")
    restart.add_argument("--node", action="append", default=[], help="only these nodes (names, e.g. n1)")
    restart.add_argument("--drain-seconds", type=float, default=2.0)
    health = sub.add_parser("watch", help="the health check loop")
    health.add_argument("--interval", type=float, default=2.0)
    init = sub.add_parser("init", help="servers: write the upstreams file for these app processes")
    init.add_argument("--node", action="append", type=_node, required=True, metavar="NAME=HOST:PORT")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    try:
        return (_system if args.system else _local)(args)
    except (RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _local(args: argparse.Namespace) -> int:
    deployment = LocalDeployment(args.dir)
    if args.command == "up":
        deployment.up(Options(processes=args.processes, port=args.port, database_url=args.database_url,
                              watch=not args.no_watch))
        print("\n".join(deployment.status()))
        print(f"\nopen {deployment.url}  ·  stop with: bash scripts/deploy.sh down")
    elif args.command == "down":
        deployment.down(purge=args.purge)
    elif args.command == "status":
        print("\n".join(deployment.status()))
    elif args.command == "restart":
        deployment.restart(args.node or None, drain_s=args.drain_seconds)
    elif args.command == "watch":
        watch(deployment.nginx, deployment.nodes, interval_s=args.interval, is_dead=deployment.is_dead,
              revive=deployment.revive)
    else:
        raise ValueError(f"{args.command} is for servers: add --system")
    return 0


def _system(args: argparse.Namespace) -> int:
    nginx = SystemNginx()
    if args.command == "init":
        nginx.write(Pool(args.node))
        nginx.reload()
    elif args.command == "watch":  # systemd restarts exited processes itself (Restart=always)
        watch(nginx, lambda: nginx.pool().nodes, interval_s=args.interval)
    elif args.command == "restart":
        def restart(node: Node) -> None:
            subprocess.run(["systemctl", "restart", f"civic-app@{node.port}.service"], check=True, timeout=120)
            if not services.wait_until(lambda: services.http_ok(f"http://{node.address}/_stcore/health"), 90):
                raise RuntimeError(f"{node.name} did not answer its health check after the restart")
            services.warm(node.address)

        nodes = [n for n in nginx.pool().nodes if not args.node or n.name in args.node]
        rolling_restart(nginx, nodes, restart, drain_s=args.drain_seconds)
    else:
        raise ValueError(f"{args.command} is for a local deployment: drop --system")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
