"""``tipbot keys rotate`` and ``tipbot purge [--dry-run]``: key rotation and retention."""
from __future__ import annotations

import argparse
import json

# What each count of a purge or a rotation is, for a person reading the terminal. A kind a
# later version adds and this table lacks is still printed, by its key.
PURGED = {
    "residents": "residents forgotten (nothing of theirs is left to handle)",
    "outbox_rows": "sent or abandoned outgoing messages",
    "drafts": "unfinished reports past their keeping time",
    "draft_files": "files of those unfinished reports",
    "closed_cases": "closed cases whose personal data is removed (the facts stay)",
    "contacts": "reporters' contact details",
    "relay_messages": "references to relayed messages",
    "evidence_files": "evidence files",
    "chat_references": "references to reporters' chats",
    "part_files": "half-written files left by an interrupted upload",
}
ROTATED = {
    "reporters": "reporters' chat references (and their lookups)",
    "relay_messages": "references to relayed messages",
    "contacts": "reporters' contact details",
    "drafts": "unfinished reports' private answers",
    "outbox": "queued messages' private parts",
    "followup_codes": "follow-up codes",
    "followup_codes_not_rehashable": "follow-up codes kept only as a hash, which cannot "
                                     "be re-hashed with the new key",
    "evidence_files": "evidence files (and their keyed digests)",
    "location_pins": "reporters' location pins",
    "officers_unsent": "officers' messages kept until they choose where they go",
    "whatsapp_sent": "WhatsApp messages kept until Meta reports on them",
}


def count_lines(counts: dict[str, int], names: dict[str, str]) -> list[str]:
    """One indented line per kind with something to count, in the table's order."""
    order = [*names, *sorted(set(counts) - set(names))]
    return [f"  {counts[kind]:>6}  {names.get(kind, kind.replace('_', ' '))}"
            for kind in order if counts.get(kind)]


def purge_report(counts: dict[str, int], *, dry_run: bool) -> str:
    lines = count_lines(counts, PURGED)
    if dry_run:
        head = ("Dry run: nothing was deleted. A purge now would delete:" if lines else
                "Dry run: nothing is past its keeping time; a purge now would delete nothing.")
    else:
        head = ("Deleted (recorded in the audit trail):" if lines else
                "Nothing was past its keeping time; nothing was deleted.")
    return "\n".join([head, *lines])


def rotation_report(counts: dict[str, int]) -> str:
    lines = count_lines(counts, ROTATED)
    if not lines:
        return "Nothing is stored encrypted yet; nothing to re-encrypt."
    return "\n".join(["Re-encrypted with the first key of ENCRYPTION_KEY:", *lines,
                      "Once the bot runs well with it, the older keys can be removed."])


def _vault_and_store(settings):
    from bot.cli.common import open_vault
    from bot.storage.evidence import EvidenceStore

    vault = open_vault(settings)
    return vault, EvidenceStore(vault)


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    """Re-encrypt every encrypted column and evidence file with the current key."""
    from bot.cli.common import ConfigError, run_with_session
    from bot.storage.crypto import WrongKeyError
    from bot.storage.db import checkpoint
    from bot.services.container import system_clock
    from bot.services import deployment_key, keys

    async def work(session, settings) -> int:
        vault, store = _vault_and_store(settings)
        try:
            counts = await keys.rotate(session, vault=vault, store=store)
        except WrongKeyError:
            raise ConfigError(keys.WRONG_KEY) from None
        # From now on the first key is the deployment's: instances without it refuse.
        try:
            await deployment_key.record_current_key(session, vault=vault, now=system_clock())
        except deployment_key.OtherKey as exc:
            raise ConfigError(str(exc)) from None
        await session.commit()
        await checkpoint(session.bind)      # the old ciphertexts leave the SQLite file too
        print(json.dumps(counts, sort_keys=True) if args.json else rotation_report(counts))
        return 0

    return run_with_session(work)


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete what is past its keeping time (see docs/privacy.md); audited with counts."""
    from bot.cli.common import run_with_session
    from bot.services.container import system_clock
    from bot.storage.db import checkpoint
    from bot.services import retention

    async def work(session, settings) -> int:
        _, store = _vault_and_store(settings)
        counts = await retention.purge(session, settings=settings, store=store,
                                       now=system_clock(), dry_run=args.dry_run)
        if not args.dry_run:
            await session.commit()
            await checkpoint(session.bind)
        if args.json:
            print(json.dumps({"dry_run": args.dry_run, **counts}, sort_keys=True))
        else:
            print(purge_report(counts, dry_run=args.dry_run))
        return 0

    return run_with_session(work)


def register(commands: argparse._SubParsersAction) -> None:
    keys = commands.add_parser("keys", help="encryption keys")
    actions = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    rotate = actions.add_parser(
        "rotate", help="re-encrypt everything with the first key of ENCRYPTION_KEY")
    rotate.add_argument("--json", action="store_true",
                        help="print the counts as JSON (for scripts) instead of sentences")
    rotate.set_defaults(handler=cmd_keys_rotate)

    purge = commands.add_parser(
        "purge", help="delete expired drafts, old outbox rows and closed cases' personal data")
    purge.add_argument("--dry-run", action="store_true", help="count only, change nothing")
    purge.add_argument("--json", action="store_true",
                       help="print the counts as JSON (for scripts) instead of sentences")
    purge.set_defaults(handler=cmd_purge)
