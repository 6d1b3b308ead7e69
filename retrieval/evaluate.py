"""Score the Q&A on question files, beside baselines run in the same process.

    python -m retrieval.evaluate ../shared/eval/dev.jsonl ../shared/eval/hard.jsonl \\
        ../shared/eval/hard_followups.jsonl [--systems hybrid,bm25] [--split odd] [--details out.jsonl]

Scoring follows ../shared/eval/README.md: texts are compared in Simplified with
whitespace and ``**`` removed; hit@k and MRR over the top-10 retrieved chunks; fact
accuracy over answerable items; refusal rates (an unanswerable item must not come back
``answered``: ``not_specified``, ``no_evidence`` and ``out_of_scope`` all decline it);
the silent-city check on comparisons; warm latency per question. A follow-up file
(items with ``turns``) is scored on its last turn, asked after the earlier ones.
Then rows per ``kind`` and per ``style`` for the first system.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass, field

from retrieval.ablation import ABLATIONS
from retrieval.answer import Asker, Status
from retrieval.index import ensure_index
from retrieval.textnorm import match_key

# The app's retrieval; the same without the targets table; keyword and meaning halves alone.
SYSTEMS = {
    "hybrid": {},
    "no table": {"targets": False},
    "bm25": {"dense": False, "rerank": False},
    "dense": {"bm25": False, "rerank": False},
}


@dataclass
class Scores:
    hits: dict[int, int] = field(default_factory=lambda: {1: 0, 3: 0, 5: 0})
    rr: float = 0.0
    answerable: int = 0
    facts_ok: int = 0
    quotes: int = 0  # compare items: gold quotes in the top 5
    quotes_found: int = 0
    compares: int = 0
    from_table: int = 0
    compare_facts_ok: int = 0
    unanswerable: int = 0
    declined_unanswerable: int = 0
    not_specified_unanswerable: int = 0
    declined_answerable: int = 0
    silent: int = 0  # gold silent cities
    silent_given: int = 0  # …not shown as silent
    covering: int = 0  # cities with evidence in compare items
    covering_silent: int = 0  # …shown as silent
    latencies: list[float] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)

    def row(self) -> dict[str, float]:
        n = max(self.answerable, 1)
        lat = sorted(self.latencies)
        return {
            "hit@1": self.hits[1] / n, "hit@3": self.hits[3] / n, "hit@5": self.hits[5] / n,
            "MRR": self.rr / n,
            "compare quote recall@5": self.quotes_found / max(self.quotes, 1),
            "fact accuracy": self.facts_ok / n,
            "compare fact accuracy": self.compare_facts_ok / max(self.compares, 1),
            "answered from targets table": self.from_table / n,
            "unanswerable declined": self.declined_unanswerable / max(self.unanswerable, 1),
            "…of which not specified": self.not_specified_unanswerable / max(self.unanswerable, 1),
            "answerable declined": self.declined_answerable / n,
            "silent cities given a figure": self.silent_given,
            "covering cities shown silent": self.covering_silent,
            "p50 latency (s)": statistics.median(lat) if lat else 0.0,
            "p95 latency (s)": lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))] if lat else 0.0,
        }


def _city_of_doc(asker: Asker) -> dict[str, str]:
    return {nid: n.meta.city for nid, n in asker.corpus.notices.items()}


def score_item(item: dict, answer, elapsed: float, scores: Scores, doc_city: dict[str, str]) -> bool:
    """Add one item to the scores; True when it is right (answered with its facts, or declined)."""
    scores.latencies.append(elapsed)
    chunk_keys = [match_key(c.text) for c in answer.chunks[:10]]
    declined = answer.status is not Status.ANSWERED
    if not item["answerable"]:
        scores.unanswerable += 1
        scores.declined_unanswerable += declined
        scores.not_specified_unanswerable += answer.status is Status.NOT_SPECIFIED
        if not declined:
            scores.failures.append({"id": item["id"], "why": "answered an unanswerable question"})
        return declined
    scores.answerable += 1
    scores.from_table += answer.composer == "targets"
    scores.declined_answerable += declined
    quotes = [match_key(e["quote"]) for e in item["evidence"]]
    first = next((rank for rank, key in enumerate(chunk_keys, 1) if any(q in key for q in quotes)), None)
    for k in scores.hits:
        scores.hits[k] += bool(first and first <= k)
    scores.rr += 1 / first if first else 0.0
    text = match_key(answer.text)
    facts = not declined and all(match_key(f) in text for f in item["answer_facts"])
    scores.facts_ok += facts
    if item.get("kind") == "compare":
        scores.quotes += len(quotes)
        scores.quotes_found += sum(any(q in key for key in chunk_keys[:5]) for q in quotes)
        scores.compares += 1
        scores.compare_facts_ok += facts
        silent = set(item.get("silent_cities") or [])
        covering = {doc_city.get(e["doc"]) for e in item["evidence"]} - silent - {None}
        shown = set(answer.silent_cities)
        scores.silent += len(silent)
        scores.silent_given += len(silent - shown) if not declined else 0
        scores.covering += len(covering)
        scores.covering_silent += len(covering & shown)
    if declined or not facts or first != 1:
        scores.failures.append({"id": item["id"], "rank": first, "facts": facts, "status": answer.status.value})
    return facts


def ask_item(asker: Asker, item: dict):
    """The answer to an item: a question, or the last turn of a conversation after the earlier ones."""
    if "turns" in item:
        turns = item["turns"]
        city = turns[0].get("city")
        history = [t["question"] for t in turns[:-1]]
        return asker.ask(turns[-1]["question"], city, history=history)
    return asker.ask(item["question"], item.get("city"), history=item.get("history"))


def run(items: list[dict], asker: Asker, groups: dict[str, Scores] | None = None) -> Scores:
    scores = Scores()
    doc_city = _city_of_doc(asker)
    asker.ask("预热：清洁取暖", None)  # warm caches once; latency is measured warm
    for item in items:
        started = time.perf_counter()
        answer = ask_item(asker, item)
        elapsed = time.perf_counter() - started
        score_item(item, answer, elapsed, scores, doc_city)
        if groups is not None:
            kind = item.get("kind") or "follow-up"
            for key in (f"kind: {kind}", f"style: {item.get('style') or '—'}"):
                score_item(item, answer, elapsed, groups.setdefault(key, Scores()), doc_city)
    return scores


def load(path: str, split: str | None = None) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    if split:
        items = items[0 if split == "odd" else 1::2]  # 1st, 3rd… (odd ids) or 2nd, 4th…
    return items


def _table(results: dict[str, Scores], metrics: list[str]) -> list[str]:
    out = ["| metric | " + " | ".join(results) + " |", "|---|" + "---:|" * len(results)]
    for metric in metrics:
        cells = []
        for r in results.values():
            value = r.row()[metric]
            cells.append(str(value) if isinstance(value, int) else f"{value:.3f}")
        out.append(f"| {metric} | " + " | ".join(cells) + " |")
    return out


def _group_rows(groups: dict[str, Scores]) -> list[str]:
    out = ["| group | n | hit@5 | fact accuracy | answerable declined | unanswerable declined |",
           "|---|---:|---:|---:|---:|---:|"]
    for name in sorted(groups):
        g = groups[name]
        row = g.row()
        ans = f"{row['hit@5']:.2f} | {row['fact accuracy']:.2f} | {row['answerable declined']:.2f}" \
            if g.answerable else "— | — | —"
        unans = f"{row['unanswerable declined']:.2f}" if g.unanswerable else "—"
        out.append(f"| {name} | {g.answerable + g.unanswerable} | {ans} | {unans} |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="+", help="JSON lines as in ../shared/eval/*.jsonl")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}")
    parser.add_argument("--split", choices=["odd", "even"], help="score only every other item (develop on one half)")
    parser.add_argument("--details", help="write each system's failures here as JSON lines")
    parser.add_argument("--no-groups", action="store_true", help="leave out the rows per kind and style")
    parser.add_argument("--ablate", default="", help=f"also run the app with one lever off, of {', '.join(ABLATIONS)}")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s): {', '.join(unknown)}")
    ablations = [n.strip() for n in args.ablate.split(",") if n.strip()]
    if [n for n in ablations if n not in ABLATIONS]:
        parser.error(f"unknown ablation(s); choose from {', '.join(ABLATIONS)}")
    index = ensure_index()
    askers = {name: Asker.for_index(index, **SYSTEMS[name]) for name in names}
    details = []
    for path in args.questions:
        items = load(path, args.split)
        groups: dict[str, Scores] = {}
        results = {name: run(items, asker, groups if name == names[0] else None) for name, asker in askers.items()}
        for name in ablations:
            with ABLATIONS[name]():
                results[f"− {name}"] = run(items, Asker.for_index(index))
        answerable = sum(i["answerable"] for i in items)
        print(f"\n## {path}{f' ({args.split} half)' if args.split else ''}: {len(items)} questions "
              f"({answerable} answerable)\n")
        print("\n".join(_table(results, list(next(iter(results.values())).row()))))
        if not args.no_groups:
            print(f"\nBy kind and style ({names[0]}):\n")
            print("\n".join(_group_rows(groups)))
        for name, r in results.items():
            details += [{"file": path, "system": name, **f} for f in r.failures]
    if args.details:
        with open(args.details, "w", encoding="utf-8") as fh:
            for row in details:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
