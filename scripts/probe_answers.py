"""Print the answer to each of 40 questions written from the notices, not from the evaluation files.

    .venv/bin/python scripts/probe_answers.py [FILE]    # default scripts/data/probes.txt ("城市|问题" a line)

A second check beside ../shared/eval: a lever that moves the evaluation figures should not turn a
right answer here wrong. There is no gold: read the status and the first two quotes of each line.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from retrieval.answer import get_asker  # noqa: E402

path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "data" / "probes.txt"
asker = get_asker(build=True)
for line in path.read_text(encoding="utf-8").splitlines():
    if not line.strip() or line.startswith("#"):
        continue
    city, question = line.split("|", 1)
    answer = asker.ask(question, city or None)
    quotes = " ‖ ".join(c.quote[:45] for c in answer.citations[:2])
    print(f"{city} {question} => {answer.status.value} | {quotes}")
