"""Regenerate the ports under tests/af_samples/<era>/ from the AF mirror: `.venv/bin/python tests/af_samples/port_samples.py`."""
import re, subprocess, pathlib, sys
REPO = "/work/.mirror/microsoft+agent-framework/repo"
BASE = "python/samples/getting_started/workflows/"
OUT = pathlib.Path("/work/main/tests/af_samples")
ERAS = {"b251007": "python-1.0.0b251007", "b251104": "python-1.0.0b251104"}
LEFT_OUT = re.compile(r"(observability/|orchestration/(magentic|group_chat|handoff)|agents/(group_chat|magentic)_workflow_as_agent|agents/azure_ai_agents)")
ANSWERS = {
    "human-in-the-loop/guessing_game_with_human_input": ["higher", "lower", "correct"],
    "checkpoint/checkpoint_with_resume": ["1"],
    "checkpoint/checkpoint_with_human_in_the_loop@b251104": ["Make it shorter and mention free shipping.", "approve", "2", "approve"],
    "checkpoint/checkpoint_with_human_in_the_loop@b251007": ["Make it shorter and mention free shipping.", "approve", "3", "y", "approve"],
    "agents/azure_chat_agents_tool_calls_with_feedback": ["Make the tone warmer and add a call to action.", "approve"],
}
RULES = [  # (pattern on one line, replacement, description)
    (r"^from azure\.identity(\.aio)? import AzureCliCredential.*\n", "", "removed `{old}` (no Azure sign-in offline)"),
    (r"^from agent_framework\.(azure|openai) import [^\n]*\n", "from wfkit import OfflineChatClient\n", "`{old}` -> `{new}`"),
    (r"AzureOpenAIChatClient\(credential=AzureCliCredential\(\)\)", "OfflineChatClient()", "`{old}` -> `{new}`"),
    (r"OpenAIChatClient\((model_id=\"[^\"]*\")?\)", "OfflineChatClient()", "`{old}` -> `{new}`"),
    (r"(?<=: )AzureOpenAIChatClient\b", "OfflineChatClient", "annotation `{old}` -> `{new}`"),
    (r"from agent_framework\._workflows\._\w+ import", "from wfkit import", "`{old}` -> `{new}`"),
    (r"from agent_framework import", "from wfkit import", "`{old}` -> `{new}`"),
    (r"from getting_started\.workflows\.agents\.", "from af_samples.{era}.agents.", "`{old}` -> `{new}` (the sibling sample's port; `_SAMPLES_ROOT` is then tests/)"),
]

def port(era, path):
    tag = ERAS[era]
    rel = path[len(BASE):]
    name = rel[:-3]
    src = subprocess.run(["git", "-C", REPO, "show", f"{tag}:{path}"], capture_output=True, text=True, check=True).stdout
    lines = src.splitlines(keepends=True)
    changes = []
    out = []
    for no, line in enumerate(lines, 1):
        new = line
        for pat, rep, desc in RULES:
            rep = rep.replace("{era}", era)
            m = re.search(pat, new, flags=re.M)
            if m:
                before = new
                new = re.sub(pat, rep, new, flags=re.M)
                changes.append((no, before.rstrip("\n"), new.rstrip("\n"), desc))
        out.append(new)
    # collapse per-line descriptions
    notes = []
    for no, old, new, desc in changes:
        notes.append(f"line {no}: " + desc.format(old=old.strip(), new=new.strip()))
    body = "".join(out)
    answers = ANSWERS.get(f"{name}@{era}", ANSWERS.get(name))
    if "input(" in src:
        assert answers is not None, name
    rest = body
    first = ""
    if lines and lines[0].startswith("# Copyright"):
        first, rest = out[0], "".join(out[1:])
    header = [
        "# wfkit port of a Microsoft Agent Framework sample.",
        f"# Origin: github.com/microsoft/agent-framework, tag {tag}, path {path}",
        "# License: MIT (the agent-framework repository's LICENSE); the original's copyright line is kept above.",
        "# Changes from the original (nothing else differs):",
    ]
    header += [f"#   - original {n}" for n in notes]
    if answers is not None:
        header.append(f"#   - added `input` just above `if __name__ == \"__main__\"`: console input() replaced by fixed answers {answers!r}, consumed in order")
    header.append("")
    text = first + "\n".join(header) + "\n"
    if answers is not None:
        stand_in = (
            f"_FIXED_ANSWERS = {answers!r}\n\n\n"
            "def input(prompt: str = \"\") -> str:  # noqa: A001  (the port's stand-in for the console)\n"
            "    if not _FIXED_ANSWERS:\n"
            "        raise RuntimeError(f\"port: no fixed answer left for prompt {prompt!r}\")\n"
            "    answer = _FIXED_ANSWERS.pop(0)\n"
            "    print(f\"{prompt}{answer}\")\n"
            "    return answer\n\n\n"
        )
        assert rest.count('\nif __name__ == "__main__":') == 1
        rest = rest.replace('\nif __name__ == "__main__":', "\n" + stand_in + 'if __name__ == "__main__":')
    text += rest
    dest = OUT / era / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text)
    left = [l for l in text.splitlines() if re.search(r"agent_framework(\.|\s|$)|azure\.|AzureCli|OpenAIChatClient\(", l) and not l.lstrip().startswith("#") ]
    return rel, left

for era, tag in ERAS.items():
    files = subprocess.run(["git", "-C", REPO, "ls-tree", "-r", "--name-only", tag, "--", BASE], capture_output=True, text=True).stdout.split()
    n = 0
    for f in files:
        rel = f[len(BASE):]
        if rel.startswith("resources/"):
            dest = OUT / era / rel; dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(subprocess.run(["git", "-C", REPO, "show", f"{tag}:{f}"], capture_output=True, check=True).stdout)
            continue
        if not f.endswith(".py") or LEFT_OUT.search(rel):
            continue
        rel, left = port(era, f); n += 1
        if left: print(era, rel, "LEFT:", left)
    print(era, n, "ports")
