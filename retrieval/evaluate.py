"""Score the Q&A on a question file, beside two baselines run in the same process.

    python -m retrieval.evaluate ../shared/eval/dev.jsonl [--details out.jsonl]

Scoring follows ../shared/eval/README.md: texts are compared in Simplified with
whitespace and ``**`` removed; hit@k and MRR over the top-10 retrieved chunks;
fact accuracy over answerable items; refusal rates; warm latency per question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass, field

from retrieval.answer import Asker, Status
from retrieval.index import ensure_index
from retrieval.textnorm import match_key

# The app's retrieval; the same without the targets table; the two halves alone (no fusion, no re-ranking).
SYSTEMS = {
    "hybrid": {"bm25": True, "dense": True, "rerank": True},
    "no table": {"bm25": True, "dense": True, "rerank": True, "targets": False},
    "bm25": {"bm25": True, "dense": False, "rerank": False},
    "dense": {"bm25": False, "dense": True, "rerank": False},
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
    declined_answerable: int = 0
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
            "answerable declined": self.declined_answerable / n,
            "p50 latency (s)": statistics.median(lat) if lat else 0.0,
            "p95 latency (s)": lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))] if lat else 0.0,
        }


def score_item(item: dict, answer, elapsed: float, scores: Scores) -> None:
    scores.latencies.append(elapsed)
    chunk_keys = [match_key(c.text) for c in answer.chunks[:10]]
    declined = answer.status is not Status.ANSWERED
    if not item["answerable"]:
        scores.unanswerable += 1
        scores.declined_unanswerable += declined
        if not declined:
            scores.failures.append({"id": item["id"], "why": "answered an unanswerable question"})
        return
    scores.answerable += 1
    scores.from_table += answer.composer == "targets"
    scores.declined_answerable += declined
    quotes = [match_key(e["quote"]) for e in item["evidence"]]
    first = next((rank for rank, key in enumerate(chunk_keys, 1) if any(q in key for q in quotes)), None)
    for k in scores.hits:
        scores.hits[k] += bool(first and first <= k)
    scores.rr += 1 / first if first else 0.0
    if item["kind"] == "compare":
        scores.quotes += len(quotes)
        scores.quotes_found += sum(any(q in key for key in chunk_keys[:5]) for q in quotes)
    text = match_key(answer.text)
    facts = all(match_key(f) in text for f in item["answer_facts"])
    scores.facts_ok += facts
    if item["kind"] == "compare":
        scores.compares += 1
        scores.compare_facts_ok += facts
    if declined or not facts or first != 1:
        scores.failures.append({"id": item["id"], "rank": first, "facts": facts, "status": answer.status.value})


def run(items: list[dict], asker: Asker) -> Scores:
    scores = Scores()
    asker.ask("预热：清洁取暖", None)  # warm caches once; latency is measured warm
    for item in items:
        started = time.perf_counter()
        answer = asker.ask(item["question"], item.get("city"))
        score_item(item, answer, time.perf_counter() - started, scores)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("questions", help="JSON lines as in ../shared/eval/dev.jsonl")
    parser.add_argument("--details", help="write each system's failures here as JSON lines")
    args = parser.parse_args(argv)
    with open(args.questions, encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    index = ensure_index()
    results = {name: run(items, Asker.for_index(index, **modes)) for name, modes in SYSTEMS.items()}

    rows = list(next(iter(results.values())).row())
    print(f"{len(items)} questions ({sum(i['answerable'] for i in items)} answerable)\n")
    print("| metric | " + " | ".join(results) + " |")
    print("|---|" + "---:|" * len(results))
    for metric in rows:
        print(f"| {metric} | " + " | ".join(f"{r.row()[metric]:.3f}" for r in results.values()) + " |")
    if args.details:
        with open(args.details, "w", encoding="utf-8") as fh:
            for name, r in results.items():
                for failure in r.failures:
                    fh.write(json.dumps({"system": name, **failure}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
