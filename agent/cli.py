"""`python -m agent.cli`: the CLI lives in agent.frontends.cli; this name stays for scripts and tests."""

from agent.frontends.cli import entry, main

__all__ = ["main", "entry"]

if __name__ == "__main__":  # pragma: no cover
    main()
