"""The engine: the agent loop (`loop.Agent`: observe, locate, act, verify, record), the one table
that runs each step type (`handlers`, the check steps in `checks`, `beside` for labels tied to no
field), the model planner for `do:` and sentence asserts (`planner`), step records (`records`), and
running scenario files (`scenarios`).
"""
