"""Refresh the README's screenshots: run the browser journeys, keep the best shots.

    .venv/bin/python scripts/screenshots.py            # run tests/e2e, then copy into docs/screenshots/
    .venv/bin/python scripts/screenshots.py --no-run   # only copy what the last run saved

The journeys (tests/e2e/) save a full-page screenshot of every main page at
desktop (1280 px) and phone (390 px) width, and of every page in the 长辈版 at
phone width, into test-artifacts/screenshots/; KEEP names the ones the docs show.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts" / "screenshots"
DOCS = ROOT / "docs" / "screenshots"

KEEP = {
    # saved by the journeys -> kept in docs/screenshots/
    "home_desktop": "home_desktop.png",
    "home_phone": "home_390.png",
    "ask_desktop": "ask_desktop.png",
    "ask_phone": "ask_phone.png",
    "ask_conversation_phone": "ask_conversation_390.png",
    "targets_desktop": "targets_1280.png",
    "targets_phone": "targets_390.png",
    "browse_phone": "browse_phone.png",
    "check_heating_result_phone": "selfcheck_heating.png",
    "check_food_result_phone": "selfcheck_food.png",
    "pledge_from_selfcheck_desktop": "pledge_sign_1280.png",
    "pledge_from_selfcheck_phone": "pledge_sign_390.png",
    "pledge_thanks_phone": "pledge_thanks_390.png",
    "campaign_desktop": "pledge_campaign_1280.png",
    "campaign_phone": "pledge_campaign_390.png",
    "my_pledge_desktop": "pledge_mine_1280.png",
    "my_pledge_phone": "pledge_mine_390.png",
    "staff_dashboard_desktop": "pledge_staff_1280.png",
    "staff_dashboard_phone": "pledge_staff_390.png",
    "desk_resident_vote_phone": "desk_vote_390.png",
    "desk_queue_phone": "desk_queue_390.png",
    "desk_teach_desktop": "desk_teach_1280.png",
}
# The 长辈版 of every page at phone width (tests/e2e/test_accessibility.py).
ELDER_PAGES = ["home", "ask", "targets", "browse", "check_heating_result", "check_food_result", "pledge", "pledge_thanks",
               "my_pledge", "campaign", "staff"]
KEEP.update({f"{name}_elder_phone": f"elder_{name}_390.png" for name in ELDER_PAGES})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true", help="copy the last run's screenshots only")
    args = parser.parse_args()
    if not args.no_run:
        run = subprocess.run([sys.executable, "-m", "pytest", "tests/e2e", "-q", "-p", "no:cacheprovider"], cwd=ROOT)
        if run.returncode:
            print("the journeys failed; docs/screenshots/ left as it was", file=sys.stderr)
            return run.returncode
    missing = [name for name in KEEP if not (SHOTS / f"{name}.png").exists()]
    if missing:
        print(f"not in {SHOTS}: {', '.join(missing)}", file=sys.stderr)
        return 1
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, kept in KEEP.items():
        shutil.copyfile(SHOTS / f"{name}.png", DOCS / kept)
        print(DOCS.relative_to(ROOT) / kept)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
