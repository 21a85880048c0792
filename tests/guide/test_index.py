"""The per-process index follows the catalog: any change another process makes is seen by the
next search here, because every search compares the catalog version first."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.guide.chat import chat_turn
from onewindow.guide.engine.build import HOLDER, IndexHolder, catalog_version
from onewindow.guide.selectors import guide_answer
from tests.guide.factories import SynonymFactory
from tests.guide.zone import small_zone

pytestmark = pytest.mark.django_db


def test_version_changes_with_items_synonyms_and_publishing():
    zone = small_zone()
    before = catalog_version()
    zone.food.summary = "新的简介"
    zone.food.save()
    after_edit = catalog_version()
    assert after_edit != before
    SynonymFactory(phrase="小馆子")
    after_synonym = catalog_version()
    assert after_synonym != after_edit
    zone.food.is_published = False
    zone.food.save()
    assert catalog_version() != after_synonym


def test_two_processes_each_rebuild_after_an_edit_made_elsewhere():
    zone = small_zone()
    process_a, process_b = IndexHolder(), IndexHolder()
    first_a, first_b = process_a.get(), process_b.get()
    assert process_a.get() is first_a  # unchanged catalog: the same copy is reused
    zone.permit.name = "建筑工程施工许可证核发（新版）"
    zone.permit.save()  # as if saved by a third process
    assert process_a.get() is not first_a and process_b.get() is not first_b
    names = [h.doc.name for h in process_b.get().search("施工许可")]
    assert "建筑工程施工许可证核发（新版）" in names


def test_renamed_item_is_found_by_its_new_name_at_once():
    zone = small_zone()
    assert guide_answer(query="食品经营许可").items[0].item == zone.food
    HOLDER.get()
    zone.food.aliases = "餐饮许可证\n开小吃店"
    zone.food.save()
    assert guide_answer(query="我想开小吃店").items[0].item == zone.food


@settings(max_examples=30, deadline=None)
@given(message=st.text(max_size=120), state=st.text(max_size=80))
def test_chat_turn_never_raises(message, state):
    turn = chat_turn(message=message, token=state)
    assert turn.answer.message and turn.state and turn.turn >= 1
