"""The sandbox in real Chromium (Debian's package, driven by Playwright): a resident files a
report through the page, the officer claims the card, they exchange messages; a screenshot
of each pane is kept under tests/artifacts/sandbox/."""
from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import pytest
import uvicorn
from sqlmodel import select

from bot.engine.i18n import get_translator
from bot.web.sandbox.web import create_app
from models import Draft, Report

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "sandbox"
STORY = "Ada calo di desa kami yang menjanjikan kerja di Malaysia tanpa biaya apa pun."
t = get_translator("id")  # button labels from the catalogs, as the bot shows them

# The newest bot message of a pane: not the one acted on last, and offering the label.
NEWEST_OFFERS = """([pane, label, before]) => {
  const all = document.querySelectorAll(`.pane[data-pane="${pane}"] .msg[data-from="bot"]`);
  const m = all[all.length - 1];
  if (!m || m.dataset.id + ":" + m.dataset.version === before) return false;
  return !label || [...m.querySelectorAll(".keyboard button")].some((b) => b.textContent === label);
}"""
NEWEST_SIGNATURE = """(pane) => {
  const all = document.querySelectorAll(`.pane[data-pane="${pane}"] .msg[data-from="bot"]`);
  const m = all[all.length - 1];
  return m ? m.dataset.id + ":" + m.dataset.version : "";
}"""


@pytest.fixture
async def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI (.ci/run installs it with apt-get)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        await browser.close()


@pytest.fixture
async def page_url(sandbox):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    server = uvicorn.Server(uvicorn.Config(create_app(sandbox), log_level="warning", lifespan="off",
                                           timeout_graceful_shutdown=1))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    sandbox.closing = True  # ends the open event streams
    server.should_exit = True
    await task


class Pane:
    """One chat pane of the page, used the way a person would."""

    def __init__(self, page, name: str, label: str):
        self.page, self.name = page, name
        self.region = page.get_by_role("region", name=label, exact=True)
        self.acted_on = ""

    async def _newest(self, label: str | None = None) -> None:
        await self.page.wait_for_function(NEWEST_OFFERS, arg=[self.name, label, self.acted_on])
        self.acted_on = await self.page.evaluate(NEWEST_SIGNATURE, self.name)

    async def say(self, text: str) -> None:
        self.acted_on = await self.page.evaluate(NEWEST_SIGNATURE, self.name)
        box = self.region.get_by_role("textbox")
        await box.fill(text)
        await box.press("Enter")  # Enter sends

    async def press(self, label: str) -> None:
        """Press a button of the bot's newest message, once the bot has answered the last step."""
        await self._newest(label)
        newest = self.region.locator('.msg[data-from="bot"]').last
        await newest.get_by_role("button", name=label, exact=True).click()

    def message(self, text: str):
        return self.region.locator(".msg", has_text=text)


