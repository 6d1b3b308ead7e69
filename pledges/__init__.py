"""Green-living pledges and the campaigns that collect them.

Pure rules (catalogue, validation, identity) plus storage functions that take a
SQLAlchemy session and keyword arguments. Nothing here imports streamlit.
"""
