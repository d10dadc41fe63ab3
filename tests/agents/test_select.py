"""wfkit.chat_client(): which client for which environment, and what it prints."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from wfkit.agents import (
    AzureOpenAIChatClient,
    MissingCredentialsError,
    OfflineChatClient,
    OpenAIChatClient,
    RecordingChatClient,
    ReplayChatClient,
    chat_client,
)

OPENAI_KEY = "sk-secret-openai-key-123"
AZURE_KEY = "azure-secret-key-456"


def pick(capsys: pytest.CaptureFixture[str]) -> tuple[object, str]:
    client = chat_client()
    line = capsys.readouterr().out
    assert line.count("\n") == 1, "one line"
    assert OPENAI_KEY not in line and AZURE_KEY not in line
    return client, line


def set_azure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://my-resource.openai.azure.com/")
    monkeypatch.setenv("AZURE_OPENAI_CHAT_DEPLOYMENT_NAME", "gpt-4o")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", AZURE_KEY)


def test_no_settings_pick_the_offline_client_and_say_why(capsys: pytest.CaptureFixture[str]) -> None:
    client, line = pick(capsys)
    assert isinstance(client, OfflineChatClient)
    assert "OfflineChatClient" in line and "no OPENAI_API_KEY" in line and "AZURE_OPENAI_ENDPOINT" in line


def test_an_openai_key_picks_openai(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    client, line = pick(capsys)
    assert isinstance(client, OpenAIChatClient)
    assert "OPENAI_API_KEY is set" in line and "gpt-4o-mini" in line


def test_azure_settings_pick_azure_before_openai(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    set_azure(monkeypatch)
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    client, line = pick(capsys)
    assert isinstance(client, AzureOpenAIChatClient)
    assert "AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_CHAT_DEPLOYMENT_NAME are set" in line
    assert "'gpt-4o'" in line and "AZURE_OPENAI_API_KEY" in line


def test_an_azure_endpoint_without_a_deployment_is_not_enough(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://my-resource.openai.azure.com/")
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    client, _ = pick(capsys)
    assert isinstance(client, OpenAIChatClient)


def test_azure_settings_without_a_key_or_credential_are_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    set_azure(monkeypatch)
    monkeypatch.delenv("AZURE_OPENAI_API_KEY")
    if importlib.util.find_spec("azure") and importlib.util.find_spec("azure.identity"):
        pytest.skip("azure-identity is installed, so chat_client() signs in with AzureCliCredential")
    with pytest.raises(MissingCredentialsError, match="AZURE_OPENAI_API_KEY"):
        chat_client()


def test_a_recording_to_replay_picks_replay(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "replies.json"
    path.write_text(json.dumps({"version": 1, "recordings": []}))
    monkeypatch.setenv("WFKIT_REPLAY", str(path))
    client, line = pick(capsys)
    assert isinstance(client, ReplayChatClient)
    assert "WFKIT_REPLAY is set" in line


def test_a_forced_offline_choice_wins_over_keys(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("WFKIT_CHAT_CLIENT", "offline")
    client, line = pick(capsys)
    assert isinstance(client, OfflineChatClient)
    assert "WFKIT_CHAT_CLIENT=offline" in line


@pytest.mark.parametrize(("forced", "variable"), [("openai", "OPENAI_API_KEY"), ("azure", "AZURE_OPENAI_ENDPOINT")])
def test_a_forced_real_client_without_settings_says_what_is_missing(
    forced: str, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WFKIT_CHAT_CLIENT", forced)
    with pytest.raises(MissingCredentialsError, match=variable):
        chat_client()


def test_an_unknown_forced_choice_lists_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFKIT_CHAT_CLIENT", "gemini")
    with pytest.raises(ValueError, match="offline, openai, azure, replay"):
        chat_client()


def test_wfkit_record_wraps_a_real_client_in_a_recorder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("WFKIT_RECORD", str(tmp_path / "rec.json"))
    client, line = pick(capsys)
    assert isinstance(client, RecordingChatClient) and isinstance(client.inner, OpenAIChatClient)
    assert "recording to" in line


def test_quiet_selection_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    chat_client(verbose=False)
    assert capsys.readouterr().out == ""


def test_a_client_asked_for_by_name_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    client = chat_client("offline")
    line = capsys.readouterr().out
    assert isinstance(client, OfflineChatClient)
    assert "because chat_client('offline') asked for it" in line and OPENAI_KEY not in line


def test_auto_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    assert isinstance(chat_client("auto", verbose=False), OpenAIChatClient)


@pytest.mark.parametrize("kind", ["gpt-4o", "", False])
def test_an_unknown_client_name_is_refused_naming_the_choices(kind: object) -> None:
    with pytest.raises(ValueError, match="one of 'auto', 'offline', 'openai', 'azure', 'replay'"):
        chat_client(kind)  # type: ignore[arg-type]
