"""Resource limits of a grading kernel."""

from __future__ import annotations

import resource
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Per-kernel limits; the defaults fit the course's notebooks with room to spare
    (they peak around 110-400 MB and 10 s)."""

    cpu_seconds: int = 300
    memory_bytes: int = 3 * 2**30
    processes: int = 64
    file_bytes: int = 200 * 2**20
    open_files: int = 256

    def apply(self) -> None:
        """Set the limits on the current process (inherited by its children)."""
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds))
        resource.setrlimit(resource.RLIMIT_AS, (self.memory_bytes, self.memory_bytes))
        resource.setrlimit(resource.RLIMIT_NPROC, (self.processes, self.processes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_bytes, self.file_bytes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, self.open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
