"""Progress of long loops that reads well where it lands.

mmengine's ``ProgressBar`` redraws its bar with a carriage return on every
update: right on a terminal, but in a log file (a benchmark's, CI's) those
thousands of redraws become one enormous line. :func:`progress_bar` gives
the bar on a terminal and, anywhere else, a :class:`LogProgress` that prints
one plain line at every tenth of the work.
"""
import sys
import time

from mmengine.utils import ProgressBar


class LogProgress:
    """``update()`` like ``ProgressBar``; prints ``[name] done/total (p %),
    elapsed, ETA`` at each ``step`` fraction of ``total`` and at the end."""

    def __init__(self,
                 total: int,
                 file=None,
                 name: str = 'progress',
                 step: float = 0.1):
        self.total, self.name = max(int(total), 0), name
        self.file = file or sys.stdout
        self.every = max(1, int(self.total * step))
        self.done, self.start = 0, time.time()

    def update(self, num_tasks: int = 1):
        before, self.done = self.done, self.done + num_tasks
        if (self.done // self.every == before // self.every
                and not (self.done >= self.total > before)):
            return
        elapsed = time.time() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        pct = 100.0 * self.done / self.total if self.total else 100.0
        print(
            f'[{self.name}] {self.done}/{self.total} ({pct:.0f} %), '
            f'{elapsed:.0f} s, ETA {eta:.0f} s',
            file=self.file,
            flush=True)


def progress_bar(total: int, name: str = 'progress', file=None):
    """mmengine's bar on a terminal, :class:`LogProgress` elsewhere."""
    file = file or sys.stdout
    isatty = getattr(file, 'isatty', None)
    if isatty is not None and isatty():
        return ProgressBar(total, file=file)
    return LogProgress(total, file=file, name=name)
