"""A plain-text progress bar for the long command-line commands (reports, exports), as `permanence import-903`
draws one: on standard error, redrawn in place, only on a terminal; the final "Done" line always.

    bar = Bar(self.stderr)
    bar("Exported 3 of 150 local authorities", 2)      # [#.............................] Exported …   2%
    bar.done()
"""

from __future__ import annotations


class Bar:
    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width
        self.last = -1

    def _draw(self, text: str, percent: int, ending: str = "") -> None:
        percent = int(max(self.last, min(100, max(0, percent))))  # forwards only
        self.last = percent
        filled = self.width * percent // 100
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {text:<70} {percent:3d}%", ending=ending)
        self.stream.flush()

    def __call__(self, text: str, percent: float) -> None:
        if self.stream.isatty():
            self._draw(text, int(percent))

    def done(self, text: str = "Done") -> None:
        self._draw(text, 100, ending="\n")
