"""Day 5, building the case: evidence handling, the timeline, requests and the report.

- :mod:`course.case.evidence`: file hashes against the seizure's list; the chain-of-custody log.
- :mod:`course.case.timeline`: one table of dated events from every source, in UTC.
- :mod:`course.case.requests`: preservation, disclosure and MLA requests; which channel fits.
- :mod:`course.case.report`: the investigation report as HTML and PDF, offline.
"""
