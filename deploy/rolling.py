"""Rolling restarts and the script-driven health check, for a local deployment or for servers.

Both work through the balancer (deploy/balancer.py): a process leaves the pool by a rewrite
of the upstreams file and a reload, so nginx stops giving it new sessions while the sessions
it holds keep their connections until the process stops. When it stops, their browsers
reconnect through nginx to a live process (Streamlit's page does this by itself, and reruns
the script if a run was in flight).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from deploy.balancer import Node, Pool
from deploy.services import http_ok, wait_until

log = logging.getLogger("deploy")


class BalancerControl(Protocol):
    """What the health check and restarts need from nginx (deploy.balancer.Nginx)."""

    def set_drained(self, name: str, drained: bool) -> None: ...
    def set_failing(self, name: str, failing: bool) -> None: ...
    def pool(self) -> Pool: ...


def health_url(node: Node) -> str:
    return f"http://{node.address}/_stcore/health"


def restart_one(balancer: BalancerControl, node: Node, restart: Callable[[Node], None], *,
                drain_s: float = 2.0, live_timeout: float = 60.0) -> None:
    """Drain ``node`` through nginx, restart it, put it back once it answers (and is warm)."""
    balancer.set_drained(node.name, True)  # returns once nginx runs the new configuration
    time.sleep(drain_s)  # let handshakes already routed to it complete
    try:
        restart(node)  # stop: its websockets close and browsers reconnect elsewhere; start; warm up
    finally:
        balancer.set_drained(node.name, False)
    if not wait_until(lambda: balancer.pool().live(node), live_timeout, step=0.2):
        raise RuntimeError(f"{node.name} did not come back into the pool (health check still failing)")


def rolling_restart(balancer: BalancerControl, nodes: list[Node], restart: Callable[[Node], None], *,
                    drain_s: float = 2.0) -> None:
    """One process at a time; the next only once the last is back, so one is always serving."""
    for node in nodes:
        log.info("restarting %s (%s)", node.name, node.address)
        started = time.monotonic()
        restart_one(balancer, node, restart, drain_s=drain_s)
        log.info("%s back in the pool after %.1f s", node.name, time.monotonic() - started)


def check_once(balancer: BalancerControl, nodes: list[Node], streaks: dict[str, int], *,
               fails_to_remove: int = 2, is_dead: Callable[[Node], bool] | None = None,
               revive: Callable[[Node], None] | None = None) -> None:
    """One round of the health check.

    A process out of the pool because an operator drained it is left alone. One that fails
    ``fails_to_remove`` checks in a row is marked failing (nginx stops sending it anything);
    the first good answer puts it back. A process that has exited is started again when
    ``revive`` is given (the local deployment's supervisor; on servers systemd does that).
    """
    pool = balancer.pool()
    for node in nodes:
        if node.name in pool.drained:
            streaks.pop(node.name, None)
            continue
        if revive and is_dead and is_dead(node):
            log.warning("%s has exited; starting it again", node.name)
            balancer.set_failing(node.name, True)
            revive(node)
        ok = http_ok(health_url(node), timeout=2.0)
        streaks[node.name] = 0 if ok else streaks.get(node.name, 0) + 1
        if ok and node.name in pool.failing:
            log.info("%s answers its health check again: back in the pool", node.name)
            balancer.set_failing(node.name, False)
        elif not ok and streaks[node.name] >= fails_to_remove and node.name not in pool.failing:
            log.warning("%s failed %d health checks: out of the pool", node.name, streaks[node.name])
            balancer.set_failing(node.name, True)


def watch(balancer: BalancerControl, nodes: Callable[[], list[Node]], *, interval_s: float = 2.0,
          is_dead: Callable[[Node], bool] | None = None, revive: Callable[[Node], None] | None = None,
          rounds: int | None = None) -> None:
    """Check every ``interval_s`` seconds until stopped (or ``rounds`` rounds)."""
    streaks: dict[str, int] = {}
    done = 0
    while rounds is None or done < rounds:
        try:
            check_once(balancer, nodes(), streaks, is_dead=is_dead, revive=revive)
        except Exception:  # noqa: BLE001 - a failed round must not end the watch
            log.exception("health check round failed")
        done += 1
        time.sleep(interval_s)
