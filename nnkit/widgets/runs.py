"""Runs: the training runs an explorer remembers, each trained once, in pieces if need be.

An explorer that trains a network for its picture keeps every run by its settings, so
that going back to a setting is instant. Working ahead (see ``Explorer.prepare``) trains
the settings one press away in pieces, one epoch at a time, so that the kernel hears a
press between two epochs instead of after the whole training; the press that asks for a
run still unfinished goes on from the epoch where the work ahead stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import TrainingDiverged
from ..training import History

Steps = Generator[History, None, History]  # model.fitting(...): one epoch per step


@dataclass
class Run:
    """One training run: the network, its History (up to the last good epoch if it
    diverged), the TrainingDiverged that stopped it or None, and the seconds spent
    training (the pieces added up, not the time between them)."""

    model: Any
    steps: Steps
    history: History = field(default_factory=History)
    diverged: TrainingDiverged | None = None
    seconds: float = 0.0


class Runs:
    """Finished runs by settings (the latest ``kept``), and the runs begun ahead.

    ``start(key)`` begins the run for the settings ``key``: it builds the network and
    returns ``(model, steps)``, where ``steps`` is ``model.fitting(...)``, which trains
    one epoch per step. ``runs[key]`` is the finished Run, trained now if need be.
    """

    def __init__(self, start: Callable[[Hashable], tuple[Any, Steps]], kept: int = 50) -> None:
        self.start = start
        self.kept = kept
        self.finished: dict[Hashable, Run] = {}
        self.begun: dict[Hashable, Run] = {}
        self.trainings = 0  # runs begun: each setting is trained once

    def __contains__(self, key: Hashable) -> bool:
        return key in self.finished

    def __getitem__(self, key: Hashable) -> Run:
        for _ in self.training(key):
            pass
        return self.finished[key]

    def training(self, key: Hashable) -> Iterator[None]:
        """Train the run ``key``, yielding after each epoch; nothing if it is finished.

        Stopping between two epochs (closing this generator) keeps the run where it
        is: whoever asks for it next goes on from there.
        """
        if key in self.finished:
            return
        if key not in self.begun:
            self.begun[key] = Run(*self.start(key))
            self.trainings += 1
        run = self.begun[key]
        while self.begun.get(key) is run:  # until this loop, or another one, finished it
            start = time.perf_counter()
            try:
                run.history = next(run.steps)  # the same History each epoch, one epoch longer
            except StopIteration:
                self._finish(key)
            except TrainingDiverged as error:
                run.diverged = error  # the History holds the epochs before the blow-up
                self._finish(key)
            except BaseException:
                del self.begun[key]  # a run that failed is begun again when asked for
                raise
            run.seconds += time.perf_counter() - start
            yield

    def _finish(self, key: Hashable) -> None:
        if len(self.finished) >= self.kept:
            del self.finished[next(iter(self.finished))]  # forget the oldest
        self.finished[key] = self.begun.pop(key)
