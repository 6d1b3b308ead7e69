"""Answering residents' questions from the notices: parsing, index, search, answers.

Importing the package (before numpy loads: every ``python -m retrieval.…`` command and the
scripts) sets one BLAS thread unless OPENBLAS_NUM_THREADS is set. The embedder multiplies
small matrices; with a second BLAS thread each product waits until that thread gets a core,
and on a busy 2-core machine it seldom has one: measured at a load average of 3, a question
took p50 0.2 s instead of 5 ms and embedding the notices took 32 s instead of 6 s. The vectors
are identical (OpenBLAS splits a product by output block). The app server does the same
(deploy/appserver.py), since Streamlit loads numpy before the app's packages.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
