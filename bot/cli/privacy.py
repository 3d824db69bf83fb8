"""``tipbot keys rotate`` and ``tipbot purge [--dry-run]``: key rotation and retention."""
from __future__ import annotations

import argparse
import json


def _vault_and_store(settings):
    from bot.storage.crypto import Vault, load_or_create_key
    from bot.storage.evidence import EvidenceStore

    vault = Vault(load_or_create_key(settings.encryption_key, settings.data_dir))
    return vault, EvidenceStore(settings.data_dir / "evidence", vault)


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    """Re-encrypt every encrypted column and evidence file with the current key."""
    from bot.cli.common import ConfigError, run_with_session
    from bot.storage.crypto import WrongKeyError
    from bot.storage.db import checkpoint
    from bot.services import keys

    async def work(session, settings) -> int:
        vault, store = _vault_and_store(settings)
        try:
            counts = await keys.rotate(session, vault=vault, store=store)
        except WrongKeyError:
            raise ConfigError(keys.WRONG_KEY) from None
        await session.commit()
        await checkpoint(session.bind)      # the old ciphertexts leave the SQLite file too
        print(json.dumps(counts, sort_keys=True))
        return 0

    return run_with_session(work)


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete what is past its keeping time (see docs/privacy.md); audited with counts."""
    from bot.cli.common import run_with_session
    from bot.context import system_clock
    from bot.storage.db import checkpoint
    from bot.services import retention

    async def work(session, settings) -> int:
        _, store = _vault_and_store(settings)
        counts = await retention.purge(session, settings=settings, store=store,
                                       now=system_clock(), dry_run=args.dry_run)
        if not args.dry_run:
            await session.commit()
            await checkpoint(session.bind)
        print(json.dumps({"dry_run": args.dry_run, **counts}, sort_keys=True))
        return 0

    return run_with_session(work)


def register(commands: argparse._SubParsersAction) -> None:
    keys = commands.add_parser("keys", help="encryption keys")
    actions = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    rotate = actions.add_parser(
        "rotate", help="re-encrypt everything with the first key of ENCRYPTION_KEY")
    rotate.set_defaults(handler=cmd_keys_rotate)

    purge = commands.add_parser(
        "purge", help="delete expired drafts, old outbox rows and closed cases' personal data")
    purge.add_argument("--dry-run", action="store_true", help="count only, change nothing")
    purge.set_defaults(handler=cmd_purge)
