"""A bulk load's writes, run by a process of its own while the next batch is planned.

A bulk load resolves each batch against what it carries in memory (``upsert.Carried``),
never against what earlier batches wrote, so planning batch n+1 need not wait for batch
n's rows to reach the database. This process takes each batch's :class:`~writes.Write` s
down a pipe, runs them in one transaction and answers once it has committed; the
importer checkpoints a batch only then. Writing costs about as much CPU as planning
(SQLite's b-trees, the driver's binding), so with a core to spare the two overlap.

Batches are written one at a time and in order: :meth:`WriteBehind.submit` may only be
called once the previous batch is :meth:`~WriteBehind.settled`.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import traceback
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from multiprocessing.connection import Connection

import msgspec

from leadbase.server.batch_gc import collector_paused
from leadbase.server.catalog import writes
from leadbase.server.catalog.writes import Write
from leadbase.server.db import Database

_STOP_TIMEOUT_SECONDS = 30


class WriteBehind:
    """The importer's end of the writing process."""

    def __init__(self, sending: Connection, receiving: Connection) -> None:
        self._sending = sending
        self._receiving = receiving
        self._encode = msgspec.msgpack.Encoder().encode
        self._in_flight = False

    def submit(self, batch: Sequence[Write]) -> None:
        """Hand a batch's writes over; the process commits them as one transaction."""
        assert not self._in_flight, "the previous batch is not settled yet"
        self._sending.send_bytes(self._encode(list(batch)))
        self._in_flight = True

    async def settled(self) -> None:
        """Wait until the batch submitted last is committed; raise if it failed."""
        if not self._in_flight:
            return
        try:
            answer = await asyncio.to_thread(self._receiving.recv_bytes)
        except EOFError:
            raise RuntimeError("the import's writing process stopped unexpectedly") from None
        self._in_flight = False
        if answer:
            raise RuntimeError(f"the import's writing process failed:\n{answer.decode()}")


@asynccontextmanager
async def write_behind(url: str) -> AsyncIterator[WriteBehind]:
    """A writing process on database ``url`` for the block; stopped when it ends (a batch
    not yet settled is then rolled back or committed, never half written)."""
    context = multiprocessing.get_context("spawn")  # forking a threaded process is unsafe
    batches_out, batches_in = context.Pipe(duplex=False)
    answers_out, answers_in = context.Pipe(duplex=False)
    process = context.Process(
        target=_write,
        args=(batches_out, answers_in, url),
        name="leadbase-import-writer",
        daemon=True,
    )
    process.start()
    batches_out.close()
    answers_in.close()
    try:
        yield WriteBehind(batches_in, answers_out)
    finally:
        try:
            batches_in.send_bytes(b"")  # no more batches: the process ends once idle
        except OSError:
            pass  # it has gone already
        batches_in.close()
        await asyncio.to_thread(process.join, _STOP_TIMEOUT_SECONDS)
        if process.is_alive():
            process.terminate()
            await asyncio.to_thread(process.join, 10)
        answers_out.close()


def _write(receiving: Connection, answering: Connection, url: str) -> None:
    """The writing process: each batch in one transaction, answered b"" or a traceback."""
    # Ctrl-C reaches the whole process group; the importer decides when this one stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with collector_paused():
            asyncio.run(_write_batches(receiving, answering, url))
    finally:
        answering.close()
        receiving.close()


async def _write_batches(receiving: Connection, answering: Connection, url: str) -> None:
    decode = msgspec.msgpack.Decoder(list[Write]).decode
    database = Database(url)
    try:
        await writes.enlarge_cache(database)
        while True:
            try:
                message = receiving.recv_bytes()
            except EOFError:  # the importer is gone
                return
            if not message:
                return
            try:
                async with database.transaction() as session:
                    await writes.run(await session.connection(), decode(message))
            except Exception:
                answering.send_bytes(traceback.format_exc().encode())
                return
            answering.send_bytes(b"")
    finally:
        await database.dispose()
