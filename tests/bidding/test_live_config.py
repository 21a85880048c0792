"""The live layer's settings and its behaviour when the channel layer fails."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from onewindow import config
from onewindow.bidding import live


def test_channel_layer_url_defaults_to_in_memory(monkeypatch):
    monkeypatch.delenv("ONEWINDOW_CHANNEL_LAYER_URL", raising=False)
    assert config.Config.from_environ().channel_layer_url == ""


def test_channel_layer_url_accepts_redis(monkeypatch):
    monkeypatch.setenv("ONEWINDOW_CHANNEL_LAYER_URL", "redis://10.0.0.5:6379/2")
    assert config.Config.from_environ().channel_layer_url == "redis://10.0.0.5:6379/2"


def test_channel_layer_url_refuses_other_schemes(monkeypatch):
    monkeypatch.setenv("ONEWINDOW_CHANNEL_LAYER_URL", "http://10.0.0.5:6379")
    with pytest.raises(ImproperlyConfigured, match="ONEWINDOW_CHANNEL_LAYER_URL"):
        config.Config.from_environ()


class BrokenLayer:
    async def group_send(self, group, message):
        raise ConnectionError("redis is down")


def test_publish_logs_a_layer_failure_instead_of_raising(monkeypatch, caplog):
    monkeypatch.setattr(live, "get_channel_layer", lambda: BrokenLayer())
    with caplog.at_level(logging.ERROR, logger="onewindow.bidding.live"):
        live.publish(tender_id=7, event="score", payload={"member_id": 1})
    assert "could not publish score for tender 7" in caplog.text


def test_event_for_strips_points_of_others_only():
    payload = {"member_id": 3, "bid_id": 1, "criterion_id": 2, "points": "20.00"}
    author = live.Viewer(user_id=9, member_id=3, venue_id=1, is_operator=False,
                         is_main_operator=False)
    other = live.Viewer(user_id=8, member_id=4, venue_id=2, is_operator=False,
                        is_main_operator=False)
    operator = live.Viewer(user_id=7, member_id=None, venue_id=1, is_operator=True,
                           is_main_operator=True)
    assert live.event_for(viewer=author, event="score", payload=payload)["payload"] == payload
    for viewer in (other, operator):
        sent = live.event_for(viewer=viewer, event="score", payload=payload)["payload"]
        assert sent == {"member_id": 3, "bid_id": 1, "criterion_id": 2}
