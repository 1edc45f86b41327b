"""Prints one line per test layer and a total from pytest's JUnit reports.

Fails when a layer ran no test, so a broken collection cannot pass as green.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET


def counts(report):
    suite = ET.parse(report).getroot()
    if suite.tag == "testsuites":
        suite = suite[0]
    total = int(suite.get("tests", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def main(paths):
    grand = [0, 0, 0]
    empty = []
    for path in map(pathlib.Path, paths):
        passed, failed, skipped = counts(path)
        print("layer %s: %d passed, %d failed, %d skipped" % (path.stem, passed, failed, skipped))
        if passed + failed == 0:
            empty.append(path.stem)
        grand = [a + b for a, b in zip(grand, (passed, failed, skipped))]
    if empty:
        print("layers that ran no test: %s" % ", ".join(empty))
    print("total: %d passed, %d failed, %d skipped" % tuple(grand))
    return 1 if grand[1] or empty or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
