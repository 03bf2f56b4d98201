"""How many CPU threads a question's model call should use: the cores no other process is using.

PyTorch runs every call on all cores. When another program keeps a core busy (a browser, an
index build, a second user's question), its threads wait on each other at every step and a
question that takes 0.4 s takes 1.5 s or, under heavier load, ten times longer; on one thread it
takes 0.7 s however busy the machine is. So before each question's model call the count of
threads is set to the cores that are free at that moment. Index builds keep every core.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

_LOADAVG = "/proc/loadavg"


def others_running(loadavg: str) -> int:
    """Runnable tasks besides the caller, from a /proc/loadavg line ("1.66 2.06 2.73 3/78 3202").

    Example:
        >>> others_running("1.66 2.06 2.73 3/78 3202"), others_running("0.1 0.2 0.3 1/77 9")
        (2, 0)
    """
    running = int(loadavg.split()[3].split("/")[0])
    return max(0, running - 1)


def _own_running() -> int:
    """This process's threads that are runnable now (PyTorch's workers may still be spinning)."""
    running = 0
    for task in os.scandir("/proc/self/task"):
        try:
            with open(f"{task.path}/stat", encoding="ascii", errors="replace") as handle:
                # "tid (name) S ...": the state follows the name's closing parenthesis.
                running += handle.read().rsplit(")", 1)[1].split()[0] == "R"
        except (OSError, IndexError):
            continue
    return running


def free_cores() -> int:
    """The cores not taken by other processes' runnable tasks right now (at least one; all
    where this cannot be read)."""
    cores = os.cpu_count() or 1
    try:
        with open(_LOADAVG, encoding="ascii") as handle:
            busy = others_running(handle.read()) + 1 - _own_running()
    except (OSError, ValueError, IndexError):
        return cores
    return max(1, cores - max(0, busy))


_default: int | None = None


def fit_threads(every_core: bool = False) -> None:
    """Let the next model call use only the free cores (``every_core``: all of PyTorch's own
    choice, for an index build)."""
    import torch

    global _default
    if _default is None:
        _default = torch.get_num_threads()
    wanted = _default if every_core else min(_default, free_cores())
    if torch.get_num_threads() != wanted:
        log.debug("model threads %d -> %d", torch.get_num_threads(), wanted)
        torch.set_num_threads(wanted)
