"""wfkit's compatibility tests with Microsoft Agent Framework (AF), one folder per dialect.

- `seed_b251007/`: the API as AF's preview python-1.0.0b251007 had it (`RequestInfoExecutor` era);
- `seed_b251104/`: the API as python-1.0.0b251104 had it (`ctx.request_info` + `@response_handler` era);
- `today/`: AF 1.x; where real AF is installed, the same test runs on both wfkit and AF.

Each test pins one behaviour of AF's API that wfkit claims, in a small workflow of our own.
The table of what runs, per era, is docs/agent_framework.md.
"""
