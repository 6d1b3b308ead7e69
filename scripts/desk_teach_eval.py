"""Teach the hard questions the answer path gets wrong through the desk, then measure what the links carry to.

    .venv/bin/python scripts/desk_teach_eval.py [--hard ../shared/eval/hard.jsonl] [--dev ../shared/eval/dev.jsonl]
        [--sweep]

1. Every single-city answerable item of hard.jsonl the answer path declines or misanswers (facts
   missing) is taught through the desk's own functions (``desk.teach.add_link`` on a scratch SQLite
   database): its question linked to the gold evidence sentence — the unit of the clause holding the
   gold quote that covers most of the item's facts, as a staff member would pick it.
2. Generalisation: (a) the other wordings in scripts/data/desk_paraphrases.toml (two per taught
   question, written for this script), (b) the other dev/hard items whose gold evidence lies in a
   clause that got a link — each asked without and with the links.
3. False matches: (a) the `near` questions of the same file — same city and subject, asking what
   the linked sentence does not say (an amount, a date…): any answer from a link is a false match;
   (b) every dev/hard item asked with all links active: an answer from a link that does not quote
   the item's gold evidence is a false match, and an item right before and wrong after is
   "changed for the worse".

``--sweep`` repeats 2–3 over values of ``[taught]`` in retrieval/data/tunables.toml (in memory only).
"Right" is the evaluation's fact check (answered, every answer fact in the text; declined for an
unanswerable item); "gold quoted" means the answer quotes a gold evidence sentence.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from civic.db import get_engine, session_scope  # noqa: E402
from desk.teach import add_link, current_teachings  # noqa: E402
from retrieval.answer import Status, get_asker  # noqa: E402
from retrieval.answer.taught import Teachings  # noqa: E402
from retrieval.corpus import tunables  # noqa: E402
from retrieval.textnorm import match_key  # noqa: E402
from retrieval.units import chunk_units  # noqa: E402


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def right(item: dict, answer) -> bool:
    declined = answer.status is not Status.ANSWERED
    if not item["answerable"]:
        return declined
    text = match_key(answer.text)
    return not declined and all(match_key(f) in text for f in item["answer_facts"])


def gold_quoted(item: dict, answer) -> bool:
    if answer.status is not Status.ANSWERED or not item["answerable"]:
        return False
    gold = [match_key(e["quote"]) for e in item["evidence"]]
    cited = [match_key(c.quote) for c in answer.citations]
    return any(g in c or c in g for g in gold for c in cited if c)


def gold_units(item: dict, corpus) -> list[tuple[str, str, str, int]]:
    """(notice_id, clause_path, unit text, facts covered) for each unit holding a piece of gold evidence."""
    out = []
    facts = [match_key(f) for f in item["answer_facts"]]
    for ev in item["evidence"]:
        notice = corpus.notices[ev["doc"]]
        quote = match_key(ev["quote"])
        for n, chunk in enumerate(notice.chunks):
            units = [u for u in chunk_units(chunk, n) if not u.departments]
            hits = [u for u in units if quote in u.key or (len(u.key) >= 8 and u.key in quote)]
            for u in hits:
                out.append((notice.meta.id, chunk.clause_path, u.text, sum(f in u.key for f in facts)))
    return out


def evidence_clauses(item: dict, corpus) -> set[tuple[str, str]]:
    out = set()
    for ev in item.get("evidence", []):
        notice = corpus.notices.get(ev["doc"])
        quote = match_key(ev["quote"])
        for chunk in notice.chunks if notice else []:
            if quote in match_key(chunk.text):
                out.add((notice.meta.id, chunk.clause_path))
    return out


def ask(asker, question: str, city: str | None, teachings: Teachings):
    return asker.ask(question, city, teachings=teachings)


def measure(asker, corpus, taught_items, links, teachings, paraphrases, others, everything, baseline):
    none = Teachings(version="none")
    rows: dict[str, tuple[int, int]] = {}
    # (a) other wordings
    before = after = before_gold = after_gold = total = 0
    for item in taught_items:
        for q in paraphrases.get(item["id"], {}).get("asks", []):
            total += 1
            b, a = ask(asker, q, item["city"], none), ask(asker, q, item["city"], teachings)
            before += right(item, b)
            after += right(item, a)
            before_gold += gold_quoted(item, b)
            after_gold += gold_quoted(item, a)
    rows["paraphrases"] = (total, before, after, before_gold, after_gold)
    near = [(q, item["city"]) for item in taught_items for q in paraphrases.get(item["id"], {}).get("near", [])]
    answered_before = sum(ask(asker, q, c, none).status is Status.ANSWERED for q, c in near)
    near_false = [q for q, c in near if ask(asker, q, c, teachings).taught_link is not None]
    rows["near"] = (len(near), answered_before, near_false)
    # (b) other eval items citing a linked clause
    before = after = before_gold = after_gold = 0
    for item in others:
        b = baseline[item["id"]]
        a = ask(asker, item["question"], item.get("city"), teachings)
        before += right(item, b)
        after += right(item, a)
        before_gold += gold_quoted(item, b)
        after_gold += gold_quoted(item, a)
    rows["others"] = (len(others), before, after, before_gold, after_gold)
    # (c) false matches and answers changed for the worse, over every dev/hard item
    from_link = false = worse = better = 0
    false_ids, worse_ids = [], []
    taught_ids = {i["id"] for i in taught_items}
    for item in everything:
        a = ask(asker, item["question"], item.get("city"), teachings)
        b = baseline[item["id"]]
        if a.taught_link is not None:
            from_link += 1
            if not gold_quoted(item, a):
                false += 1
                false_ids.append(item["id"])
        if right(item, b) and not right(item, a):
            worse += 1
            worse_ids.append(item["id"])
        if item["id"] not in taught_ids and not right(item, b) and right(item, a):
            better += 1
    rows["all"] = (len(everything), from_link, false, worse, better, false_ids, worse_ids)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hard", default=str(REPO.parent / "shared" / "eval" / "hard.jsonl"))
    parser.add_argument("--dev", default=str(REPO.parent / "shared" / "eval" / "dev.jsonl"))
    parser.add_argument("--paraphrases", default=str(REPO / "scripts" / "data" / "desk_paraphrases.toml"))
    parser.add_argument("--sweep", action="store_true", help="also try other [taught] thresholds (in memory)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    asker = get_asker(build=True)
    corpus = asker.corpus
    hard, dev = load(args.hard), load(args.dev)
    everything = hard + dev
    with open(args.paraphrases, "rb") as fh:
        paraphrases = tomllib.load(fh)
    none = Teachings(version="none")
    baseline = {item["id"]: ask(asker, item["question"], item.get("city"), none) for item in everything}

    failing = [i for i in hard if i["answerable"] and i.get("kind") != "compare" and i.get("city")
               and not right(i, baseline[i["id"]])]
    taught_items, links = [], []
    with tempfile.TemporaryDirectory() as scratch:
        engine = get_engine(f"sqlite:///{Path(scratch) / 'desk.sqlite3'}")
        for item in failing:
            units = gold_units(item, corpus)
            if not units:
                print(f"{item['id']}: no unit holds the gold evidence; not taught", file=sys.stderr)
                continue
            notice_id, clause, quote, _ = max(units, key=lambda u: u[3])
            with session_scope(engine) as session:
                add_link(session=session, question=item["question"], notice_id=notice_id, clause_path=clause,
                         quote=quote, created_by="eval", corpus=corpus)
            taught_items.append(item)
            links.append((item["id"], notice_id, clause, quote))
        with session_scope(engine) as session:
            teachings = current_teachings(session=session)
        engine.dispose()

    linked = {(n, c) for _, n, c, _ in links}
    taught_ids = {i["id"] for i in taught_items}
    others = [i for i in everything if i["id"] not in taught_ids and evidence_clauses(i, corpus) & linked]

    # The taught questions themselves
    own = [ask(asker, i["question"], i["city"], teachings) for i in taught_items]
    print(f"## Teaching through the desk ({len(hard)} hard, {len(dev)} dev questions)\n")
    print(f"hard.jsonl single-city answerable items declined or misanswered: {len(failing)}; "
          f"taught (a link to the gold sentence): {len(taught_items)}")
    print(f"the taught questions themselves, asked again: gold quoted {sum(gold_quoted(i, a) for i, a in zip(taught_items, own, strict=True))}"
          f"/{len(taught_items)}, right (facts) {sum(right(i, a) for i, a in zip(taught_items, own, strict=True))}/{len(taught_items)}\n")
    for item_id, notice_id, clause, quote in links:
        print(f"- {item_id}: {notice_id} {clause} 「{quote[:40]}{'…' if len(quote) > 40 else ''}」")

    cfg = tunables()["taught"]
    default = dict(cfg)
    result = measure(asker, corpus, taught_items, links, teachings, paraphrases, others, everything, baseline)
    print(f"\n### With [taught] {default}\n")
    _print(result)

    if args.sweep:
        print("\n### Sweep of [taught] (in memory; the file is unchanged)\n")
        print("| min_similarity | min_overlap | similar_enough | other wordings right (of "
              f"{result['paraphrases'][0]}) | other eval items right (of {result['others'][0]}) | "
              f"near questions answered from a link (of {result['near'][0]}) | dev/hard answers from a link | "
              "false matches among them | changed for the worse |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for sim, ov, enough in itertools.product((0.65, 0.7, 0.75, 0.8), (0.2, 0.3, 0.4, 0.5), (0.85, 0.9)):
            cfg.update(min_similarity=sim, min_overlap=ov, similar_enough=enough)
            r = measure(asker, corpus, taught_items, links, teachings, paraphrases, others, everything, baseline)
            print(f"| {sim} | {ov} | {enough} | {r['paraphrases'][2]} | {r['others'][2]} | {len(r['near'][2])} | "
                  f"{r['all'][1]} | {r['all'][2]} | {r['all'][3]} |")
        cfg.update(default)
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


def _print(r: dict) -> None:
    total, before, after, bg, ag = r["paraphrases"]
    print("| questions | n | right before | right with the links | gold quoted before | gold quoted with the links |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| other wordings of the taught questions (scripts/data/desk_paraphrases.toml) | {total} | {before} | "
          f"{after} | {bg} | {ag} |")
    total, before, after, bg, ag = r["others"]
    print(f"| other dev/hard items whose gold evidence is in a linked clause | {total} | {before} | {after} | {bg} | "
          f"{ag} |")
    n, answered_before, near_false = r["near"]
    print(f"\nNear questions (same city and subject, not answered by the linked sentence): {n}; answered "
          f"before {answered_before}; answered from a link with the links (false matches): {len(near_false)} "
          f"{near_false}")
    n, from_link, false, worse, better, false_ids, worse_ids = r["all"]
    print(f"\nAll {n} dev/hard items with every link active: {from_link} answered from a link, "
          f"{false} of them false matches {false_ids}; {worse} changed for the worse {worse_ids}; "
          f"{better} not taught but now right.")


if __name__ == "__main__":
    raise SystemExit(main())
