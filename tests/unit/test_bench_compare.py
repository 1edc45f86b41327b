"""bench/compare.py: the RESULTS.md tables of this run against the previous one."""
import importlib.util
from pathlib import Path

SPEC = importlib.util.spec_from_file_location(
    "bench_compare", Path(__file__).resolve().parents[2] / "bench" / "compare.py")
compare = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(compare)


def test_each_figure_is_compared_by_its_first_number(tmp_path):
    before, now = tmp_path / "before.txt", tmp_path / "now.txt"
    before.write_text("noise line\npull_1000.time_s: 73.7 for 1,000 reservations\n"
                      "webhook.ratio: 15.8 %\ngone.figure: 3\n")
    now.write_text("pull_1000.time_s: 18.4 for 1,000 reservations | pages\n"
                   "webhook.ratio: 31.6 %\nnew.figure: 1,250 requests\n")
    rows = compare.table(compare.figures(before), compare.figures(now)).splitlines()
    assert rows[2] == "| `pull_1000.time_s` | 18.4 for 1,000 reservations / pages | 73.7 | 0.25 |"
    assert rows[3] == "| `webhook.ratio` | 31.6 % | 15.8 | 2.00 |"
    assert rows[4] == "| `new.figure` | 1,250 requests |  |  |"
    assert rows[5] == "| `gone.figure` |  | 3 |  |"


def test_a_number_inside_a_word_is_not_the_figure():
    assert compare.first_number("p50 15.8, p95 31.4") == 15.8
