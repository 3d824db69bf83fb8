"""What this process is doing, for /healthz: serving or standby, and when it last swept."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

STARTING, STANDBY, SERVING, STOPPING = "starting", "standby", "serving", "stopping"


@dataclass
class ServiceStatus:
    role: str = STARTING
    sweep_interval: float = 30.0
    # Monotonic seconds; a fresh serving process counts from when it started serving.
    last_sweep: float | None = None
    serving_since: float | None = None
    clock: object = field(default=time.monotonic, repr=False)

    def serving(self) -> None:
        self.role, self.serving_since = SERVING, self.clock()

    def swept(self) -> None:
        self.last_sweep = self.clock()

    def sweep_age(self) -> float | None:
        if self.last_sweep is None:
            return None
        return self.clock() - self.last_sweep

    def sweep_overdue(self) -> bool:
        """Three missed sweeps (at least 90 s) means the scheduler is stuck."""
        if self.role != SERVING:
            return False
        since = self.last_sweep if self.last_sweep is not None else self.serving_since
        return since is not None and self.clock() - since > max(3 * self.sweep_interval, 90.0)
