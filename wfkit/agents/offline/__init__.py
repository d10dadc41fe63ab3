"""The offline chat model: deterministic replies for lessons and CI, no key and no network.

- `client`: `OfflineChatClient`, the chat client itself (and its scripted mode).
- `reading`: how it reads a conversation and the facts in a brief.
- `writing`: which task it recognises, and the text it writes for each.
- `draft`: a draft as sentences, and the rule that a fact is stated once.
- `revising`: how it applies feedback to a draft.
- `reviewing`: how it reviews a draft.
- `tool_use`: when it calls a tool, with which arguments, and how it reports the results.
- `handoff`: in a handoff workflow, when it hands off and how a specialist answers.
- `team`, `coordinating`, `planning`, `managing`: the manager of a group chat or a Magentic
  team (who speaks next; facts, plan, progress ledger, final answer); `contributing`: a Magentic
  team member answering the manager's instruction.
- `customer`, `support`, `desk`: a support desk in any team: a customer's message and its
  issues; a support agent answering in its role; who a manager calls on, and (Magentic) its facts,
  plan and reply to the customer.
- `structured`: JSON that fits a ``response_format`` (a pydantic model).
"""

from .client import OfflineChatClient

__all__ = ["OfflineChatClient"]
