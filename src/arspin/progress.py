"""Progress of a long job: a tqdm bar on a terminal, a log line every few seconds otherwise.

Snakemake and batch schedulers send stderr to a log file, where a bar redraws into
megabytes of carriage returns; there we log one line per ``interval`` seconds instead.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from typing import Self, TextIO

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm


def _format_seconds(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Report steps done out of ``total``; use as a context manager.

    Args:
        total: number of steps of the whole job.
        initial: steps already done (a resumed job starts its bar there).
        desc: label of the bar / log lines.
        interval: seconds between log lines when not on a terminal.
        stream: where the bar goes (default stderr); the bar is used iff it is a TTY,
            unless ``bar`` forces the choice.
        logger: receives the log lines (default: the "arspin" logger).
    """

    def __init__(self, total: int, initial: int = 0, *, desc: str = "train",
                 interval: float = 10.0, stream: TextIO | None = None, bar: bool | None = None,
                 logger: logging.Logger | None = None) -> None:
        self.total, self.done, self.desc, self.interval = total, initial, desc, interval
        self.stream = stream if stream is not None else sys.stderr
        self.log = logger or logging.getLogger("arspin")
        use_bar = bar if bar is not None else bool(getattr(self.stream, "isatty", lambda: False)())
        self._bar: tqdm | None = None
        self._stack = contextlib.ExitStack()
        self._start = time.monotonic()
        self._start_step = initial
        self._last_log = self._start
        self._info: dict[str, float] = {}
        if use_bar:
            # log records go through tqdm.write while the bar is shown, so they do not tear it
            self._stack.enter_context(logging_redirect_tqdm())
            self._bar = tqdm(total=total, initial=initial, desc=desc, file=self.stream,
                             dynamic_ncols=True, smoothing=0.05)

    def update(self, done: int, **info: float) -> None:
        """``done`` steps are finished; ``info`` (e.g. beta=0.5, F=-1.2) is shown beside them."""
        if self._bar is not None:
            self._bar.update(done - self.done)
            if info:
                self._bar.set_postfix({k: f"{v:.4g}" for k, v in info.items()}, refresh=False)
        self.done, self._info = done, info
        now = time.monotonic()
        if self._bar is None and (now - self._last_log >= self.interval or done == self.total):
            self._last_log = now
            self.log.info("%s", self.line(now))

    def line(self, now: float | None = None) -> str:
        """'train: 1200/12500 (9.6%) 45.0 steps/s ETA 4:11 beta=0.35 ...' for the log."""
        now = time.monotonic() if now is None else now
        elapsed = now - self._start
        rate = (self.done - self._start_step) / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else None
        pct = 100.0 * self.done / self.total if self.total else 100.0
        text = f"{self.desc}: {self.done}/{self.total} ({pct:.1f}%) {rate:.1f} steps/s"
        if eta is not None:
            text += f" ETA {_format_seconds(eta)}"
        return " ".join([text, *(f"{k}={v:.6g}" for k, v in self._info.items())])

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        self._stack.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
