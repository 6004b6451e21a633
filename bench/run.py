"""`make bench`: runs every benchmark of this folder (bench/*.py but this one), one after the other.

Each prints its figures as lines `BENCH <id> <what>=<value><unit> target=<value> [peer=<value>
ratio=<x>] ok|miss`; a peer figure that was not measured whole, or a ratio taken against another
figure of ours, says so in parentheses right after its value, without spaces (e.g.
`peer=3600s(extrapolated_from_2500_goods)`). Exit status 1 when a benchmark fails to run (a missed
target is reported, not an error)."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    failed = []
    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".py") or name in ("run.py", "common.py") or name.startswith("_"):
            continue
        print("== bench/%s" % name, flush=True)
        if subprocess.run([sys.executable, os.path.join(HERE, name)]).returncode:
            failed.append(name)
    if failed:
        print("benchmarks that did not run to the end: %s" % ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
