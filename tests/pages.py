"""Run one page file through Streamlit's AppTest with query parameters."""

from streamlit.testing.v1 import AppTest

from civic.settings import REPO_ROOT


def page(name: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app_pages" / f"{name}.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()
