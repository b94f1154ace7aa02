"""The guards every public form shares: honeypot, submission token, rate limit per client."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django import forms
from django.core import signing
from django.test import RequestFactory, override_settings
from django.utils import timezone

from samspil.core import public_forms
from samspil.core.models import PublicFormHit, User


class NameForm(public_forms.PublicForm):
    name = forms.CharField(label="Name", max_length=50)


def _fresh(scope="signup:1"):
    return NameForm(scope=scope).initial["submission_token"]


def test_a_person_who_leaves_the_honeypot_empty_gets_through():
    form = NameForm({"name": "Ida", "submission_token": _fresh()}, scope="signup:1")
    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["submission_token"], uuid.UUID)


def test_a_filled_honeypot_is_refused():
    form = NameForm({"name": "Ida", "website": "http://spam.example",
                     "submission_token": _fresh()}, scope="signup:1")
    assert not form.is_valid()
    assert form.honeypot_tripped


def test_the_honeypot_is_hidden_from_people_and_out_of_the_tab_order():
    html = str(NameForm(scope="signup:1"))
    assert '<div class="honeypot" aria-hidden="true">' in html
    assert 'tabindex="-1"' in html
    assert 'autocomplete="off"' in html
    assert 'for="id_website"' in html  # still labelled, for the accessibility checkers


@pytest.mark.parametrize("token", ["", "garbage", "x" * 199,
                                   signing.dumps({"s": "signup:1", "t": "nope"},
                                                 salt="samspil.public-form-token")],
                         ids=["empty", "garbage", "too-long", "forged"])  # stable for xdist
def test_a_missing_or_forged_token_is_a_form_error_and_the_form_gets_a_fresh_one(token):
    form = NameForm({"name": "Ida", "submission_token": token}, scope="signup:1")
    assert not form.is_valid()
    assert "submission_token" in form.errors
    fresh = form.data["submission_token"]
    assert public_forms.read_token(fresh, scope="signup:1") is not None


def test_a_token_of_another_form_is_refused():
    form = NameForm({"name": "Ida", "submission_token": _fresh("signup:2")}, scope="signup:1")
    assert not form.is_valid()


@override_settings(PUBLIC_FORM_TOKEN_MAX_AGE_SECONDS=60)
def test_an_old_token_is_refused():
    token = _fresh()
    later = timezone.now() + datetime.timedelta(minutes=5)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(signing.time, "time", lambda: later.timestamp())
        assert public_forms.read_token(token, scope="signup:1") is None


def test_the_same_token_is_kept_after_another_field_error():
    token = _fresh()
    form = NameForm({"name": "", "submission_token": token}, scope="signup:1")
    assert not form.is_valid()
    assert form.data["submission_token"] == token


@pytest.mark.django_db
def test_create_once_makes_one_record_for_a_repeated_token():
    token = uuid.uuid4()
    calls = []

    def create():
        calls.append(1)
        return User.objects.create(username=str(token))

    first, made = public_forms.create_once(model=User, token=str(token), create=create,
                                           field="username")
    again, made_again = public_forms.create_once(model=User, token=str(token), create=create,
                                                 field="username")
    assert made and not made_again
    assert first.pk == again.pk
    assert len(calls) == 1
    assert User.objects.filter(username=str(token)).count() == 1


@pytest.mark.django_db
def test_create_once_returns_the_winner_when_a_racing_twin_saved_first():
    token = str(uuid.uuid4())
    winner = User.objects.create(username=token)
    lookups = []

    class FirstLookupMisses:
        """The twin commits between our first lookup and our insert."""

        def filter(self, **kwargs):
            lookups.append(kwargs)
            found = User.objects.filter(**kwargs)
            return found.none() if len(lookups) == 1 else found

    class RacingUser:
        _default_manager = FirstLookupMisses()

    record, made = public_forms.create_once(
        model=RacingUser, token=token, create=lambda: User.objects.create(username=token),
        field="username",
    )
    assert not made
    assert record.pk == winner.pk
    assert len(lookups) == 2
    assert User.objects.filter(username=token).count() == 1


def _post(addr="203.0.113.7", forwarded=None):
    request = RequestFactory().post("/", REMOTE_ADDR=addr)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@pytest.mark.django_db
@override_settings(PUBLIC_FORM_MAX_SUBMISSIONS=3, PUBLIC_FORM_WINDOW_SECONDS=600)
def test_a_client_over_the_limit_is_refused_and_others_are_not():
    results = [public_forms.rate_limited(_post(), scope="signup:1") for _ in range(4)]
    assert results == [False, False, False, True]
    assert not public_forms.rate_limited(_post("198.51.100.1"), scope="signup:1")
    assert not public_forms.rate_limited(_post(), scope="signup:2")  # another form


@pytest.mark.django_db
def test_the_rate_limit_stores_no_address():
    public_forms.rate_limited(_post("203.0.113.7"), scope="signup:1")
    hit = PublicFormHit.objects.get()
    assert "203.0.113.7" not in hit.key
    assert len(hit.key) == 64


@pytest.mark.django_db
@override_settings(PUBLIC_FORM_MAX_SUBMISSIONS=1, PUBLIC_FORM_WINDOW_SECONDS=600)
def test_the_limit_starts_again_in_the_next_window_and_old_counts_are_pruned():
    start = timezone.now()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(public_forms.timezone, "now", lambda: start)
        public_forms.rate_limited(_post(), scope="f")
        assert public_forms.rate_limited(_post(), scope="f")
        later = start + datetime.timedelta(seconds=601)
        mp.setattr(public_forms.timezone, "now", lambda: later)
        assert not public_forms.rate_limited(_post(), scope="f")
        assert public_forms.prune_rate_limit_counts(now=later) == 1
    assert PublicFormHit.objects.count() == 1


@override_settings(PUBLIC_FORM_TRUSTED_PROXIES=0)
def test_without_a_trusted_proxy_forwarded_for_is_ignored():
    assert public_forms.client_address(_post("10.0.0.1", "203.0.113.9")) == "10.0.0.1"


@override_settings(PUBLIC_FORM_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_last_forwarded_hop_is_the_client():
    # The client wrote the first entry itself; nginx appended the real address.
    request = _post("10.0.0.1", "1.2.3.4, 203.0.113.9")
    assert public_forms.client_address(request) == "203.0.113.9"


@public_forms.light_copies
class LightForm(forms.Form):
    name = forms.CharField(label="Name", max_length=50,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def test_light_copies_keep_each_forms_fields_and_widget_attributes_its_own():
    first, second = LightForm(), LightForm()
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].widget is not second.fields["name"].widget
    first.fields["name"].required = False
    first.fields["name"].widget.attrs["autocomplete"] = "off"
    first.fields["kind"].choices = [("a", "A")]
    assert second.fields["name"].required
    assert second.fields["name"].widget.attrs["autocomplete"] == "name"
    assert [c[0] for c in second.fields["kind"].choices] == ["a", "b"]
    assert 'value="b"' not in str(first["kind"]) and 'value="b"' in str(second["kind"])
    bound = LightForm({"name": "x" * 51, "kind": "c"})
    assert set(bound.errors) == {"name", "kind"}
