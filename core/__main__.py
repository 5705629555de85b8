import os
import sys

from core.cli import main


def _run() -> int | str | None:
    """Run the CLI; a reader that stops early (``| head``, ``less`` quit) ends it quietly, as Unix tools do."""
    try:
        try:
            code = main()
        except SystemExit as exc:  # argparse's --help and usage errors
            code = exc.code
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would hit the closed pipe again while flushing stdout at exit: point stdout at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code


sys.exit(_run())
