"""Tracing the money (Day 4): ledger, graphs, clustering, change, peel chains, CoinJoins,
taint, attribution and scoring, one concept a module.

- :mod:`course.tracing.ledger`: the tables (CSV, explorer JSON, ``.npz``) as integer arrays;
- :mod:`course.tracing.graph`: networkx views and forward/backward tracing;
- :mod:`course.tracing.clustering`: common-input ownership by a vectorised union-find;
- :mod:`course.tracing.change`: change heuristics, each a finding with its confidence;
- :mod:`course.tracing.peel`: peel chains, followed to their end;
- :mod:`course.tracing.coinjoin`: equal-output mixes and their interpretations;
- :mod:`course.tracing.taint`: poison, haircut and FIFO;
- :mod:`course.tracing.attribution`: tags (the case's list, GraphSense TagPacks) and cash-out;
- :mod:`course.tracing.scoring`: precision and recall against a ground truth.
"""

from __future__ import annotations
