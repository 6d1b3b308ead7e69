"""Notices published by a city's own staff: uploads, parse preview, publication, targets review.

The store of record is the app's database (``civic.db``): the uploaded file and its text,
the metadata and places, whether and when it was published, its target rows and every
review. Retrieval never reads the database: :mod:`publishing.provider` hands the
published notices and reviewed rows to ``retrieval`` as data, and the vectors go into the
shared Chroma collection, so every app process — on every server, with ``CHROMA_URL``
and PostgreSQL — answers from a notice soon after it is published, without a restart.
"""
