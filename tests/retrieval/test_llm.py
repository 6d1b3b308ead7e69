"""The optional generative composer, driven by a fake chat model that replies from a queue."""

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from retrieval.answer import Asker, Status
from retrieval.answer.llm import LLMComposer, source_token
from retrieval.index import open_index

QUESTION = "葫芦岛新建的大型数据中心PUE最高不能超过多少？"


def _asker(replies):
    model = FakeListChatModel(responses=replies)
    return Asker.for_index(open_index(), composer=LLMComposer(model)), model


def _token_for(asker, text):
    ctx_answer = asker.ask(QUESTION, "葫芦岛")  # the extractive path finds the chunk
    chunk = next(c for c in ctx_answer.chunks if text in c.text)
    return source_token(QUESTION, chunk.id), chunk


def test_generated_sentences_with_valid_sources_are_kept(indexed):
    probe, _ = _asker(["无法回答"])
    token, chunk = _token_for(probe, "1.3")
    asker, _ = _asker([f"葫芦岛要求新建大型数据中心的电能利用效率不超过1.3。[{token}]"])
    answer = asker.ask(QUESTION, "葫芦岛")
    assert answer.status is Status.ANSWERED and answer.composer == "llm"
    assert answer.text == "葫芦岛要求新建大型数据中心的电能利用效率不超过1.3。[1]"
    assert answer.citations[0].chunk.id == chunk.id
    assert answer.citations[0].quote in chunk.text


def test_invented_number_drops_the_sentence_and_falls_back(indexed):
    probe, _ = _asker(["无法回答"])
    token, _ = _token_for(probe, "1.3")
    asker, _ = _asker([f"数据中心PUE不超过1.1。[{token}]"])
    answer = asker.ask(QUESTION, "葫芦岛")
    assert answer.composer == "extractive" and "1.3" in answer.text and "1.1" not in answer.text


def test_unknown_source_token_falls_back(indexed):
    asker, _ = _asker(["数据中心PUE不超过1.3。[ZZZZZ]"])
    answer = asker.ask(QUESTION, "葫芦岛")
    assert answer.composer == "extractive" and answer.status is Status.ANSWERED


def test_sentence_without_source_is_dropped(indexed):
    probe, _ = _asker(["无法回答"])
    token, _ = _token_for(probe, "1.3")
    asker, _ = _asker([f"这是好政策。数据中心电能利用效率不超过1.3。[{token}]"])
    answer = asker.ask(QUESTION, "葫芦岛")
    assert answer.composer == "llm" and "这是好政策" not in answer.text


def test_model_failure_falls_back(indexed):
    class Broken(FakeListChatModel):
        def _call(self, *args, **kwargs):
            raise ConnectionError("endpoint down")

    asker = Asker.for_index(open_index(), composer=LLMComposer(Broken(responses=["x"])))
    answer = asker.ask(QUESTION, "葫芦岛")
    assert answer.status is Status.ANSWERED and answer.composer == "extractive"


def test_weak_evidence_never_reaches_the_model(indexed):
    asker, model = _asker(["编造的回答。[AAAAA]"])
    answer = asker.ask("定州在自家屋顶装光伏，政府每瓦补贴多少钱？", "定州")
    assert answer.status in (Status.NOT_SPECIFIED, Status.NO_EVIDENCE)
    assert model.i == 0  # the fake model's queue was never read
