"""A markdown table of two benchmark runs, figure by figure: this run, the previous one, the ratio.

Usage: python bench/compare.py PREVIOUS.txt THIS.txt
Both files hold the summary lines a bench prints (`make bench` writes them to
var/artifacts/bench-<UTC time>.txt): ``name.figure: value ...``. The first number of each line
is compared; the rest of this run's line is shown as it was printed. A figure only one run has
is listed with an empty cell on the other side.
"""
import re
import sys

LINE = re.compile(r"^([a-z_0-9]+(?:\.[a-z_0-9]+)?): (.*)$")
NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?")  # not the 50 of "p50"


def figures(path):
    result = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            match = LINE.match(line.strip())
            if match:
                result[match.group(1)] = match.group(2)
    return result


def first_number(text):
    match = NUMBER.search(text or "")
    return float(match.group(0).replace(",", "")) if match else None


def table(previous, current):
    rows = ["| figure | this run | previous | ratio |", "|---|---|---|---|"]
    for name in list(current) + [name for name in previous if name not in current]:
        this, before = first_number(current.get(name)), first_number(previous.get(name))
        ratio = "%.2f" % (this / before) if this is not None and before else ""
        rows.append("| `%s` | %s | %s | %s |" % (
            name, current.get(name, "").replace("|", "/"), _short(previous.get(name)), ratio))
    return "\n".join(rows)


def _short(text):
    """The previous run's number alone (its words are those of this run's line)."""
    number = first_number(text)
    if number is None:
        return text or ""
    return "%g" % number


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(table(figures(sys.argv[1]), figures(sys.argv[2])))
