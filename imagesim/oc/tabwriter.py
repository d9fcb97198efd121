"""Column alignment as Go's ``text/tabwriter`` does it (used by kubectl tables and describers).

Cells are separated by tabs; the text after a line's last tab is not part of any column. A
column block is a run of adjacent lines that have a cell in that column; its width is the
widest cell plus ``padding`` (at least ``minwidth``). With ``padchar="\\t"`` the padding is
written as tabs, with cell widths rounded up to ``tabwidth``.
"""

from __future__ import annotations

__all__ = ["describe_tabs", "table", "tabwrite"]


def tabwrite(text: str, *, minwidth: int, tabwidth: int, padding: int, padchar: str) -> str:
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []
    widths: list[int] = []

    def pad(textw: int, cellw: int) -> str:
        if padchar == "\t":
            cellw = (cellw + tabwidth - 1) // tabwidth * tabwidth
            return "\t" * ((cellw - textw + tabwidth - 1) // tabwidth)
        return padchar * (cellw - textw)

    def write_lines(line0: int, line1: int) -> None:
        for i in range(line0, line1):
            cells = lines[i]
            parts = []
            for j, cell in enumerate(cells):
                parts.append(cell)
                if j < len(cells) - 1 and j < len(widths):
                    parts.append(pad(len(cell), widths[j]))
            out.append("".join(parts))

    def fmt(line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            write_lines(line0, this)
            line0 = this
            width = minwidth
            while this < line1 and column < len(lines[this]) - 1:
                width = max(width, len(lines[this][column]) + padding)
                this += 1
            widths.append(width)
            fmt(line0, this)
            widths.pop()
            line0 = this
        write_lines(line0, line1)

    fmt(0, len(lines))
    return "\n".join(out)


def table(rows: list[list[str]]) -> str:
    """A kubectl table: columns padded with spaces (min width 6, padding 3)."""
    text = "\n".join("\t".join(row) for row in rows)
    return tabwrite(text, minwidth=6, tabwidth=4, padding=3, padchar=" ") + "\n"


def describe_tabs(text: str) -> str:
    """A describer's output: padded with tabs (tab width 8, padding 1)."""
    return tabwrite(text, minwidth=0, tabwidth=8, padding=1, padchar="\t")
