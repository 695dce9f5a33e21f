"""Detsad benchmarks: ``python -m bench.run`` (server time of key pages, in-process) and
``python -m bench.load`` (gunicorn under a locust load). See docs/performance.md."""
