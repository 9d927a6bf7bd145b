"""Long loops in a log: a line at each tenth of the work, not one redraw a
step (mmengine's bar on a terminal)."""
import io

from mmengine.utils import ProgressBar

from wsss_mm.utils.progress import LogProgress, progress_bar


class Tty(io.StringIO):

    def isatty(self):
        return True


def test_log_progress_prints_a_line_a_tenth():
    out = io.StringIO()
    bar = progress_bar(21000, 'objects', file=out)
    assert isinstance(bar, LogProgress)
    for _ in range(21000):
        bar.update()
    lines = out.getvalue().splitlines()
    assert len(lines) == 10 and '\r' not in out.getvalue()
    assert lines[0].startswith('[objects] 2100/21000 (10 %)')
    assert lines[-1].startswith('[objects] 21000/21000 (100 %)')


def test_small_and_odd_totals_end_with_a_line():
    out = io.StringIO()
    bar = LogProgress(7, file=out, name='x')
    for _ in range(7):
        bar.update()
    assert out.getvalue().splitlines()[-1].startswith('[x] 7/7 (100 %)')
    out = io.StringIO()
    bar = LogProgress(10, file=out, name='x')
    bar.update(25)  # past the end in one go: one line
    assert len(out.getvalue().splitlines()) == 1


def test_a_terminal_gets_the_bar():
    assert isinstance(progress_bar(5, file=Tty()), ProgressBar)
