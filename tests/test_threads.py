"""Model calls share the cores with whatever else runs on the machine."""

import os
import subprocess
import sys

from embeddings.threads import fit_threads, free_cores


def test_a_busy_core_is_left_to_its_process() -> None:
    cores = os.cpu_count() or 1
    assert 1 <= free_cores() <= cores
    # A process that keeps a core busy takes it from the next model call (on a machine with
    # more than one core; with one, the call keeps its one thread).
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        seen = min(free_cores() for _ in range(50))
    finally:
        burner.kill()
    assert seen <= max(1, cores - 1)


def test_an_index_build_takes_every_core() -> None:
    import torch

    before = torch.get_num_threads()
    fit_threads(every_core=True)
    everyone = torch.get_num_threads()
    fit_threads()
    assert torch.get_num_threads() <= everyone
    fit_threads(every_core=True)
    assert torch.get_num_threads() == everyone >= 1
    torch.set_num_threads(before)
