import pytest
from langchain_core.documents import Document

from retrieval.retriever import NoticeRetriever
from retrieval.search import HybridSearch, rrf, scope_for

CITIES = ["定州", "葫芦岛", "石嘴山", "运城", "天津"]


def test_rrf_sums_weighted_reciprocal_ranks():
    scores = rrf([([1, 2, 3], 1.0), ([3, 1], 0.5)], k=10)
    assert scores[1] == pytest.approx(1 / 11 + 0.5 / 12)
    assert scores[3] == pytest.approx(1 / 13 + 0.5 / 11)
    assert max(scores, key=scores.get) == 1
    assert rrf([], k=10) == {}


@pytest.mark.parametrize(
    ("question", "chosen", "cities", "per_city"),
    [
        ("石嘴山清洁取暖率是多少", None, ["石嘴山"], False),
        ("我在大武口区，冬天烧煤", None, ["石嘴山"], False),
        ("清洁取暖率是多少", "天津", ["天津"], False),
        ("葫芦岛和天津的目标一样吗", None, ["葫芦岛", "天津"], True),
        ("哪些城市提到自愿承诺", None, CITIES, True),
        ("除了葫芦岛，还有哪些城市提到自愿承诺", None, ["定州", "石嘴山", "运城", "天津"], True),
        ("天津以外的城市有没有提自愿承诺", None, ["定州", "葫芦岛", "石嘴山", "运城"], True),
        # 除了 sets aside what follows it: here burning, not the city the resident lives in.
        ("俺们运城乡下种地的，玉米秆子除了烧，还能弄啥用？", None, ["运城"], False),
        ("北京的补贴是多少", "定州", [], False),
        ("清洁取暖率是多少", None, [], False),
    ],
)
def test_scope(question, chosen, cities, per_city):
    scope = scope_for(question, CITIES, chosen)
    assert scope.cities == cities
    assert scope.per_city == per_city


def test_other_places_are_recorded():
    assert scope_for("北京的补贴是多少", CITIES).other_places == ["北京"]


def test_simplified_question_finds_traditional_text(indexed):
    from retrieval.index import open_index

    search = HybridSearch(open_index())
    hits = search.search("天津整体完成清洁取暖改造的地区划为高污染燃料禁燃区", scope_for("天津", CITIES))
    assert hits[0].chunk.notice_id == "tianjin"
    assert "禁燃區" in hits[0].chunk.text


def test_city_scope_keeps_to_the_city(indexed):
    from retrieval.index import open_index

    search = HybridSearch(open_index())
    hits = search.search("清洁取暖率达到多少", scope_for("", CITIES, "葫芦岛"))
    assert hits and {h.chunk.city for h in hits} == {"葫芦岛"}


def test_per_city_search_interleaves(indexed):
    from retrieval.index import open_index

    search = HybridSearch(open_index())
    hits = search.search("秸秆综合利用率", scope_for("葫芦岛、运城、天津的秸秆综合利用率", CITIES))
    assert [h.chunk.city for h in hits[:3]] == ["葫芦岛", "运城", "天津"]


@pytest.mark.parametrize(("bm25", "dense"), [(True, False), (False, True)])
def test_each_half_retrieves_alone(indexed, bm25, dense):
    from retrieval.index import open_index

    search = HybridSearch(open_index(), bm25=bm25, dense=dense)
    hits = search.search("石嘴山城市生活污水集中处理率", scope_for("石嘴山", CITIES))
    assert hits and all(h.chunk.city == "石嘴山" for h in hits)


def test_langchain_retriever(asker):
    retriever = NoticeRetriever(search=asker.search, city="定州", k=3)
    docs = retriever.invoke("公共供水管网漏损率")
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    assert docs[0].metadata["city"] == "定州"
    assert "漏损率" in docs[0].page_content
    assert docs[0].metadata["clause_path"]
