from pledges.catalogue import load_catalogue
from retrieval.corpus import find_clause, load_corpus, quote_in_clause

FIXED_IDS = {
    "save-standby", "ac-26", "efficient-appliances", "save-water", "green-commute", "ev-choice",
    "clean-plate", "small-portions", "meal-plan", "sort-kitchen-waste", "sort-waste", "clean-heating",
    "heating-temp", "home-insulation", "green-shopping",
}


def test_fixed_item_ids_exist():
    assert set(load_catalogue().items) >= FIXED_IDS


def test_every_citation_resolves_and_quotes_its_clause():
    corpus = load_corpus()
    problems = []
    for item in load_catalogue().items.values():
        assert item.citations, f"{item.id} cites no clause"
        for c in item.citations:
            if find_clause(c.notice, c.clause, corpus) is None:
                problems.append(f"{item.id}: {c.notice} {c.clause} does not resolve")
            elif not quote_in_clause(c.notice, c.clause, c.quote, corpus):
                problems.append(f"{item.id}: quote {c.quote!r} not in {c.notice} {c.clause}")
    assert problems == []


def test_cities_and_districts_match_the_corpus():
    catalogue = load_catalogue()
    assert set(catalogue.districts) == set(load_corpus().cities)
    for item in catalogue.items.values():
        assert set(item.cities) <= set(catalogue.districts), item.id
        assert item.tips, f"{item.id} has no tips"
    for city, districts in catalogue.districts.items():
        assert len(districts) == len(set(districts)) > 1, city


def test_savings_carry_source_and_assumptions():
    with_saving = [i for i in load_catalogue().items.values() if i.saving]
    assert with_saving  # some honest figures exist
    for item in with_saving:
        s = item.saving
        assert s.source and s.assumptions
        assert s.kgco2e is not None or s.yuan is not None
        # No invented precision: whole numbers only.
        for value in (s.kgco2e, s.yuan):
            assert value is None or float(value).is_integer()