async def test_resident_reports_officer_claims_and_they_talk(chromium, sandbox, page_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = await chromium.new_page(viewport={"width": 1440, "height": 900})
    browser_errors: list[str] = []
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda exc: browser_errors.append(str(exc)))
    await page.goto(page_url)
    resident = Pane(page, "resident", "Warga")
    officer = Pane(page, "officer", "Petugas")
    group = Pane(page, "group", "Grup Satgas")
    await page.get_by_text("tidak terhubung ke Telegram").wait_for()

    await resident.say("/lapor")
    await resident.press(t("Unlicensed recruiter (calo)"))
    await resident.press(t("No"))
    await resident.press("Bandar Lampung")
    await resident.press(t("Skip"))                      # location pin
    await resident._newest()
    await resident.say(STORY)
    await resident.press(t("➕ Add details"))             # the whole form, one tap away
    await resident.press(t("I know nothing about the recruiter"))   # name ... social media
    await resident.press(t("Not known"))                 # how many people
    await resident.press(t("Not known yet"))             # destination
    await resident.press(t("Not known yet"))             # departure date
    await resident.press(t("✅ Done"))                   # no evidence
    await resident.press(t("Stay anonymous"))
    await resident.press(t("📨 Send report"))
    await resident.message("Laporan Anda sudah kami terima").wait_for()

    async with sandbox.app.bot_data.services.sessions() as session:
        report = (await session.exec(select(Report))).one()
        assert report.category == "calo" and report.description == STORY
        assert (await session.exec(select(Draft))).first() is None
    case = report.case_number

    card = officer.message(case).filter(has=page.get_by_role("button", name=t("🙋 Claim")))
    await card.first.get_by_role("button", name=t("🙋 Claim")).click()
    await resident.message("sedang ditangani").wait_for()
    await group.message(case).first.wait_for()         # the task-force group got the card too

    await officer.region.get_by_role("button", name=t("✉️ Message reporter")).last.click()
    await officer._newest()
    await officer.say("Apakah Anda tahu alamat kantor PT Maju Jaya?")
    relayed = resident.message("Apakah Anda tahu alamat kantor PT Maju Jaya?").last
    await relayed.wait_for()
    await relayed.get_by_role("button", name="Balas").click()   # reply-to, as in Telegram
    await resident.say("Di Jalan Kartini 12, Bandar Lampung.")
    await officer.message("Di Jalan Kartini 12").last.wait_for()

    async with sandbox.app.bot_data.services.sessions() as session:
        report = (await session.exec(select(Report))).one()
        assert report.status != "new" and report.assignee_id is not None
    assert await page.locator("#problems").is_hidden()  # no refused call on the page
    assert browser_errors == []
    for pane in (resident, officer, group):
        await pane.region.screenshot(path=str(ARTIFACTS / f"{pane.name}.png"))
    await page.screenshot(path=str(ARTIFACTS / "page.png"))

    await page.set_viewport_size({"width": 390, "height": 800})   # a phone: one chat at a time
    assert await officer.region.is_hidden() and await resident.region.is_visible()
    await page.get_by_role("navigation").get_by_role("button", name="Petugas").click()
    assert await officer.region.is_visible() and await resident.region.is_hidden()
    await page.screenshot(path=str(ARTIFACTS / "phone-officer.png"))
    await page.close()


