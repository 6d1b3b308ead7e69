"""The Q&A desk: what residents ask, their votes, and what staff teach the answer path.

- ``masking``: personal data masked before anything is stored.
- ``questions`` / ``logger``: the question log, written off the answer's path.
- ``feedback``: a resident's 有用 / 没用 with reasons and a comment.
- ``teach`` / ``provider``: links and word pairs, handed to the answer path as
  :class:`retrieval.answer.taught.Teachings` (every app process sees a change within a second).
- ``review`` / ``grouping`` / ``overview``: the staff queue, near-identical questions grouped,
  and the figures.
- ``export`` / ``retention``: the masked CSV, links and pairs as JSON, deleting old rows.

Storage goes through ``civic.db``; ``desk`` uses ``retrieval`` to check quotes and may not import
``pledges`` or ``engagement`` (tests/test_layers.py).
"""
