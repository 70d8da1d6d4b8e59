"""Which process holds a running job (Job.holder), and whether that process is known to be gone.

A worker's pool child killed, or the whole worker killed and started again on the same machine: the job's beat
is still fresh for up to JOB_STALE_SECONDS, yet its process is known to be dead. A worker on the same machine
and in the same process namespace can see that at once in /proc, so the job is run again at once rather than
once its beat is stale. Anywhere else (another machine or container, or a system without /proc) nothing is
known and the beat decides.

A holder is "<boot id>/<pid namespace>/<pid>": the boot id names one boot of one machine (the same inside its
containers), the pid namespace's inode one namespace within that boot, so two holders with the same prefix
number their processes alike. A process that exists, or whose pid was taken by another process meanwhile,
counts as alive: a mistake can only delay the run again until the beat is stale, never start a live job twice."""

import os
from pathlib import Path

PROC = Path("/proc")


def _namespace() -> str:
    try:
        boot = (PROC / "sys/kernel/random/boot_id").read_text().strip()
        return f"{boot}/{os.stat(PROC / 'self/ns/pid').st_ino}"
    except OSError:
        return ""


def this_process() -> str:
    """This process as a job's holder; "" where the system has no /proc."""
    namespace = _namespace()
    return f"{namespace}/{os.getpid()}" if namespace else ""


def gone(holder: str) -> bool:
    """The holder is a process of this machine's namespace that no longer runs (no such pid, or a zombie not
    yet reaped). False when it runs or when nothing can be known from here."""
    namespace, _, pid = holder.rpartition("/")
    if not namespace or namespace != _namespace() or not pid.isdigit():
        return False
    try:
        stat = (PROC / pid / "stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")  # the state follows the command's name in brackets
