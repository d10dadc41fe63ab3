"""`wfkit.chat_client()`: the right chat client for wherever the lesson runs.

One line in a lesson, ``client = wfkit.chat_client()``, gives a real model on a learner's
machine that has keys and the offline model everywhere else (CI, Binder, a classroom without
accounts). It prints which client it picked and why, so nobody wonders whether the text came
from a real model. The rules, first match wins:

0. ``chat_client("offline")`` (or ``"openai"``, ``"azure"``, ``"replay"``) asks for one by name;
   ``chat_client("auto")``, the default, follows the rules below;
1. ``WFKIT_CHAT_CLIENT=offline|openai|azure|replay`` forces a choice;
2. Azure OpenAI if ``AZURE_OPENAI_ENDPOINT`` and ``AZURE_OPENAI_CHAT_DEPLOYMENT_NAME`` are set;
3. OpenAI if ``OPENAI_API_KEY`` is set;
4. replay if ``WFKIT_REPLAY=path/to/recording.json`` is set;
5. otherwise the offline client.

With ``WFKIT_RECORD=path.json``, a real client's replies are also recorded to that file
(see `recording`). Secrets are never printed: only the names of the variables that were seen.
"""

from __future__ import annotations

import os

from .protocol import BaseChatClient

CHOICES = ("offline", "openai", "azure", "replay")
AZURE_DEPLOYMENT_VARIABLES = ("AZURE_OPENAI_CHAT_DEPLOYMENT_NAME", "AZURE_OPENAI_DEPLOYMENT_NAME")


def _is_set(name: str) -> bool:
    return bool(os.environ.get(name, "").strip())


def choose_client(kind: str = "auto") -> tuple[str, str]:
    """(which client, why) for `kind`, from the environment when it is "auto", creating nothing."""
    asked = kind.strip().lower() if isinstance(kind, str) else None
    if asked not in (*CHOICES, "auto"):
        raise ValueError(
            f"chat_client({kind!r}): say which client, one of 'auto', {', '.join(repr(c) for c in CHOICES)} "
            "('auto' picks from the environment)."
        )
    if asked != "auto":
        return asked, f"chat_client({kind!r}) asked for it"
    forced = os.environ.get("WFKIT_CHAT_CLIENT", "").strip().lower()
    if forced:
        if forced not in CHOICES:
            raise ValueError(f"WFKIT_CHAT_CLIENT={forced!r} is not one of {', '.join(CHOICES)}.")
        return forced, f"WFKIT_CHAT_CLIENT={forced} is set"
    return _client_from_environment()


def _client_from_environment() -> tuple[str, str]:
    """Rules 2 to 5 of this module's docstring: the first client whose settings are present."""
    deployment = next((name for name in AZURE_DEPLOYMENT_VARIABLES if _is_set(name)), None)
    if _is_set("AZURE_OPENAI_ENDPOINT") and deployment:
        return "azure", f"AZURE_OPENAI_ENDPOINT and {deployment} are set"
    if _is_set("OPENAI_API_KEY"):
        return "openai", "OPENAI_API_KEY is set"
    if _is_set("WFKIT_REPLAY"):
        return "replay", "WFKIT_REPLAY is set"
    return "offline", "no OPENAI_API_KEY, no AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_CHAT_DEPLOYMENT_NAME"


def chat_client(kind: str = "auto", *, verbose: bool = True) -> BaseChatClient:
    """A chat client: the one named by `kind`, or with ``"auto"`` one chosen from the environment
    (see this module's docstring). Prints one line saying which and why, unless ``verbose=False``.

    >>> client = wfkit.chat_client()
    wfkit.chat_client: OfflineChatClient (offline, deterministic), because no OPENAI_API_KEY, ...
    >>> client = wfkit.chat_client(chat)   # a lesson's parameter: "offline" or "auto"
    """
    kind, reason = choose_client(kind)
    client: BaseChatClient
    if kind == "azure":
        from .openai_client import AzureOpenAIChatClient

        credential = _azure_credential_if_needed()
        client = AzureOpenAIChatClient(credential=credential)
        auth = "AzureCliCredential" if credential is not None else "AZURE_OPENAI_API_KEY"
        what = (
            f"AzureOpenAIChatClient (deployment {client.deployment_name!r} at {client.server}, "
            f"signed in with {auth})"
        )
    elif kind == "openai":
        from .openai_client import OpenAIChatClient

        client = OpenAIChatClient()
        what = f"OpenAIChatClient (model {client.model_id!r} at {client.server})"
    elif kind == "replay":
        from .recording import ReplayChatClient

        path = os.environ.get("WFKIT_REPLAY", "").strip()
        if not path:
            raise ValueError("WFKIT_CHAT_CLIENT=replay needs WFKIT_REPLAY=path/to/recording.json as well.")
        client = ReplayChatClient(path)
        what = f"ReplayChatClient (replies recorded in {path})"
    else:
        from .offline import OfflineChatClient

        client = OfflineChatClient()
        what = "OfflineChatClient (offline, deterministic)"
    record_to = os.environ.get("WFKIT_RECORD", "").strip()
    if record_to and kind in ("azure", "openai"):
        from .recording import RecordingChatClient

        client = RecordingChatClient(client, record_to)
        what += f", recording to {record_to}"
    if verbose:
        hint = ""
        if kind == "offline":
            hint = '; chat_client("auto") with OPENAI_API_KEY or the AZURE_OPENAI_* variables set gives a real model'
        print(f"wfkit.chat_client: {what}, because {reason}{hint}.")
    return client


def _azure_credential_if_needed() -> object | None:
    """An Azure CLI credential when no key is set and azure-identity is installed (``az login``
    then just works); None otherwise, and the client explains what is missing."""
    if _is_set("AZURE_OPENAI_API_KEY"):
        return None
    try:
        from azure.identity import AzureCliCredential  # optional: not a wfkit dependency
    except ImportError:
        return None
    return AzureCliCredential()
