"""`python -m analysis COMMAND …`: the command-line face of the analysis package.

Each command lives in its own module and is imported only when asked for, so `score` does not pay
for the signal detector's imports and vice versa.
"""
import importlib
import sys

#: command name -> (module, function taking argv and returning an exit code)
COMMANDS = {
    "score": ("analysis.scoring.cli", "score_main"),
    "evaluate": ("analysis.scoring.cli", "evaluate_main"),
    "bench": ("analysis.scoring.cli", "bench_main"),
    "train": ("analysis.scoring.cli", "train_main"),
    "signals": ("analysis.signals.cli", "signals_main"),
    "simulate": ("analysis.signals.cli", "simulate_main"),
    "backtest": ("analysis.signals.cli", "backtest_main"),
    "bench-signals": ("analysis.signals.cli", "bench_main"),
}


def main(argv=None):
    """Dispatch to the named command; print usage and return 2 for an unknown one."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        names = ", ".join(COMMANDS)
        print(f"usage: python -m analysis {{{names}}} [options]", file=sys.stderr)
        return 2
    module_name, function_name = COMMANDS[argv[0]]
    command = getattr(importlib.import_module(module_name), function_name)
    return command(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
