import json

from retrieval import ask, evaluate


def test_ask_json(indexed, capsys):
    assert ask.main(["石嘴山新增或更新的公交车里新能源的要占多少？", "--city", "石嘴山", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "answered" and "80%" in data["answer"]
    assert data["citations"][0]["city"] == "石嘴山"
    assert len(data["chunks"]) == 10


def test_ask_batch(indexed, tmp_path, capsys):
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "question": "葫芦岛新建的大型数据中心PUE最高不能超过多少？", "city": "葫芦岛"},
                   ensure_ascii=False) + "\n"
        + json.dumps({"id": "b", "question": "", "city": None}) + "\n",
        encoding="utf-8",
    )
    assert ask.main(["--batch", str(batch)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert lines[0]["status"] == "answered" and lines[1]["status"] == "invalid_question"


def test_evaluate_prints_the_table(indexed, tmp_path, capsys):
    items = [
        {"id": "t1", "city": "天津", "question": "天津电炉钢产能比例到2025年要达到多少？", "answerable": True,
         "evidence": [{"doc": "tianjin", "quote": "全域電爐鋼產能比例達到25%左右"}], "answer_facts": ["25%"],
         "kind": "fact"},
        {"id": "t2", "city": "定州", "question": "定州在自家屋顶装光伏，政府每瓦补贴多少钱？", "answerable": False,
         "evidence": [], "answer_facts": [], "kind": "unanswerable"},
    ]
    path = tmp_path / "eval.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    assert evaluate.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "| metric | hybrid | no table | bm25 | dense |" in out
    row = next(line for line in out.splitlines() if line.startswith("| hit@5 |"))
    assert row.split("|")[2].strip() == "1.000"
    row = next(line for line in out.splitlines() if line.startswith("| unanswerable declined |"))
    assert row.split("|")[2].strip() == "1.000"


def test_batch_line_with_history_is_answered_in_context(indexed, tmp_path, capsys):
    batch = tmp_path / "q.jsonl"
    line = {"id": "f", "question": "那天津呢？", "city": "石嘴山", "history": ["石嘴山农村生活污水治理率目标是多少？"]}
    batch.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert ask.main(["--batch", str(batch)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rewritten"] is True and out["question"] == "天津农村生活污水治理率目标是多少？"
    assert out["status"] == "answered" and "90%" in out["answer"]


def test_evaluate_scores_follow_ups_and_groups(indexed, tmp_path, capsys):
    item = {"id": "hf", "turns": [{"question": "石嘴山农村生活污水治理率目标是多少？", "city": "石嘴山"},
                                  {"question": "那天津呢？"}],
            "answerable": True, "evidence": [{"doc": "tianjin", "quote": "農村生活污水治理率達到90%以上"}],
            "answer_facts": ["90%"]}
    path = tmp_path / "follow.jsonl"
    path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
    assert evaluate.main([str(path), "--systems", "hybrid"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| fact accuracy |"))
    assert row.split("|")[2].strip() == "1.000"
    assert "| kind: follow-up | 1 |" in out
