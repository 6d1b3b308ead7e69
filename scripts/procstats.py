"""CPU and memory of the app processes under load, from Linux's /proc.

RSS counts every page a process has in memory, including pages of shared libraries and
files that other processes map too; PSS divides each shared page among the processes
that map it, so the PSS of several processes adds up to what they use together.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from deploy.balancer import child_pids


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def children(pid: int) -> list[int]:
    """The process and its direct children (nginx's workers, PostgreSQL's backends), from /proc."""
    return [pid, *sorted(child_pids(pid))]


def tree_cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds so far of each of these processes that still exists."""
    return {pid: cpu for pid in pids if (cpu := cpu_seconds(pid)) is not None}


def machine_busy_s() -> float:
    """CPU seconds all cores have spent busy since boot (everything but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


class Support:
    """CPU used during a phase by the load generator itself and the deployment's other servers."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.groups = {name: children(pid) for name, pid in roots.items()}
        self._before = {name: tree_cpu(pids) for name, pids in self.groups.items()}
        self._self0, self._machine0 = os.times(), machine_busy_s()

    def stop(self) -> dict[str, float]:
        used = {}
        for name, pids in self.groups.items():
            after = tree_cpu(pids)
            used[name] = round(sum(after[p] - self._before[name][p] for p in after if p in self._before[name]), 1)
        now = os.times()
        used["load generator"] = round(now.user + now.system - self._self0.user - self._self0.system, 1)
        used["machine (all cores, everything)"] = round(machine_busy_s() - self._machine0, 1)
        return used


def memory_mb(pid: int) -> dict[str, float] | None:
    """{"rss", "pss", "anon"} in MB for one process (PSS and anonymous from smaps_rollup when readable).

    Anonymous memory (heap, Python objects, arrays) is what each process pays on its own;
    the rest of RSS is file-backed pages (libraries, memory-mapped weights) shared on a host."""
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration, ValueError):
        return None
    fields = {"Pss": float("nan"), "Anonymous": float("nan")}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            if name in fields:
                fields[name] = int(value.split()[0]) / 1024
    except (OSError, ValueError):
        pass
    return {"rss": round(rss, 1), "pss": round(fields["Pss"], 1), "anon": round(fields["Anonymous"], 1)}


class Sampler:
    """Samples each process's memory every ``every_s`` seconds while a phase runs; keeps the peak."""

    def __init__(self, pids: dict[str, int], every_s: float = 1.0) -> None:
        self.pids = pids
        self.every_s = every_s
        self.peak_rss: dict[str, float] = {}
        self._cpu0 = {name: cpu_seconds(pid) for name, pid in pids.items()}
        self._task: asyncio.Task | None = None

    def _sample(self) -> None:
        for name, pid in self.pids.items():
            if (mem := memory_mb(pid)) is not None:
                self.peak_rss[name] = max(self.peak_rss.get(name, 0.0), mem["rss"])

    async def _loop(self) -> None:
        while True:
            self._sample()
            await asyncio.sleep(self.every_s)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self, now: dict[str, int]) -> dict[str, dict]:
        """Per process: CPU seconds used during the phase, peak and final RSS, final PSS.

        ``now``: the processes' ids at the end; one that changed was restarted during the
        phase, and its figures cover only part of it (CPU is then not given)."""
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._sample()
        out = {}
        for name, pid in self.pids.items():
            if now.get(name) != pid:
                out[name] = {"pid": pid, "restarted": True, "cpu_s": None, "rss_mb": None, "pss_mb": None,
                             "peak_rss_mb": round(self.peak_rss.get(name, float("nan")))}
                continue
            before, after, mem = self._cpu0[name], cpu_seconds(pid), memory_mb(pid)
            out[name] = {"pid": pid, "restarted": False,
                         "cpu_s": None if before is None or after is None else round(after - before, 1),
                         "peak_rss_mb": round(self.peak_rss.get(name, float("nan"))),
                         "rss_mb": None if mem is None else round(mem["rss"]),
                         "pss_mb": None if mem is None else round(mem["pss"])}
        return out
