"""Apps, buckets and key pairs in SQLite."""

from __future__ import annotations

import pytest

from idcard_ocr.errors import AppNotFound, BackendUnavailable
from idcard_ocr.store.credentials import Bucket, CredentialStore
from idcard_ocr.store.database import Database


def test_create_issues_a_fresh_key_pair_each_time(database: Database) -> None:
    store = CredentialStore(database, default_qps=7)
    first = store.create("1250000000", "photos")
    second = store.create("1250000000", "photos")
    assert first.secret_id != second.secret_id
    assert first.secret_id.startswith("AKID") and len(first.secret_key) == 32
    assert [pair.secret_id for pair in store.key_pairs()] == [first.secret_id, second.secret_id]
    assert store.buckets() == [Bucket("1250000000", "photos")]


def test_access_reports_app_key_and_bucket(database: Database) -> None:
    store = CredentialStore(database, default_qps=7)
    issued = store.create("1250000000", "photos", qps=3)
    access = store.access("1250000000", issued.secret_id, "photos")
    assert (access.app_qps, access.key_appid, access.secret_key) == (
        3,
        "1250000000",
        issued.secret_key,
    )
    assert access.bucket_known
    unknown = store.access("999", "AKIDnone", "other")
    assert (unknown.app_qps, unknown.key_appid, unknown.bucket_known) == (None, None, False)


def test_disabled_key_is_not_found(database: Database) -> None:
    store = CredentialStore(database, default_qps=7)
    issued = store.create("1250000000", "photos")
    assert store.disable(issued.secret_id)
    assert not store.disable("AKIDnone")
    assert store.access("1250000000", issued.secret_id, "photos").key_appid is None
    assert not store.key_pairs()[0].enabled


def test_listing_never_carries_secrets(database: Database) -> None:
    store = CredentialStore(database, default_qps=7)
    issued = store.create("1250000000", "photos")
    assert issued.secret_key not in repr(store.key_pairs())


def test_buckets_need_an_existing_app(database: Database) -> None:
    store = CredentialStore(database, default_qps=7)
    with pytest.raises(AppNotFound):
        store.add_bucket("999", "photos")
    store.create("1250000000", "photos")
    store.add_bucket("1250000000", "scans")
    store.add_bucket("1250000000", "scans")
    assert [b.name for b in store.buckets("1250000000")] == ["photos", "scans"]


def test_bootstrap_only_on_an_empty_store(database: Database) -> None:
    store = CredentialStore(database, default_qps=7)
    issued = store.bootstrap()
    assert issued is not None and issued.bucket == "default" and issued.appid.isdigit()
    assert store.bootstrap() is None
    assert store.access(issued.appid, issued.secret_id, "default").bucket_known


def test_qps_is_per_app(database: Database) -> None:
    store = CredentialStore(database, default_qps=7)
    issued = store.create("1250000000", "photos")
    assert store.access("1250000000", issued.secret_id, "photos").app_qps == 7
    store.set_qps("1250000000", 2)
    assert store.access("1250000000", issued.secret_id, "photos").app_qps == 2


def test_the_same_file_is_shared_by_separate_opens(database_url: str) -> None:
    issued = CredentialStore(Database.open(database_url), 7).create("1250000000", "photos")
    again = CredentialStore(Database.open(database_url), 7)
    assert again.access("1250000000", issued.secret_id, "photos").key_appid == "1250000000"


def test_unreachable_database_is_202(tmp_path: object) -> None:
    with pytest.raises(BackendUnavailable) as caught:
        Database.open("sqlite:////nonexistent-dir/sub/store.db")
    assert caught.value.code == 202