async def _open_phone(chromium, page_url):
    """The page on a 390×844 phone, its errors collected."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = await chromium.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(page_url)
    await page.get_by_text("tidak terhubung ke Telegram").wait_for()
    return page, errors


async def _show(page, name: str) -> None:
    await page.get_by_role("navigation").get_by_role("button", name=name).click()


NUMBERS = ("110", "0800-1000")


async def test_an_urgent_tip_in_seven_actions_and_the_numbers_stay(chromium, sandbox, page_url):
    """On a phone: /lapor, four taps, the story, Send now; the emergency numbers given
    after "Yes, someone is in danger" are still in the chat at the end, and in the receipt."""
    page, errors = await _open_phone(chromium, page_url)
    resident = Pane(page, "resident", "Warga")
    actions = 0

    async def press(label):
        nonlocal actions
        actions += 1
        await resident.press(label)

    await resident.say("/lapor")
    actions += 1
    await press(t("Suspected human trafficking (TPPO)"))
    await press(t("Yes, someone is in danger"))
    numbers = resident.message(NUMBERS[0]).filter(has_text=NUMBERS[1]).first
    await numbers.wait_for()
    shown = await numbers.inner_text()
    await page.screenshot(path=str(ARTIFACTS / "phone-emergency-numbers.png"))
    await press("Bandar Lampung")
    await press(t("Skip"))                               # location pin
    await resident._newest()
    await resident.say(STORY)
    actions += 1
    await press(t("📨 Send now"))
    receipt = resident.message("Laporan Anda sudah kami terima")
    await receipt.wait_for()
    assert actions == 7 <= 8
    # The numbers' own message was never edited, and the receipt says them again.
    assert await numbers.inner_text() == shown
    receipt_text = await receipt.inner_text()
    assert all(number in receipt_text for number in NUMBERS)
    # The answered offer to send has no button left to press.
    offer = resident.message(STORY).filter(has_text="Kirim laporan sekarang").last
    assert await offer.locator(".keyboard button").count() == 0
    async with sandbox.app.bot_data.services.sessions() as session:
        report = (await session.exec(select(Report))).one()
    assert report.urgent and report.description == STORY and not report.contactable
    await receipt.scroll_into_view_if_needed()
    await page.screenshot(path=str(ARTIFACTS / "phone-tip-in-seven-actions.png"))
    await numbers.scroll_into_view_if_needed()
    await numbers.screenshot(path=str(ARTIFACTS / "phone-emergency-numbers-stay.png"))
    assert await page.locator("#problems").is_hidden() and errors == []
    await page.close()


async def test_the_claimed_card_fits_a_phone(chromium, sandbox, page_url):
    """On a phone, the card the officer claimed has at most six rows of buttons; "More"
    opens the rest and "Back" returns, on the same card."""
    page, errors = await _open_phone(chromium, page_url)
    resident = Pane(page, "resident", "Warga")
    officer = Pane(page, "officer", "Petugas")
    await resident.say("/lapor")
    for label in (t("Unlicensed recruiter (calo)"), t("No"), "Bandar Lampung", t("Skip")):
        await resident.press(label)
    await resident._newest()
    await resident.say(STORY)
    await resident.press(t("📨 Send now"))
    await resident.message("Laporan Anda sudah kami terima").wait_for()
    async with sandbox.app.bot_data.services.sessions() as session:
        case = (await session.exec(select(Report))).one().case_number

    await _show(page, "Petugas")
    card = officer.message(case).filter(has=page.get_by_role("button", name=t("🙋 Claim"))).first
    await card.get_by_role("button", name=t("🙋 Claim")).click()
    claimed = officer.message(case).filter(
        has=page.get_by_role("button", name=t("⋯ More"))).first
    await claimed.wait_for()
    # The same message from now on, whichever buttons it shows.
    card = officer.region.locator(f'.msg[data-id="{await claimed.get_attribute("data-id")}"]')
    rows = card.locator(".keyboard .row")
    assert await rows.count() <= 6
    await card.scroll_into_view_if_needed()
    await card.screenshot(path=str(ARTIFACTS / "phone-card-claimed.png"))
    await card.get_by_role("button", name=t("⋯ More")).click()
    await card.get_by_role("button", name=t("↩️ Release")).wait_for()
    assert await rows.count() <= 6
    for label in ("➡️ Kepolisian", t("⏰ Snooze 1 h"), t("⬅️ Back")):
        assert await card.get_by_role("button", name=label, exact=True).count() == 1
    await card.screenshot(path=str(ARTIFACTS / "phone-card-more.png"))
    await card.get_by_role("button", name=t("⬅️ Back")).click()
    await card.get_by_role("button", name=t("✉️ Message reporter")).wait_for()
    assert await rows.count() <= 6
    assert await page.locator("#problems").is_hidden() and errors == []
    await page.close()


# WCAG 2.1 A and AA, as axe-core (bundled by axe-playwright-python) checks them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


async def _serious_violations(page) -> list[str]:
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page, options={
        "runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


async def _open(browser, url: str, **context_options):
    context = await browser.new_context(**context_options)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(url)
    await page.get_by_text("tidak terhubung ke Telegram").wait_for()
    return context, page, errors


async def test_the_page_meets_wcag_aa_on_a_desktop_and_a_phone(chromium, sandbox, page_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page, errors = await _open(chromium, page_url, viewport={"width": 1440, "height": 900})
    resident = Pane(page, "resident", "Warga")
    assert await page.locator("h1").count() == 1
    for name in ("Warga", "Petugas", "Grup Satgas"):
        await page.get_by_role("log", name=f"Percakapan: {name}", exact=True).wait_for()
    # The empty chats say what will appear there.
    await page.get_by_role("log", name="Percakapan: Petugas").get_by_text(
        "Kartu laporan baru akan muncul di sini").wait_for()
    await page.get_by_role("log", name="Percakapan: Grup Satgas").get_by_text(
        "Pemberitahuan singkat setiap laporan baru").wait_for()
    assert await _serious_violations(page) == []

    await resident.say("/lapor")
    await resident._newest(t("Unlicensed recruiter (calo)"))
    question = resident.region.locator('.msg[data-from="bot"]').last
    asked = await question.get_attribute("data-id")
    await question.get_by_role("button", name=t("Unlicensed recruiter (calo)")).focus()
    await page.keyboard.press("Enter")                  # a keyboard user answers
    await page.wait_for_function(
        """(id) => { const m = document.querySelector(`.msg[data-id="${id}"]`);
                     return m && m.dataset.version !== "0"; }""", arg=asked)
    # The question was edited into the next one: the focus stays on its message.
    assert await page.evaluate("() => document.activeElement.closest('.msg')?.dataset.id") == asked
    # A visible focus ring on the message box.
    box = resident.region.get_by_role("textbox")
    await box.focus()
    assert await box.evaluate("b => getComputedStyle(b).outlineStyle") != "none"
    assert await _serious_violations(page) == []
    await page.screenshot(path=str(ARTIFACTS / "a11y-desktop.png"))
    assert errors == []
    await context.close()

    context, phone, errors = await _open(chromium, page_url, **PHONE)
    banner = phone.locator(".banner")
    assert (await banner.bounding_box())["height"] < 60              # one line on a phone
    await phone.get_by_role("button", name="Selengkapnya", exact=True).click()
    assert (await banner.bounding_box())["height"] > 60               # and opens when asked
    await phone.get_by_role("button", name="Selengkapnya", exact=True).click()
    resident = Pane(phone, "resident", "Warga")
    message = resident.region.locator('.msg[data-from="bot"]').last
    reply = message.get_by_role("button", name="Balas")
    assert await reply.is_hidden()                      # not under every message
    await message.locator(".bubble").dispatch_event("contextmenu")   # a long press
    await reply.wait_for()
    assert (await reply.bounding_box())["height"] >= 44
    for button in await message.locator(".keyboard button").all():
        assert (await button.bounding_box())["height"] >= 44
    for control in ("Kirim", "Kirim foto atau dokumen", "Kirim lokasi"):
        box = await resident.region.get_by_role("button", name=control, exact=True).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, control
    textbox = resident.region.get_by_role("textbox")
    assert await textbox.evaluate("b => getComputedStyle(b).fontSize") == "16px"
    assert await _serious_violations(phone) == []
    await phone.screenshot(path=str(ARTIFACTS / "a11y-phone.png"))
    assert errors == []
    await context.close()


async def test_a_reload_replays_no_notice(chromium, sandbox, page_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page, errors = await _open(chromium, page_url, **PHONE)
    resident = Pane(page, "resident", "Warga")
    await resident.say("/lapor")
    await resident.press(t("Unlicensed recruiter (calo)"))
    await resident._newest()
    question = resident.region.locator(".msg", has=page.get_by_role("button", name=t("No"),
                                                                     exact=True)).last
    await resident.say("/batal")
    await resident._newest()
    # The cancelled report's question still has its buttons: a press gets a notice.
    await question.get_by_role("button", name=t("No"), exact=True).click()
    notice = resident.region.locator(".toast")
    await notice.first.wait_for()
    await page.screenshot(path=str(ARTIFACTS / "notice-before-reload.png"))
    await page.reload()
    await resident.message("/batal").wait_for()         # the chat is drawn again
    await page.wait_for_timeout(1500)                   # several ticks of the event stream
    assert await notice.count() == 0
    await page.screenshot(path=str(ARTIFACTS / "after-reload.png"))
    assert errors == []
    await context.close()
