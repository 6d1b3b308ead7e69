"""axe-core in the page: assert that a page state has no WCAG 2.0/2.1 A or AA violations.

axe-core comes bundled in the ``axe-playwright-python`` wheel (``axe.min.js``); it is
injected into the page under test, never downloaded. Call
:func:`assert_no_axe_violations` on every page state a journey reaches.
"""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary})),
    }));
}"""


def axe_violations(page) -> list[dict]:
    """The WCAG 2.0/2.1 A and AA violations axe-core finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate(_RUN, TAGS)


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    {node['target']}\n      {node['html']}\n      {node['summary']}".replace("\n\n", "\n"))
    return "\n".join(lines)


def assert_no_axe_violations(page, state: str = "") -> None:
    """Fail with a readable report if axe-core finds any WCAG 2.0/2.1 A/AA violation.

    A violation is looked at twice: Streamlit redraws the page's style element on every run,
    and a page caught in between shows its default colours for a moment (seen once on the
    staff login, 3.9:1 captions). What is still there after the page has settled is real.
    """
    found = axe_violations(page)
    if found:
        from tests.e2e.steps import settle

        page.wait_for_timeout(1_000)
        settle(page)
        found = axe_violations(page)
    assert not found, f"axe-core, {state or page.url}:\n{report(found)}"
