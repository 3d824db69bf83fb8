"""/jadwal with a roster far longer than one message: a weekday at a time, every shift
shown, every message accepted by the emulator."""
from __future__ import annotations

from bot.services.officers import add_officer
from models import RosterShift
from tests.helpers.officers import make_officer

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


async def _big_roster(tipbot) -> list[tuple[int, str]]:
    """70 officers on Monday to Saturday, three on Sunday; names full of HTML specials
    and emoji. Returns (weekday, line as shown) for every shift."""
    expected = []
    async with tipbot.session() as session:
        for i in range(70):
            officer = await add_officer(
                session, telegram_user_id=9_000_000 + i, now=tipbot.clock(),
                name=f"Bu Ani & Pak <Budi> \"Wati\" 🙏🏽👨‍👩‍👧 R&D <b>{i:02d}</b> &amp; 🇮🇩")
            await session.flush()
            for weekday in range(6 if i >= 3 else 7):
                region = "1871" if i % 2 else None
                session.add(RosterShift(officer_id=officer.id, weekday=weekday,
                                        start_minute=8 * 60, end_minute=16 * 60,
                                        region_code=region))
                where = " · Kota Bandar Lampung" if region else ""
                expected.append((weekday, f"08:00–16:00 {officer.name}{where}"))
        await session.commit()
    return expected


async def test_a_long_roster_is_sent_a_weekday_at_a_time_and_nothing_is_cut(tipbot, emu):
    asker = await make_officer(tipbot, "Petugas Piket", shift=False)
    expected = await _big_roster(tipbot)
    before = len(asker.messages)
    await asker.say("/jadwal")
    messages = [m.text for m in asker.messages[before:]]
    assert len(messages) > 7             # a long day is split too, under its own name
    assert emu.violations == [] and emu.errors == []
    assert messages[0].startswith("Jadwal piket (WIB)")
    seen: list[tuple[int, str]] = []
    for text in messages:
        assert len(text.encode("utf-16-le")) // 2 <= 4096
        day = None
        for line in text.split("\n"):
            if line in DAYS:
                day = DAYS.index(line)
            elif line.startswith("08:00–16:00"):
                assert day is not None, "a shift without its weekday above it"
                seen.append((day, line))
    assert sorted(seen) == sorted(expected)       # every shift, once
    # Sunday's three shifts fit in one message: they are never parted.
    sunday = [text for text in messages if "\nMinggu\n" in f"\n{text}\n"]
    assert len(sunday) == 1 and sum(1 for d, _ in seen if d == 6) == 3
    assert all(sunday[0].count(line) for d, line in expected if d == 6)


async def test_a_short_roster_is_one_message(tipbot, emu):
    asker = await make_officer(tipbot, "Citra", region="1871")
    before = len(asker.messages)
    await asker.say("/jadwal")
    assert len(asker.messages) == before + 1
    assert "Sabtu\n08:00–16:00 Citra · Kota Bandar Lampung" in asker.last.text
    assert emu.violations == []
