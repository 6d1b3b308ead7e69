"""Household self-checks: questionnaires, city tailoring, scoring, estimates and actions (no Streamlit)."""
