"""餐桌浪费自查: the food-waste self-check (all logic in engagement/)."""

from webui.selfcheck_views import selfcheck_page

selfcheck_page("food")
