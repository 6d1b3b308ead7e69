"""清洁取暖自查: the clean-heating self-check (all logic in engagement/)."""

from webui.selfcheck_views import selfcheck_page

selfcheck_page("heating")
