"""The one message splitter: Telegram's limit counted after parsing, in UTF-16 code units;
tags and entities never cut; nothing lost."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.render.text import MAX_TEXT, esc, pack_blocks, split_html, utf16_length, visible_length
from bot.web.emulator.html_parser import parse_html

ROOT = Path(__file__).resolve().parents[2]
MESSY = "Bu Ani & Pak <Budi> \"Wati\" 🙏🏽👨‍👩‍👧 "   # HTML specials, emoji, a ZWJ family


def _plain(message: str) -> str:
    """What Telegram shows: the parser refuses a cut tag or entity (HtmlError)."""
    text, _entities, _warnings = parse_html(message)
    return text


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("limit", [7, 40, 333, MAX_TEXT])
def test_no_chunk_passes_the_limit_and_nothing_is_lost_or_cut(limit):
    pieces = [f"<b>{esc(MESSY)}{i}</b> &amp; <i>x&lt;y</i> <code>a&gt;b</code>"
              for i in range(60)]
    line = " ".join(pieces)
    blocks = [esc(MESSY) * 3, line, "\n".join([" ".join(pieces[:8])] * 12), "<b>kecil</b>"]
    messages = split_html(blocks, limit)
    assert len(messages) >= 2
    for message in messages:
        assert utf16_length(_plain(message)) <= limit     # parses, and fits as Telegram counts
        assert visible_length(message) <= limit
    # Every word arrives, in order (a cut may only fall between words where there is room).
    original = _words(" ".join(_plain(block) for block in blocks))
    shown = _words(" ".join(_plain(message) for message in messages))
    assert "".join(shown) == "".join(original)


def test_surrogate_pairs_count_as_two_and_are_never_split():
    text = "🙏" * 3000                            # 6.000 UTF-16 units
    messages = split_html([text])
    assert [utf16_length(m) for m in messages] == [4096, 6000 - 4096]
    assert "".join(messages) == text
    odd = split_html(["a" + "🙏" * 3], limit=4)     # "a🙏" is 3 units: the next pair waits
    assert odd == ["a🙏", "🙏🙏"]


def test_entities_count_as_one_character_and_stay_whole():
    text = "&amp;" * 10                          # ten visible characters
    assert split_html([text], limit=10) == [text]
    assert split_html([text], limit=3) == ["&amp;" * 3] * 3 + ["&amp;"]


def test_a_block_that_fits_is_never_cut_and_lines_come_before_words():
    day = "<b>Senin</b>\n" + "\n".join(f"08:00–16:00 Petugas {i}" for i in range(10))
    messages = split_html([day, day, day], limit=len(_plain(day)) + 10)
    assert messages == [day, day, day]
    long_block = "\n".join(f"baris {i} " + "kata " * 5 for i in range(20))
    for message in split_html([long_block], limit=100):
        assert all(line.startswith("baris ") for line in message.split("\n"))


def test_a_tag_open_at_a_cut_is_closed_and_opened_again():
    quote = "<blockquote>" + "\n".join(f"baris {i}" for i in range(10)) + "</blockquote>"
    messages = split_html([quote], limit=20)
    assert len(messages) > 1
    for message in messages:
        assert message.startswith("<blockquote>") and message.endswith("</blockquote>")
        _plain(message)
    link = '<a href="https://example.org/a b">' + "kata " * 20 + "</a>"
    for message in split_html([link], limit=12):
        assert message.startswith('<a href="https://example.org/a b">')
        assert message.endswith("</a>")


def test_empty_blocks_make_no_message_and_the_keyboard_goes_last():
    assert split_html(["", "  ", "\n\n"]) == []
    replies = pack_blocks(["a" * 3000, "b" * 3000], keyboard="KB")   # type: ignore[arg-type]
    assert [r.keyboard for r in replies] == [None, "KB"]


def test_there_is_one_splitter():
    """Every message is measured and cut in bot/render/text.py: no second length rule
    (4096, 3900, a UTF-16 count) or splitting helper elsewhere. The emulators, stand-ins
    for Telegram and for WhatsApp's Graph API, check the limits on their own side and are
    left out."""
    rule = re.compile(r"\b(4096|4000|3900|3800)\b|utf-16|def \w*(split|chunk|cut)\w*\(.*(text|html|message|block)")
    found = sorted(
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
        if not any(part.endswith("emulator") for part in path.parts)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if rule.search(line)
    )
    assert [f.split(":")[0] for f in found] == ["bot/render/text.py"] * len(found)
    assert len(found) >= 2


def test_blocks_laid_out_over_the_messages_already_shown():
    """An edit keeps the number of messages: the same layout when it fits the same way;
    when it fits in fewer, the last pieces take a message each (the status alone at the
    end); when it needs more, None (the caller sends it again)."""
    from bot.render.text import pack_blocks_into

    blocks = ["a" * 30, "b" * 30, "c" * 30, "status"]
    greedy = [reply.text for reply in pack_blocks(blocks, limit=70)]
    assert [r.text for r in pack_blocks_into(blocks, len(greedy), limit=70)] == greedy
    assert [r.text for r in pack_blocks_into(blocks, 3, limit=200)] == [
        "\n\n".join(blocks[:2]), "c" * 30, "status"]
    assert [r.text for r in pack_blocks_into(blocks, 1, limit=200)] == ["\n\n".join(blocks)]
    assert pack_blocks_into(blocks, 1, limit=70) is None
    assert pack_blocks_into(blocks, 5, limit=200) is None     # four pieces, five messages
    assert pack_blocks_into(["<b>x</b>"], 1, limit=10)[0].text == "<b>x</b>"


def test_a_persons_words_are_queued_in_parts_no_channel_refuses():
    """Cut between words, each part within the limit in UTF-16 code units (an emoji
    outside the Basic Multilingual Plane counts two), nothing lost, nothing escaped: the
    words are kept as the person wrote them; the channel escapes and labels them."""
    from bot.render.text import WORDS_PER_PART, split_words

    words = (MESSY * 400).strip()
    parts = split_words(words)
    assert len(parts) > 1 and all(utf16_length(p) <= WORDS_PER_PART for p in parts)
    assert " ".join(parts).split() == words.split()
    assert "&amp;" not in "".join(parts)
    assert split_words("Halo") == ["Halo"] and split_words("") == [""]
    assert split_words("🙏" * 10, limit=4) == ["🙏🙏"] * 5          # never half an emoji
