import re

import pytest

from onewindow.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_api_token_authenticates_owner(client, make_user):
    owner = make_user(role="supervisor", username="hotline")
    token, key = api_token_create(actor=None, owner=owner, name="12345 热线")
    response = client.get("/api/me", headers={"Authorization": f"Bearer {key}"})
    assert response.json() == {"username": "hotline", "role": "supervisor"}
    assert key not in token.key_hash


def test_api_token_revoked_or_wrong_is_401_in_chinese(client, make_user):
    token, key = api_token_create(actor=None, owner=make_user(), name="x")
    api_token_revoke(actor=None, token=token)
    for header in [f"Bearer {key}", "Bearer ow_wrong", ""]:
        response = client.get("/api/me", headers={"Authorization": header})
        assert response.status_code == 401
        assert "未认证" in response.json()["detail"]


def test_openapi_schema_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "onewindow API"
    assert "/api/me" in schema["paths"]


def test_openapi_every_operation_is_summed_up_in_chinese(client):
    """The docs page is read by the zone's partners: no operation named by its function."""
    schema = client.get("/api/openapi.json").json()
    english = [f"{method.upper()} {path}: {op.get('summary')}"
               for path, operations in schema["paths"].items()
               for method, op in operations.items()
               if not re.search(r"[\u4e00-\u9fff]", op.get("summary", ""))]
    assert english == []
    assert "办件" in schema["info"]["description"] and "诉求" in schema["info"]["description"]
