"""A child process for test_storage_processes.py: saves checkpoints and says so on stdout.

    python checkpoint_writer.py file|sqlite PATH WORKFLOW_ID COUNT PAYLOAD_BYTES [GO_FILE]

COUNT 0 means "until killed". With GO_FILE, prints "ready" and waits for that file to exist
before writing, so two writers start at the same moment. After each save returns it prints
"saved <id>": the parent may count on every id printed being durable.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

from wfkit.checkpoint import FileCheckpointStorage, SQLiteCheckpointStorage, WorkflowCheckpoint, encode_value


async def main(kind: str, path: str, workflow_id: str, count: int, payload_bytes: int, go_file: str | None) -> None:
    storage = FileCheckpointStorage(path) if kind == "file" else SQLiteCheckpointStorage(path)
    if go_file:
        print("ready", flush=True)
        while not os.path.exists(go_file):
            time.sleep(0.005)
    index = 0
    while count == 0 or index < count:
        checkpoint = WorkflowCheckpoint(
            checkpoint_id=f"{workflow_id}-{index:05d}",
            workflow_id=workflow_id,
            iteration_count=index,
            shared_state={"payload": encode_value(("x" * payload_bytes, index))},
        )
        await storage.save_checkpoint(checkpoint)
        print(f"saved {checkpoint.checkpoint_id}", flush=True)
        index += 1


if __name__ == "__main__":
    kind, path, workflow_id, count, payload_bytes, *go = sys.argv[1:]
    asyncio.run(main(kind, path, workflow_id, int(count), int(payload_bytes), go[0] if go else None))
