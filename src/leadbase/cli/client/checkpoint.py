"""The checkpoint of ``leadbase enrich``: how far the output is known to be complete.

It sits next to the output (``out.csv.checkpoint``) and is replaced atomically after each
chunk's rows are on disk, so after a crash or Ctrl-C it names a prefix of the output that
is whole: a rerun cuts the output back to it and goes on with the next chunk.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

VERSION = 1


@dataclass(frozen=True, slots=True)
class Checkpoint:
    input_sha256: str
    chunk_size: int
    mode: str
    chunks_done: int = 0
    rows_done: int = 0
    # Bytes of the output that hold the header and the finished chunks' rows.
    output_bytes: int = 0
    matched: int = 0
    no_match: int = 0
    invalid: int = 0
    # Credits the server charged (replayed answers charge nothing and are not counted).
    credits_charged: float = 0.0
    # Chunks answered by replaying a stored answer (a rerun after a crash).
    replayed_chunks: int = 0

    # What each row is (people or companies); checkpoints from before companies: people.
    kind: str = "people"

    def same_work(self, other: Checkpoint) -> bool:
        return (self.input_sha256, self.chunk_size, self.mode, self.kind) == (
            other.input_sha256,
            other.chunk_size,
            other.mode,
            other.kind,
        )

    def advanced(self, **changes: int | float) -> Checkpoint:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def path_for(output: Path) -> Path:
    return output.with_name(output.name + ".checkpoint")


def load(path: Path) -> Checkpoint | None:
    try:
        document = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"cannot read the checkpoint {path}: {exc}") from exc
    if not isinstance(document, dict) or document.pop("version", None) != VERSION:
        raise CheckpointError(f"{path} is not a checkpoint of this version of leadbase enrich")
    try:
        return Checkpoint(**document)
    except TypeError as exc:
        raise CheckpointError(f"{path} is not a checkpoint of leadbase enrich") from exc


def save(path: Path, checkpoint: Checkpoint) -> None:
    """Write the checkpoint so that a crash leaves either the old one or the new one."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w") as file:
        json.dump({"version": VERSION, **dataclasses.asdict(checkpoint)}, file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


class CheckpointError(ValueError):
    """The checkpoint is unreadable or belongs to other work."""
