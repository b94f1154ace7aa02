import pytest

from samspil.conftest import client_for


@pytest.mark.parametrize("role, target", [
    ("coordinator", "/households/"),
    ("org_admin", "/households/"),
    ("volunteer", "/engagements/mine/"),
])
def test_the_front_page_sends_people_to_their_work(personas, role, target):
    response = client_for(personas[role]).get("/")
    assert response.status_code == 302 and response["Location"] == target


@pytest.mark.parametrize("role", ["caseworker", "evaluator"])
def test_roles_without_pages_yet_get_an_explanation(personas, role):
    response = client_for(personas[role]).get("/")
    assert response.status_code == 200
    assert "Welcome" in response.content.decode()
